"""Version numbers: provisional at construction, final and unique at flush.

Design (why numbers never collide and versions are never lost):

1. **At construction** ``Version(task=t)`` gets a *provisional* number: the
   highest number of ``(t, take)`` in the database (one ``max()`` query, no
   autoflush; the session then remembers it as a hint, refreshed by every
   flush) or among the versions of ``(t, take)`` pending in the same
   session, plus one. So two ``Version(task=t)`` made before a flush get
   consecutive numbers and the tutorial can print the number at once.
2. **At flush** (:func:`finalize_numbers`, the last step of the flush pipeline
   in :mod:`stalker_core.models.flush`) the numbers are made final. On
   PostgreSQL the rows of the tasks concerned are locked first with
   ``SELECT ... FROM tasks WHERE id IN (...) ORDER BY id FOR UPDATE`` (sorted,
   so two sessions never deadlock on each other's tasks). With the lock held,
   a fresh ``max()`` per ``(task, take)`` sees every version committed by
   other transactions (READ COMMITTED: each statement takes a new snapshot).
   When another process took our provisional number meanwhile, the pending
   versions are renumbered from that maximum, in their original order, and
   their ``path``/``filename`` (and automatic name) are rendered again — all
   before the INSERT, hence before any file is written by a workflow that
   flushes first. The lock lasts until the transaction ends, so nobody can
   take the number between our flush and our commit.
3. **The unique constraint** ``(task_id, take_name, version_number)`` is the
   last guard (e.g. two SQLite processes, or a version number set by hand).

Workflows that write a file for a new version call :func:`reserve_version`:
it creates the version, renders its paths and flushes, so the number and
the paths are final when it returns; write the file, then commit (or roll
back, which leaves no row behind). Other sessions creating versions of the
same task wait on the lock until then.

SQLite serialises writers itself but has no row locks: two processes may
read the same maximum, and the second INSERT then fails on the unique
constraint (:class:`~stalker_core.exceptions.ConcurrencyError` from
:func:`reserve_version`) instead of silently colliding.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from stalker_core.exceptions import ConcurrencyError, ValidationError
from stalker_core.models.base import mapped_class
from stalker_core.models.version.state import state_of
from stalker_core.orm.session import DBSession

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.task.model import Task
    from stalker_core.models.version.model import Version

#: key of the per-session registry of versions created since the last flush
_PENDING_KEY = "stalker_core.pending_versions"
#: key of the session's memory of the highest stored number per (task id, take)
_KNOWN_KEY = "stalker_core.known_max_numbers"


def _registry(session: Session) -> dict[tuple[int, str], list[Version]]:
    reg = session.info.get(_PENDING_KEY)
    if reg is None:
        reg = session.info[_PENDING_KEY] = defaultdict(list)
    return reg  # type: ignore[no-any-return]


def register_pending(session: Session, version: Version) -> None:
    """Remember ``version`` as pending in ``session`` (cleared after each flush/rollback)."""
    _registry(session)[(id(version.task), version.take_name)].append(version)


def pending_versions(task: Task, take_name: str, session: Session | None) -> list[Version]:
    """Versions of ``(task, take_name)`` not yet in the database (no query, no lazy load)."""
    found: dict[int, Version] = {}
    if session is not None:
        for v in session.info.get(_PENDING_KEY, {}).get((id(task), take_name), ()):
            if v.task is task and v.take_name == take_name and v.id is None:
                found[id(v)] = v
    loaded = task.__dict__.get("versions")
    if loaded is not None:
        for v in loaded:
            if v.take_name == take_name and v.id is None:
                found[id(v)] = v
    return list(found.values())


def _known_max(session: Session) -> dict[tuple[int, str], int]:
    known = session.info.get(_KNOWN_KEY)
    if known is None:
        known = session.info[_KNOWN_KEY] = {}
    return known  # type: ignore[no-any-return]


def db_max_number(
    session: Session | None, task: Task, take_name: str, *, query: bool = True
) -> int:
    """Highest stored number of ``(task, take_name)`` (0 when none or not stored).

    The session remembers the answer (and raises it as numbers are handed out
    and flushed), so creating many versions of a task costs one query, also
    across commits. The memory is only a hint for the provisional number: the
    flush re-reads the maxima under the task lock and renumbers when another
    writer took the number meanwhile. A rollback forgets it.
    """
    if session is None or task.id is None:
        return 0
    known = _known_max(session)
    key = (task.id, take_name)
    if key in known:
        return known[key]
    if not query:
        return 0
    versions = mapped_class("Version").__table__
    value = session.connection().scalar(  # Core: no ORM overhead, no autoflush
        select(func.max(versions.c.version_number)).where(
            versions.c.task_id == task.id, versions.c.take_name == take_name
        )
    )
    known[key] = int(value or 0)
    return known[key]


def note_number(session: Session | None, task: Task, take_name: str, number: int) -> None:
    """Remember that ``number`` of ``(task, take_name)`` is taken in this transaction."""
    if session is None or task.id is None:
        return
    known = _known_max(session)
    key = (task.id, take_name)
    if key in known and number > known[key]:
        known[key] = number


def next_version_number(version: Version, *, query: bool = True) -> int:
    """The provisional number for a new ``version`` (see the module docstring).

    :param query: ``False`` to use only what the session already knows (for
        attribute validators, which never query); the flush corrects it.
    """
    task = version.task
    session = object_session(version) or object_session(task)
    highest = db_max_number(session, task, version.take_name, query=query)
    for other in pending_versions(task, version.take_name, session):
        if other is not version and other.version_number is not None:
            highest = max(highest, other.version_number)
    return highest + 1


def max_version_number(task: Task, take_name: str, session: Session | None) -> int:
    """Highest number of ``(task, take_name)`` in the database or pending in ``session``."""
    highest = db_max_number(session, task, take_name)
    for other in pending_versions(task, take_name, session):
        highest = max(highest, other.version_number or 0)
    return highest


# -- flush: lock, re-check, renumber --------------------------------------------


def _locked_maxima(session: Session, task_ids: list[int]) -> list[Any]:
    """Lock the task rows (PostgreSQL) then read the stored maxima per (task, take).

    The lock and the read are two statements, so the read takes its snapshot
    after the lock is granted (READ COMMITTED) and sees every version committed
    by the writer we waited for. With psycopg2 both go in one round trip (a
    multi-statement simple query: still one snapshot per statement).
    """
    conn = session.connection()
    # the SQL is written out (integer ids only: nothing to escape) and sent as
    # it is: compiling and caching a statement cost more than running it
    listed = ", ".join(str(int(i)) for i in task_ids)
    maxima = (
        f"SELECT task_id, take_name, max(version_number) "
        f"FROM {mapped_class('Version').__tablename__} "
        f"WHERE task_id IN ({listed}) GROUP BY task_id, take_name"
    )
    if conn.dialect.name != "postgresql":
        return list(conn.exec_driver_sql(maxima).all())
    lock = (
        f"SELECT id FROM {mapped_class('Task').__tablename__} WHERE id IN ({listed}) "
        "ORDER BY id FOR UPDATE"
    )
    if conn.dialect.driver == "psycopg2":
        return list(conn.exec_driver_sql(f"{lock}; {maxima}").all())
    conn.exec_driver_sql(lock)
    return list(conn.exec_driver_sql(maxima).all())


def finalize_numbers(session: Session) -> None:
    """Flush step: make the numbers of the session's new versions final.

    Locks the tasks concerned (PostgreSQL), re-reads their stored maxima and
    renumbers (and re-renders) the automatically numbered versions that
    clash; see the module docstring.
    """
    version_cls = mapped_class("Version")
    versions: list[Version] = [o for o in session.new if isinstance(o, version_cls)]
    if not versions:
        return
    groups: dict[tuple[int, str], list[Version]] = defaultdict(list)
    tasks: dict[int, Task] = {}
    for v in versions:
        if v.task is None:
            continue
        groups[(id(v.task), v.take_name)].append(v)
        tasks[id(v.task)] = v.task
    stored_ids = sorted({t.id for t in tasks.values() if t.id is not None})
    maxima: dict[tuple[int, str], int] = {}
    if stored_ids:
        rows = _locked_maxima(session, stored_ids)
        maxima = {(task_id, take): int(n or 0) for task_id, take, n in rows}
        known = _known_max(session)
        locked = set(stored_ids)
        for key in known:
            if key[0] in locked:
                known[key] = maxima.get(key, 0)
    for (task_key, take), members in groups.items():
        task = tasks[task_key]
        highest = maxima.get((task.id, take), 0) if task.id is not None else 0
        fixed = _hand_numbers(session, task, take, members, highest)
        auto = sorted(
            (v for v in members if state_of(v).auto_number),
            key=lambda v: v.version_number or 0,
        )
        if not auto:
            continue
        numbers = [v.version_number for v in auto]
        clash = (
            any(state_of(v).take_changed for v in auto)
            or min(numbers) <= highest
            or len(set(numbers)) != len(numbers)
            or bool(fixed.intersection(numbers))
        )
        if not clash:
            continue
        n = highest + 1
        for v in auto:
            while n in fixed:
                n += 1
            if v.version_number != n or state_of(v).take_changed:
                v._renumber(n)  # noqa: SLF001 - the model's own hook (re-renders paths)
            n += 1
    for v in versions:
        state_of(v).take_changed = False  # numbered for good now
        if v.task is not None and v.version_number is not None:
            note_number(session, v.task, v.take_name, v.version_number)


def _hand_numbers(
    session: Session, task: Task, take: str, members: list[Version], highest: int
) -> set[int]:
    """The numbers set by hand on the new versions ``members`` of ``(task, take)``,
    refused when two of them, or one of them and a stored version, share one.

    A stored number can only clash at or below the stored maximum ``highest``:
    only those are looked up (one SELECT, and only for versions numbered by hand).

    :raises ValidationError: naming the number, the task and the take.
    """
    hand = [v.version_number for v in members if not state_of(v).auto_number]
    taken = {n for n in hand if hand.count(n) > 1}
    maybe = sorted({n for n in hand if n <= highest})
    if maybe and task.id is not None:
        versions = mapped_class("Version").__table__
        taken.update(session.connection().execute(
            select(versions.c.version_number).where(
                versions.c.task_id == task.id, versions.c.take_name == take,
                versions.c.version_number.in_(maybe),
            )
        ).scalars())
    if taken:
        raise ValidationError(
            f"version number {min(taken)} of task {task.name!r} take {take!r} exists already; "
            f"leave version_number out to get the next free number ({highest + 1} or above)"
        )
    return set(hand)


def forget_pending(session: Session) -> None:
    """Forget the versions registered as pending (after a flush or a rollback)."""
    session.info.pop(_PENDING_KEY, None)


def forget_known_numbers(session: Session) -> None:
    """Forget the remembered stored maxima (after a rollback)."""
    session.info.pop(_KNOWN_KEY, None)


# -- reserve -----------------------------------------------------------------------


def reserve_version(
    session: Session | scoped_session | None,
    task: Task,
    take_name: str = "Main",
    **kwargs: Any,
) -> Version:
    """Create, number, render and flush a new Version of ``task``; return it.

    When this returns, the number, ``path`` and ``filename`` are final and
    (on PostgreSQL) the task row is locked until the caller commits or rolls
    back: write the file to ``version.absolute_full_path`` then commit. On
    any error nothing is left in the session.

    :param session: the session (``None``: ``DBSession``).
    :param kwargs: more Version attributes (``description``, ``created_with``,
        ``parent``, ``extension``, ...).
    :raises TemplateError: when the paths cannot be rendered.
    :raises ConcurrencyError: when the number was taken despite the lock
        (only possible on SQLite with several writing processes).
    """
    session = session if session is not None else DBSession
    version: Version = mapped_class("Version")(task=task, take_name=take_name, **kwargs)
    try:
        if object_session(version) is None:
            session.add(version)
        version.update_paths()
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ConcurrencyError(
            f"version {version.version_number} of task {task.name!r} take {take_name!r} was "
            "taken by another writer at the same time; retry (the transaction was rolled back)"
        ) from exc
    except BaseException:
        version.discard()
        raise
    return version
