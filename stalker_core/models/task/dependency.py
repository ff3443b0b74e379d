"""TaskDependency: "task depends on depends_on", with target and gap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnDefault, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import type_error, value_error
from stalker_core.models.base import Base, declared_defaults, mapped_class
from stalker_core.models.task.validation import validate_timing
from stalker_core.units import UNITS

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task

#: when the dependent may start: after the dependency ends, or once it started
DEPENDENCY_TARGETS: tuple[str, ...] = ("onend", "onstart")
#: how a gap is counted: working time (length) or calendar time (duration)
GAP_MODELS: tuple[str, ...] = ("length", "duration")
#: what a new dependency holds unless given


class TaskDependency(Base):
    """``task`` may start after ``depends_on`` ends (``onend``) or starts (``onstart``).

    Usually made through ``task.depends_on = [...]``; edit the returned
    objects (``task.task_depends_on``) to set the target and the gap.
    """

    __tablename__ = "task_dependencies"
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    # indexed on its own: the primary key's index serves ``task_id`` lookups
    # only, and "who waits for this task" (task_dependent_of, a status change
    # reaching dependents, the ON DELETE CASCADE) would scan the whole table
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    dependency_target: Mapped[str] = mapped_column(String(16), default="onend")
    gap_timing: Mapped[float] = mapped_column(default=0.0)
    gap_unit: Mapped[str] = mapped_column(String(8), default="h")
    gap_model: Mapped[str] = mapped_column(String(16), default="length")

    task: Mapped[Task] = relationship(back_populates="task_depends_on", foreign_keys=[task_id])
    depends_on: Mapped[Task] = relationship(
        back_populates="task_dependent_of", foreign_keys=[depends_on_id]
    )

    def __init__(self, **kwargs: Any) -> None:
        # the defaults are valid: straight into the new object's state (its
        # INSERT reads them from there), no attribute events per default
        d = self.__dict__
        for key, default in _DEFAULTS.items():
            if key not in kwargs:
                d[key] = default.arg
        d["_constructing"] = True
        try:
            super().__init__(**kwargs)
        finally:
            del d["_constructing"]
        self._linked(d.get("task"), d.get("depends_on"))

    @validates("task", "depends_on")
    def _validate_task(self, key: str, value: Any) -> Any:
        if value is not None and not isinstance(value, mapped_class("Task")):
            raise type_error("TaskDependency", key, "a Task", value)
        if value is not None and "_constructing" not in self.__dict__:
            d = self.__dict__
            if key == "task":
                self._linked(value, d.get("depends_on"))
            else:
                self._linked(d.get("task"), value)
        return value

    def _linked(self, task: Task | None, depends_on: Task | None) -> None:
        """A dependency made directly (not through ``task.depends_on``): statuses move now.

        As in Stalker, a Ready To Start ``task`` waits (WFD) at once, not at
        the next flush. ``task.depends_on`` edits do this themselves
        (:func:`~stalker_core.models.task.graph.set_dependencies`), for all
        their changes at once.
        """
        if task is None or depends_on is None or self.__dict__.get("_in_view_edit"):
            return
        from stalker_core.models.task.status import dependency_added

        dependency_added(task, depends_on, self.dependency_target or "onend")

    @validates("dependency_target")
    def _validate_target(self, key: str, value: Any) -> str:
        if value not in DEPENDENCY_TARGETS:
            raise value_error(
                "TaskDependency", key, f"one of {', '.join(DEPENDENCY_TARGETS)}", value
            )
        d = self.__dict__
        if (
            "_constructing" not in d
            and not d.get("_in_view_edit")
            and value != (self.dependency_target or "onend")
        ):
            # the waiting task's leaves move now (RTS <-> WFD), as for a new dependency
            from stalker_core.models.task.status import dependency_retargeted

            dependency_retargeted(self, str(value))
        return str(value)

    @validates("gap_timing")
    def _validate_gap(self, key: str, value: Any) -> float:
        return validate_timing("TaskDependency", key, value)

    @validates("gap_unit")
    def _validate_gap_unit(self, key: str, value: Any) -> str:
        if value not in UNITS:
            raise value_error("TaskDependency", key, f"one of {', '.join(UNITS)}", value)
        return str(value)

    @validates("gap_model")
    def _validate_gap_model(self, key: str, value: Any) -> str:
        if value not in GAP_MODELS:
            raise value_error("TaskDependency", key, f"one of {', '.join(GAP_MODELS)}", value)
        return str(value)

    def __repr__(self) -> str:
        t = self.task.name if self.task is not None else None
        d = self.depends_on.name if self.depends_on is not None else None
        return f"<TaskDependency {t!r} {self.dependency_target} {d!r}>"


#: the defaults declared on the columns (put straight into new objects' state)
_DEFAULTS: dict[str, ColumnDefault] = declared_defaults(cast(Table, TaskDependency.__table__))
