"""``setup()`` and ``init()`` of the tutorial API.

``setup()`` binds :data:`~stalker_core.orm.session.DBSession` to an engine and
brings the schema to the current version:

* an empty database is created from the models in one go and stamped at the
  head revision (fast: no migration replay);
* a database at the head revision is left alone (one query);
* an older stalker_core database is upgraded with the packaged Alembic
  migrations (``auto_upgrade=False`` refuses instead and asks for
  ``stalker db upgrade``);
* anything else (tables without a version, an unknown revision, a Stalker
  database) raises :class:`~stalker_core.exceptions.DatabaseError` saying
  what the database is and what to do.

``setup(create=False)`` (what the command line uses, except ``stalker db
init|upgrade`` and ``stalker demo``) refuses a missing or empty database
instead of creating one, so a mistyped URL is an error, not a new studio.
:func:`database_state` looks at a database without creating anything.

``init()`` adds the default data (idempotent, see :mod:`stalker_core.db.defaults`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import URL, Connection, Engine, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateIndex, CreateTable

from stalker_core.db import migrate

# Stalker's set-up helpers, where Stalker scripts import them from
from stalker_core.db.compat import alembic_version as alembic_version
from stalker_core.db.compat import create_entity_statuses as create_entity_statuses
from stalker_core.db.compat import get_alembic_version as get_alembic_version
from stalker_core.db.compat import register as register
from stalker_core.db.engine import make_engine, safe_url, sqlite_file
from stalker_core.exceptions import DatabaseError
from stalker_core.orm._sqla_private import inline_foreign_keys
from stalker_core.orm.session import DBSession


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
        # an earlier create_all on another backend marks use_alter keys
        # "ALTER only" (SQLAlchemy's AddConstraint); SQLite needs them inline
        inline_foreign_keys(table)
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


#: what to do about a missing or empty database (the commands that create one)
CREATE_HINT = (
    "create it with 'stalker db init' (or 'stalker demo' for a demo studio), "
    "or check the database URL (--db, or database_url in the configuration)"
)


@dataclass(frozen=True)
class DatabaseState:
    """What :func:`database_state` found, without creating anything.

    :ivar url: the URL, password hidden.
    :ivar problem: why there is no database to use (missing file, failed
        connection), else ``None``.
    :ivar revision: the schema revision it is stamped with (``None``: none).
    :ivar has_tables: it holds stalker tables.
    :ivar foreign: what the database is when it is another program's (a
        Stalker database, see :func:`~stalker_core.db.migrate.foreign_database`).
    """

    url: str
    problem: str | None = None
    revision: str | None = None
    has_tables: bool = False
    foreign: str | None = None

    @property
    def exists(self) -> bool:
        """The database could be reached."""
        return self.problem is None

    @property
    def empty(self) -> bool:
        """Reached, but holding no stalker_core schema."""
        return (self.exists and self.revision is None and not self.has_tables
                and self.foreign is None)


def _connect_problem(exc: OperationalError) -> str:
    cause = getattr(exc, "orig", None) or exc
    return " ".join(str(cause).split()) or type(cause).__name__


def database_state(url: str | URL) -> DatabaseState:
    """Look at the database of ``url`` without creating it or anything in it."""
    shown = safe_url(url)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        return DatabaseState(shown, problem=f"the file {path} does not exist")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision = migrate.current_revision(conn)
            return DatabaseState(
                shown, revision=revision,
                has_tables=inspect(conn).has_table("simple_entities"),
                foreign=migrate.foreign_database(conn, revision),
            )
    except OperationalError as exc:
        return DatabaseState(shown, problem=_connect_problem(exc))
    finally:
        engine.dispose()


def require_database(url: str | URL) -> None:
    """Refuse a database that is missing (no file, cannot connect) or empty.

    :raises DatabaseError: naming the database and the command that creates it.
    """
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise DatabaseError(
            f"no stalker_core database at {safe_url(url)!r}: the file {path} does not exist; "
            f"{CREATE_HINT}"
        )


def prepare_schema(engine: Engine, *, auto_upgrade: bool = True, create: bool = True) -> str:
    """Create, keep or upgrade the schema of ``engine``'s database; return what was done.

    :param create: create the schema of an empty database (else refuse it,
        and turn a failed connection into a :class:`DatabaseError` saying how
        to create the database).
    :returns: ``"created"``, ``"current"`` or ``"upgraded"``.
    :raises DatabaseError: see the module docstring.
    """
    shown = safe_url(engine.url)
    try:
        with engine.begin() as conn:
            current = migrate.current_revision(conn)
            if current == migrate.HEAD:
                return "current"
            foreign = migrate.foreign_database(conn, current)
            if foreign is not None:
                raise DatabaseError(f"the database {shown!r} is {foreign}")
            if current is None:
                if inspect(conn).has_table("simple_entities"):
                    raise DatabaseError(
                        f"database {shown!r} has stalker tables but no schema version; it "
                        "was not made by this stalker_core. Use a new database, or stamp "
                        "it (see 'python -m stalker_core.db.migrate --help')"
                    )
                if not create:
                    raise DatabaseError(
                        f"the database {shown!r} is empty, not a stalker_core database "
                        f"yet; {CREATE_HINT}"
                    )
                create_tables(conn)
                migrate.stamp(conn, migrate.HEAD)
                return "created"
    except OperationalError as exc:
        if create:
            raise
        raise DatabaseError(
            f"cannot use the database {shown!r}: {_connect_problem(exc)}; {CREATE_HINT}"
        ) from None
    if not auto_upgrade:
        raise DatabaseError(
            f"the database schema is at revision {current!r}, this stalker_core needs "
            f"{migrate.HEAD!r}; run 'stalker db upgrade' (back the database up first)"
        )
    migrate.upgrade(engine)
    return "upgraded"


def setup(
    settings: dict[str, Any] | None = None, *, auto_upgrade: bool = True, create: bool = True
) -> Engine:
    """Connect ``DBSession`` to the database and create or upgrade its schema.

    :param settings: ``{"sqlalchemy.url": ...}`` as in the tutorial; ``None``
        (or no URL) uses the configured database URL. Other ``sqlalchemy.*``
        keys are passed to :func:`sqlalchemy.create_engine` (e.g.
        ``"sqlalchemy.echo": True``).
    :param auto_upgrade: upgrade an older database (default) or refuse.
    :param create: create a missing or empty database (default, as in the
        tutorial) or refuse it with a :class:`DatabaseError` that says how to
        create it.
    :returns: the engine.
    """
    from stalker_core import models  # noqa: F401 - map every class

    settings = dict(settings or {})
    url = settings.pop("sqlalchemy.url", None)
    if url is None:
        from stalker_core.config import get_config

        url = get_config().database_url
    extra = {k.split(".", 1)[1]: v for k, v in settings.items() if k.startswith("sqlalchemy.")}
    if not create:
        require_database(url)
    engine = make_engine(url, **extra)
    try:
        prepare_schema(engine, auto_upgrade=auto_upgrade, create=create)
    except BaseException:
        engine.dispose()
        raise
    DBSession.remove()
    DBSession.configure(bind=engine)
    from stalker_core.models import repository

    register = getattr(repository, "register_all_env_vars", None)
    if register is not None:
        register(DBSession)
    return engine


def init() -> dict[str, int]:
    """Create the default data (idempotent): admin, statuses, status lists, types.

    :returns: how many rows of each kind were added (empty: all were there).
    """
    from stalker_core.db.defaults import create_defaults

    added = create_defaults(DBSession)
    DBSession.commit()
    return added
