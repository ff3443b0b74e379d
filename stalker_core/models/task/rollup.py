"""Roll-ups of tasks: schedule, logged and completed seconds kept as cached sums.

Every task stores three cached numbers (seconds):

* ``schedule_seconds_cache`` - a leaf's own schedule converted with the work
  calendar; a container's sum over its children;
* ``total_logged_seconds_cache`` - a leaf's time logs; a container's sum;
* ``completed_seconds_cache`` - a leaf's finished part (its whole schedule when
  CMPL/STOP, else ``min(logged, schedule)``); a container's sum.

A change on a leaf computes the leaf's new numbers and adds the *differences*
to each ancestor, walking ``parent`` only: nothing loads a container's
children; the stored ancestors get the differences with one UPDATE (none is
loaded), or, when the stored hierarchy is not the one in memory, those
missing from the session are loaded with one statement
(:func:`~stalker_core.models.task.ancestry.load_ancestors`): the cost of a
change does not grow with the size of the project. A move adds to the
stored child count and sums of the old and new parents and above in the
database too (:func:`_add_and_count_in_database`), so a session holding
those parents since an earlier commit writes back nothing stale; a leaf's
own sums are still written whole from the session's values.
:func:`recompute_rollups`
rebuilds all caches of a project with a few aggregate queries (repair,
verification).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, bindparam, case, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from stalker_core.models.base import mapped_class
from stalker_core.models.task.ancestry import (
    in_chain,
    load_ancestors,
    remember_chain,
    stored_hierarchy_current,
    stored_task_columns,
)
from stalker_core.models.task.status_lookup import DONE, code_of
from stalker_core.orm.statements import statement
from stalker_core.units import DEFAULT_CALENDAR, WorkCalendar

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.project import Project
    from stalker_core.models.task.model import Task

_CALENDAR_KEY = "stalker_core.work_calendar"
#: the statuses in which a leaf's whole schedule counts as completed
DONE_CODES = DONE


def calendar_for(task: Any) -> WorkCalendar:
    """The work calendar of ``task``'s session's studio, else :data:`DEFAULT_CALENDAR`.

    The studio is looked up once per session transaction (cached in ``session.info``).
    """
    session = object_session(task)
    if session is None:
        return DEFAULT_CALENDAR
    return session_calendar(session)


def session_calendar(session: Session) -> WorkCalendar:
    """The studio's :class:`WorkCalendar` for ``session`` (cached per transaction)."""
    cal = session.info.get(_CALENDAR_KEY)
    if cal is not None:
        return cal  # type: ignore[no-any-return]
    cal = DEFAULT_CALENDAR
    from stalker_core.models.studio import stored_work_calendar

    with session.no_autoflush:
        found = stored_work_calendar(session)
    if isinstance(found, WorkCalendar):
        cal = found
    session.info[_CALENDAR_KEY] = cal
    return cal


def forget_calendar(session: Session) -> None:
    """Drop the cached calendar of ``session`` (after commit/rollback)."""
    session.info.pop(_CALENDAR_KEY, None)


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def own_schedule_seconds(task: Task, **override: Any) -> float:
    """A leaf's schedule in seconds from its timing, unit and model (``override`` wins)."""
    timing = override.get("schedule_timing", task.schedule_timing)
    unit = override.get("schedule_unit", task.schedule_unit)
    model = override.get("schedule_model", task.schedule_model)
    if timing is None or unit is None or model is None:
        return 0.0
    return calendar_for(task).to_seconds(timing, unit, model)


def status_code(task: Any, override: Any = None) -> str | None:
    """The status code of ``task`` (``override`` is a Status or code to use instead)."""
    if override is None:
        return code_of(task)
    return override if isinstance(override, str) else override.code  # type: ignore[no-any-return]


# --- the sums, pushed up ---------------------------------------------------------

#: the cached sums of a task, in the order of the differences pushed up
CACHE_KEYS = ("schedule_seconds_cache", "total_logged_seconds_cache", "completed_seconds_cache")


_PUSHED_KEY = "stalker_core.sums_pushed"


def forget_pushed(session: Session, *, rolled_back: bool) -> None:
    """The transaction (or a savepoint) ended: forget the parents given sums from the database.

    :param rolled_back: their sums were rolled back with it; the stored values
        they were given (:func:`_add_in_database`) are expired, to be read
        again. SQLAlchemy expires only the objects changed in a rolled-back
        savepoint, and these were not changed, only given new stored values.
    """
    pushed: set[Any] = session.info.pop(_PUSHED_KEY, set())
    if not rolled_back:
        return
    for obj in pushed:
        state = sa_inspect(obj)
        if state.session_id == session.hash_key and not state.deleted and not state.detached:
            session.expire(obj, [*CACHE_KEYS, "child_count"])


