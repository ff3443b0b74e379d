"""Engines: ``make_engine(url)`` with the connection settings stalker_core needs.

Both :mod:`stalker_core.db.setup` (the tutorial's ``setup()``) and
:mod:`stalker_core.db.migrate` (Alembic maintenance) build their engines here,
so neither has to import the other for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from stalker_core.exceptions import DatabaseError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy drive transactions: pysqlite would otherwise auto-commit
    # every DDL statement (one fsync per CREATE TABLE) and break SAVEPOINTs
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


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


#: seconds a SQLite connection waits for another process's write lock
SQLITE_BUSY_TIMEOUT = 30.0


def _is_sqlite_file(database: str | None, query: Any) -> bool:
    """True for a SQLite database file (not ``:memory:`` nor a memory URI)."""
    if not database or database == ":memory:":
        return False
    if query.get("mode") == "memory" or "mode=memory" in database:
        return False
    return True


def make_engine(url: str, *, sqlite_wal: bool = True, **kwargs: Any) -> Engine:
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
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - re-raised as ours
        raise DatabaseError(f"invalid database URL {url!r}: {exc}") from None
    wal = False
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if not db or db == ":memory:":
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        else:
            if not db.startswith("file:"):
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            if _is_sqlite_file(db, parsed.query):
                connect_args = dict(kwargs.get("connect_args") or {})
                connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
                kwargs["connect_args"] = connect_args
                wal = sqlite_wal
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if wal:
            event.listen(engine, "connect", _sqlite_wal)
        event.listen(engine, "begin", _sqlite_begin)
    return engine
