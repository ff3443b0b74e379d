"""Task statuses: lookup, the status of new tasks, dependents and container roll-up.

Leaf tasks move through WFD, RTS, WIP, PREV, HREV, DREV, OH, STOP and CMPL
(the actions are in :mod:`stalker_core.models.task.workflow`). This module
holds what every change shares:

* :func:`get_status` - the Status row for a code, looked up once per session
  (one query loads every status) and created when ``db.init()`` did not;
* :func:`initial_code` - WFD when a dependency (own or of an ancestor) is not
  satisfied yet, else RTS;
* :func:`set_status` - set a status, then move dependents (a dependency
  finishing: WFD->RTS, DREV->HREV; reopening: RTS->WFD, WIP/PREV/HREV/CMPL->DREV)
  and re-derive the parent container;
* :func:`derive_code` - a container's status from its children's;
* :func:`settle_statuses`, a step of the flush pipeline
  (:mod:`stalker_core.models.flush`) giving new tasks their first status and
  re-deriving containers whose children were not loaded when a child changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from stalker_core.exceptions import StatusError
from stalker_core.models.base import mapped_class

if TYPE_CHECKING:
    from stalker_core.models.status import Status
    from stalker_core.models.task.model import Task

#: The statuses of tasks, with their names, in workflow order.
TASK_STATUSES: dict[str, str] = {
    "WFD": "Waiting For Dependency",
    "RTS": "Ready To Start",
    "WIP": "Work In Progress",
    "PREV": "Pending Review",
    "HREV": "Has Revision",
    "DREV": "Dependency Has Revision",
    "OH": "On Hold",
    "STOP": "Stopped",
    "CMPL": "Completed",
}
#: Other statuses this package uses (tickets, reviews).
OTHER_STATUSES: dict[str, str] = {
    "NEW": "New",
    "ACP": "Accepted",
    "ASG": "Assigned",
    "ROP": "Reopened",
    "CLS": "Closed",
    "OPEN": "Open",
    "RREV": "Requested Revision",
    "APP": "Approved",
}
DONE = frozenset({"CMPL", "STOP"})
NOT_STARTED = frozenset({"WFD", "RTS"})

_CACHE_KEY = "stalker_core.status_cache"
_QUEUE_KEY = "stalker_core.status_queue"
_BULK_KEY = "stalker_core.status_bulk"


# --- lookup -----------------------------------------------------------------


def _cache(session: Session) -> dict[str, Status]:
    cache: dict[str, Status] | None = session.info.get(_CACHE_KEY)
    if cache is None:
        from stalker_core.models.status import Status

        with session.no_autoflush:
            rows = session.scalars(select(Status)).all()
        cache = {s.code: s for s in rows}
        session.info[_CACHE_KEY] = cache
    return cache


def get_status(session: Session, code: str) -> Status:
    """The Status with ``code`` (created with its standard name when missing)."""
    cache = _cache(session)
    st = cache.get(code)
    if st is None:
        from stalker_core.models.status import Status

        name = TASK_STATUSES.get(code) or OTHER_STATUSES.get(code)
        if name is None:
            raise StatusError(
                f"unknown status code {code!r}; known codes: "
                f"{', '.join([*TASK_STATUSES, *OTHER_STATUSES])}"
            )
        st = Status(name=name, code=code)
        session.add(st)
        cache[code] = st
    return st


def status_by_id(session: Session, status_id: int | None) -> Status | None:
    """The cached Status with primary key ``status_id``."""
    if status_id is None:
        return None
    for st in _cache(session).values():
        if st.id == status_id:
            return st
    return session.get(_status_cls(), status_id)


def _status_cls() -> Any:
    from stalker_core.models.status import Status

    return Status


def forget_statuses(session: Session) -> None:
    """Drop the per-session status cache (after a rollback)."""
    session.info.pop(_CACHE_KEY, None)
    session.info.pop(_QUEUE_KEY, None)


def code_of(task: Task) -> str | None:
    """The status code of ``task`` without loading more than needed."""
    st = task.__dict__.get("status")
    if st is not None:
        return st.code  # type: ignore[no-any-return]
    if task.status_id is None:
        return None
    session = object_session(task)
    if session is None:
        return task.status.code if task.status is not None else None
    found = status_by_id(session, task.status_id)
    return found.code if found is not None else None


def session_of(task: Task) -> Session:
    """The session of ``task``; refuses a task that is in none."""
    session = object_session(task)
    if session is None:
        raise StatusError(
            f"task {task.name!r} is not in a database session; add it (DBSession.add(...)) "
            "or link it to a stored object before changing its status"
        )
    return session


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


def deps_satisfied(task: Task) -> bool:
    """Are the dependencies of ``task`` and of all its ancestors satisfied?

    A dependency without a status yet (a new task) has not started, so it
    satisfies nothing.
    """
    node: Task | None = task
    while node is not None:
        for td in node.task_depends_on:
            dep = td.depends_on
            if dep is not None and not satisfied(code_of(dep), td.dependency_target or "onend"):
                return False
        node = node.parent
    return True


def initial_code(task: Task) -> str:
    """WFD when a dependency is not satisfied yet, else RTS."""
    return "RTS" if deps_satisfied(task) else "WFD"


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


def refresh_container(task: Task) -> None:
    """Re-derive ``task``'s status from its children's."""
    if not task.child_count:
        return
    code = derive_code(child_codes(task))
    if code is not None and code != code_of(task):
        set_status(task, code)


def _deleted(session: Session | None) -> Any:
    return session.deleted if session is not None else ()


def child_codes(task: Task) -> list[str]:
    """The status codes of ``task``'s children without loading them as objects.

    A loaded ``children`` collection is used as it is. Otherwise one query
    reads ``(id, status_id)`` of the stored children, and the children that
    are in the session (changed, moved in or out, new) count with their
    in-memory state: the result is right before a flush too.
    """
    from sqlalchemy.orm.util import identity_key

    state = sa_inspect(task)
    session = object_session(task)
    if session is None or state.key is None or "children" in state.dict:
        return [_effective_code(c) for c in task.children if c not in _deleted(session)]
    pid = state.key[1][0]
    task_cls = mapped_class("Task")
    tbl = task_cls.__table__
    with session.no_autoflush:
        rows = session.execute(
            select(tbl.c.id, tbl.c.status_id).where(tbl.c.parent_id == pid)
        ).all()
    codes: list[str] = []
    seen: set[int] = set()
    for cid, sid in rows:
        seen.add(cid)
        obj = session.identity_map.get(identity_key(task_cls, cid))
        if obj is not None:
            if obj in session.deleted:
                continue
            if "parent" in obj.__dict__ and obj.__dict__["parent"] is not task:
                continue  # moved away, not flushed yet
            codes.append(_effective_code(obj))
        else:
            found = status_by_id(session, sid)
            codes.append(found.code if found is not None else "RTS")
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, task_cls) and obj.__dict__.get("parent") is task:
            if obj.id is None or obj.id not in seen:
                codes.append(_effective_code(obj))
    return codes


def _queue(session: Session) -> set[Task]:
    q: set[Task] | None = session.info.get(_QUEUE_KEY)
    if q is None:
        q = session.info[_QUEUE_KEY] = set()
    return q


def queue_refresh(session: Session, container: Task) -> None:
    """Re-derive ``container``'s status at the next flush."""
    _queue(session).add(container)


