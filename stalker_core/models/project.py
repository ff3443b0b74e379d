"""Project: a job of the studio, with its repositories, structure, users and tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id
from stalker_core.models.mixins import CodeMixin, DateRangeMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.client import Client
    from stalker_core.models.image_format import ImageFormat
    from stalker_core.models.repository import Repository
    from stalker_core.models.role import Role
    from stalker_core.models.structure import Structure
    from stalker_core.models.task import Task
    from stalker_core.models.user import User

project_clients = Table(
    "project_clients",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
)


class ProjectUser(Base):
    """A user on a project, with an optional role and rate."""

    __tablename__ = "project_users"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    rate: Mapped[float] = mapped_column(default=0.0)
    project: Mapped[Project] = relationship(back_populates="user_roles")
    user: Mapped[User] = relationship(back_populates="project_roles")
    role: Mapped[Role | None] = relationship()


class ProjectRepository(Base):
    """Ordered link of a project to a repository (the first is ``project.repository``)."""

    __tablename__ = "project_repositories"
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    repository_id: Mapped[int] = mapped_column(
        ForeignKey("repositories.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    project: Mapped[Project] = relationship(back_populates="repository_links")
    repository: Mapped[Repository] = relationship()


class Project(Entity, CodeMixin, StatusMixin, DateRangeMixin):
    """A project: ``repositories`` (ordered), ``structure``, ``users``, ``tasks``."""

    __tablename__ = "projects"
    id: Mapped[int] = fk_id("simple_entities")
    fps: Mapped[float] = mapped_column(default=25.0)
    is_stereoscopic: Mapped[bool] = mapped_column(default=False)
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structures.id", ondelete="SET NULL")
    )
    image_format_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_formats.id", ondelete="SET NULL")
    )
    structure: Mapped[Structure | None] = relationship(foreign_keys=[structure_id])
    image_format: Mapped[ImageFormat | None] = relationship(foreign_keys=[image_format_id])
    repository_links: Mapped[list[ProjectRepository]] = relationship(
        back_populates="project",
        order_by=ProjectRepository.position,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    repositories: AssociationProxy[list[Repository]] = association_proxy(
        "repository_links", "repository", creator=lambda r: ProjectRepository(repository=r)
    )
    user_roles: Mapped[list[ProjectUser]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    users: AssociationProxy[list[User]] = association_proxy(
        "user_roles", "user", creator=lambda u: ProjectUser(user=u)
    )
    clients: Mapped[list[Client]] = relationship(
        secondary=project_clients, back_populates="projects"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="project", foreign_keys="Task.project_id"
    )

    @property
    def repository(self) -> Repository | None:
        """The first repository, or ``None``."""
        links = self.repository_links
        return links[0].repository if links else None
