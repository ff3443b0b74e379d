"""``setup()`` and ``init()`` of the tutorial API.

``setup()`` binds :data:`~stalker_core.db.session.DBSession` to an engine and
brings the schema to the current version:

* an empty database is created from the models in one go and stamped at the
  head revision (fast: no migration replay);
* a database at the head revision is left alone (one query);
* an older stalker_core database is upgraded with the packaged Alembic
  migrations (``auto_upgrade=False`` refuses instead and asks for
  ``stalker db upgrade``);
* anything else (tables without a version, an unknown revision) raises
  :class:`~stalker_core.exceptions.DatabaseError`.

``init()`` adds the default data (idempotent, see :mod:`stalker_core.db.defaults`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateIndex, CreateTable

from stalker_core.db.session import DBSession
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


def create_tables(conn: Connection) -> None:
    """Create every table of the models (with all foreign keys on every backend).

    SQLite cannot ALTER constraints in, so ``create_all`` would drop the
    ``use_alter`` foreign keys (created_by, type...); there they are created
    inline instead, as the migrations do.
    """
    from stalker_core.models import Base

    if conn.dialect.name != "sqlite":
        ours = set(Base.metadata.tables)
        if ours.intersection(inspect(conn).get_table_names()):
            Base.metadata.create_all(conn)  # partly there: create what is missing
            return
        # an empty database: the whole DDL in one round trip
        _execute_script(conn, _ddl_script(conn))
        return
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            # an earlier create_all on another backend marks use_alter keys
            # "ALTER only" (SQLAlchemy's AddConstraint); SQLite needs them inline
            fk._create_rule = None
        conn.execute(
            CreateTable(
                table, include_foreign_key_constraints=list(table.foreign_key_constraints)
            )
        )
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            conn.execute(CreateIndex(index))


def _ddl_script(conn: Connection) -> str:
    """The CREATE statements of every table, index and deferred foreign key, as one script."""
    from sqlalchemy import create_mock_engine

    from stalker_core.models import Base

    parts: list[str] = []
    dialect = conn.dialect

    def collect(sql: Any, *_: Any, **__: Any) -> None:
        parts.append(str(sql.compile(dialect=dialect)).strip())

    mock = create_mock_engine(conn.engine.url, collect)
    Base.metadata.create_all(mock, checkfirst=False)  # type: ignore[arg-type]
    return ";\n".join(parts) + ";"


def _execute_script(conn: Connection, script: str) -> None:
    """Run ``script`` on the raw DBAPI cursor (no parameter formatting), in the transaction."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(script)
    finally:
        cursor.close()


def prepare_schema(engine: Engine, *, auto_upgrade: bool = True) -> str:
    """Create, keep or upgrade the schema of ``engine``'s database; return what was done.

    :returns: ``"created"``, ``"current"`` or ``"upgraded"``.
    :raises DatabaseError: see the module docstring.
    """
    from stalker_core.db import migrate

    with engine.begin() as conn:
        current = migrate.current_revision(conn)
        if current == migrate.HEAD:
            return "current"
        if current is None:
            if inspect(conn).has_table("simple_entities"):
                raise DatabaseError(
                    f"database {engine.url.render_as_string(hide_password=True)!r} has "
                    "stalker tables but no schema version; it was not made by this "
                    "stalker_core. Use a new database, or stamp it (see "
                    "'python -m stalker_core.db.migrate --help')"
                )
            create_tables(conn)
            migrate.stamp(conn, migrate.HEAD)
            return "created"
    if not auto_upgrade:
        raise DatabaseError(
            f"the database schema is at revision {current!r}, this stalker_core needs "
            f"{migrate.HEAD!r}; run 'stalker db upgrade' (back the database up first)"
        )
    migrate.upgrade(engine)
    return "upgraded"


def setup(settings: dict[str, Any] | None = None, *, auto_upgrade: bool = True) -> Engine:
    """Connect ``DBSession`` to the database and create or upgrade its schema.

    :param settings: ``{"sqlalchemy.url": ...}`` as in the tutorial; ``None``
        (or no URL) uses the configured database URL. Other ``sqlalchemy.*``
        keys are passed to :func:`sqlalchemy.create_engine` (e.g.
        ``"sqlalchemy.echo": True``).
    :param auto_upgrade: upgrade an older database (default) or refuse.
    :returns: the engine.
    """
    from stalker_core import models  # noqa: F401 - map every class

    settings = dict(settings or {})
    url = settings.pop("sqlalchemy.url", None)
    if url is None:
        from stalker_core.config import get_config

        url = get_config().database_url
    extra = {k.split(".", 1)[1]: v for k, v in settings.items() if k.startswith("sqlalchemy.")}
    engine = make_engine(url, **extra)
    prepare_schema(engine, auto_upgrade=auto_upgrade)
    DBSession.remove()
    DBSession.configure(bind=engine)
    from stalker_core.models import repository

    register = getattr(repository, "register_all_env_vars", None)
    if register is not None:
        register(DBSession)
    return engine


def init() -> None:
    """Create the default data (idempotent): admin, statuses, status lists, types."""
    from stalker_core.db.defaults import create_defaults

    create_defaults(DBSession)
    DBSession.commit()
