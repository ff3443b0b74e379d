"""TaskDependency: "task depends on depends_on", with target and gap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base

if TYPE_CHECKING:
    from stalker_core.models.task import Task


class TaskDependency(Base):
    """``task`` may start after ``depends_on`` ends (``onend``) or starts (``onstart``)."""

    __tablename__ = "task_dependencies"
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    dependency_target: Mapped[str] = mapped_column(String(16), default="onend")
    gap_timing: Mapped[float] = mapped_column(default=0.0)
    gap_unit: Mapped[str] = mapped_column(String(8), default="h")
    gap_model: Mapped[str] = mapped_column(String(16), default="length")

    task: Mapped[Task] = relationship(back_populates="task_depends_on", foreign_keys=[task_id])
    depends_on: Mapped[Task] = relationship(
        back_populates="task_dependent_of", foreign_keys=[depends_on_id]
    )
