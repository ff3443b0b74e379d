"""Task statuses: setting a status, and what moves with it.

Leaf tasks move through WFD, RTS, WIP, PREV, HREV, DREV, OH, STOP and CMPL
(the actions are in :mod:`stalker_core.models.task.workflow`).
:func:`set_status` sets a status, then moves the dependents (a dependency
finishing: WFD->RTS, DREV->HREV; reopening: RTS->WFD, WIP/PREV/HREV/CMPL->DREV)
and re-derives the parent container (:func:`parent_changed`).

The pieces it uses are in their own modules and re-exported here (this module
was their home): the codes and lookups (:func:`get_status`,
:func:`status_for`, :func:`code_of`, ...) in
:mod:`~stalker_core.models.task.status_lookup`; whether dependencies allow
work (:func:`initial_code`, :func:`satisfied`, ...) in
:mod:`~stalker_core.models.task.readiness`; a container's status from its
children's (:func:`derive_code`, ...) in
:mod:`~stalker_core.models.task.derive`. The flush step giving new tasks
their first status is :func:`~stalker_core.models.task.settle.settle_statuses`.

A change reads no more than it needs: the dependencies of a task and of its
parents come as rows, who waits for a task as rows (only the tasks that move
are loaded), and a stored parent that is not in the session is not loaded:
its stored status and its children's rows give its new status, written to
its row (:func:`_stored_parent_after`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from stalker_core.models.base import mapped_class
from stalker_core.models.task.ancestry import (
    dependency_rows_pending,
    stored_chain,
    stored_hierarchy_current,
    stored_waiting,
    write_stored_status,
)

# re-exported: this module was their home
from stalker_core.models.task.derive import (  # noqa: F401
    child_codes,
    derive_after_change,
    derive_code,
    effective_code,
    stored_child_codes,
)
from stalker_core.models.task.readiness import (  # noqa: F401
    chain_dependencies,
    deleted_in,
    dependency_task,
    deps_satisfied,
    initial_code,
    leaves,
    own_dependencies,
    satisfied,
)
from stalker_core.models.task.status_lookup import (  # noqa: F401
    DONE,
    NOT_STARTED,
    OTHER_STATUSES,
    TASK_STATUSES,
    code_for_id,
    code_of,
    forget_statuses,
    get_status,
    list_holds,
    session_of,
    status_by_id,
    status_for,
    stored_status_id,
)

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task

_QUEUE_KEY = "stalker_core.status_queue"
_BULK_KEY = "stalker_core.status_bulk"
_SETTING_KEY = "stalker_core.status_setting"


# --- containers ---------------------------------------------------------------


def refresh_container(
    task: Task,
    change: tuple[str | None, str] | None = None,
    *,
    leaving: Task | None = None,
    joining: Task | None = None,
) -> None:
    """Re-derive ``task``'s status from its children's.

    :param change: ``(old, new)`` codes of the one child that changed, when
        known: the status then often follows from ``task``'s own status
        (:func:`derive_after_change`) without reading the other children.
    :param leaving, joining: a child being moved out of or into ``task`` right
        now (its ``parent`` is not set yet: a validator runs first).
    """
    if not task.child_count:
        return
    code = None
    current = code_of(task)
    if change is not None:
        session = object_session(task)
        # a queued container may be stale: its children's changes are not in its status yet
        if session is None or task not in session.info.get(_QUEUE_KEY, ()):
            code = derive_after_change(current, *change, only_child=task.child_count == 1)
    if code is None:
        code = derive_code(child_codes(task, leaving=leaving, joining=joining))
    if code is not None and code != current:
        set_status(task, code)


def _queue(session: Session) -> set[Task]:
    q: set[Task] | None = session.info.get(_QUEUE_KEY)
    if q is None:
        q = session.info[_QUEUE_KEY] = set()
    return q


def queued_containers(session: Session) -> set[Task]:
    """The containers to re-derive at the next flush (the set itself, to add to or empty)."""
    return _queue(session)


def forget_queue(session: Session) -> None:
    """Drop the containers queued for the next flush (the transaction rolled back)."""
    session.info.pop(_QUEUE_KEY, None)


@contextmanager
def deferred(session: Session, on: bool = True) -> Iterator[None]:
    """While inside, parents are queued (:func:`parent_changed`) instead of re-derived,
    and no dependent reacts to :func:`set_status` (the flush step's mode);
    ``on=False`` lifts that inside such a block."""
    before = session.info.get(_BULK_KEY)
    session.info[_BULK_KEY] = on
    try:
        yield
    finally:
        if before is None:
            session.info.pop(_BULK_KEY, None)
        else:
            session.info[_BULK_KEY] = before


def queue_refresh(session: Session, container: Task) -> None:
    """Re-derive ``container``'s status at the next flush."""
    _queue(session).add(container)


def parent_changed(
    parent: Task | None,
    change: tuple[str | None, str] | None = None,
    *,
    leaving: Task | None = None,
    joining: Task | None = None,
) -> None:
    """A child of ``parent`` changed: re-derive its status now (inside the flush
    step: once per container, after all children settled).

    :param change: ``(old, new)`` status codes of the child, when only its
        status changed (see :func:`refresh_container`).
    :param leaving, joining: the child is being moved out of or into ``parent``.
    """
    if parent is None:
        return
    session = object_session(parent)
    if session is None:
        return  # the flush step derives new containers
    if session.info.get(_BULK_KEY) or sa_inspect(parent).key is None:
        # inside the flush step, or a new container: derived once, at flush
        _queue(session).add(parent)
        return
    with session.no_autoflush:
        refresh_container(parent, change, leaving=leaving, joining=joining)


# --- setting a status ---------------------------------------------------------


def set_status(task: Task, code: str) -> None:
    """Set ``task``'s status to ``code``; move dependents and the parent accordingly."""
    session = session_of(task)
    with session.no_autoflush:  # one flush at the end, not one per lazy load
        old = code_of(task)
        setting: set[Task] = session.info.setdefault(_SETTING_KEY, set())
        setting.add(task)
        try:
            task.status = status_for(session, task, code)
        finally:
            setting.discard(task)
        if old == code:
            return
        if old is not None and not session.info.get(_BULK_KEY):
            dependents_react(task, old, code)
        _parent_after(session, task, (old, code))


def _parent_after(session: Session, task: Task, change: tuple[str | None, str]) -> None:
    """Re-derive the parent of ``task`` after its status changed (``change``: old, new codes).

    A stored parent that is not in the session is not loaded: its stored
    status and child count (and, when those do not tell, its children's
    stored statuses) give its new status, which is written to its row
    (:func:`_stored_parent_after`).
    """
    if (
        "parent" in task.__dict__
        or session.info.get(_BULK_KEY)
        or not stored_hierarchy_current(session, task)
    ):
        parent_changed(task.parent, change)
        return
    _stored_parent_after(session, task.parent_id, change)


def _stored_parent_after(
    session: Session, parent_id: int | None, change: tuple[str | None, str]
) -> None:
    """:func:`_parent_after` for the stored parent ``parent_id``, and up while statuses change.

    Each parent missing from the session takes its new status with an UPDATE
    of its row (nothing in the session holds it, so nothing in memory goes
    stale; its dependents react as usual). A parent in the session, one whose
    status list must be read to allow the status, or any while dependency rows
    are pending in the session, goes the usual way (loaded, :func:`set_status`).
    """
    task_cls = mapped_class("Task")
    chain = None
    while parent_id is not None:
        if session.identity_map.get(identity_key(task_cls, parent_id)) is not None:
            parent_changed(session.get(task_cls, parent_id), change)
            return
        if chain is None:
            chain = stored_chain(session, parent_id)  # read once: only this loop writes them
        row = chain.get(parent_id)
        if row is None or not row.child_count:
            return
        current = code_for_id(session, row.status_id)
        code = derive_after_change(current, *change, only_child=row.child_count == 1)
        if code is None:
            code = derive_code(stored_child_codes(session, parent_id, None))
        if code is None or code == current:
            return
        status_id = stored_status_id(session, code)
        if (
            status_id is None
            or not list_holds(session, row.status_list_id, status_id)
            or dependency_rows_pending(session)
        ):
            # the usual way: its status list is read, its pending dependents seen
            parent = session.get(task_cls, parent_id)
            if parent is not None:
                set_status(parent, code)
            return
        write_stored_status(session, parent_id, status_id)
        if row.waited_for and current is not None and not _moves_nothing(current, code):
            _react(_stored_waiting(session, parent_id, current, code), current, code)
        parent_id, change = row.parent_id, (current, code)


def is_being_set(session: Session, task: Task) -> bool:
    """True while :func:`set_status` assigns ``task``'s status (it handles the parent itself)."""
    return task in session.info.get(_SETTING_KEY, ())


def dependents_react(task: Task, old: str, new: str) -> None:
    """``task`` moved from ``old`` to ``new``: the leaves waiting for it move (see
    :func:`reevaluate`); nothing is loaded when no dependency can change."""
    if _moves_nothing(old, new):
        return
    session = object_session(task)
    if (
        session is None
        or "task_dependent_of" in task.__dict__
        or sa_inspect(task).key is None
        or dependency_rows_pending(session)
    ):
        waiting = [(td.dependency_target, td.task) for td in list(task.task_dependent_of)]
    else:
        waiting = _stored_waiting(session, task.id, old, new)
    _react(waiting, old, new)


def _moves_nothing(old: str, new: str) -> bool:
    return all(satisfied(old, t) == satisfied(new, t) for t in ("onend", "onstart"))


def _stored_waiting(session: Session, task_id: int, old: str, new: str) -> list[tuple[Any, Any]]:
    """``(target, task)`` of the stored dependencies on ``task_id`` that a move from
    ``old`` to ``new`` concerns: only those tasks are loaded (one statement reads the rows)."""
    task_cls = mapped_class("Task")
    found = []
    for waiting_id, target in stored_waiting(session, task_id):
        target = target or "onend"
        if satisfied(old, target) != satisfied(new, target):
            found.append((target, session.get(task_cls, waiting_id)))
    return found


def _react(waiting: list[tuple[Any, Any]], old: str, new: str) -> None:
    """The tasks of ``waiting`` (``(target, task)``) wait for a task that moved from
    ``old`` to ``new``: their leaves move when the target says so."""
    for target, task in waiting:
        target = target or "onend"
        was, now = satisfied(old, target), satisfied(new, target)
        if was == now or task is None:
            continue
        for leaf in list(leaves(task)):
            reevaluate(leaf, reopened=was and not now)


def reevaluate(task: Task, *, reopened: bool = False) -> None:
    """Move a leaf after its dependencies changed (see module docstring)."""
    code = code_of(task)
    if code is None:
        return
    if deps_satisfied(task):
        if code == "WFD":
            set_status(task, "RTS")
        elif code == "DREV":
            set_status(task, "HREV")
    elif code == "RTS":
        set_status(task, "WFD")
    elif reopened and code in {"WIP", "PREV", "HREV", "CMPL"}:
        set_status(task, "DREV")


def dependencies_changed(task: Task, without: Collection[Any] = ()) -> None:
    """``task``'s dependencies were edited: RTS<->WFD for the leaves below it.

    ``without``: dependency rows being removed (still in the collection while
    its remove event runs).
    """
    if object_session(task) is None:
        return
    session = object_session(task)
    for leaf in list(leaves(task)):
        code = code_of(leaf)
        if code in NOT_STARTED:
            want = initial_code(leaf, without)
            if want == code:
                continue
            if sa_inspect(leaf).key is None and session is not None:
                # a new leaf: nothing stored waits for it, its parent is derived at flush
                leaf.status = status_for(session, leaf, want)
                if leaf.parent is not None:
                    _queue(session).add(leaf.parent)
            else:
                set_status(leaf, want)


def dependency_added(task: Task, depends_on: Task, target: str = "onend") -> None:
    """``task`` got the dependency ``depends_on``: its Ready To Start leaves wait (WFD) now.

    A dependency that already allows work (``target`` satisfied) changes
    nothing; a task outside any session gets its status at flush.
    """
    session = object_session(task)
    if session is None or satisfied(code_of(depends_on), target):
        return
    with session.no_autoflush:
        for leaf in list(leaves(task)):
            if code_of(leaf) == "RTS":
                set_status(leaf, "WFD")


def dependency_retargeted(dependency: Any, target: str) -> None:
    """``dependency``'s ``dependency_target`` becomes ``target``: RTS<->WFD for the leaves
    of the waiting task (called before the new target lands on the row object).

    The other dependencies of the chain are read from the objects (the row
    being edited left out), the edited one with its new target.
    """
    task, depends_on = dependency.task, dependency.depends_on
    session = object_session(task) if task is not None else None
    if session is None or depends_on is None:
        return
    with session.no_autoflush:
        allows = satisfied(code_of(depends_on), target)
        for leaf in list(leaves(task)):
            code = code_of(leaf)
            if code not in NOT_STARTED:
                continue
            want = "RTS" if allows and deps_satisfied(leaf, (dependency,)) else "WFD"
            if want == code:
                continue
            if sa_inspect(leaf).key is None:
                leaf.status = status_for(session, leaf, want)
                if leaf.parent is not None:
                    _queue(session).add(leaf.parent)
            else:
                set_status(leaf, want)


def moving(task: Task, new_parent: Task | None) -> None:
    """``task`` is moving under ``new_parent`` (not set yet): RTS <-> WFD for its leaves,
    with the dependencies they inherit from their new parents instead of the old ones.

    The statuses are assigned directly: a not-started leaf moving between
    RTS and WFD moves none of its dependents, and the containers around the
    move are re-derived by the move itself (and at flush).
    """
    session = object_session(task)
    if session is None:
        return
    gone = deleted_in(session)
    with session.no_autoflush:
        above = chain_dependencies(new_parent) if new_parent is not None else []
        above_ok = all(satisfied(code, target) for _dep, target, code in above)
        for leaf in list(leaves(task)):
            code = code_of(leaf)
            if code not in NOT_STARTED:
                continue
            ok = above_ok
            node: Task | None = leaf
            while ok and node is not None:
                ok = all(satisfied(c, target) for _d, target, c in own_dependencies(node, gone))
                node = None if node is task else node.parent
            want = "RTS" if ok else "WFD"
            if want != code:
                leaf.status = status_for(session, leaf, want)
