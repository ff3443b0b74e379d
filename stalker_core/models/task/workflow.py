"""The status actions of leaf tasks: review, revision, approval, hold, stop, resume.

=============== ===================================== ===========================
action          allowed in                            result
=============== ===================================== ===========================
time log        RTS, WIP, HREV, DREV                  RTS/HREV -> WIP
request_review  WIP                                   PREV, one review each
approve         PREV (all reviews of the set)         CMPL, schedule = logged
request_revision PREV, CMPL                           HREV, schedule extended
hold            RTS, WIP, HREV, DREV                  OH
stop            RTS, WIP, HREV, DREV, OH              STOP, schedule = logged
resume          OH, STOP                              WIP (RTS/WFD if no log)
=============== ===================================== ===========================

Anything else raises :class:`StatusError` naming the current status and the
allowed ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stalker_core.exceptions import StatusError, ValidationError, value_error
from stalker_core.models.base import mapped_class
from stalker_core.models.task import status as task_status
from stalker_core.models.task.rollup import calendar_for
from stalker_core.models.task.validation import validate_timing
from stalker_core.units import UNITS

if TYPE_CHECKING:
    from stalker_core.models.review import Review
    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User

#: allowed statuses per action
ALLOWED: dict[str, tuple[str, ...]] = {
    "log time": ("RTS", "WIP", "HREV", "DREV"),
    "request review": ("WIP",),
    "approve": ("PREV",),
    "request revision": ("PREV", "CMPL"),
    "hold": ("RTS", "WIP", "HREV", "DREV"),
    "stop": ("RTS", "WIP", "HREV", "DREV", "OH"),
    "resume": ("OH", "STOP"),
}


def check_action(task: Task, action: str) -> str:
    """Return ``task``'s status code when ``action`` is allowed, else raise StatusError."""
    if task.child_count:
        raise StatusError(
            f"cannot {action} on {task.name!r}: it is a container task; its status "
            f"follows its children (act on a leaf task)"
        )
    code = task_status.code_of(task) or task_status.initial_code(task)
    allowed = ALLOWED[action]
    if code not in allowed:
        raise StatusError(
            f"cannot {action} on task {task.name!r}: its status is {code}; "
            f"{action} is allowed only in {', '.join(allowed)}"
        )
    return code


def clamp_schedule_to_logged(task: Task) -> None:
    """Set the schedule to the time logged so far (kept in the task's unit)."""
    cal = calendar_for(task)
    per_unit = cal.unit_seconds(task.schedule_unit, task.schedule_model)
    task.schedule_timing = round(task.total_logged_seconds / per_unit, 6)


def extend_schedule(task: Task, timing: float, unit: str) -> None:
    """Grow the schedule to ``max(schedule, logged) + timing unit``."""
    cal = calendar_for(task)
    extra = cal.to_seconds(timing, unit, task.schedule_model)
    base = max(task.schedule_seconds, task.total_logged_seconds)
    per_unit = cal.unit_seconds(task.schedule_unit, task.schedule_model)
    task.schedule_timing = round((base + extra) / per_unit, 6)


def time_logged(task: Task) -> None:
    """A time log was added to ``task``: RTS/HREV -> WIP."""
    code = check_action(task, "log time")
    if code in ("RTS", "HREV"):
        task_status.set_status(task, "WIP")


def request_review(task: Task) -> list[Review]:
    """WIP -> PREV and one Review per responsible (a new review set)."""
    check_action(task, "request review")
    reviewers = task.inherited_responsible
    if not reviewers:
        raise ValidationError(
            f"task {task.name!r} has no responsible (nor has any parent); set "
            "task.responsible = [user, ...] before requesting a review"
        )
    number = next_review_number(task)
    review_cls = mapped_class("Review")
    reviews: list[Review] = [
        review_cls(task=task, reviewer=u, review_number=number) for u in reviewers
    ]
    task_status.set_status(task, "PREV")
    return reviews


def next_review_number(task: Task) -> int:
    """The number of the next review set of ``task``."""
    return max((r.review_number or 0 for r in task.reviews), default=0) + 1


