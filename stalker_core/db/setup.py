"""``setup()`` and ``init()`` of the tutorial API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

from stalker_core.db.session import DBSession


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings stalker_core needs."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def setup(settings: dict[str, Any] | None = None) -> Engine:
    """Connect ``DBSession`` to the database and create or upgrade its schema.

    :param settings: ``{"sqlalchemy.url": ...}`` as in the tutorial; ``None``
        uses the configured database URL.
    :returns: the engine.
    """
    from stalker_core import models  # noqa: F401 - map every class

    url = (settings or {}).get("sqlalchemy.url")
    if url is None:
        from stalker_core.config import get_config

        url = get_config().database_url
    engine = make_engine(url)
    DBSession.remove()
    DBSession.configure(bind=engine)
    models.Base.metadata.create_all(engine)
    from stalker_core.models import repository

    register = getattr(repository, "register_all_env_vars", None)
    if register is not None:
        register(DBSession)
    return engine


def init() -> None:
    """Create the default data (idempotent). Filled in by the foundation work."""
    from stalker_core.db.defaults import create_defaults

    create_defaults(DBSession)
    DBSession.commit()
