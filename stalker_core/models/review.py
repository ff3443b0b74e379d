"""Review: a responsible's verdict on a task (approve or request revision).

``task.request_review()`` makes one review per responsible (a *review set*,
sharing ``review_number``). Each reviewer calls :meth:`Review.approve` or
:meth:`Review.request_revision`; when every review of the set is decided the
task becomes CMPL (all approved; its schedule is clamped to the logged time)
or HREV (its schedule extended by the requested revision times).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates

from stalker_core.exceptions import StatusError, type_error, value_error
from stalker_core.models.base import SimpleEntity, fk_id

# Stalker defines dailies next to reviews (``stalker.models.review``)
from stalker_core.models.daily import Daily as Daily
from stalker_core.models.daily import DailyFile as DailyFile
from stalker_core.models.daily import DailyLink as DailyLink
from stalker_core.models.mixins import StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User

#: the decisions a review can carry
DECISIONS: tuple[str, ...] = ("pending", "approved", "revision")
_STATUS_OF = {"pending": "NEW", "approved": "APP", "revision": "RREV"}


class Review(SimpleEntity, StatusMixin):
    """Review number ``review_number`` of ``task`` by ``reviewer``."""

    __tablename__ = "reviews"
    id: Mapped[int] = fk_id("simple_entities")
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_number: Mapped[int] = mapped_column(default=1)
    schedule_timing: Mapped[float] = mapped_column(default=0.0)
    schedule_unit: Mapped[str] = mapped_column(String(8), default="h")
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    task: Mapped[Task] = relationship(back_populates="reviews", foreign_keys=[task_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    def __init__(self, **kwargs: Any) -> None:
        task = kwargs.get("task")
        if task is None:
            raise type_error("Review", "task", "a Task", task)
        kwargs.setdefault("decision", "pending")
        kwargs.setdefault("schedule_timing", 0.0)
        kwargs.setdefault("schedule_unit", "h")
        super().__init__(**kwargs)

    @validates("task")
    def _validate_task(self, key: str, value: Any) -> Any:
        from stalker_core.models.task.model import Task

        if not isinstance(value, Task):
            raise type_error("Review", key, "a Task", value)
        return value

    @validates("reviewer")
    def _validate_reviewer(self, key: str, value: Any) -> Any:
        from stalker_core.models.user import User

        if value is not None and not isinstance(value, User):
            raise type_error("Review", key, "a User or None", value)
        return value

    @validates("decision")
    def _validate_decision(self, key: str, value: Any) -> str:
        if value not in DECISIONS:
            raise value_error("Review", key, f"one of {', '.join(DECISIONS)}", value)
        session = object_session(self)
        if session is not None:  # mirror the decision in the Review status list
            from stalker_core.models.task.status import get_status

            self.status = get_status(session, _STATUS_OF[value])
        return str(value)

    def _check_pending(self, action: str) -> None:
        if self.decision != "pending":
            raise StatusError(
                f"cannot {action} review {self.name!r}: it is already {self.decision}; "
                "only a pending review can be decided"
            )

    def approve(self) -> None:
        """Approve; when it completes the review set the task becomes CMPL."""
        from stalker_core.models.task import workflow as task_workflow

        self._check_pending("approve")
        task_workflow.check_action(self.task, "approve")
        self.decision = "approved"
        task_workflow.finalize_reviews(self.task)

    def request_revision(
        self, schedule_timing: float = 0.0, schedule_unit: str = "h", description: str = ""
    ) -> None:
        """Ask for a revision needing ``schedule_timing`` ``schedule_unit`` more work."""
        from stalker_core.models.task import workflow as task_workflow

        self._check_pending("request a revision on")
        task_workflow._check_extension(schedule_timing, schedule_unit)
        task_workflow.check_action(self.task, "request revision")
        self.decision = "revision"
        self.schedule_timing = float(schedule_timing)
        self.schedule_unit = schedule_unit
        if description:
            self.description = description
        task_workflow.finalize_reviews(self.task)
