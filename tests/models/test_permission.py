"""Permission and user.can(action, target): groups, Deny wins, class/name/instance targets."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import PermissionDeniedError, StalkerTypeError, ValidationError
from stalker_core.models import Group, Permission, Project, Shot, Task, User
from stalker_core.models.access import require


def _user() -> User:
    return User(name="A", login="a", email="a@x.com", password="pw")


def _perm(access: str, action: str, cls: Any) -> Permission:
    return Permission(access=access, action=action, class_name=cls)


def test_permission_values_are_normalised_and_validated() -> None:
    p = _perm("allow", " create", Project)
    assert (p.access, p.action, p.class_name) == ("Allow", "Create", "Project")
    with pytest.raises(ValidationError, match="Permission.access"):
        _perm("Maybe", "Create", "Project")
    with pytest.raises(ValidationError, match="Permission.action"):
        _perm("Allow", "Destroy", "Project")
    with pytest.raises(StalkerTypeError, match="Permission.class_name"):
        _perm("Allow", "Create", 5)
    with pytest.raises(StalkerTypeError, match="'class_name'"):
        Permission(access="Allow", action="Create")


def test_no_group_no_permission() -> None:
    assert not _user().can("Read", Project)


def test_allow_through_a_group() -> None:
    u = _user()
    u.groups.append(Group(name="g", permissions=[_perm("Allow", "Read", "Project")]))
    assert u.can("Read", Project)
    assert u.can("read", "Project")
    assert u.can("Read", Project(name="P", code="P"))
    assert not u.can("Update", Project)
    assert not u.can("Read", "Task")


def test_deny_wins_over_allow_across_groups() -> None:
    u = _user()
    u.groups = [
        Group(name="g1", permissions=[_perm("Allow", "Delete", "Project")]),
        Group(name="g2", permissions=[_perm("Deny", "Delete", "Project")]),
    ]
    assert not u.can("Delete", Project)
    with pytest.raises(PermissionDeniedError, match="may not Delete Project"):
        require(u, "Delete", Project)


def test_base_class_rules_cover_subclasses_unless_overridden() -> None:
    u = _user()
    u.groups.append(
        Group(
            name="g",
            permissions=[_perm("Allow", "Create", Task), _perm("Deny", "Update", "Task"),
                         _perm("Allow", "Update", Shot)],
        )
    )
    assert u.can("Create", Shot)  # from Task
    assert u.can("Update", Shot)  # its own rule wins over the base's
    assert not u.can("Update", Task)
    assert u.can("Create", "Shot")


def test_bad_targets_and_actions() -> None:
    u = _user()
    with pytest.raises(ValidationError, match="User.can.action"):
        u.can("Fly", Project)
    for bad in (None, 5, "", [Project]):
        with pytest.raises(StalkerTypeError):
            u.can("Read", bad)
    assert not u.can("Read", "SomethingUnknown")


def test_permissions_from_the_database(session: Any) -> None:
    admin = User.query.filter_by(login="admin").one()
    artist = User(name="Artist", login="artist", email="artist@x.com", password="pw")
    readers = Group(name="readers")
    readers.users.append(artist)
    readers.permissions.append(
        Permission.query.filter_by(access="Allow", action="Read", class_name="Project").one()
    )
    session.add(readers)
    session.commit()
    session.expire_all()
    assert admin.can("Delete", Project)
    assert artist.can("Read", Project) and not artist.can("Delete", Project)
    deny = Permission(access="Deny", action="Read", class_name="Project")
    Group.query.filter_by(name="readers").one().permissions.append(deny)
    session.commit()
    assert not artist.can("Read", Project)


def test_a_users_own_rules_count_like_a_groups() -> None:
    u = _user()
    u.permissions = [_perm("Allow", "Update", "Task")]
    assert u.can("Update", Shot) and not u.can("Delete", Task)
    u.groups.append(Group(name="g", permissions=[_perm("Deny", "Update", "Task")]))
    assert not u.can("Update", Task)  # a Deny of a group wins over the user's Allow
    with pytest.raises(StalkerTypeError, match="User.permissions"):
        u.permissions.append("Allow Update Task")


def test_a_users_own_rules_are_stored(session: Any) -> None:
    artist = User(name="Artist", login="artist2", email="artist2@x.com", password="pw")
    artist.permissions.append(
        Permission.query.filter_by(access="Allow", action="Create", class_name="Task").one()
    )
    session.add(artist)
    session.commit()
    session.expire_all()
    stored = User.query.filter_by(login="artist2").one()
    assert [(p.access, p.action, p.class_name) for p in stored.permissions] == [
        ("Allow", "Create", "Task")]
    assert stored.can("Create", Shot) and not stored.can("Create", Project)
    session.delete(stored)
    session.commit()  # the link rows go with the user; the rule stays for others
    assert Permission.query.filter_by(access="Allow", action="Create", class_name="Task").one()
