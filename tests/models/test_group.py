"""Group."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Group, Permission, User


def test_group_collections_are_checked() -> None:
    g = Group(name="artists")
    with pytest.raises(StalkerTypeError, match="Group.users should be a User"):
        g.users.append("bob")
    with pytest.raises(StalkerTypeError, match="Group.permissions should be a Permission"):
        g.permissions.append("Allow Create Task")


def test_group_persists(session: Any) -> None:
    u = User(name="A", login="a", email="a@x.com", password="pw")
    g = Group(name="artists", users=[u])
    g.permissions.append(Permission(access="Allow", action="Read", class_name="Project"))
    session.add(g)
    session.commit()
    session.expire_all()
    got = Group.query.filter_by(name="artists").one()
    assert got.users == [u] and u.groups == [got]
    assert repr(got.permissions[0]) == "<Allow Read Project (Permission)>"
