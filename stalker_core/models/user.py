"""User: a person who logs in, works on tasks and belongs to departments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Entity, fk_id

if TYPE_CHECKING:
    from stalker_core.models.auth_log import AuthenticationLog
    from stalker_core.models.client import Client, ClientUser
    from stalker_core.models.department import Department, DepartmentUser
    from stalker_core.models.group import Group
    from stalker_core.models.project import Project, ProjectUser
    from stalker_core.models.task import Task
    from stalker_core.models.time_log import TimeLog
    from stalker_core.models.vacation import Vacation


class User(Entity):
    """A studio member. ``login`` and ``email`` are unique."""

    __tablename__ = "users"
    id: Mapped[int] = fk_id("simple_entities")
    login: Mapped[str] = mapped_column(String(256), unique=True)
    email: Mapped[str] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(512), default="")
    efficiency: Mapped[float] = mapped_column(default=1.0)
    rate: Mapped[float] = mapped_column(default=0.0)
    last_login: Mapped[dt.datetime | None] = mapped_column()

    department_roles: Mapped[list[DepartmentUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    departments: AssociationProxy[list[Department]] = association_proxy(
        "department_roles",
        "department",
        creator=lambda d: _department_user(department=d),
    )
    groups: Mapped[list[Group]] = relationship(secondary="group_users", back_populates="users")
    project_roles: Mapped[list[ProjectUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    projects: AssociationProxy[list[Project]] = association_proxy(
        "project_roles", "project", creator=lambda p: _project_user(project=p)
    )
    client_roles: Mapped[list[ClientUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    clients: AssociationProxy[list[Client]] = association_proxy(
        "client_roles", "client", creator=lambda c: _client_user(client=c)
    )
    tasks: Mapped[list[Task]] = relationship(
        secondary="task_resources", back_populates="resources"
    )
    watching: Mapped[list[Task]] = relationship(
        secondary="task_watchers", back_populates="watchers"
    )
    responsible_of: Mapped[list[Task]] = relationship(
        secondary="task_responsible", back_populates="responsible"
    )
    time_logs: Mapped[list[TimeLog]] = relationship(
        back_populates="resource", foreign_keys="TimeLog.resource_id"
    )
    vacations: Mapped[list[Vacation]] = relationship(
        back_populates="user", foreign_keys="Vacation.user_id"
    )
    authentication_logs: Mapped[list[AuthenticationLog]] = relationship(
        back_populates="user", foreign_keys="AuthenticationLog.user_id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<{self.name} ({self.login!r}) (User)>"


def _department_user(**kw: object) -> DepartmentUser:
    from stalker_core.models.department import DepartmentUser

    return DepartmentUser(**kw)


def _project_user(**kw: object) -> ProjectUser:
    from stalker_core.models.project import ProjectUser

    return ProjectUser(**kw)


def _client_user(**kw: object) -> ClientUser:
    from stalker_core.models.client import ClientUser

    return ClientUser(**kw)
