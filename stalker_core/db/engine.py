"""Engines: ``make_engine(url)`` with the connection settings stalker_core needs.

Both :mod:`stalker_core.db.setup` (the tutorial's ``setup()``) and
:mod:`stalker_core.db.migrate` (Alembic maintenance) build their engines here,
so neither has to import the other for it.
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool

from stalker_core.db.mismatch import schema_mismatch
from stalker_core.exceptions import DatabaseError, DatabaseUnavailableError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling off: it would auto-commit every DDL
    # statement (one fsync per CREATE TABLE) and break SAVEPOINTs; stalker_core
    # opens SQLite's transactions itself (_sqlite_write_lock)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    # a database file shared by several processes: readers never block the
    # writer and the writer never blocks readers; a reader that goes on to
    # write waits for the lock (busy timeout) instead of failing at once
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception:  # noqa: BLE001 - read-only or busy file: keep its journal mode
        pass
    finally:
        cursor.close()


def _connection_lost(context: Any) -> BaseException | None:
    """``handle_error``: a lost server connection becomes a :class:`DatabaseUnavailableError`.

    SQLAlchemy has already invalidated the connection (and the pool's other
    connections to the same server), so the next transaction connects
    afresh; the current one is gone and must be rolled back. Errors while
    connecting, and the pool's own pings, are left alone.
    """
    if not context.is_disconnect or context.connection is None or getattr(
            context, "is_pre_ping", False):
        return None
    statement = (context.statement or "").lstrip().upper()
    cause = " ".join(str(getattr(context.original_exception, "args", [""])[0] or
                         context.original_exception).split())[:200]
    where = safe_url(context.engine.url) if context.engine is not None else "the database"
    if not statement or statement.startswith(("COMMIT", "RELEASE", "PREPARE")):
        outcome = ("it was lost while committing, so the changes may or may not have been "
                   "written: check before doing the work again")
    else:
        outcome = ("nothing of the current transaction was written; roll back and try "
                   "again (the next transaction reconnects)")
    return DatabaseUnavailableError(
        f"the connection to the database {where!r} was lost (the server restarted or the "
        f"network failed: {cause}); {outcome}"
    )


#: a pooled server connection that answered less than this many seconds ago is
#: handed out without a ping (see :func:`make_engine`)
PING_AFTER_IDLE_SECONDS = 0.05
#: key of the pool entry's ``info`` holding when the connection last answered
_LAST_ANSWER = "stalker_core.last_answer"


def _note_answer(dbapi_connection: Any, record: Any, *_: Any) -> None:
    # ``connect`` and ``checkin``: the connection has just answered (a
    # connection invalidated on its way back comes as None: it pings next time)
    if dbapi_connection is not None:
        record.info[_LAST_ANSWER] = time.monotonic()


def _ping_when_idle(dialect: Any) -> Any:
    """The ``checkout`` listener pinging a connection idle for :data:`PING_AFTER_IDLE_SECONDS`."""

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_LAST_ANSWER)
        if last is not None and time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if not dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            # the pool drops this connection and checks out a new one
            raise DisconnectionError(f"the pooled connection is dead: {exc}") from exc

    return checkout


#: first words of statements that only read (anything else takes the write lock)
_READ_WORDS = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES"})
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _only_reads(statement: str) -> bool:
    """True for a statement that cannot write (``SELECT``, ``PRAGMA``, a ``WITH`` that selects)."""
    text = statement.lstrip(" \t\r\n(")
    first = text.split(None, 1)[0].upper() if text else ""
    if first == "WITH":
        return _WRITE_WORDS.search(text) is None
    return first in _READ_WORDS


def _sqlite_write_lock(conn: Any, cursor: Any, statement: str, _parameters: Any,
                       _context: Any, _executemany: bool) -> None:
    # SQLAlchemy's transaction has begun but SQLite's has not (see make_engine):
    # reads run on their own; the first statement that may write opens the
    # SQLite transaction with the write lock, waiting for it (busy timeout)
    if cursor.connection.in_transaction or not conn.in_transaction():
        return
    if not _only_reads(statement):
        cursor.execute("BEGIN IMMEDIATE")


#: seconds a SQLite connection waits for another process's write lock
SQLITE_BUSY_TIMEOUT = 30.0


def _is_sqlite_file(database: str | None, query: Any) -> bool:
    """True for a SQLite database file (not ``:memory:`` nor a memory URI)."""
    if not database or database == ":memory:":
        return False
    if query.get("mode") == "memory" or "mode=memory" in database:
        return False
    return True


#: PostgreSQL drivers (SQLAlchemy dialect names, also their module names) in the
#: order they are preferred when a URL names none
POSTGRES_DRIVERS: tuple[str, ...] = ("psycopg", "psycopg2")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def postgres_driver() -> str | None:
    """The PostgreSQL driver to use: psycopg (3) when installed, else psycopg2, else ``None``."""
    for driver in POSTGRES_DRIVERS:
        if _installed(driver):
            return driver
    return None


def normalise_url(url: str | URL) -> URL:
    """Parse ``url`` and name the installed driver where it names none.

    ``postgres://`` (Heroku's and libpq's spelling) is read as
    ``postgresql://``; a PostgreSQL URL without a driver
    (``postgresql://user@host/db``) gets the installed one (see
    :func:`postgres_driver`) instead of SQLAlchemy's default, which may not be
    installed. A URL that names its driver (``postgresql+psycopg2://``) is
    kept as it is.

    :raises DatabaseError: the URL cannot be parsed.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - re-raised as ours
        raise DatabaseError(f"invalid database URL {str(url)!r}: {exc}") from None
    name = parsed.drivername
    if name == "postgres" or name.startswith("postgres+"):
        name = "postgresql" + name[len("postgres"):]
    if name == "postgresql":
        driver = postgres_driver()
        if driver is None:
            raise DatabaseError(
                "a PostgreSQL URL needs a driver: install psycopg2 (pip install "
                "psycopg2-binary, a dependency of stalker_core) or psycopg"
            )
        name = f"postgresql+{driver}"
    return parsed.set(drivername=name) if name != parsed.drivername else parsed


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite database URL; ``None`` for in-memory, ``file:`` URIs and servers."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database
    if not _is_sqlite_file(db, parsed.query) or not db or db.startswith("file:"):
        return None
    return Path(db).expanduser()


def safe_url(url: str | URL) -> str:
    """``url`` for messages: the password hidden (the text itself when it cannot be parsed)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return str(url)


def make_engine(url: str | URL, *, sqlite_wal: bool = True, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings stalker_core needs.

    SQLite: foreign keys on; real transactions (DDL included, SAVEPOINT
    works); an in-memory database keeps one shared
    connection; the directory of a database file is created when missing. A
    database file is put in WAL journal mode (readers and one writer of
    several processes do not block each other) and a connection waits up to
    :data:`SQLITE_BUSY_TIMEOUT` seconds for another process's write lock
    instead of failing with "database is locked" (``connect_args={"timeout":
    ...}`` overrides it; ``sqlite_wal=False`` keeps the file's journal mode,
    e.g. for a file on a network share, where WAL does not work).

    The wait holds for transactions that read before they write: SQLite
    cannot wait when a transaction that has read asks for the write lock
    after another process committed (its snapshot is stale; "database is
    locked" at once). So a SQLite transaction is opened at the first
    statement that may write, with ``BEGIN IMMEDIATE`` (the write lock, with
    the wait); the statements before it (``SELECT``, ``PRAGMA``) each read
    the last committed state, as PostgreSQL's default READ COMMITTED
    isolation does. Read-only work thus never takes the write lock, nor
    keeps a snapshot open (which would also stop WAL checkpoints), however
    long a session stays open; writers queue for the lock instead of failing.
    PostgreSQL URLs go through :func:`normalise_url` (``postgres://`` and
    driverless URLs use the installed driver).

    Server databases check a pooled connection before handing it out (a
    ping, as ``pool_pre_ping`` does), so a transaction that starts after the
    server restarted reconnects without an error. A connection that answered
    less than :data:`PING_AFTER_IDLE_SECONDS` (50 ms) ago is handed out
    without the ping: a script committing in a loop saves one round trip per
    transaction (about a tenth of a one-version commit), and no restart fits
    in that time (a server that is restarting refuses new connections too,
    so the ping would not save the transaction either). Giving
    ``pool_pre_ping`` explicitly uses SQLAlchemy's ping on every checkout
    instead. A connection lost inside a
    transaction cannot be replaced without losing its work: the statement
    raises :class:`~stalker_core.exceptions.DatabaseUnavailableError` saying
    the connection was lost and that nothing was written (or, lost during a
    commit, that the changes may or may not have been); roll the session
    back and the next transaction reconnects.
    """
    parsed = normalise_url(url)
    wal = False
    own_ping = False
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if not db or db == ":memory:":
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        else:
            path = sqlite_file(parsed)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            if _is_sqlite_file(db, parsed.query):
                connect_args = dict(kwargs.get("connect_args") or {})
                connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
                kwargs["connect_args"] = connect_args
                wal = sqlite_wal
    else:
        # a pooled connection the server dropped (restart, failover, idle
        # timeout) is replaced at checkout instead of failing the next statement
        own_ping = "pool_pre_ping" not in kwargs
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "handle_error", _connection_lost)
    event.listen(engine, "handle_error", schema_mismatch)
    if own_ping:
        event.listen(engine, "connect", _note_answer)
        event.listen(engine, "checkin", _note_answer)
        event.listen(engine, "checkout", _ping_when_idle(engine.dialect))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if wal:
            event.listen(engine, "connect", _sqlite_wal)
        event.listen(engine, "before_cursor_execute", _sqlite_write_lock)
    return engine
