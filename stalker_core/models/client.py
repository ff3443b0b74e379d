"""Client: a customer of the studio, with its contact users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    fk_id,
    mapped_class,
    on_append,
    unique_association_proxy,
)
from stalker_core.models.mixins import RoleMembership, RoleMembersMixin

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.user import User


class ClientUser(RoleMembership, Base, owner="Client"):
    """A user working for a client, with an optional role."""

    __tablename__ = "client_users"
    client: Mapped[Client]  # the column, relationship and validator: RoleMembership


class Client(Entity, RoleMembersMixin):
    """A client; ``users`` are its contacts, ``projects`` its projects."""

    _membership_class = ClientUser

    __tablename__ = "clients"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    user_roles: Mapped[list[ClientUser]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    users: AssociationProxy[list[User]] = unique_association_proxy(
        "user_roles", "user", creator=lambda u: ClientUser(user=u)
    )
    projects: Mapped[list[Project]] = relationship(
        secondary="project_clients", back_populates="clients"
    )


def _check_project(target: Any, key: str, value: Any) -> Any:
    return check_instance("Client", key, value, mapped_class("Project"), required=True)


on_append(Client.projects, _check_project)
