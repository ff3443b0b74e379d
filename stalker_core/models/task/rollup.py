"""Roll-ups of tasks: schedule, logged and completed seconds kept as cached sums.

Every task stores three cached numbers (seconds):

* ``schedule_seconds_cache`` - a leaf's own schedule converted with the work
  calendar; a container's sum over its children;
* ``total_logged_seconds_cache`` - a leaf's time logs; a container's sum;
* ``completed_seconds_cache`` - a leaf's finished part (its whole schedule when
  CMPL/STOP, else ``min(logged, schedule)``); a container's sum.

A change on a leaf computes the leaf's new numbers and adds the *differences*
to each ancestor, walking ``parent`` only: nothing loads a container's
children. :func:`recompute_rollups` rebuilds all caches of a project with a
few aggregate queries (repair, verification).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from stalker_core.models.base import mapped_class
from stalker_core.units import DEFAULT_CALENDAR, WorkCalendar

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.project import Project
    from stalker_core.models.task.model import Task

_CALENDAR_KEY = "stalker_core.work_calendar"
DONE_CODES = frozenset({"CMPL", "STOP"})


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
    from stalker_core.models.studio import Studio

    with session.no_autoflush:
        studio = session.scalars(select(Studio).limit(1)).first()
    if studio is not None:
        found = getattr(studio, "work_calendar", None)
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
    st = override if override is not None else task.status
    if st is None:
        return None
    return st if isinstance(st, str) else st.code


def propagate(task: Task, d_sched: float, d_logged: float, d_done: float) -> None:
    """Add the differences to every ancestor of ``task`` (parents only; no children loaded)."""
    if not (d_sched or d_logged or d_done):
        return
    parent = task.parent
    seen = 0
    while parent is not None and seen < 10_000:
        parent.schedule_seconds_cache = _num(parent.schedule_seconds_cache) + d_sched
        parent.total_logged_seconds_cache = _num(parent.total_logged_seconds_cache) + d_logged
        parent.completed_seconds_cache = _num(parent.completed_seconds_cache) + d_done
        parent = parent.parent
        seen += 1


def leaf_changed(task: Task, *, d_logged: float = 0.0, **override: Any) -> None:
    """Recompute a leaf's caches after a change and push the differences up.

    :param d_logged: seconds of time logs added (negative: removed).
    :param override: attribute values about to be set (``schedule_timing``,
        ``schedule_unit``, ``schedule_model``, ``status``), since validators and
        events run before the new value lands on the object.
    """
    if task.child_count:
        return
    old_s = _num(task.schedule_seconds_cache)
    old_l = _num(task.total_logged_seconds_cache)
    old_c = _num(task.completed_seconds_cache)
    new_s = own_schedule_seconds(task, **override)
    new_l = old_l + d_logged
    code = status_code(task, override.get("status"))
    new_c = new_s if code in DONE_CODES else min(new_l, new_s)
    task.schedule_seconds_cache = new_s
    task.total_logged_seconds_cache = new_l
    task.completed_seconds_cache = new_c
    propagate(task, new_s - old_s, new_l - old_l, new_c - old_c)


def detach_from_parent(task: Task, parent: Task) -> None:
    """``task`` leaves ``parent``: remove its numbers from ``parent`` and above."""
    s = _num(task.schedule_seconds_cache)
    lg = _num(task.total_logged_seconds_cache)
    c = _num(task.completed_seconds_cache)
    parent.child_count = max(0, (parent.child_count or 0) - 1)
    _add_chain(parent, -s, -lg, -c)
    if parent.child_count == 0:
        # back to a leaf: its own schedule counts again
        parent.schedule_seconds_cache = 0.0
        parent.total_logged_seconds_cache = 0.0
        parent.completed_seconds_cache = 0.0
        leaf_changed(parent)


def attach_to_parent(task: Task, parent: Task) -> None:
    """``task`` joins ``parent``: a leaf parent drops its own numbers first."""
    if not parent.child_count:
        s = _num(parent.schedule_seconds_cache)
        lg = _num(parent.total_logged_seconds_cache)
        c = _num(parent.completed_seconds_cache)
        parent.schedule_seconds_cache = 0.0
        parent.total_logged_seconds_cache = 0.0
        parent.completed_seconds_cache = 0.0
        propagate(parent, -s, -lg, -c)
    parent.child_count = (parent.child_count or 0) + 1
    _add_chain(
        parent,
        _num(task.schedule_seconds_cache),
        _num(task.total_logged_seconds_cache),
        _num(task.completed_seconds_cache),
    )


def _add_chain(start: Task, d_s: float, d_l: float, d_c: float) -> None:
    node: Task | None = start
    while node is not None:
        node.schedule_seconds_cache = _num(node.schedule_seconds_cache) + d_s
        node.total_logged_seconds_cache = _num(node.total_logged_seconds_cache) + d_l
        node.completed_seconds_cache = _num(node.completed_seconds_cache) + d_c
        node = node.parent


def recompute_rollups(session: Session | scoped_session, project: Project) -> int:
    """Rebuild every roll-up cache of ``project`` from the rows (repair/verification).

    Runs a handful of queries whatever the project size, then sets the caches
    bottom-up in memory. Returns the number of tasks visited.
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