def _add_to_chain_statement(dialect: str) -> Any:
    tasks = mapped_class("Task").__table__
    return (
        in_chain(update(tasks), tasks.c.id, dialect)
        .values({
            key: func.coalesce(tasks.c[key], 0.0) + bindparam(f"d_{key}", type_=Float)
            for key in CACHE_KEYS
        })
        .returning(tasks.c.id, *(tasks.c[key] for key in CACHE_KEYS), *stored_task_columns())
    )


def _add_in_database(session: Session, task: Any, deltas: tuple[float, float, float]) -> bool:
    """Add ``deltas`` to the cached sums of ``task``'s stored parents with one UPDATE.

    ``UPDATE tasks SET <sum> = <sum> + :delta ... WHERE id IN (<the parents, a
    recursive CTE>) RETURNING ...``: no parent is loaded, none is flushed, and
    the statement is one whatever the depth; two sessions adding to the same
    parent do not lose each other's time either (the addition happens in the
    database). The parents that are in the session take the new sums as
    their stored values (a parent with an unflushed sum of its own keeps it,
    plus the difference, for its flush to write).

    :returns: ``False`` when the stored hierarchy may not be the one in memory
        (a new task, a move not flushed yet, a database without UPDATE ...
        RETURNING): the caller walks the parents in memory instead.
    """
    if not stored_hierarchy_current(session, task):
        return False
    task_cls = mapped_class("Task")
    connection = session.connection(bind_arguments={"mapper": sa_inspect(task_cls)})
    if not connection.dialect.update_returning:
        return False
    parent_id = task.parent_id
    if parent_id is None:
        return True
    params = {f"d_{key}": delta for key, delta in zip(CACHE_KEYS, deltas, strict=True)}
    params["chain_start"] = parent_id
    rows = connection.execute(
        statement("add to chain", _add_to_chain_statement, connection.dialect.name), params
    ).all()
    # the rows of the chain, as a status change of the task reads them next
    sums = 1 + len(CACHE_KEYS)
    remember_chain(session, [row[sums:] for row in rows])
    for row in rows:
        obj = session.identity_map.get(identity_key(task_cls, row[0]))
        if obj is not None and _take_stored_sums(obj, row[1:sums], deltas):
            session.info.setdefault(_PUSHED_KEY, set()).add(obj)
    return True


def _take_stored_sums(obj: Task, stored_sums: Any, deltas: tuple[float, ...]) -> bool:
    """Give the loaded sums of ``obj`` the values an UPDATE ... RETURNING stored.

    A sum changed in memory and not flushed yet is written whole by the flush:
    it takes the difference instead. Returns whether a stored value was taken.
    """
    obj_attrs = sa_inspect(obj).attrs
    took = False
    for key, stored, delta in zip(CACHE_KEYS, stored_sums, deltas, strict=True):
        if key not in obj.__dict__:
            continue  # not loaded: read from the database when used
        if obj_attrs[key].history.has_changes():
            setattr(obj, key, _num(obj.__dict__[key]) + delta)
        else:
            set_committed_value(obj, key, stored)
            took = True
    return took


def _add_and_count_statement(dialect: str) -> Any:
    tasks = mapped_class("Task").__table__
    values: dict[str, Any] = {
        key: func.coalesce(tasks.c[key], 0.0) + bindparam(f"d_{key}", type_=Float)
        for key in CACHE_KEYS
    }
    values["child_count"] = func.coalesce(tasks.c.child_count, 0) + case(
        (tasks.c.id == bindparam("count_id"), bindparam("d_count")), else_=0
    )
    return (
        in_chain(update(tasks), tasks.c.id, dialect)
        .values(values)
        .returning(tasks.c.id, *(tasks.c[key] for key in CACHE_KEYS), tasks.c.child_count)
    )


