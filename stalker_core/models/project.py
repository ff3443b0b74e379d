"""Project: a job of the studio, with its repositories, structure, users and tasks.

``repositories`` is ordered and ``repository`` is the first one. The status
comes from the project status list (given, or the ``"Project"`` StatusList of
the database on flush); a new project takes the first status of its list.
``create_structure()`` creates the folders of the project's structure
(contract C2, :func:`stalker_core.templates.folders.create_project_structure`).
"""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import Column, ColumnDefault, ForeignKey, Integer, Table
from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import type_error
from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    check_number,
    declared_defaults,
    fk_id,
    link_table,
    mapped_class,
    on_append,
    unique_association_proxy,
)
from stalker_core.models.column_mixins import ReferenceMixin
from stalker_core.models.mixins import (
    CodeMixin,
    DateRangeMixin,
    RoleMembership,
    RoleMembersMixin,
    StatusMixin,
)
from stalker_core.models.services import service

if TYPE_CHECKING:
    from stalker_core.models.client import Client
    from stalker_core.models.image_format import ImageFormat
    from stalker_core.models.repository import Repository
    from stalker_core.models.role import Role
    from stalker_core.models.structure import Structure
    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User

project_clients = link_table("project_clients", project_id="projects", client_id="clients")
#: the role of the client on the project (Stalker's ``ProjectClient.role``)
project_clients.append_column(
    Column("role_id", ForeignKey("roles.id", ondelete="SET NULL"), nullable=True)
)


class ProjectClient(Base):
    """A client of a project, with an optional role: a row of ``Project.clients``.

    ``Project.clients`` and ``Client.projects`` are the everyday way to link
    the two; this class (Stalker's name) reaches the same rows, with the
    ``role``. A link made through one is seen by the other once the session
    has flushed and the collection is loaded again.
    """

    __table__ = project_clients
    project: Mapped[Project] = relationship(overlaps="clients,projects")
    client: Mapped[Client] = relationship(overlaps="clients,projects")
    role: Mapped[Role | None] = relationship()

    def __repr__(self) -> str:
        project = getattr(self.project, "name", None)
        client = getattr(self.client, "name", None)
        return f"<ProjectClient {client!r} on {project!r}>"

    @validates("project", "client", "role")
    def _validate_link(self, key: str, value: Any) -> Any:
        expected = mapped_class({"project": "Project", "client": "Client", "role": "Role"}[key])
        return check_instance("ProjectClient", key, value, expected, required=key != "role")


class ProjectUser(RoleMembership, Base, owner="Project"):
    """A user on a project, with an optional role and rate."""

    __tablename__ = "project_users"
    project: Mapped[Project]  # the column, relationship and validator: RoleMembership
    rate: Mapped[float] = mapped_column(default=0.0)

    @validates("rate")
    def _validate_rate(self, key: str, value: Any) -> float:
        return float(check_number("ProjectUser", key, value, minimum=0))


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

    @validates("repository")
    def _validate_repository(self, key: str, value: Any) -> Any:
        from stalker_core.models.repository import Repository

        return check_instance("Project", "repositories", value, Repository, required=True)


