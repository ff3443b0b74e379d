"""Roll-ups of tasks: schedule, logged and completed seconds kept as cached sums.

Every task stores three cached numbers (seconds):

* ``schedule_seconds_cache`` - a leaf's own schedule converted with the work
  calendar; a container's sum over its children;
* ``total_logged_seconds_cache`` - a leaf's time logs; a container's sum;
* ``completed_seconds_cache`` - a leaf's finished part (its whole schedule when
  CMPL/STOP, else ``min(logged, schedule)``); a container's sum.

A change on a leaf computes the leaf's new numbers and adds the *differences*
to each ancestor, walking ``parent`` only: nothing loads a container's
children, and the ancestors missing from the session are loaded with one
statement (:func:`load_ancestors`), so the cost of a change grows with the
depth of the leaf, not with the size of the project. :func:`recompute_rollups`
rebuilds all caches of a project with a few aggregate queries (repair,
verification).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, bindparam, func, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.util import identity_key

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
    st = override if override is not None else task.status
    if st is None:
        return None
    return st if isinstance(st, str) else st.code


#: the deepest hierarchy walked (a guard against a cycle in corrupt data)
MAX_DEPTH = 10_000


def load_ancestors(task: Any, *, dependencies: bool = False) -> list[Any]:
    """The parents of ``task``, nearest first, with one statement for those not loaded yet.

    Walking ``task.parent`` upwards lazy-loads one parent per statement. Here
    the stored part of the chain that is not in the session yet comes in one
    statement (a recursive CTE over ``parent_id``; plus one SELECT per Task
    subclass in the chain, e.g. a Shot's own table), so a change on a leaf
    costs a number of statements that does not grow with its depth. Parents
    set in memory (not flushed yet) are followed as they are.

    :param dependencies: also load the dependency collections of ``task`` and
        its parents that are not loaded yet (one more statement, see
        :func:`load_dependencies`).
    """
    chain: list[Any] = []
    session = object_session(task)
    node = task
    loaded: list[Any] = []  # held: the session keeps loaded objects weakly
    while len(chain) < MAX_DEPTH:
        parent = _cached_parent(session, node)
        if parent is _MISSING:
            loaded = _load_chain(session, node.parent_id)
            parent = node.parent  # from the session now
        if parent is None:
            break
        chain.append(parent)
        node = parent
    if dependencies and session is not None:
        load_dependencies(session, [task, *chain])
    del loaded
    return chain


_MISSING: Any = object()


def _cached_parent(session: Session | None, node: Any) -> Any:
    """``node``'s parent when it needs no statement, else :data:`_MISSING`."""
    d = node.__dict__
    if "parent" in d:
        return d["parent"]
    if instance_state(node).key is None:
        return None  # a new object holds its parent in memory, or has none
    if session is None:
        return node.parent
    parent_id = d.get("parent_id") if "parent_id" in d else node.parent_id
    if parent_id is None:
        return None
    found = session.identity_map.get(identity_key(mapped_class("Task"), parent_id))
    if found is None:
        return _MISSING
    # kept on the child, as a lazy load would: the chain stays in the session
    set_committed_value(node, "parent", found)
    return found


#: statements built once per process (building one costs more than running it)
_STATEMENTS: dict[str, Any] = {}


def _chain_ids() -> Any:
    """A recursive CTE of the ids of the task ``:chain_start`` and of every task above it."""
    tasks = mapped_class("Task").__table__
    up = (
        select(tasks.c.id, tasks.c.parent_id)
        .where(tasks.c.id == bindparam("chain_start"))
        .cte("ancestors", recursive=True)
    )
    return up.union_all(
        select(tasks.c.id, tasks.c.parent_id).join(up, tasks.c.id == up.c.parent_id)
    )


def _statement(name: str) -> Any:
    """The statement ``name`` ("load chain", "add to chain"), built on first use."""
    stmt = _STATEMENTS.get(name)
    if stmt is not None:
        return stmt
    task_cls = mapped_class("Task")
    tasks = task_cls.__table__
    up = _chain_ids()
    if name == "load chain":
        stmt = select(task_cls).where(task_cls.id.in_(select(up.c.id)))
    else:
        stmt = (
            update(tasks)
            .where(tasks.c.id.in_(select(up.c.id)))
            .values({
                key: func.coalesce(tasks.c[key], 0.0) + bindparam(f"d_{key}", type_=Float)
                for key in CACHE_KEYS
            })
            .returning(tasks.c.id, *(tasks.c[key] for key in CACHE_KEYS))
        )
    _STATEMENTS[name] = stmt
    return stmt


def _load_chain(session: Any, start_id: int) -> list[Any]:
    """Load the task ``start_id`` and every task above it in one statement."""
    with session.no_autoflush:
        return list(session.scalars(_statement("load chain"), {"chain_start": start_id}))


#: the dependency collections of a task: (attribute, the TaskDependency column naming the task)
_DEPENDENCY_SIDES = (("task_depends_on", "task_id"), ("task_dependent_of", "depends_on_id"))


def load_dependencies(session: Session, tasks: list[Any]) -> None:
    """Load the dependency collections of the stored ``tasks`` that lack them, in one query.

    Both ``task_depends_on`` (what a task waits for: the checks walk the
    parents' too) and ``task_dependent_of`` (who waits for it: they react
    when its status changes) are loaded.
    """
    todo: dict[str, dict[int, Any]] = {attr: {} for attr, _ in _DEPENDENCY_SIDES}
    for t in tasks:
        if instance_state(t).key is None:
            continue
        for attr, _ in _DEPENDENCY_SIDES:
            if attr not in t.__dict__:
                todo[attr][t.id] = t
    if not any(todo.values()):
        return
    dep_cls = mapped_class("TaskDependency")
    found: dict[str, dict[int, list[Any]]] = {
        attr: {tid: [] for tid in ids} for attr, ids in todo.items()
    }
    criteria = [
        getattr(dep_cls, column).in_(list(todo[attr]))
        for attr, column in _DEPENDENCY_SIDES
        if todo[attr]
    ]
    with session.no_autoflush:
        for td in session.scalars(select(dep_cls).where(or_(*criteria))):
            for attr, column in _DEPENDENCY_SIDES:
                owner = found[attr].get(getattr(td, column))
                if owner is not None:
                    owner.append(td)
    for attr, by_id in found.items():
        for tid, deps in by_id.items():
            set_committed_value(todo[attr][tid], attr, deps)


# --- the sums, pushed up ---------------------------------------------------------

_MOVED_KEY = "stalker_core.hierarchy_moved"
#: the cached sums of a task, in the order of the differences pushed up
CACHE_KEYS = ("schedule_seconds_cache", "total_logged_seconds_cache", "completed_seconds_cache")


def note_move(session: Session) -> None:
    """A stored task moved to another parent: until the next flush the stored
    hierarchy is not the one in memory (see :func:`propagate`)."""
    session.info[_MOVED_KEY] = True


def forget_moves(session: Session) -> None:
    """The flush wrote the moves (or the transaction ended): the database is in step."""
    session.info.pop(_MOVED_KEY, None)


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
            session.expire(obj, list(CACHE_KEYS))


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
    state = sa_inspect(task)
    if state.key is None or state.deleted or session.info.get(_MOVED_KEY):
        return False
    attrs = state.attrs
    if attrs.parent_id.history.has_changes() or attrs.parent.history.has_changes():
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
    for row in connection.execute(_statement("add to chain"), params).all():
        obj = session.identity_map.get(identity_key(task_cls, row[0]))
        if obj is None:
            continue
        obj_attrs = sa_inspect(obj).attrs
        for key, stored, delta in zip(CACHE_KEYS, row[1:], deltas, strict=True):
            if key not in obj.__dict__:
                continue  # not loaded: read from the database when used
            if obj_attrs[key].history.has_changes():
                # an unflushed sum is written whole by the flush: it takes the difference too
                setattr(obj, key, _num(obj.__dict__[key]) + delta)
            else:
                set_committed_value(obj, key, stored)
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
