"""TimeLog: time a resource spent on a leaf task.

Creating a time log checks, in this order: the types and the range (end after
start), that the task is a leaf, that its dependencies allow work
(:class:`DependencyViolationError`), that its status allows logging
(:class:`StatusError`), and that the resource is not booked elsewhere at the
same time (:class:`OverBookedError`; one query when the task is in a session,
else at flush). It then moves the task RTS/HREV -> WIP and adds the duration
to the task's and its parents' logged time.

Editing a log does the same: a new start or end moves the difference, a new
task takes the seconds from the old task's chain to the new one's after the
constructor's checks on it (leaf, dependencies, status; RTS/HREV -> WIP), and
a new start, end or resource is checked for overbooking at the next flush.

On PostgreSQL an exclusion constraint (``btree_gist``, ``tstzrange``) also
refuses overlapping time logs of one resource, so two concurrent sessions
cannot overbook either.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from sqlalchemy import DDL, ForeignKey, bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship, validates

from stalker_core.exceptions import (
    DependencyViolationError,
    OverBookedError,
    ValidationError,
    type_error,
)
from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import DateRangeMixin, check_date_range
from stalker_core.models.types import ensure_aware

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task
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

    def __init__(self, **kwargs: Any) -> None:
        from stalker_core.models.task import rollup as task_rollup
        from stalker_core.models.task import workflow as task_workflow

        self.complete_range(kwargs)  # any two of start, end and duration
        task: Any = kwargs.get("task")
        resource: Any = kwargs.get("resource")
        start, end = kwargs.get("start"), kwargs.get("end")
        _check_task(task)
        _check_resource(resource)
        start = ensure_aware("TimeLog", "start", start)
        end = ensure_aware("TimeLog", "end", end)
        if start is None or end is None:
            raise ValidationError("TimeLog needs both start and end (aware datetimes)")
        check_date_range("TimeLog", "end", start, end, strict=True)
        session = object_session(task) or object_session(resource)
        _check_can_log(task, start, session, "log time on one of its children")
        with session.no_autoflush if session is not None else nullcontext():
            if session is not None:
                check_overbooking(session, resource, start, end)
            self._flush_checked = session is not None
            self.__dict__["_constructing"] = True
            try:
                super().__init__(**kwargs)
            finally:
                del self.__dict__["_constructing"]
            task_rollup.leaf_changed(
                task, d_logged=(end - start).total_seconds(), keep_schedule=True
            )
            if object_session(task) is not None:
                task_workflow.time_logged(task)

    @validates("task")
    def _validate_task(self, key: str, value: Any) -> Any:
        if value is None and "_constructing" not in self.__dict__:
            # taken out of its task's ``time_logs``: an orphan, deleted at flush
            old = self._stored_task()
            if old is not None:
                _move_logged_time(self, old, None)
            return value
        _check_task(value)
        if "_constructing" not in self.__dict__:
            old = self._stored_task()
            if old is not value:
                _check_can_take(value, self)
                _move_logged_time(self, old, value)
        return value

    @validates("resource")
    def _validate_resource(self, key: str, value: Any) -> Any:
        _check_resource(value)
        if "_constructing" not in self.__dict__:
            self._recheck_booking()
        return value

    @validates("start", "end")
    def _validate_range(self, key: str, value: Any) -> dt.datetime | None:
        value = ensure_aware("TimeLog", key, value)
        start = value if key == "start" else self.start
        end = value if key == "end" else self.end
        check_date_range("TimeLog", key, start, end, strict=True)
        if "_constructing" in self.__dict__:
            return value  # the constructor adds the whole duration once
        old_start, old_end = self.start, self.end
        if (
            old_start is not None
            and old_end is not None
            and start is not None
            and end is not None
        ):
            task = self._stored_task()
            if task is not None:
                from stalker_core.models.task import rollup as task_rollup

                old = (old_end - old_start).total_seconds()
                task_rollup.leaf_changed(
                    task, d_logged=(end - start).total_seconds() - old, keep_schedule=True
                )
        self._recheck_booking()
        return value

    def _stored_task(self) -> Task | None:
        """The task this log is on now (loaded when the log is stored and it is not yet)."""
        task = self.__dict__.get("task")
        if task is not None or "task" in self.__dict__:
            return task
        if sa_inspect(self).key is None:
            return None
        session = object_session(self)
        with session.no_autoflush if session is not None else nullcontext():
            return self.task

    def _recheck_booking(self) -> None:
        """A booking edited after construction: checked for overbooking at the next flush."""
        if sa_inspect(self).key is None:
            self._flush_checked = False  # a new log: checked again with the new ones
            return
        session = object_session(self)
        if session is not None:
            session.info.setdefault(_EDITED_KEY, set()).add(self)

    @property
    def seconds(self) -> float:
        """The logged duration in seconds."""
        if self.start is None or self.end is None:
            return 0.0
        return (self.end - self.start).total_seconds()


def _check_task(task: Any) -> None:
    from stalker_core.models.task.model import Task

    if not isinstance(task, Task):
        raise type_error("TimeLog", "task", "a Task (a leaf task)", task)


def _check_resource(resource: Any) -> None:
    from stalker_core.models.user import User

    if not isinstance(resource, User):
        raise type_error("TimeLog", "resource", "a User", resource)


#: stored time logs whose start, end or resource changed since the last flush
_EDITED_KEY = "stalker_core.time_logs_edited"


def _check_can_take(task: Task, log: TimeLog) -> None:
    """The checks the constructor runs on its task, for a log moved to ``task``."""
    session = object_session(task) or object_session(log)
    _check_can_log(task, log.start, session, "move the time log to one of its children")


def _check_can_log(task: Task, start: Any, session: Any, hint: str) -> None:
    """May time starting at ``start`` be logged on ``task``? (``hint``: what to do instead
    when it is a container)

    :raises ValidationError: ``task`` is a container.
    :raises DependencyViolationError: its dependencies do not allow work yet.
    :raises StatusError: its status does not allow logging time.
    """
    from stalker_core.models.task import workflow as task_workflow

    if task.child_count:
        raise ValidationError(
            f"TimeLog.task should be a leaf task; {task.name!r} is a container ({hint})"
        )
    with session.no_autoflush if session is not None else nullcontext():
        if start is not None:
            check_dependencies_allow(task, start)
        task_workflow.check_action(task, "log time")


def _move_logged_time(log: TimeLog, old: Task | None, new: Task | None) -> None:
    """``log`` moves from ``old`` to ``new``: its seconds leave one chain and join the other.

    ``new`` moves RTS/HREV -> WIP, as a new time log moves its task.
    """
    from stalker_core.models.task import rollup as task_rollup
    from stalker_core.models.task import workflow as task_workflow

    seconds = log.seconds
    session = object_session(log) or (object_session(new) if new is not None else None)
    with session.no_autoflush if session is not None else nullcontext():
        if old is not None and seconds:
            task_rollup.leaf_changed(old, d_logged=-seconds, keep_schedule=True)
        if new is not None:
            if seconds:
                task_rollup.leaf_changed(new, d_logged=seconds, keep_schedule=True)
            if object_session(new) is not None:
                task_workflow.time_logged(new)


def check_dependencies_allow(task: Task, start: dt.datetime) -> None:
    """Refuse work on ``task`` before its dependencies (own and inherited) allow it.

    :raises DependencyViolationError: a dependency is not finished (``onend``) or
        not started (``onstart``), or the log starts before the dependency's
        last logged work ends.
    """
    from stalker_core.models.task import status as task_status

    for dep_ref, target, code in task_status.chain_dependencies(task):
        if code is None:  # a dependency without a status yet: the one it will get
            code = task_status.initial_code(task_status.dependency_task(task, dep_ref))
        if not task_status.satisfied(code, target):
            dep = task_status.dependency_task(task, dep_ref)
            need = "finished (CMPL or STOP)" if target == "onend" else "started"
            raise DependencyViolationError(
                f"cannot log time on {task.name!r}: it depends on {dep.name!r} "
                f"({code}), which must be {need} first"
            )
        if target == "onend":
            dep = task_status.dependency_task(task, dep_ref)
            last = _last_logged_end(dep)
            if last is not None and start < last:
                raise DependencyViolationError(
                    f"cannot log time on {task.name!r} starting {start.isoformat()}: "
                    f"its dependency {dep.name!r} has work logged until {last.isoformat()}"
                )
    return None


def _last_logged_end(task: Task) -> dt.datetime | None:
    ends = [tl.end for leaf in _leaves(task) for tl in leaf.time_logs if tl.end is not None]
    return max(ends) if ends else None


def _leaves(task: Task) -> list[Task]:
    from stalker_core.models.task.status import leaves

    return list(leaves(task))


def check_overbooking(
    session: Session,
    resource: User,
    start: dt.datetime,
    end: dt.datetime,
    exclude: TimeLog | None = None,
) -> None:
    """Refuse a booking of ``resource`` that overlaps another time log.

    :raises OverBookedError: naming the clashing task and time range.
    """
    for other in list(session.new):
        if (
            isinstance(other, TimeLog)
            and other is not exclude
            and other.resource is resource
            and other.start is not None
            and other.end is not None
            and other.start < end
            and other.end > start
        ):
            raise _overbooked(resource, start, end, other)
    if resource.id is None:
        return
    # ids first: loading the (rare) clash as an object costs more than the probe
    params = {
        "resource_id": resource.id, "start": start, "end": end,
        "exclude_id": exclude.id if exclude is not None and exclude.id is not None else -1,
    }
    connection = session.connection(bind_arguments={"mapper": sa_inspect(TimeLog)})
    clash_id = connection.execute(_clash_statement(), params).scalar()
    with session.no_autoflush:
        clash = session.get(TimeLog, clash_id) if clash_id is not None else None
    if clash is not None and clash not in session.deleted:
        raise _overbooked(resource, start, end, clash)


_CLASH: list[Any] = []  # built once per process


def _clash_statement() -> Any:
    """The first time log of ``:resource_id`` overlapping ``:start``-``:end``, other than
    ``:exclude_id``."""
    if not _CLASH:
        tl = TimeLog.__table__
        _CLASH.append(
            select(tl.c.id)
            .where(
                tl.c.resource_id == bindparam("resource_id"),
                tl.c.start < bindparam("end", type_=tl.c.start.type),
                tl.c.end > bindparam("start", type_=tl.c.end.type),
                tl.c.id != bindparam("exclude_id"),
            )
            .limit(1)
        )
    return _CLASH[0]


def _overbooked(resource: User, start: dt.datetime, end: dt.datetime, other: TimeLog) -> Exception:
    name = other.task.name if other.task is not None else "?"
    return OverBookedError(
        f"{resource.name!r} is already booked on {name!r} from {_iso(other.start)} "
        f"to {_iso(other.end)}; the new time log {start.isoformat()} - "
        f"{end.isoformat()} overlaps it"
    )


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value is not None else "?"


def check_at_flush(session: Session) -> None:
    """Flush step: what a new time log could not do at construction, and deletions.

    A time log made while its task was in no session is checked for
    overbooking now and moves its task RTS/HREV -> WIP; a deleted time log
    takes its duration off its (surviving) task's logged time.

    :raises OverBookedError: naming the clashing task and time range.
    """
    from stalker_core.models.task import rollup as task_rollup
    from stalker_core.models.task import status as task_status
    from stalker_core.models.task import workflow as task_workflow

    for obj in list(session.new):
        if isinstance(obj, TimeLog) and obj.task is not None:
            if object_session(obj.task) is session and not getattr(obj, "_flush_checked", False):
                obj._flush_checked = True
                res, start, end = obj.resource, obj.start, obj.end
                if res is not None and res.id is not None and start and end:
                    check_overbooking(session, res, start, end, exclude=obj)
                code = task_status.code_of(obj.task)
                if code in ("RTS", "HREV"):
                    task_workflow.time_logged(obj.task)
    edited: set[TimeLog] = session.info.pop(_EDITED_KEY, set())
    for obj in edited:
        if not sa_inspect(obj).persistent or object_session(obj) is not session:
            continue  # deleted, or gone with a rolled-back transaction
        res, start, end = obj.resource, obj.start, obj.end
        if res is not None and start is not None and end is not None:
            check_overbooking(session, res, start, end, exclude=obj)
    for obj in list(session.deleted):
        if isinstance(obj, TimeLog) and obj.task is not None and obj.task not in session.deleted:
            task_rollup.leaf_changed(obj.task, d_logged=-obj.seconds, keep_schedule=True)

# PostgreSQL: no two time logs of one resource may overlap, even across sessions.
event.listen(
    TimeLog.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
event.listen(
    TimeLog.__table__,
    "after_create",
    DDL(
        "ALTER TABLE time_logs ADD CONSTRAINT time_logs_no_overbooking "
        "EXCLUDE USING gist (resource_id WITH =, tstzrange(start, \"end\", '[)') WITH &&)"
    ).execute_if(dialect="postgresql"),
)
