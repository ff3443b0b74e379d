"""``stalker db``: database commands (contract C4).

* ``stalker db upgrade`` — bring the schema to the newest revision (a fresh
  database is created and stamped);
* ``stalker db init`` — create the schema if needed and the default data;
* ``stalker db current`` — print the schema revision of the database.

Each takes ``--url`` (default: the configured database URL).
"""

from __future__ import annotations

import click

_URL_HELP = "Database URL (default: the configured one)."


def _url(url: str | None) -> str:
    if url is not None:
        return url
    from stalker_core.config import get_config

    return get_config().database_url


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return url


@click.group(name="db")
def command() -> None:
    """Database schema and default data."""


@command.command(name="upgrade")
@click.option("--url", default=None, help=_URL_HELP)
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade_cmd(url: str | None, revision: str) -> None:
    """Upgrade the database schema (create it when the database is empty)."""
    from stalker_core.db import migrate
    from stalker_core.db.engine import make_engine
    from stalker_core.db.setup import prepare_schema

    url = _url(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            before = migrate.current_revision(conn)
        if revision == "head":
            done = prepare_schema(engine, auto_upgrade=True)
        else:
            migrate.upgrade(engine, revision)
            done = "upgraded"
        with engine.connect() as conn:
            after = migrate.current_revision(conn)
    finally:
        engine.dispose()
    if done == "current":
        click.echo(f"{_safe(url)}: already at revision {after}")
    elif done == "created":
        click.echo(f"{_safe(url)}: schema created at revision {after}")
    else:
        click.echo(f"{_safe(url)}: upgraded from {before} to {after}")


@command.command(name="init")
@click.option("--url", default=None, help=_URL_HELP)
def init_cmd(url: str | None) -> None:
    """Create the schema if needed and the default data (idempotent)."""
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    url = _url(url)
    engine = db.setup({"sqlalchemy.url": url})
    try:
        db.init()
    finally:
        DBSession.remove()
        engine.dispose()
    click.echo(f"{_safe(url)}: default data present")


@command.command(name="current")
@click.option("--url", default=None, help=_URL_HELP)
def current_cmd(url: str | None) -> None:
    """Print the schema revision of the database (and whether it is the newest)."""
    from stalker_core.db import migrate
    from stalker_core.db.engine import make_engine

    url = _url(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rev = migrate.current_revision(conn)
    finally:
        engine.dispose()
    if rev is None:
        click.echo(f"{_safe(url)}: no schema version (empty or not a stalker_core database)")
    elif rev == migrate.HEAD:
        click.echo(f"{_safe(url)}: {rev} (head)")
    else:
        click.echo(f"{_safe(url)}: {rev} (head is {migrate.HEAD}; run 'stalker db upgrade')")