def _add_and_count_in_database(
    session: Session | None, start: Any, deltas: tuple[float, float, float], d_count: int
) -> bool:
    """Add ``deltas`` to the sums of ``start`` and of every task above it, and ``d_count``
    to ``start``'s child count, in the database (one UPDATE ... RETURNING).

    A task moving in or out of ``start`` changes them so: the additions happen
    in the database, so a session holding ``start`` since an earlier commit
    (``expire_on_commit=False``) does not write back a count or sums another
    session changed since. The tasks of the chain in the session take the
    returned values as their stored ones (an unflushed sum takes the
    difference, as in :func:`_add_in_database`).

    :returns: ``False`` when it cannot be done in the database (``start`` or its
        stored parents not the ones in memory, ``start``'s count changed and not
        flushed, no UPDATE ... RETURNING): the caller changes the objects instead.
    """
    if session is None or not stored_hierarchy_current(session, start):
        return False
    if sa_inspect(start).attrs.child_count.history.has_changes():
        return False
    task_cls = mapped_class("Task")
    connection = session.connection(bind_arguments={"mapper": sa_inspect(task_cls)})
    if not connection.dialect.update_returning:
        return False
    params: dict[str, Any] = {
        f"d_{key}": delta for key, delta in zip(CACHE_KEYS, deltas, strict=True)
    }
    params.update(chain_start=start.id, count_id=start.id, d_count=d_count)
    rows = connection.execute(
        statement("add to chain and count", _add_and_count_statement, connection.dialect.name),
        params,
    ).all()
    sums = 1 + len(CACHE_KEYS)
    for row in rows:
        obj = session.identity_map.get(identity_key(task_cls, row[0]))
        if obj is None:
            continue
        _take_stored_sums(obj, row[1:sums], deltas)
        if obj is start or "child_count" in obj.__dict__:
            if not sa_inspect(obj).attrs.child_count.history.has_changes():
                set_committed_value(obj, "child_count", row[sums])
        session.info.setdefault(_PUSHED_KEY, set()).add(obj)
    return True


def propagate(task: Task, d_sched: float, d_logged: float, d_done: float) -> None:
    """Add the differences to every ancestor of ``task`` (parents only; no children loaded)."""
    if not (d_sched or d_logged or d_done):
        return
    session = object_session(task)
    if session is not None and _add_in_database(session, task, (d_sched, d_logged, d_done)):
        return
    with session.no_autoflush if session is not None else nullcontext():
        for parent in load_ancestors(task):
            parent.schedule_seconds_cache = _num(parent.schedule_seconds_cache) + d_sched
            parent.total_logged_seconds_cache = (
                _num(parent.total_logged_seconds_cache) + d_logged
            )
            parent.completed_seconds_cache = _num(parent.completed_seconds_cache) + d_done


def leaf_changed(
    task: Task, *, d_logged: float = 0.0, keep_schedule: bool = False, **override: Any
) -> None:
    """Recompute a leaf's caches after a change and push the differences up.

    :param d_logged: seconds of time logs added (negative: removed).
    :param keep_schedule: the change touches none of the schedule's inputs (time
        logged, a status moving to or from done): the stored schedule in seconds
        stands, and the studio's calendar is not read for it.
    :param override: attribute values about to be set (``schedule_timing``,
        ``schedule_unit``, ``schedule_model``, ``status``), since validators and
        events run before the new value lands on the object.
    """
    if task.child_count:
        return
    cached_s = task.schedule_seconds_cache
    old_s = _num(cached_s)
    old_l = _num(task.total_logged_seconds_cache)
    old_c = _num(task.completed_seconds_cache)
    if keep_schedule and cached_s is not None:
        new_s = old_s
    else:
        new_s = own_schedule_seconds(task, **override)
    new_l = old_l + d_logged
    code = status_code(task, override.get("status"))
    new_c = new_s if code in DONE_CODES else min(new_l, new_s)
    task.schedule_seconds_cache = new_s
    task.total_logged_seconds_cache = new_l
    task.completed_seconds_cache = new_c
    propagate(task, new_s - old_s, new_l - old_l, new_c - old_c)


def detach_from_parent(task: Task, parent: Task) -> None:
    """``task`` leaves ``parent``: remove its numbers from ``parent`` and above.

    The count and the sums change in the database when they can
    (:func:`_add_and_count_in_database`), else on the objects.
    """
    s = _num(task.schedule_seconds_cache)
    lg = _num(task.total_logged_seconds_cache)
    c = _num(task.completed_seconds_cache)
    session = object_session(parent) if sa_inspect(task).key is not None else None
    if not _add_and_count_in_database(session, parent, (-s, -lg, -c), -1):
        parent.child_count = max(0, (parent.child_count or 0) - 1)
        _add_chain(parent, -s, -lg, -c)
    if not parent.child_count:
        # back to a leaf: its own schedule and its own time logs count again
        parent.schedule_seconds_cache = 0.0
        parent.total_logged_seconds_cache = 0.0
        parent.completed_seconds_cache = 0.0
        leaf_changed(parent, d_logged=own_logged_seconds(parent))


