"""Client."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Client, Project, User


def test_client_collections() -> None:
    c = Client(name="ACME")
    u = User(name="A", login="a", email="a@x.com", password="pw")
    c.users.append(u)
    c.users.append(u)
    assert c.users == [u] and u.clients == [c]
    with pytest.raises(StalkerTypeError, match="Client.projects should be a Project"):
        c.projects.append("P")


def test_client_persists_with_projects(session: Any) -> None:
    c = Client(name="ACME")
    p = Project(name="P", code="P", clients=[c])
    session.add(p)
    session.commit()
    session.expire_all()
    got = Client.query.filter_by(name="ACME").one()
    assert got.projects == [p] and p.clients == [got]