def parent_changed(parent: Task | None) -> None:
    """A child of ``parent`` changed: re-derive its status now (inside the flush
    step: once per container, after all children settled)."""
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
        refresh_container(parent)


# --- setting a status ---------------------------------------------------------


def set_status(task: Task, code: str) -> None:
    """Set ``task``'s status to ``code``; move dependents and the parent accordingly."""
    session = session_of(task)
    with session.no_autoflush:  # one flush at the end, not one per lazy load
        old = code_of(task)
        task.status = get_status(session, code)
        if old == code:
            return
        if old is not None and not session.info.get(_BULK_KEY):
            _dependents_react(task, old, code)
        parent_changed(task.parent)


def _dependents_react(task: Task, old: str, new: str) -> None:
    if all(satisfied(old, t) == satisfied(new, t) for t in ("onend", "onstart")):
        return  # no dependent can move: do not even load them
    for td in list(task.task_dependent_of):
        target = td.dependency_target or "onend"
        was, now = satisfied(old, target), satisfied(new, target)
        if was == now or td.task is None:
            continue
        for leaf in list(leaves(td.task)):
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


def dependencies_changed(task: Task) -> None:
    """``task``'s dependencies were edited: RTS<->WFD for the leaves below it."""
    if object_session(task) is None:
        return
    session = object_session(task)
    for leaf in list(leaves(task)):
        code = code_of(leaf)
        if code in NOT_STARTED:
            want = initial_code(leaf)
            if want == code:
                continue
            if sa_inspect(leaf).key is None and session is not None:
                # a new leaf: nothing stored waits for it, its parent is derived at flush
                leaf.status = get_status(session, want)
                if leaf.parent is not None:
                    _queue(session).add(leaf.parent)
            else:
                set_status(leaf, want)


