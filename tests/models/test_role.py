"""Role (and roles of members through the association objects)."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Department, Project, Role, User


def test_role_needs_a_name() -> None:
    with pytest.raises(StalkerTypeError):
        Role()


def test_roles_in_department_and_project(session: Any) -> None:
    lead = Role(name="Lead")
    user = User(name="A", login="a", email="a@x.com", password="pw")
    dep = Department(name="Anim")
    dep.set_role(user, lead)
    project = Project(name="P", code="P")
    project.set_role(user, lead)
    session.add_all([dep, project])
    session.commit()
    session.expire_all()
    assert dep.users == [user] and dep.role_of(user) is lead
    assert project.users == [user] and project.role_of(user) is lead
    dep.set_role(user, None)
    assert dep.role_of(user) is None and dep.users == [user]
    assert Department(name="x").role_of(user) is None


def test_roles_of_client_contacts(session: Any) -> None:
    from stalker_core.models import Client

    producer = Role(name="Producer")
    user = User(name="C", login="c", email="c@x.com", password="pw")
    client = Client(name="Acme")
    client.set_role(user, producer)
    session.add(client)
    session.commit()
    session.expire_all()
    assert client.users == [user] and client.role_of(user) is producer
    client.set_role(user, None)
    assert client.role_of(user) is None and client.users == [user]