def current_reviews(task: Task) -> list[Review]:
    """The reviews of the latest review set."""
    if not task.reviews:
        return []
    last = max(r.review_number or 0 for r in task.reviews)
    return [r for r in task.reviews if r.review_number == last]


def _pending(task: Task, reviewer: User | None) -> list[Review]:
    pending = [r for r in current_reviews(task) if r.decision == "pending"]
    if reviewer is not None:
        pending = [r for r in pending if r.reviewer is reviewer]
        if not pending:
            waiting = [
                repr(r.reviewer.name)
                for r in current_reviews(task)
                if r.reviewer is not None and r.decision == "pending"
            ]
            raise StatusError(
                f"{reviewer.name!r} has no pending review on task {task.name!r}; pending "
                f"reviewers: {', '.join(waiting) or 'none'}"
            )
    return pending


def approve(task: Task, reviewer: User | None = None) -> list[Review]:
    """Approve ``reviewer``'s pending review (all pending ones when None)."""
    check_action(task, "approve")
    done = _pending(task, reviewer)
    for r in done:
        r.decision = "approved"
    finalize_reviews(task)
    return done


def request_revision(
    task: Task,
    reviewer: User | None = None,
    schedule_timing: float = 0.0,
    schedule_unit: str = "h",
    description: str = "",
) -> Review:
    """Ask for a revision: in PREV through ``reviewer``'s review; in CMPL a new review."""
    _check_extension(schedule_timing, schedule_unit)
    code = check_action(task, "request revision")
    if code == "PREV":
        pending = _pending(task, reviewer)
        review = pending[0]
    else:
        review = mapped_class("Review")(
            task=task, reviewer=reviewer, review_number=next_review_number(task)
        )
    review.decision = "revision"
    review.schedule_timing = float(schedule_timing)
    review.schedule_unit = schedule_unit
    if description:
        review.description = description
    if code == "CMPL":
        _apply_revisions(task, [review])
    else:
        finalize_reviews(task)
    return review


def _check_extension(timing: float, unit: str) -> None:
    validate_timing("Review", "schedule_timing", timing)
    if unit not in UNITS:
        raise value_error("Review", "schedule_unit", f"one of {', '.join(UNITS)}", unit)


def finalize_reviews(task: Task) -> None:
    """When every review of the set is decided: all approved -> CMPL, else HREV."""
    reviews = current_reviews(task)
    if not reviews or any(r.decision == "pending" for r in reviews):
        return
    revisions = [r for r in reviews if r.decision == "revision"]
    if revisions:
        _apply_revisions(task, revisions)
    else:
        clamp_schedule_to_logged(task)
        task_status.set_status(task, "CMPL")


def _apply_revisions(task: Task, revisions: list[Review]) -> None:
    cal = calendar_for(task)
    extra = sum(
        cal.to_seconds(r.schedule_timing or 0.0, r.schedule_unit or "h", task.schedule_model)
        for r in revisions
    )
    per_unit = cal.unit_seconds(task.schedule_unit, task.schedule_model)
    extend_schedule(task, extra / per_unit, task.schedule_unit)
    task_status.set_status(task, "HREV")


def hold(task: Task) -> None:
    """-> OH."""
    check_action(task, "hold")
    task_status.set_status(task, "OH")


def stop(task: Task) -> None:
    """-> STOP; the task counts as finished with what was logged."""
    check_action(task, "stop")
    clamp_schedule_to_logged(task)
    task_status.set_status(task, "STOP")


def resume(task: Task) -> None:
    """OH/STOP -> WIP, or RTS/WFD when nothing was logged yet; with its dependencies
    not done again (one was sent back for revision meanwhile), DREV rather than WIP,
    as Stalker re-reads them."""
    check_action(task, "resume")
    ready = task_status.initial_code(task)  # RTS: every dependency allows work
    if task.total_logged_seconds > 0:
        task_status.set_status(task, "WIP" if ready == "RTS" else "DREV")
    else:
        task_status.set_status(task, ready)
