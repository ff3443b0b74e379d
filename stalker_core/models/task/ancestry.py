"""The stored hierarchy above a task: its parents and their dependencies, read cheaply.

A change on a leaf reaches its parents (sums, statuses) and reads the
dependencies of the leaf and of every parent (a parent's dependency holds
its children too). Walking ``task.parent`` upwards costs one statement per
parent; here:

* :func:`load_ancestors` loads the parents missing from the session with one
  statement (a recursive CTE over ``parent_id``);
* :func:`stored_dependencies` reads the dependencies of a task and of its
  parents as plain rows, with the status of what they wait for, in one
  statement and without loading any object - when nothing in the session
  makes the stored rows differ from the objects in memory
  (:func:`stored_is_current`);
* :func:`stored_waiting` reads who waits for a task as rows (already read
  when :func:`stored_dependencies` was asked about the task);
* :func:`stored_chain` and :func:`stored_children` read the statuses of
  parents that are not loaded, and their children's.

The statements are built once per process
(:func:`stalker_core.orm.statements.statement`): building one costs more than
running it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    Integer,
    any_,
    bindparam,
    cast,
    event,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.util import identity_key

from stalker_core.models.base import mapped_class
from stalker_core.orm.session import StalkerSession
from stalker_core.orm.statements import statement

#: the deepest hierarchy walked (a guard against a cycle in corrupt data)
MAX_DEPTH = 10_000

_MOVED_KEY = "stalker_core.hierarchy_moved"


def note_move(session: Session) -> None:
    """A stored task moved to another parent: until the next flush the stored
    hierarchy is not the one in memory (see :func:`stored_is_current`)."""
    session.info[_MOVED_KEY] = True
    forget_chain(session)


def forget_moves(session: Session) -> None:
    """The flush wrote the moves (or the transaction ended): the database is in step."""
    session.info.pop(_MOVED_KEY, None)


def stored_hierarchy_current(session: Session, task: Any) -> bool:
    """Is the stored chain of parents of ``task`` the one in memory?

    False for a new or deleted task, a task whose parent changed and was not
    flushed yet, and while any stored task of the session moved (the rows
    above ``task`` may not be the objects' parents then).
    """
    state = instance_state(task)
    if state.key is None or state.deleted or session.info.get(_MOVED_KEY):
        return False
    attrs = state.attrs
    return not (attrs.parent_id.history.has_changes() or attrs.parent.history.has_changes())


def stored_is_current(session: Session, task: Any) -> bool:
    """Do the stored dependencies of ``task`` and its parents equal those in memory?

    Besides :func:`stored_hierarchy_current`: nothing deleted in the session
    and no dependency row added, changed or removed and not flushed yet.
    """
    return stored_hierarchy_current(session, task) and not dependency_rows_pending(session)


_DEPENDENCY_EDITS_KEY = "stalker_core.dependency_edits"


def dependency_rows_pending(session: Session) -> bool:
    """May the stored dependency rows differ from the session's objects?

    True while the session holds a deletion (a task's rows go with it) or a
    dependency row added or changed and not flushed yet (noted by the events
    :func:`install` registers: no scan of the session's objects), and always
    in a session that is not a :class:`~stalker_core.orm.session.StalkerSession`
    (those events are not registered for it).
    """
    if not isinstance(session, StalkerSession):
        return True
    return bool(session.info.get(_DEPENDENCY_EDITS_KEY)) or bool(session.deleted)


def _note_dependency_edit(session: Session | None) -> None:
    if session is not None:
        session.info[_DEPENDENCY_EDITS_KEY] = True


def _dependency_joins(session: Session, instance: Any) -> None:
    if isinstance(instance, mapped_class("TaskDependency")):
        _note_dependency_edit(session)


def _dependency_changed(target: Any, *_args: Any) -> None:
    _note_dependency_edit(object_session(target))


def forget_dependency_edits(session: Session, *_args: Any) -> None:
    """The flush wrote the dependency rows (or the transaction ended): rows = objects."""
    session.info.pop(_DEPENDENCY_EDITS_KEY, None)


def install() -> None:
    """Note a dependency row joining a StalkerSession or changing in one, for
    :func:`dependency_rows_pending`. Idempotent; the flush pipeline's install calls it."""
    listeners: list[tuple[Any, str, Any]] = [
        (StalkerSession, "transient_to_pending", _dependency_joins),
        (StalkerSession, "detached_to_persistent", _dependency_joins),
    ]
    dep_cls = mapped_class("TaskDependency")
    for attr in ("task", "depends_on", "task_id", "depends_on_id", "dependency_target"):
        listeners.append((getattr(dep_cls, attr), "set", _dependency_changed))
    for target, name, fn in listeners:
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)


def chain_ids() -> Any:
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


def in_chain(statement: Any, column: Any, dialect: str) -> Any:
    """``statement`` kept to the rows whose ``column`` is a task of :func:`chain_ids`.

    On PostgreSQL the chain is an array of its (few) ids: with ``IN (the
    chain)`` the planner, which estimates a recursive CTE at a hundred rows,
    hashes the whole table instead (a roll-up's UPDATE at 2,000 tasks: 0.58 ms
    of a 0.83 ms statement; after a bulk load, before statistics: 30 ms at
    100,000 tasks). An array keeps the primary key's index in use.
    """
    up = chain_ids()
    if dialect == "postgresql":
        ids = literal_column(f"ARRAY(SELECT id FROM {up.name})", type_=ARRAY(Integer))
        return statement.where(column == any_(ids)).add_cte(up)
    return statement.where(column.in_(select(up.c.id)))


def _execute(
    session: Session,
    name: str,
    build: Callable[..., Any],
    params: dict[str, Any],
    *,
    per_dialect: bool = False,
) -> Any:
    """Run a Core statement on the session's connection for tasks (no ORM step, no autoflush).

    :param per_dialect: ``build`` takes the dialect's name, and a statement is
        kept per dialect.
    """
    connection = session.connection(
        bind_arguments={"mapper": sa_inspect(mapped_class("Task"))}
    )
    dialect = connection.dialect.name if per_dialect else None
    return connection.execute(statement(name, build, dialect), params)


# --- parents ----------------------------------------------------------------------


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


def _load_chain_statement(dialect: str) -> Any:
    task_cls = mapped_class("Task")
    return in_chain(select(task_cls), task_cls.id, dialect)


def _load_chain(session: Any, start_id: int) -> list[Any]:
    """Load the task ``start_id`` and every task above it in one statement."""
    dialect = session.get_bind(mapper=sa_inspect(mapped_class("Task"))).dialect.name
    with session.no_autoflush:
        return list(
            session.scalars(
                statement("load chain", _load_chain_statement, dialect), {"chain_start": start_id}
            )
        )


class StoredTask(NamedTuple):
    """The stored row of a task, as far as its status and its parent's are concerned."""

    status_id: int | None
    child_count: int
    parent_id: int | None
    status_list_id: int | None
    #: does a stored dependency wait for this task?
    waited_for: bool


def _row_columns(rows: Any) -> tuple[Any, ...]:
    """The columns of ``rows`` (the tasks table, or a CTE of it) a :class:`StoredTask` is
    read from, with the id first (see :func:`remember_chain`)."""
    return (rows.c.id, rows.c.parent_id, rows.c.status_id, rows.c.child_count,
            rows.c.status_list_id)


def waited_for(task_id: Any) -> Any:
    """``True`` when a stored dependency waits for the task ``task_id`` (a column).

    One index probe per row: ``LIMIT 1`` keeps PostgreSQL from hashing the whole
    dependency table for an ``EXISTS`` asked of a handful of rows.
    """
    dep = mapped_class("TaskDependency").__table__
    return (
        select(literal_column("1")).where(dep.c.depends_on_id == task_id).limit(1)
        .scalar_subquery().is_not(None)
    )


def stored_task_columns() -> tuple[Any, ...]:
    """The columns of the tasks table that make a row for :func:`remember_chain`: id,
    parent, status, child count, status list, and whether a dependency waits for it."""
    tasks = mapped_class("Task").__table__
    return (*_row_columns(tasks), waited_for(tasks.c.id))


def _chain_rows_statement() -> Any:
    tasks = mapped_class("Task").__table__
    up = select(*_row_columns(tasks)).where(tasks.c.id == bindparam("chain_start")).cte(
        "chain_rows", recursive=True
    )
    up = up.union_all(select(*_row_columns(tasks)).join(up, tasks.c.id == up.c.parent_id))
    return select(*_row_columns(up), waited_for(up.c.id))


_CHAIN_KEY = "stalker_core.stored_chain_rows"


def remember_chain(session: Session, rows: Any) -> None:
    """Keep stored task rows (made of :func:`stored_task_columns`) for :func:`stored_chain`.

    They stay until the session flushes, commits or rolls back, runs a
    statement other than a SELECT through ``session.execute()``, or a stored
    task moves (:func:`forget_chain`); a status written with
    :func:`write_stored_status` is noted in them. Statements run on the
    session's connection directly (``session.connection().execute(...)``) are
    not seen: after one that changes tasks' statuses, parents or child counts,
    call :func:`forget_chain` (or commit).
    """
    known: dict[int, StoredTask] = session.info.setdefault(_CHAIN_KEY, {})
    for row in rows:
        known[row[0]] = StoredTask(row[2], row[3] or 0, row[1], row[4], bool(row[5]))


def forget_chain(session: Session) -> None:
    """The stored rows may have changed (a flush, the transaction's end, a move).

    The rows of who waits for a task (:func:`stored_waiting`) go with them.
    """
    session.info.pop(_CHAIN_KEY, None)
    session.info.pop(_WAITING_KEY, None)


def _known_chain(session: Session, task_id: int) -> dict[int, StoredTask] | None:
    """The remembered rows of ``task_id`` and of every task above it; None when one lacks."""
    known: dict[int, StoredTask] | None = session.info.get(_CHAIN_KEY)
    if not known:
        return None
    found: dict[int, StoredTask] = {}
    node: int | None = task_id
    while node is not None and len(found) < MAX_DEPTH:
        row = known.get(node)
        if row is None:
            return None
        found[node] = row
        node = row.parent_id
    return found


def stored_chain(session: Session, task_id: int) -> dict[int, StoredTask]:
    """The stored rows of the task ``task_id`` and of every task above it, by id.

    One statement, nothing loaded; none when they were read already since the
    last flush (a roll-up's UPDATE returns them, see :func:`remember_chain`).
    """
    found = _known_chain(session, task_id)
    if found is not None:
        return found
    remember_chain(
        session, _execute(session, "chain rows", _chain_rows_statement, {"chain_start": task_id})
    )
    return _known_chain(session, task_id) or {}


def _status_update_statement() -> Any:
    tasks = mapped_class("Task").__table__
    return (
        tasks.update()
        .where(tasks.c.id == bindparam("task_id"))
        .values(status_id=bindparam("new_status_id"))
    )


_WRITTEN_KEY = "stalker_core.statuses_written"


def write_stored_status(session: Session, task_id: int, status_id: int) -> None:
    """Store ``status_id`` as the status of the task ``task_id``, which is not in the session."""
    _execute(
        session, "status update", _status_update_statement,
        {"task_id": task_id, "new_status_id": status_id},
    )
    session.info.setdefault(_WRITTEN_KEY, set()).add(task_id)
    known: dict[int, StoredTask] | None = session.info.get(_CHAIN_KEY)
    if known is not None and task_id in known:
        known[task_id] = known[task_id]._replace(status_id=status_id)


def forget_written(session: Session, *, rolled_back: bool) -> None:
    """The transaction (or a savepoint) ended: forget the statuses written by
    :func:`write_stored_status`.

    :param rolled_back: they were rolled back: a task loaded since then holds
        the written status, which is expired (read again when used).
        SQLAlchemy expires only the objects changed in a rolled-back savepoint.
    """
    written: set[int] = session.info.pop(_WRITTEN_KEY, set())
    if not rolled_back:
        return
    task_cls = mapped_class("Task")
    for task_id in written:
        obj = session.identity_map.get(identity_key(task_cls, task_id))
        if obj is not None:
            session.expire(obj, ["status_id", "status"])


def _children_statement() -> Any:
    tasks = mapped_class("Task").__table__
    return select(tasks.c.id, tasks.c.status_id).where(tasks.c.parent_id == bindparam("id"))


def stored_children(session: Session, parent_id: int) -> list[tuple[int, int | None]]:
    """``(id, status_id)`` of the stored children of the task ``parent_id``."""
    return [tuple(r) for r in _execute(session, "children", _children_statement, {"id": parent_id})]  # type: ignore[misc]


# --- dependencies -----------------------------------------------------------------

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


def _waiting_rows(parameter: str) -> Any:
    """``(waiting task id, target)`` of the dependencies on the task ``:<parameter>``."""
    dep = mapped_class("TaskDependency").__table__
    return select(dep.c.task_id, dep.c.dependency_target).where(
        dep.c.depends_on_id == bindparam(parameter)
    )


def _waiting_statement() -> Any:
    return _waiting_rows("id")


#: key of ``Session.info``: task id -> the rows of :func:`stored_waiting`, read with
#: :func:`stored_dependencies` and kept as the chain's rows are (:func:`forget_chain`)
_WAITING_KEY = "stalker_core.stored_waiting_rows"


def stored_waiting(session: Session, task_id: int) -> list[tuple[int, str | None]]:
    """``(waiting task id, target)`` of every stored dependency on the task ``task_id``:
    who waits for it, read as rows (one light statement, nothing loaded; none when
    :func:`stored_dependencies` read them since the last flush).

    Only right when no dependency row of the session is pending
    (:func:`dependency_rows_pending`).
    """
    known: dict[int, list[tuple[int, str | None]]] | None = session.info.get(_WAITING_KEY)
    if known is not None and task_id in known:
        return known[task_id]
    return [tuple(r) for r in _execute(session, "waiting", _waiting_statement, {"id": task_id})]  # type: ignore[misc]


#: the marker column of :func:`_stored_dependencies_statement`: 0 for a
#: dependency of the chain, 1 for a task waiting for the chain's start
_WAITS: tuple[Any, Any] = literal_column("0"), literal_column("1")


def _stored_dependencies_statement(dialect: str) -> Any:
    dep = mapped_class("TaskDependency").__table__
    tasks = mapped_class("Task").__table__.alias("waited_for")
    status = select(tasks.c.status_id).where(tasks.c.id == dep.c.depends_on_id).scalar_subquery()
    chain = in_chain(
        select(dep.c.depends_on_id, dep.c.dependency_target, status, _WAITS[0]),
        dep.c.task_id, dialect,
    )
    # who waits for the task itself, in the same round trip (stored_waiting)
    waiting = _waiting_rows("chain_start").add_columns(cast(null(), Integer), _WAITS[1])
    return union_all(chain, waiting)


def stored_dependencies(session: Session, task: Any) -> list[tuple[int, str | None, int | None]]:
    """``(depends_on id, target, its status id)`` of every stored dependency of ``task``
    and of its parents, in one statement, no object loaded.

    Only right when :func:`stored_is_current` holds for ``task``; the status
    of a task in the session may differ from the stored one (the caller
    reads the object's then). The same statement reads who waits for
    ``task``, kept for :func:`stored_waiting`.
    """
    rows = _execute(
        session, "stored dependencies", _stored_dependencies_statement,
        {"chain_start": task.id}, per_dialect=True,
    ).all()
    session.info.setdefault(_WAITING_KEY, {})[task.id] = [
        (r[0], r[1]) for r in rows if r[3]
    ]
    return [(r[0], r[1], r[2]) for r in rows if not r[3]]
