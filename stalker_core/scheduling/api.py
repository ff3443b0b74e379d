"""``schedule_studio()``: load, schedule, write back, under a lock, all or nothing.

Two schedules of one studio cannot run at once: inside a process a lock per
studio refuses the second; across processes PostgreSQL's transaction-level
advisory lock (keyed on the studio id) does, and on SQLite the database write
lock taken when the studio row is marked ``is_scheduling`` does. The lock
holds until the caller commits or rolls back.

All work happens inside a SAVEPOINT: on any error (bad input, tj3 failing,
a database error) it is rolled back and the database is as it was before.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from stalker_core.exceptions import ConcurrencyError
from stalker_core.scheduling.data import Plan, Problem

log = logging.getLogger(__name__)

ADVISORY_CLASS = 0x5C4E  # first key of the advisory lock: "scheduling"

_local_locks: dict[tuple[str, int], threading.Lock] = {}
_guard = threading.Lock()


class Scheduler(Protocol):
    """What ``schedule_studio`` needs from a scheduler."""

    name: str

    def schedule(self, problem: Problem) -> Plan: ...


@dataclass
class ScheduleResult:
    """What a schedule run did."""

    plan: Plan
    problem: Problem
    message: str
    scheduler: str
    scheduled_by_id: int | None
    started_at: dt.datetime
    finished_at: dt.datetime
    load_seconds: float = 0.0
    schedule_seconds: float = 0.0
    write_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def makespan(self) -> dt.timedelta:
        """The plan's makespan."""
        return self.plan.makespan

    @property
    def total_seconds(self) -> float:
        """Load + schedule + write back."""
        return self.load_seconds + self.schedule_seconds + self.write_seconds


def set_studio_duration(studio: Any, duration: dt.timedelta, *, now: dt.datetime | None = None
                        ) -> None:
    """Set ``studio.end = studio.start + duration`` (``start`` defaults to now, rounded up to
    the studio's timing resolution). What a settable ``Studio.duration`` does."""
    from stalker_core.exceptions import type_error
    from stalker_core.models.types import utc_now
    from stalker_core.scheduling.calendar import align_up

    if not isinstance(duration, dt.timedelta):
        raise type_error("Studio", "duration", "a datetime.timedelta", duration)
    if studio.start is None:
        res = int(getattr(studio, "timing_resolution_seconds", None) or 3600)
        studio.start = align_up(now or utc_now(), res)
    studio.end = studio.start + duration


def _local_lock(session: Any, studio_id: int) -> threading.Lock:
    bind = session.get_bind()
    key = (str(bind.url), studio_id)
    with _guard:
        lock = _local_locks.get(key)
        if lock is None:
            lock = _local_locks[key] = threading.Lock()
    return lock


def _busy_error(studio: Any) -> ConcurrencyError:
    who = getattr(getattr(studio, "is_scheduling_by", None), "name", None)
    since = getattr(studio, "scheduling_started_at", None)
    extra = f" by {who!r}" if who else ""
    extra += f" since {since:%Y-%m-%d %H:%M}" if since else ""
    return ConcurrencyError(
        f"studio {studio.name!r} is already being scheduled{extra}; wait for that run to "
        "finish (and be committed), then try again"
    )


