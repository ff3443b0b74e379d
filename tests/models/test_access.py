"""access.require: the denial names the user, the action and the target, and carries them."""

from __future__ import annotations

import pytest

from stalker_core.exceptions import PermissionDeniedError
from stalker_core.models import Group, Permission, Project, Shot, User
from stalker_core.models.access import require, target_label


def test_target_labels() -> None:
    assert target_label(Project) == "Project"
    assert target_label("Version") == "Version"
    assert target_label(Project(name="Big", code="BIG")) == "Project 'BIG'"
    assert target_label(User(name="A", login="al", email="a@x.com", password="pw")) == (
        "User 'al'")


def test_a_denial_names_who_what_and_on_what() -> None:
    user = User(name="A", login="al", email="a@x.com", password="pw")
    user.groups.append(Group(name="g", permissions=[
        Permission(access="Allow", action="Update", class_name="Task"),
        Permission(access="Deny", action="Update", class_name="Shot"),
    ]))
    require(user, "update", "Task")  # allowed: no error
    with pytest.raises(PermissionDeniedError) as caught:
        require(user, "update", Shot, what="shot 'SH010'")
    message = str(caught.value)
    assert message.startswith("user 'al' may not Update shot 'SH010'")
    assert "Update on Shot or Task" in message and "administrator" in message
    assert (caught.value.user, caught.value.action, caught.value.target) == (user, "Update", Shot)
