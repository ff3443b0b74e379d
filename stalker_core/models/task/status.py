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

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from stalker_core.exceptions import StatusError
from stalker_core.models.base import mapped_class
from stalker_core.models.mixins import check_in_list

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
_BY_ID_KEY = "stalker_core.status_by_id"
_QUEUE_KEY = "stalker_core.status_queue"
_BULK_KEY = "stalker_core.status_bulk"
_SETTING_KEY = "stalker_core.status_setting"


# --- lookup -----------------------------------------------------------------


def _cache(session: Session) -> dict[str, Status]:
    cache: dict[str, Status] | None = session.info.get(_CACHE_KEY)
    if cache is None:
        from stalker_core.models.status import Status

        # by the ids of the statuses table: a bare ``select(Status)`` joins the
        # table of every entity, which SQLite (without table statistics) scans
        # whole: ~10 ms at 100,000 tasks, on every status change of a session
        ids = select(Status.__table__.c.id)
        with session.no_autoflush:
            rows = session.scalars(select(Status).where(Status.id.in_(ids))).all()
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


def status_for(session: Session, task: Task, code: str) -> Status:
    """The Status ``code`` for ``task``, once its status list is known to allow it.

    Every status the workflow gives a task goes through here: a task whose
    status list (its own, or the one the flush gives it) lacks the status the
    workflow needs is refused, rather than given a status outside its list.

    :raises StatusError: naming the task, the status, the list and what it holds.
    """
    status = get_status(session, code)
    sl = task.status_list
    if sl is not None:
        check_in_list(task, status, sl)
    return status


def status_by_id(session: Session, status_id: int | None) -> Status | None:
    """The cached Status with primary key ``status_id``."""
    if status_id is None:
        return None
    cache = _cache(session)
    by_id: dict[int, Status] | None = session.info.get(_BY_ID_KEY)
    if by_id is None or len(by_id) != len(cache):
        by_id = session.info[_BY_ID_KEY] = {st.id: st for st in cache.values() if st.id}
    found = by_id.get(status_id)
    return found if found is not None else session.get(_status_cls(), status_id)


def _status_cls() -> Any:
    from stalker_core.models.status import Status

    return Status


def forget_statuses(session: Session) -> None:
    """Drop the per-session status cache (after a rollback)."""
    session.info.pop(_CACHE_KEY, None)
    session.info.pop(_BY_ID_KEY, None)
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


def deps_satisfied(task: Task, without: Collection[Any] = ()) -> bool:
    """Are the dependencies of ``task`` and of all its ancestors satisfied?

    A dependency without a status yet (a new task) has not started, so it
    satisfies nothing. Dependencies in ``without`` (being removed) and those
    deleted in the task's session do not count.
    """
    from stalker_core.models.task.held import held
    from stalker_core.models.task.rollup import load_ancestors

    gone = _deleted(object_session(task))
    for node in [task, *load_ancestors(task, dependencies=True)]:
        for td in held(node, "task_depends_on"):
            if td in gone or any(td is w for w in without):
                continue
            dep = td.depends_on
            if dep is not None and not satisfied(code_of(dep), td.dependency_target or "onend"):
                return False
    return True


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
    from sqlalchemy.orm.util import identity_key

    state = sa_inspect(task)
    session = object_session(task)
    extra = [joining] if joining is not None else []
    if session is None or state.key is None or "children" in state.dict:
        kids = [c for c in task.children if c is not leaving and c not in _deleted(session)]
        return [_effective_code(c) for c in kids + [j for j in extra if j not in kids]]
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
            if obj in session.deleted or obj is leaving:
                continue
            if "parent" in obj.__dict__ and obj.__dict__["parent"] is not task:
                continue  # moved away, not flushed yet
            codes.append(_effective_code(obj))
        else:
            found = status_by_id(session, sid)
            codes.append(found.code if found is not None else "RTS")
    for obj in [*session.new, *session.dirty, *extra]:
        if isinstance(obj, task_cls) and (obj.__dict__.get("parent") is task or obj is joining):
            if obj is not leaving and (obj.id is None or obj.id not in seen):
                seen.add(obj.id)
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
            _dependents_react(task, old, code)
        parent_changed(task.parent, (old, code))


def is_being_set(session: Session, task: Task) -> bool:
    """True while :func:`set_status` assigns ``task``'s status (it handles the parent itself)."""
    return task in session.info.get(_SETTING_KEY, ())


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
    _deleted_dependencies(session)
    if not new_tasks and not queue:
        return
    session.info[_BULK_KEY] = True
    try:
        with session.no_autoflush:
            for t in new_tasks:
                if not t.child_count and t.status_id is None and t.__dict__.get("status") is None:
                    t.status = status_for(session, t, initial_code(t))
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


def _deleted_dependencies(session: Session) -> None:
    """A deleted dependency row (``session.delete(td)``) leaves both tasks' lists in memory
    (the session keeps loaded lists after commit), which frees the leaves that waited."""
    dep_cls = mapped_class("TaskDependency")
    gone = session.deleted
    with session.no_autoflush:
        for td in [o for o in gone if isinstance(o, dep_cls)]:
            dep, task = td.depends_on, td.task
            if dep is not None and dep not in gone and any(
                    x is td for x in dep.task_dependent_of):
                dep.task_dependent_of.remove(td)
            if task is None or task in gone:
                continue
            if any(x is td for x in task.task_depends_on):
                task.task_depends_on.remove(td)  # its remove event moves the statuses
            else:
                dependencies_changed(task)


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
    """The transaction rolled back: forget the cached statuses, calendar and moves."""
    forget_statuses(session)
    from stalker_core.models.task.rollup import forget_calendar, forget_moves

    forget_calendar(session)
    forget_moves(session)


def after_commit(session: Session) -> None:
    """The transaction committed: forget the cached calendar."""
    from stalker_core.models.task.rollup import forget_calendar

    forget_calendar(session)
