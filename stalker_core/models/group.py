"""Group and Permission: who may create/read/update/delete/list which classes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id

if TYPE_CHECKING:
    from stalker_core.models.user import User

group_users = Table(
    "group_users",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

group_permissions = Table(
    "group_permissions",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permissions.id", ondelete="CASCADE"), primary_key=True),
)


class Permission(Base):
    """``access`` (Allow/Deny) to ``action`` (Create/Read/Update/Delete/List) on ``class_name``."""

    __tablename__ = "permissions"
    __table_args__ = (UniqueConstraint("access", "action", "class_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    access: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    class_name: Mapped[str] = mapped_column(String(128))


class Group(Entity):
    """A permission group of users."""

    __tablename__ = "groups"
    id: Mapped[int] = fk_id("simple_entities")
    users: Mapped[list[User]] = relationship(secondary=group_users, back_populates="groups")
    permissions: Mapped[list[Permission]] = relationship(secondary=group_permissions)
