"""Client: a customer of the studio, with its contact users."""

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
    on_append,
    unique_association_proxy,
    unlink_association,
)
from stalker_core.models.mixins import RoleMembersMixin

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.role import Role
    from stalker_core.models.user import User


class ClientUser(Base):
    """A user working for a client, with an optional role."""

    __tablename__ = "client_users"
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    client: Mapped[Client] = relationship(back_populates="user_roles")
    # joined: ``client.users`` is one query, not one per member
    user: Mapped[User] = relationship(back_populates="client_roles", lazy="joined")
    role: Mapped[Role | None] = relationship()

    @validates("client", "user", "role")
    def _validate_links(self, key: str, value: Any) -> Any:
        from stalker_core.models.role import Role
        from stalker_core.models.user import User

        expected = {"client": Client, "user": User, "role": Role}[key]
        value = check_instance("Client", key, value, expected)
        if key != "role":
            unlink_association(self, key, value, {"client": "user_roles", "user": "client_roles"})
        return value


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
    from stalker_core.models.project import Project

    return check_instance("Client", key, value, Project, required=True)


on_append(Client.projects, _check_project)
