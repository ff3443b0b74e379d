"""The status codes, and looking statuses up with one light query per transaction.

Changing a status reads which Status a code is, which code a stored
``status_id`` is, and whether a status list allows a status. Loading the
Status objects and the status lists' collections for that costs more than
the change itself; here one plain statement per session transaction reads
the ``(status id, code, status list id)`` rows of the statuses table and of
the status lists' links (the *catalog*), and:

* :func:`code_of` / :func:`code_for_id` - a code from a ``status_id``;
* :func:`get_status` - the Status object of a code, from the session's
  identity map or with a SELECT of that one row; created with its standard
  name when missing;
* :func:`status_for` - :func:`get_status`, once the task's status list is
  known to hold the status (the catalog says so; a list loaded in memory is
  read as it is; when the catalog says no, the list is loaded and checked
  as before, which raises :class:`StatusError` naming what it holds).

The catalog is forgotten when the transaction ends and as soon as a Status,
a StatusList or a link between them is written (see :func:`install`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.util import identity_key

from stalker_core.exceptions import StatusError
from stalker_core.models.base import mapped_class
from stalker_core.models.mixins import check_in_list
from stalker_core.orm.session import StalkerSession
from stalker_core.orm.statements import statement

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

_CATALOG_KEY = "stalker_core.status_catalog"


class _Catalog:
    """The stored statuses of one session transaction: ids, codes, list memberships."""

    __slots__ = ("codes", "ids", "lists", "made", "stamps")

    def __init__(self, rows: Iterable[Any]) -> None:
        #: status id -> code
        self.codes: dict[int, str] = {}
        #: status id -> (code, date_updated): what a kept copy must match (:func:`_copy`)
        self.stamps: dict[int, tuple[str, Any]] = {}
        #: code -> status id (the first stored, as a lookup by code would find)
        self.ids: dict[str, int] = {}
        #: status list id -> the ids of its statuses
        self.lists: dict[int, set[int]] = {}
        #: code -> a Status made by :func:`get_status` in this transaction (not stored yet)
        self.made: dict[str, Status] = {}
        for sid, code, updated, list_id in rows:
            self.codes[sid] = code
            self.stamps[sid] = (code, updated)
            if code not in self.ids or sid < self.ids[code]:
                self.ids[code] = sid
            if list_id is not None:
                self.lists.setdefault(list_id, set()).add(sid)


def _catalog_statement() -> Any:
    statuses = mapped_class("Status").__table__
    entities = mapped_class("SimpleEntity").__table__
    links = mapped_class("StatusListStatus").__table__
    # each status's entity row by its primary key: a join let PostgreSQL, which
    # has no statistics of the (small, never autovacuumed) statuses table,
    # hash the whole entities table (0.35 ms at 2,000 tasks, growing with them)
    updated = (
        select(entities.c.date_updated).where(entities.c.id == statuses.c.id).scalar_subquery()
    )
    return (
        select(statuses.c.id, statuses.c.code, updated, links.c.status_list_id)
        .select_from(statuses)
        .outerjoin(links, links.c.status_id == statuses.c.id)
    )


def _catalog(session: Session) -> _Catalog:
    found: _Catalog | None = session.info.get(_CATALOG_KEY)
    if found is None:
        found = session.info[_CATALOG_KEY] = _Catalog(
            _connection(session).execute(statement("status catalog", _catalog_statement)).all()
        )
    return found


def _connection(session: Session) -> Any:
    return session.connection(bind_arguments={"mapper": sa_inspect(mapped_class("Status"))})


#: per database (engine): status id -> ((code, date_updated), a detached copy of the Status)
_COPIES: WeakKeyDictionary[Any, dict[int, tuple[tuple[str, Any], Status]]] = WeakKeyDictionary()


def _copy(session: Session, catalog: _Catalog, status_id: int) -> Status | None:
    """A detached copy of the stored Status ``status_id``, kept per process and database.

    Putting it in a session (``merge(load=False)``) costs no statement, where a
    ``session.get`` costs one per status and session. A copy is used only
    while its code and ``date_updated`` equal the ones the transaction's
    catalog read; else it is read again (on this session's connection).
    """
    connection = _connection(session)
    copies = _COPIES.setdefault(connection.engine, {})
    stamp = catalog.stamps.get(status_id)
    kept = copies.get(status_id)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    with StalkerSession(bind=connection) as reader:  # on the session's transaction
        found = reader.get(mapped_class("Status"), status_id)
        if found is None or stamp is None:
            return None
        reader.expunge(found)
    copies[status_id] = (stamp, found)
    return found  # type: ignore[no-any-return]


def forget_statuses(session: Session) -> None:
    """Drop the session's status catalog (the transaction ended, or statuses were written)."""
    session.info.pop(_CATALOG_KEY, None)


def _written(_mapper: Any, connection: Any, target: Any) -> None:
    session = object_session(target)
    if session is not None:
        forget_statuses(session)
    _COPIES.pop(connection.engine, None)


def install() -> None:
    """Forget a session's catalog, and the kept copies of the statuses of its database,
    when its flush writes a Status, a StatusList or a link.

    Idempotent; :func:`stalker_core.models.flush.install` calls it.
    """
    for name in ("Status", "StatusList", "StatusListStatus"):
        cls = mapped_class(name)
        for when in ("after_insert", "after_update", "after_delete"):
            if not event.contains(cls, when, _written):
                event.listen(cls, when, _written)


# --- lookup -----------------------------------------------------------------


def get_status(session: Session, code: str) -> Status:
    """The Status with ``code`` (created with its standard name when missing)."""
    fresh = _CATALOG_KEY not in session.info
    catalog = _catalog(session)
    made = catalog.made.get(code)
    if made is not None:
        return made
    status_cls = mapped_class("Status")
    sid = catalog.ids.get(code)
    if sid is None:
        # made in this session (not flushed), or stored since the catalog was read
        for obj in session.new:
            if isinstance(obj, status_cls) and obj.code == code:
                return obj  # type: ignore[no-any-return]
        if not fresh:
            forget_statuses(session)
            catalog = _catalog(session)
            sid = catalog.ids.get(code)
    if sid is not None:
        found = session.identity_map.get(identity_key(status_cls, sid))
        if found is None:
            copy = _copy(session, catalog, sid)
            if copy is not None:
                found = session.merge(copy, load=False)
        if found is not None:
            return found  # type: ignore[no-any-return]
    name = TASK_STATUSES.get(code) or OTHER_STATUSES.get(code)
    if name is None:
        raise StatusError(
            f"unknown status code {code!r}; known codes: "
            f"{', '.join([*TASK_STATUSES, *OTHER_STATUSES])}"
        )
    status: Status = status_cls(name=name, code=code)
    session.add(status)
    catalog.made[code] = status
    return status


def status_for(session: Session, task: Task, code: str) -> Status:
    """The Status ``code`` for ``task``, once its status list is known to allow it.

    Every status the workflow gives a task goes through here: a task whose
    status list (its own, or the one the flush gives it) lacks the status the
    workflow needs is refused, rather than given a status outside its list.

    :raises StatusError: naming the task, the status, the list and what it holds.
    """
    status = get_status(session, code)
    if not _listed(session, task, status):
        sl = task.status_list
        if sl is not None:
            check_in_list(task, status, sl)
    return status


def _listed(session: Session, task: Task, status: Status) -> bool:
    """True when ``task``'s status list surely holds ``status`` (or it has no list),
    read without loading the list; False when the list must be read."""
    d = task.__dict__
    if "status_list" in d:
        sl = d["status_list"]
        if sl is None:
            return True
        key = instance_state(sl).key
        if "status_links" in sl.__dict__ or key is None:
            return False  # in memory: read as it is
        list_id = key[1][0]
    elif instance_state(task).key is None:
        return True  # a new task holds its list in memory, or has none yet
    else:
        list_id = task.status_list_id
        if list_id is None:
            return True
    return status.id is not None and list_holds(session, list_id, status.id)


def list_holds(session: Session, list_id: int | None, status_id: int) -> bool:
    """True when the stored status list ``list_id`` surely holds the status ``status_id``
    (or there is no list), read from the catalog; False when the list must be read
    (not held as far as the catalog knows, or loaded in the session and maybe changed)."""
    if list_id is None:
        return True
    in_memory = session.identity_map.get(identity_key(mapped_class("StatusList"), list_id))
    if in_memory is not None and "status_links" in in_memory.__dict__:
        return False  # loaded, maybe changed: read as it is
    members = _catalog(session).lists.get(list_id)
    return members is not None and status_id in members


def stored_status_id(session: Session, code: str) -> int | None:
    """The id of the stored Status ``code``; None when it is not stored (yet)."""
    catalog = _catalog(session)
    return None if code in catalog.made else catalog.ids.get(code)


def code_for_id(session: Session, status_id: int | None) -> str | None:
    """The code of the stored status ``status_id`` (no object loaded when catalogued)."""
    if status_id is None:
        return None
    code = _catalog(session).codes.get(status_id)
    if code is not None:
        return code
    with session.no_autoflush:
        found = session.get(mapped_class("Status"), status_id)
    return found.code if found is not None else None


def status_by_id(session: Session, status_id: int | None) -> Status | None:
    """The Status with primary key ``status_id`` (from the session, or one SELECT)."""
    if status_id is None:
        return None
    with session.no_autoflush:
        return session.get(mapped_class("Status"), status_id)  # type: ignore[no-any-return]


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
    return code_for_id(session, task.status_id)


def session_of(task: Task) -> Session:
    """The session of ``task``; refuses a task that is in none."""
    session = object_session(task)
    if session is None:
        raise StatusError(
            f"task {task.name!r} is not in a database session; add it (DBSession.add(...)) "
            "or link it to a stored object before changing its status"
        )
    return session
