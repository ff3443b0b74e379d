"""Department: a group of users by craft, with a role per member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from stalker_core.models.base import Base, Entity, fk_id

if TYPE_CHECKING:
    from stalker_core.models.role import Role
    from stalker_core.models.user import User


class DepartmentUser(Base):
    """Membership of a user in a department, with an optional role."""

    __tablename__ = "department_users"
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    department: Mapped[Department] = relationship(back_populates="user_roles")
    user: Mapped[User] = relationship(back_populates="department_roles")
    role: Mapped[Role | None] = relationship()


class Department(Entity):
    """A department; ``users`` (synonym ``members``) lists its members."""

    __tablename__ = "departments"
    id: Mapped[int] = fk_id("simple_entities")
    user_roles: Mapped[list[DepartmentUser]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )
    users: AssociationProxy[list[User]] = association_proxy(
        "user_roles", "user", creator=lambda u: DepartmentUser(user=u)
    )

    @property
    def members(self) -> list[User]:
        """Synonym of :attr:`users`."""
        return self.users  # type: ignore[return-value]

    @members.setter
    def members(self, value: list[User]) -> None:
        self.users = value  # type: ignore[assignment]


_ = synonym  # kept for helpers that map real synonyms
