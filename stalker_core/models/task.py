"""Task: a piece of work with resources, schedule, dependencies and status."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id
from stalker_core.models.mixins import DateRangeMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.review import Review
    from stalker_core.models.task_dependency import TaskDependency
    from stalker_core.models.time_log import TimeLog
    from stalker_core.models.user import User
    from stalker_core.models.version import Version


def _user_link_table(name: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    )


task_resources = _user_link_table("task_resources")
task_alternative_resources = _user_link_table("task_alternative_resources")
task_computed_resources = _user_link_table("task_computed_resources")
task_responsible = _user_link_table("task_responsible")
task_watchers = _user_link_table("task_watchers")


class Task(Entity, StatusMixin, DateRangeMixin):
    """A task; Asset, Shot, Sequence and Scene are tasks too."""

    __tablename__ = "tasks"
    id: Mapped[int] = fk_id("simple_entities")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    priority: Mapped[int] = mapped_column(Integer, default=500)
    schedule_timing: Mapped[float] = mapped_column(default=1.0)
    schedule_unit: Mapped[str] = mapped_column(String(8), default="h")
    schedule_model: Mapped[str] = mapped_column(String(16), default="effort")
    schedule_constraint: Mapped[int] = mapped_column(Integer, default=0)
    bid_timing: Mapped[float] = mapped_column(default=1.0)
    bid_unit: Mapped[str] = mapped_column(String(8), default="h")
    allocation_strategy: Mapped[str] = mapped_column(String(32), default="minallocated")
    persistent_allocation: Mapped[bool] = mapped_column(default=True)
    is_milestone: Mapped[bool] = mapped_column(default=False)
    computed_start: Mapped[dt.datetime | None] = mapped_column()
    computed_end: Mapped[dt.datetime | None] = mapped_column()
    #: roll-up caches maintained by the production model (seconds)
    schedule_seconds_cache: Mapped[float] = mapped_column(default=0.0)
    total_logged_seconds_cache: Mapped[float] = mapped_column(default=0.0)

    project: Mapped[Project] = relationship(back_populates="tasks", foreign_keys=[project_id])
    parent: Mapped[Task | None] = relationship(
        remote_side="Task.id", back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list[Task]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Task.id"
    )
    task_depends_on: Mapped[list[TaskDependency]] = relationship(
        back_populates="task",
        foreign_keys="TaskDependency.task_id",
        cascade="all, delete-orphan",
    )
    task_dependent_of: Mapped[list[TaskDependency]] = relationship(
        back_populates="depends_on",
        foreign_keys="TaskDependency.depends_on_id",
        cascade="all, delete-orphan",
    )
    resources: Mapped[list[User]] = relationship(
        secondary=task_resources, back_populates="tasks"
    )
    alternative_resources: Mapped[list[User]] = relationship(secondary=task_alternative_resources)
    computed_resources: Mapped[list[User]] = relationship(secondary=task_computed_resources)
    responsible: Mapped[list[User]] = relationship(
        secondary=task_responsible, back_populates="responsible_of"
    )
    watchers: Mapped[list[User]] = relationship(
        secondary=task_watchers, back_populates="watching"
    )
    time_logs: Mapped[list[TimeLog]] = relationship(
        back_populates="task", foreign_keys="TimeLog.task_id", cascade="all, delete-orphan"
    )
    versions: Mapped[list[Version]] = relationship(
        back_populates="task",
        foreign_keys="Version.task_id",
        order_by="Version.version_number",
        cascade="all, delete-orphan",
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="task", foreign_keys="Review.task_id", cascade="all, delete-orphan"
    )
