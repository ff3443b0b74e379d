"""Department: users, members synonym, roles, query of users."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Department, User


def _users(n: int) -> list[User]:
    return [User(name=f"U{i}", login=f"u{i}", email=f"u{i}@x.com", password="pw") for i in range(n)]


def test_users_and_members_are_the_same_list() -> None:
    dep = Department(name="Anim")
    a, b = _users(2)
    dep.users = [a]
    dep.members.append(b)
    assert dep.users == [a, b] == dep.members
    dep.members = [b]
    assert dep.users == [b]
    assert a.departments == []


def test_users_must_be_users() -> None:
    with pytest.raises(StalkerTypeError, match="Department.user should be a User"):
        Department(name="x", users=["bob"])


def test_query_users_of_a_department(session: Any) -> None:
    deps = [Department(name=f"D{i}") for i in range(3)]
    users = _users(9)
    for i, u in enumerate(users):
        deps[i % 3].users.append(u)
    session.add_all(deps)
    session.commit()
    session.expire_all()
    d1 = Department.query.filter_by(name="D1").one()
    assert [u.login for u in d1.users] == ["u1", "u4", "u7"]
    assert [u.login for u in User.query.filter(User.departments.contains(d1)).all()] == [
        "u1", "u4", "u7"
    ]
    assert [u.login for u in User.query.join(User.department_roles).filter_by(
        department=d1).all()] == ["u1", "u4", "u7"]


def test_removing_a_member(session: Any) -> None:
    dep = Department(name="Comp")
    a, b = _users(2)
    dep.users = [a, b]
    session.add(dep)
    session.commit()
    dep.users.remove(a)
    session.commit()
    session.expire_all()
    assert Department.query.filter_by(name="Comp").one().users == [b]
    assert User.query.filter_by(login="u0").one().departments == []
