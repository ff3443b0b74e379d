"""Department: a group of users by craft, with a role per member."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey
from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    fk_id,
    unique_association_proxy,
    unlink_association,
)
from stalker_core.models.mixins import RoleMembersMixin
from stalker_core.models.services import service

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
    # joined: ``department.users`` is one query, not one per member
    user: Mapped[User] = relationship(back_populates="department_roles", lazy="joined")
    role: Mapped[Role | None] = relationship()

    @validates("department", "user", "role")
    def _validate_links(self, key: str, value: Any) -> Any:
        from stalker_core.models.role import Role
        from stalker_core.models.user import User

        expected = {"department": Department, "user": User, "role": Role}[key]
        value = check_instance("Department", key, value, expected)
        sides = {"department": "user_roles", "user": "department_roles"}
        if key != "role":
            unlink_association(self, key, value, sides)
        return value


class Department(Entity, RoleMembersMixin):
    """A department; ``users`` (synonym ``members``) lists its members.

    :param users: a list of :class:`User` (``members`` is the same list).
    """

    _membership_class = DepartmentUser

    __tablename__ = "departments"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    user_roles: Mapped[list[DepartmentUser]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )
    users: AssociationProxy[list[User]] = unique_association_proxy(
        "user_roles", "user", creator=lambda u: DepartmentUser(user=u)
    )
    #: synonym of :attr:`users` (also usable in queries).
    members: AssociationProxy[list[User]] = unique_association_proxy(
        "user_roles", "user", creator=lambda u: DepartmentUser(user=u)
    )


    @property
    def to_tjp(self) -> str:
        """This department as a TaskJuggler resource group."""
        return service("to_tjp")(self)
