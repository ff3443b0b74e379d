"""TimeLog: time a resource spent on a leaf task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import DateRangeMixin

if TYPE_CHECKING:
    from stalker_core.models.task import Task
    from stalker_core.models.user import User


class TimeLog(Entity, DateRangeMixin):
    """``resource`` worked on ``task`` from ``start`` to ``end``."""

    __tablename__ = "time_logs"
    id: Mapped[int] = fk_id("simple_entities")
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    task: Mapped[Task] = relationship(back_populates="time_logs", foreign_keys=[task_id])
    resource: Mapped[User] = relationship(back_populates="time_logs", foreign_keys=[resource_id])
