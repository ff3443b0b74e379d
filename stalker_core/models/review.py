"""Review: a responsible's verdict on a task (approve or request revision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import SimpleEntity, fk_id
from stalker_core.models.mixins import StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.task import Task
    from stalker_core.models.user import User


class Review(SimpleEntity, StatusMixin):
    """Review number ``review_number`` of ``task`` by ``reviewer``."""

    __tablename__ = "reviews"
    id: Mapped[int] = fk_id("simple_entities")
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_number: Mapped[int] = mapped_column(default=1)
    schedule_timing: Mapped[float] = mapped_column(default=0.0)
    schedule_unit: Mapped[str] = mapped_column(String(8), default="h")
    task: Mapped[Task] = relationship(back_populates="reviews", foreign_keys=[task_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