def own_logged_seconds(task: Task) -> float:
    """The seconds of ``task``'s own time logs (loads its ``time_logs`` when not loaded:
    one SELECT, on the rare change that makes a container a leaf again)."""
    session = object_session(task)
    if session is None and "time_logs" not in task.__dict__:
        return 0.0
    with session.no_autoflush if session is not None else nullcontext():
        return sum(tl.seconds for tl in task.time_logs)


def attach_to_parent(task: Task, parent: Task) -> None:
    """``task`` joins ``parent``: a leaf parent drops its own numbers first.

    The count and the sums change in the database when they can
    (:func:`_add_and_count_in_database`): the stored count then tells whether
    ``parent`` was a leaf, whatever this session last read.
    """
    kid = (
        _num(task.schedule_seconds_cache),
        _num(task.total_logged_seconds_cache),
        _num(task.completed_seconds_cache),
    )
    # a new task joining (a task being made) changes the objects: no statement per task
    session = object_session(parent) if sa_inspect(task).key is not None else None
    if _add_and_count_in_database(session, parent, kid, 1):
        if parent.child_count == 1:  # it was a leaf: its own numbers leave it and above
            own = [_num(getattr(parent, k)) - d for k, d in zip(CACHE_KEYS, kid, strict=True)]
            _add_and_count_in_database(session, parent, (-own[0], -own[1], -own[2]), 0)
        return
    if not parent.child_count:
        s = _num(parent.schedule_seconds_cache)
        lg = _num(parent.total_logged_seconds_cache)
        c = _num(parent.completed_seconds_cache)
        parent.schedule_seconds_cache = 0.0
        parent.total_logged_seconds_cache = 0.0
        parent.completed_seconds_cache = 0.0
        propagate(parent, -s, -lg, -c)
    parent.child_count = (parent.child_count or 0) + 1
    _add_chain(parent, *kid)


def _add_chain(start: Task, d_s: float, d_l: float, d_c: float) -> None:
    if not (d_s or d_l or d_c):
        return  # e.g. a new task joining its parent: its sums come with its first leaf_changed
    session = object_session(start)
    with session.no_autoflush if session is not None else nullcontext():
        for node in [start, *load_ancestors(start)]:
            node.schedule_seconds_cache = _num(node.schedule_seconds_cache) + d_s
            node.total_logged_seconds_cache = _num(node.total_logged_seconds_cache) + d_l
            node.completed_seconds_cache = _num(node.completed_seconds_cache) + d_c


def recompute_rollups(session: Session | scoped_session, project: Project) -> int:
    """Rebuild every roll-up cache of ``project`` from the rows (repair/verification).

    Runs a handful of queries whatever the project size, then sets the caches
    bottom-up in memory. Returns the number of tasks visited.

    The cached schedules are in seconds of the studio's working hours at the
    time each task was last changed: after the studio calendar changes
    (a new Studio, other ``daily_working_hours`` or working days), run this
    on each project so that containers agree with their leaves again.
    """
    task_cls = mapped_class("Task")
    tasks = session.scalars(select(task_cls).where(task_cls.project_id == project.id)).all()
    tl, tk = mapped_class("TimeLog").__table__, task_cls.__table__
    logged: dict[int, float | None] = dict(
        session.execute(
            select(tl.c.task_id, func.sum(_duration_seconds_expr(session)))
            .join(tk, tk.c.id == tl.c.task_id)
            .where(tk.c.project_id == project.id)
            .group_by(tl.c.task_id)
        ).all()
    )
    by_parent: dict[int | None, list[Task]] = {}
    for t in tasks:
        by_parent.setdefault(t.parent_id, []).append(t)

    def visit(t: Task) -> tuple[float, float, float]:
        kids = by_parent.get(t.id, [])
        t.child_count = len(kids)
        if kids:
            s = lg = c = 0.0
            for k in kids:
                ks, kl, kc = visit(k)
                s, lg, c = s + ks, lg + kl, c + kc
        else:
            s = own_schedule_seconds(t)
            lg = float(logged.get(t.id) or 0.0)
            c = s if status_code(t) in DONE_CODES else min(lg, s)
        t.schedule_seconds_cache, t.total_logged_seconds_cache, t.completed_seconds_cache = s, lg, c
        return s, lg, c

    for root in by_parent.get(None, []):
        visit(root)
    ids = {t.id for t in tasks}
    for pid, kids in by_parent.items():
        if pid is not None and pid not in ids:  # parent in another project
            for k in kids:
                visit(k)
    return len(tasks)


def _duration_seconds_expr(session: Session | scoped_session) -> Any:
    tl = mapped_class("TimeLog").__table__
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return func.extract("epoch", tl.c.end - tl.c.start)
    return (func.julianday(tl.c.end) - func.julianday(tl.c.start)) * 86400.0
