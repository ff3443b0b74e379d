"""Department: a group of users by craft, with a role per member."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import (
    Base,
    Entity,
    fk_id,
    unique_association_proxy,
)
from stalker_core.models.mixins import RoleMembership, RoleMembersMixin
from stalker_core.models.services import service

if TYPE_CHECKING:
    from stalker_core.models.user import User


class DepartmentUser(RoleMembership, Base, owner="Department"):
    """Membership of a user in a department, with an optional role."""

    __tablename__ = "department_users"
    department: Mapped[Department]  # the column, relationship and validator: RoleMembership


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