# --- flush step -------------------------------------------------------------


def _depth(task: Task) -> int:
    d, node = 0, task.parent
    while node is not None and d < 10_000:
        d, node = d + 1, node.parent
    return d


def settle_statuses(session: Session) -> None:
    """Flush step: first statuses of new tasks, then queued container roll-ups.

    New leaves get RTS or WFD (:func:`initial_code`); containers whose children
    changed (queued by :func:`queue_refresh`/:func:`parent_changed`, new ones,
    parents of deleted tasks) are re-derived deepest first, and their
    dependents react to a changed container status.
    """
    task_cls = mapped_class("Task")
    new_tasks = [o for o in session.new if isinstance(o, task_cls)]
    queue = _queue(session)
    _deleted_tasks(session, queue)
    if not new_tasks and not queue:
        return
    session.info[_BULK_KEY] = True
    try:
        with session.no_autoflush:
            for t in new_tasks:
                if not t.child_count and t.status_id is None and t.__dict__.get("status") is None:
                    t.status = get_status(session, initial_code(t))
                if t.child_count:
                    queue.add(t)
                if t.parent is not None:
                    queue.add(t.parent)
            while queue:
                todo = sorted(queue, key=_depth, reverse=True)
                queue.clear()
                for c in todo:
                    old = code_of(c)
                    refresh_container(c)
                    new = code_of(c)
                    if old is not None and new != old:
                        session.info[_BULK_KEY] = False
                        try:
                            _dependents_react(c, old, new)  # type: ignore[arg-type]
                        finally:
                            session.info[_BULK_KEY] = True
    finally:
        session.info.pop(_BULK_KEY, None)


def _deleted_tasks(session: Session, queue: set[Task]) -> None:
    """Deleted tasks leave their (surviving) parents' roll-ups and statuses."""
    gone = [o for o in session.deleted if isinstance(o, mapped_class("Task"))]
    if not gone:
        return
    with session.no_autoflush:
        for t in gone:
            parent = t.parent
            if parent is not None and parent not in session.deleted:
                t.parent = None  # the validator moves the roll-ups off the parent
                queue.add(parent)


def after_rollback(session: Session) -> None:
    """The transaction rolled back: forget the cached statuses and calendar."""
    forget_statuses(session)
    from stalker_core.models.task.rollup import forget_calendar

    forget_calendar(session)


def after_commit(session: Session) -> None:
    """The transaction committed: forget the cached calendar."""
    from stalker_core.models.task.rollup import forget_calendar

    forget_calendar(session)
