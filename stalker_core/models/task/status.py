"""Task statuses: dependents and container roll-up, and setting a status.

Leaf tasks move through WFD, RTS, WIP, PREV, HREV, DREV, OH, STOP and CMPL
(the actions are in :mod:`stalker_core.models.task.workflow`). This module
holds what every change shares:

* :func:`initial_code` - WFD when a dependency (own or of an ancestor) is not
  satisfied yet, else RTS;
* :func:`set_status` - set a status, then move dependents (a dependency
  finishing: WFD->RTS, DREV->HREV; reopening: RTS->WFD, WIP/PREV/HREV/CMPL->DREV)
  and re-derive the parent container;
* :func:`derive_code` - a container's status from its children's.

The codes and the lookups (:func:`get_status`, :func:`status_for`,
:func:`code_of`, ...) are in :mod:`~stalker_core.models.task.status_lookup`
and re-exported here; the flush step giving new tasks their first status is
:func:`~stalker_core.models.task.settle.settle_statuses`.

A change reads no more than it needs: the dependencies of a task and of its
parents come as plain rows (:func:`chain_dependencies`), who waits for a task
comes with those tasks in one statement, and a stored parent that is not in
the session is loaded only when its status changes (its stored status and
its children's rows tell).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from stalker_core.exceptions import StatusError
from stalker_core.models.base import mapped_class
from stalker_core.models.task.ancestry import (
    dependency_rows_pending,
    load_ancestors,
    stored_chain,
    stored_children,
    stored_dependencies,
    stored_hierarchy_current,
    stored_is_current,
    stored_waiting,
    write_stored_status,
)
from stalker_core.models.task.held import held

# the codes and lookups: re-exported, this module was their home
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


# --- dependencies -----------------------------------------------------------


def satisfied(code: str | None, target: str) -> bool:
    """Does a dependency in status ``code`` allow its dependent to work?

    ``onend``: the dependency is CMPL or STOP. ``onstart``: it has started.
    """
    if code is None:
        return False
    if target == "onstart":
        return code not in NOT_STARTED
    return code in DONE


def _effective_code(task: Task) -> str:
    code = code_of(task)
    if code is not None:
        return code
    if task.child_count:
        return derive_code(_effective_code(c) for c in task.children) or "RTS"
    return initial_code(task)


def chain_dependencies(
    task: Task, without: Collection[Any] = ()
) -> list[tuple[Any, str, str | None]]:
    """``(depends_on, target, code)`` of each dependency of ``task`` and of its ancestors.

    ``depends_on`` is the Task waited for when it is in the session, else its
    id (see :func:`dependency_task`); ``code`` its status code (in-memory
    state first). Dependencies in ``without`` (being removed) and those
    deleted in the task's session do not count.

    When the stored rows equal the objects in memory
    (:func:`~stalker_core.models.task.ancestry.stored_is_current`), one
    statement reads them and nothing is loaded; otherwise the parents and
    their dependency collections are loaded and read.
    """
    session = object_session(task)
    found: list[tuple[Any, str, str | None]] = []
    if session is not None and not without and stored_is_current(session, task):
        task_cls = mapped_class("Task")
        for dep_id, target, status_id in stored_dependencies(session, task):
            obj = session.identity_map.get(identity_key(task_cls, dep_id))
            if obj is not None:
                found.append((obj, target or "onend", code_of(obj)))
            else:
                found.append((dep_id, target or "onend", code_for_id(session, status_id)))
        return found
    gone = _deleted(session)
    for node in [task, *load_ancestors(task, dependencies=True)]:
        for td in held(node, "task_depends_on"):
            if td in gone or any(td is w for w in without):
                continue
            dep = td.depends_on
            if dep is not None:
                found.append((dep, td.dependency_target or "onend", code_of(dep)))
    return found


def dependency_task(task: Task, depends_on: Any) -> Task:
    """The Task of a :func:`chain_dependencies` entry (loaded when it is an id)."""
    if not isinstance(depends_on, int):
        return depends_on  # type: ignore[no-any-return]
    session = session_of(task)
    with session.no_autoflush:
        found = session.get(mapped_class("Task"), depends_on)
    if found is None:
        raise StatusError(
            f"task {task.name!r} depends on the task with id {depends_on}, which is gone "
            "(deleted by another session?); reload the task"
        )
    return found  # type: ignore[no-any-return]


def deps_satisfied(task: Task, without: Collection[Any] = ()) -> bool:
    """Are the dependencies of ``task`` and of all its ancestors satisfied?

    A dependency without a status yet (a new task) has not started, so it
    satisfies nothing. Dependencies in ``without`` (being removed) and those
    deleted in the task's session do not count (see :func:`chain_dependencies`).
    """
    return all(satisfied(code, target) for _dep, target, code in chain_dependencies(task, without))


def initial_code(task: Task, without: Collection[Any] = ()) -> str:
    """WFD when a dependency is not satisfied yet, else RTS (see :func:`deps_satisfied`)."""
    return "RTS" if deps_satisfied(task, without) else "WFD"


def leaves(task: Task) -> Iterator[Task]:
    """``task`` itself when a leaf, else the leaves below it."""
    stack = [task]
    while stack:
        node = stack.pop()
        if node.child_count:
            stack.extend(node.children)
        else:
            yield node


# --- containers ---------------------------------------------------------------


def derive_code(codes: Iterable[str]) -> str | None:
    """A container's status from its children's: WFD, RTS, CMPL or WIP."""
    found = set(codes)
    if not found:
        return None
    if found <= {"WFD"}:
        return "WFD"
    if found <= NOT_STARTED:
        return "RTS"
    if found <= DONE:
        return "CMPL"
    return "WIP"


#: what each status of a container says of all its children:
#: (all WFD, all not started, all done) - the questions :func:`derive_code` asks
_SAYS_OF_ALL: dict[str, tuple[bool, bool, bool]] = {
    "WFD": (True, True, False),
    "RTS": (False, True, False),
    "CMPL": (False, False, True),
    "WIP": (False, False, False),
}
_ASKED: tuple[frozenset[str], ...] = (frozenset({"WFD"}), NOT_STARTED, DONE)


def derive_after_change(
    container_code: str | None, old: str | None, new: str, *, only_child: bool = False
) -> str | None:
    """A container's status after one child moved from ``old`` to ``new``, if that alone tells.

    The container's current status answers the three questions of
    :func:`derive_code` for all of its children. The moved child answers them
    anew: "no" settles a question; "yes" keeps the old answer when the child
    said "yes" before too. Only a child that starts to say "yes" leaves the
    question open (are all the others saying "yes" as well?): then ``None``,
    and the other children must be read.

    :param only_child: the moved child is the container's only child.
    :returns: the derived code, or ``None`` when the other children decide it.
    """
    before = _SAYS_OF_ALL.get(container_code or "")
    if before is None or old is None:
        return None
    after: list[bool] = []
    for all_before, members in zip(before, _ASKED, strict=True):
        if new not in members:
            after.append(False)
        elif old in members:
            after.append(all_before)
        elif only_child:
            after.append(True)
        else:
            return None
    all_wfd, all_not_started, all_done = after
    if all_wfd:
        return "WFD"
    if all_not_started:
        return "RTS"
    return "CMPL" if all_done else "WIP"


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


def _deleted(session: Session | None) -> Any:
    return session.deleted if session is not None else ()


def child_codes(
    task: Task, *, leaving: Task | None = None, joining: Task | None = None
) -> list[str]:
    """The status codes of ``task``'s children without loading them as objects.

    A loaded ``children`` collection is used as it is. Otherwise one query
    reads ``(id, status_id)`` of the stored children, and the children that
    are in the session (changed, moved in or out, new) count with their
    in-memory state: the result is right before a flush too.

    :param leaving, joining: a child whose move out of or into ``task`` is
        being validated (not in ``parent`` nor in ``children`` yet).
    """
    state = sa_inspect(task)
    session = object_session(task)
    extra = [joining] if joining is not None else []
    if session is None or state.key is None or "children" in state.dict:
        kids = [c for c in task.children if c is not leaving and c not in _deleted(session)]
        return [_effective_code(c) for c in kids + [j for j in extra if j not in kids]]
    return _stored_child_codes(session, state.key[1][0], task, leaving=leaving, joining=joining)


def _stored_child_codes(
    session: Session,
    parent_id: int,
    parent: Task | None,
    *,
    leaving: Task | None = None,
    joining: Task | None = None,
) -> list[str]:
    """:func:`child_codes` of the stored task ``parent_id`` (``parent``: its object,
    ``None`` when it is not in the session: no object in memory names it then)."""
    task_cls = mapped_class("Task")
    codes: list[str] = []
    seen: set[int] = set()
    for cid, sid in stored_children(session, parent_id):
        seen.add(cid)
        obj = session.identity_map.get(identity_key(task_cls, cid))
        if obj is not None:
            if obj in session.deleted or obj is leaving:
                continue
            if "parent" in obj.__dict__ and obj.__dict__["parent"] is not parent:
                continue  # moved away, not flushed yet
            codes.append(_effective_code(obj))
        else:
            codes.append(code_for_id(session, sid) or "RTS")
    if parent is None:
        return codes
    extra = [joining] if joining is not None else []
    for obj in [*session.new, *session.dirty, *extra]:
        if isinstance(obj, task_cls) and (obj.__dict__.get("parent") is parent or obj is joining):
            if obj is not leaving and (obj.id is None or obj.id not in seen):
                seen.add(obj.id)
                codes.append(_effective_code(obj))
    return codes


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
            code = derive_code(_stored_child_codes(session, parent_id, None))
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
        if current is not None and not _moves_nothing(current, code):
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
