"""Group and Permission: who may create/read/update/delete/list which classes.

A :class:`Permission` is one rule, ``access`` (Allow/Deny) x ``action``
(Create/Read/Update/Delete/List) x ``class_name``; groups link to rules
(``db.init()`` makes one Allow row per action and class, shared by groups;
a new ``Permission(...)`` may repeat a rule, which is harmless).
``user.can(action, target)`` (see :mod:`stalker_core.models.access`) evaluates
the rules of the user's groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import value_error
from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    entity_type_name,
    fk_id,
    link_table,
    mapped_class,
    on_append,
)
from stalker_core.models.column_mixins import ACLMixin

if TYPE_CHECKING:
    from stalker_core.models.user import User

#: the values of Permission.access
ACCESS: tuple[str, ...] = ("Allow", "Deny")
#: the values of Permission.action
ACTIONS: tuple[str, ...] = ("Create", "Read", "Update", "Delete", "List")

group_users = link_table("group_users", group_id="groups", user_id="users")

group_permissions = link_table("group_permissions", group_id="groups", permission_id="permissions")


def normalize_choice(cls_name: str, attr: str, value: Any, choices: tuple[str, ...]) -> str:
    """Return the choice matching ``value`` case-insensitively (``"allow"`` -> ``"Allow"``)."""
    if isinstance(value, str):
        for choice in choices:
            if value.strip().lower() == choice.lower():
                return choice
    raise value_error(cls_name, attr, f"one of {', '.join(choices)}", value)


class Permission(Base):
    """``access`` (Allow/Deny) to ``action`` (Create/Read/Update/Delete/List) on ``class_name``.

    :param access: ``"Allow"`` or ``"Deny"``.
    :param action: ``"Create"``, ``"Read"``, ``"Update"``, ``"Delete"`` or ``"List"``.
    :param class_name: a class or a class name (``Project`` or ``"Project"``).
    """

    __tablename__ = "permissions"
    __table_args__ = (Index(None, "class_name", "action"),)
    _required: ClassVar[tuple[str, ...]] = ("access", "action", "class_name")
    id: Mapped[int] = mapped_column(primary_key=True)
    access: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    class_name: Mapped[str] = mapped_column(String(128))

    @validates("access")
    def _validate_access(self, key: str, value: Any) -> str:
        return normalize_choice("Permission", key, value, ACCESS)

    @validates("action")
    def _validate_action(self, key: str, value: Any) -> str:
        return normalize_choice("Permission", key, value, ACTIONS)

    @validates("class_name")
    def _validate_class_name(self, key: str, value: Any) -> str:
        return entity_type_name("Permission", key, value)

    def __repr__(self) -> str:
        return f"<{self.access} {self.action} {self.class_name} (Permission)>"


class Group(Entity, ACLMixin):
    """A permission group of users.

    :param users: a list of :class:`User`.
    :param permissions: a list of :class:`Permission`.
    """

    __tablename__ = "groups"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    users: Mapped[list[User]] = relationship(secondary=group_users, back_populates="groups")
    permissions: Mapped[list[Permission]] = relationship(secondary=group_permissions)


def _check_user(target: Any, key: str, value: Any) -> Any:
    return check_instance("Group", key, value, mapped_class("User"), required=True)


def _check_permission(target: Any, key: str, value: Any) -> Any:
    return check_instance("Group", key, value, Permission, required=True)


on_append(Group.users, _check_user)
on_append(Group.permissions, _check_permission)