def schedule_studio(
    studio: Any,
    *,
    scheduled_by: Any = None,
    projects: Iterable[Any] | None = None,
    scheduler: Any = None,
    session: Any = None,
    now: dt.datetime | None = None,
    check: bool = False,
    progress: Any = None,
) -> ScheduleResult:
    """Schedule the studio's projects and store the computed dates and resources.

    :param scheduled_by: the User who runs it (recorded on the studio).
    :param projects: only these projects (objects or ids); default every project.
    :param scheduler: a scheduler object; ``None`` = :class:`NativeScheduler`.
    :param session: default: the studio's session, else ``DBSession``.
    :param now: nothing new is planned before it (default: the current time).
    :param check: also run :func:`~stalker_core.scheduling.validate.validate_plan` and
        refuse an invalid plan.
    :param progress: ``progress(stage: str, done: int, total: int)`` callback.
    :raises ConcurrencyError: when the studio is already being scheduled.
    :raises SchedulingError: bad input or a failing scheduler; the database is unchanged.
    """
    from sqlalchemy import select, text
    from sqlalchemy.exc import OperationalError

    from stalker_core.models.types import utc_now
    from stalker_core.scheduling.loader import _session_of, load_problem, write_plan
    from stalker_core.scheduling.native import NativeScheduler, no_gc

    session = _session_of(studio, session)
    if session is not None and studio not in session:
        session.add(studio)
    session.flush()
    if scheduler is None:
        scheduler = NativeScheduler()
    if progress is not None and isinstance(scheduler, NativeScheduler) and (
            scheduler.progress is None):
        scheduler.progress = lambda d, t: progress("schedule", d, t)
    lock = _local_lock(session, studio.id)
    if not lock.acquire(blocking=False):
        raise _busy_error(studio)
    try:
        if session.get_bind().dialect.name == "postgresql":
            got = session.execute(
                text("SELECT pg_try_advisory_xact_lock(:a, :b)"),
                {"a": ADVISORY_CLASS, "b": int(studio.id)},
            ).scalar()
            if not got:
                raise _busy_error(studio)
        else:
            from stalker_core.models import Studio

            # take the write lock now (SQLite serialises writers across processes)
            flag = session.execute(
                select(Studio.is_scheduling).where(Studio.id == studio.id)
            ).scalar()
            if flag:
                raise _busy_error(studio)
        started = utc_now()
        before = (studio.is_scheduling, studio.is_scheduling_by, studio.scheduling_started_at)
        studio.is_scheduling = True
        studio.is_scheduling_by = scheduled_by
        studio.scheduling_started_at = started
        try:
            session.flush()
        except OperationalError as exc:  # SQLite: another process holds the write lock
            if "locked" in str(exc).lower():
                session.rollback()
                raise _busy_error(studio) from exc
            raise
        nested = session.begin_nested()
        try:
            with no_gc():
                t0 = time.perf_counter()
                if progress is not None:
                    progress("load", 0, 1)
                problem = load_problem(studio, session=session, projects=projects, now=now)
                t1 = time.perf_counter()
                if progress is not None:
                    progress("load", 1, 1)
                plan = scheduler.schedule(problem)
                t2 = time.perf_counter()
                if check:
                    from stalker_core.scheduling.validate import validate_plan

                    validate_plan(problem, plan).raise_if_invalid()
                if progress is not None:
                    progress("write", 0, 1)
                count = write_plan(session, problem, plan)
                finished = utc_now()
                days = plan.makespan.total_seconds() / 86400
                message = (
                    f"scheduled {count} tasks of {len(problem.projects)} project(s) with "
                    f"{getattr(scheduler, 'name', type(scheduler).__name__)} in "
                    f"{time.perf_counter() - t0:.2f} s; plan ends "
                    f"{plan.end:%Y-%m-%d %H:%M} ({days:.1f} days)" if plan.end else
                    f"scheduled {count} tasks; nothing to plan"
                )
                if plan.warnings:
                    message += (f"; {len(plan.warnings)} warning(s): "
                                + " | ".join(plan.warnings[:5]))
                studio.is_scheduling = False
                studio.is_scheduling_by = None
                studio.scheduling_started_at = None
                studio.last_scheduled_at = finished
                studio.last_scheduled_by = scheduled_by
                studio.last_schedule_message = message
                session.flush()
                nested.commit()
                t3 = time.perf_counter()
                if progress is not None:
                    progress("write", 1, 1)
        except BaseException:
            nested.rollback()
            studio.is_scheduling, studio.is_scheduling_by, studio.scheduling_started_at = before
            session.flush()
            raise
    finally:
        lock.release()
    for w in plan.warnings:
        log.warning("%s", w)
    return ScheduleResult(
        plan=plan, problem=problem, message=message,
        scheduler=getattr(scheduler, "name", type(scheduler).__name__),
        scheduled_by_id=getattr(scheduled_by, "id", None), started_at=started,
        finished_at=finished, load_seconds=t1 - t0, schedule_seconds=t2 - t1,
        write_seconds=t3 - t2, warnings=list(plan.warnings),
    )