class Project(
    Entity, ReferenceMixin, CodeMixin, StatusMixin, DateRangeMixin, RoleMembersMixin
):
    """A project: ``repositories`` (ordered), ``structure``, ``users``, ``tasks``.

    :param name: e.g. ``"Fancy Commercial"``.
    :param code: e.g. ``"FC"`` (used in paths).
    :param status_list: a StatusList for ``Project`` (default: the database's).
    :param repositories: ordered list of :class:`Repository`; the first is ``repository``.
    :param structure: a :class:`Structure`.
    :param image_format: an :class:`ImageFormat`.
    :param fps: frames per second, > 0 (default 25).
    :param users, clients: lists of :class:`User` / :class:`Client`.
    :param start, end: aware datetimes.
    """

    _membership_class = ProjectUser

    __tablename__ = "projects"
    _required: ClassVar[tuple[str, ...]] = ("name", "code")
    id: Mapped[int] = fk_id("simple_entities")
    fps: Mapped[float] = mapped_column(default=25.0)
    is_stereoscopic: Mapped[bool] = mapped_column(default=False)
    #: switched off by hand (Stalker's ``active`` flag); see :attr:`is_active`
    active: Mapped[bool] = mapped_column(default=True)
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
    repositories: AssociationProxy[list[Repository]] = unique_association_proxy(
        "repository_links", "repository", creator=lambda r: ProjectRepository(repository=r)
    )
    user_roles: Mapped[list[ProjectUser]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    users: AssociationProxy[list[User]] = unique_association_proxy(
        "user_roles", "user", creator=lambda u: ProjectUser(user=u)
    )
    clients: Mapped[list[Client]] = relationship(
        secondary=project_clients, back_populates="projects"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="project", foreign_keys="Task.project_id"
    )

    def __init__(self, **kwargs: Any) -> None:
        # the column defaults, on the object at once (Stalker shows them before a flush)
        for key, default in _DEFAULTS.items():
            kwargs.setdefault(key, default.arg)
        super().__init__(**kwargs)

    @validates("fps")
    def _validate_fps(self, key: str, value: Any) -> float:
        return float(check_number("Project", key, value, minimum=0, strict=True))

    @validates("is_stereoscopic", "active")
    def _validate_stereo(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise type_error("Project", key, "a bool", value)
        return value

    @validates("structure")
    def _validate_structure(self, key: str, value: Any) -> Any:
        from stalker_core.models.structure import Structure

        return check_instance("Project", key, value, Structure)

    @validates("image_format")
    def _validate_image_format(self, key: str, value: Any) -> Any:
        from stalker_core.models.image_format import ImageFormat

        return check_instance("Project", key, value, ImageFormat)

    @property
    def repository(self) -> Repository | None:
        """The first repository, or ``None``."""
        links = self.repository_links
        return links[0].repository if links else None


    @property
    def is_active(self) -> bool:
        """``active`` and in work: its status is ``WIP`` (as Stalker 1.1 decides)."""
        status = self.status
        return bool(self.active) and status is not None and status.code == "WIP"

    @property
    def schedule_seconds(self) -> float:
        """The schedule of the root tasks in seconds (each a sum of its children)."""
        return sum(t.schedule_seconds for t in self.root_tasks)

    @property
    def total_logged_seconds(self) -> float:
        """The seconds logged on the project's tasks."""
        return sum(t.total_logged_seconds for t in self.root_tasks)

    @property
    def percent_complete(self) -> float:
        """``total_logged_seconds`` as a percentage of ``schedule_seconds`` (0 without one)."""
        total = self.schedule_seconds
        return 100.0 * self.total_logged_seconds / total if total > 0 else 0.0

    @property
    def root_tasks(self) -> list[Task]:
        """The project's tasks without a parent."""
        return [t for t in self.tasks if getattr(t, "parent", None) is None]

    def create_structure(self) -> list[pathlib.Path]:
        """Create the folders of the project's structure; return the paths (contract C2)."""
        paths: list[pathlib.Path] = service("create_project_structure")(self)
        return paths

    @property
    def to_tjp(self) -> str:
        """The project as a TaskJuggler task tree."""
        return service("to_tjp")(self)


def _check_client(target: Any, key: str, value: Any) -> Any:
    from stalker_core.models.client import Client

    return check_instance("Project", key, value, Client, required=True)


on_append(Project.clients, _check_client)


#: ``fps`` and ``is_stereoscopic`` as declared on the columns (set on new objects at once)
_DEFAULTS: dict[str, ColumnDefault] = {
    key: default
    for key, default in declared_defaults(cast(Table, Project.__table__)).items()
    if key in ("fps", "is_stereoscopic", "active")
}
