"""``stalker db``: database commands (contract C4).

* ``stalker db upgrade`` — bring the schema to the newest revision (or
  ``--revision``); an empty or missing database is created;
* ``stalker db init`` — create the schema if needed and the default data;
* ``stalker db current`` — print the schema revision of the database
  (never creates anything);
* ``stalker db import-stalker URL`` — copy a Stalker database into this one
  (docs/stalker-import.md).

Every one acts on the database of ``--db`` (before or after ``db``), else
the configured one, and names it in its output. Each message says what was
done: created, upgraded from one revision to another, or nothing.
"""

from __future__ import annotations

import json

import click

from stalker_core.cli.main import database_option, database_url
from stalker_core.cli.output import output_options


@click.group(name="db")
def command() -> None:
    """Database schema and default data."""


@command.command(name="upgrade")
@database_option
@click.option("--revision", default="head", show_default=True,
              help="Target revision (a revision id, or head).")
def upgrade_cmd(revision: str) -> None:
    """Upgrade the database schema (create it when the database is empty or missing)."""
    from stalker_core.cli.output import progress
    from stalker_core.db import migrate
    from stalker_core.db.engine import make_engine, safe_url
    from stalker_core.db.setup import database_state, prepare_schema

    url = database_url()
    state = database_state(url)
    if state.foreign is not None or (state.has_tables and state.revision is None):
        prepare_schema(make_engine(url))  # raises: another program's database, no version
    steps = migrate.upgrade_steps(state.revision, revision)
    shown = safe_url(url)
    if not steps:
        click.echo(f"{shown}: already at revision {state.revision}; nothing to do")
        return
    engine = make_engine(url)
    try:
        if state.revision is None and steps[-1] == migrate.HEAD:
            prepare_schema(engine)
            click.echo(f"{shown}: schema created at revision {migrate.HEAD}")
            return
        with progress("upgrading the schema", total=len(steps)) as bar:
            for step in steps:
                bar.describe(f"migration {step}")
                migrate.upgrade(engine, step)
                bar.advance()
    finally:
        engine.dispose()
    before = state.revision or "an empty database"
    click.echo(f"{shown}: upgraded from {before} to {steps[-1]} "
               f"({len(steps)} migration{'s' if len(steps) != 1 else ''}: {', '.join(steps)})")


@command.command(name="init")
@database_option
def init_cmd() -> None:
    """Create the schema if needed and the default data (idempotent)."""
    from stalker_core import db
    from stalker_core.db import migrate
    from stalker_core.db.setup import database_state
    from stalker_core.orm.session import DBSession

    url = database_url()
    before = database_state(url)
    engine = db.setup({"sqlalchemy.url": url})
    try:
        added = db.init()
    finally:
        DBSession.remove()
        engine.dispose()
    if before.revision is None:
        done = [f"schema created at revision {migrate.HEAD}"]
    elif before.revision != migrate.HEAD:
        done = [f"schema upgraded from {before.revision} to {migrate.HEAD}"]
    else:
        done = [f"schema at revision {migrate.HEAD}"]
    if added:
        done.append("default data created (" + ", ".join(
            f"{n} {kind}" for kind, n in added.items()) + ")")
    else:
        done.append("default data already present, nothing added")
    click.echo(f"{before.url}: " + "; ".join(done))


@command.command(name="current")
@database_option
def current_cmd() -> None:
    """Print the schema revision of the database (and whether it is the newest)."""
    from stalker_core.db import migrate
    from stalker_core.db.setup import database_state

    state = database_state(database_url())
    if not state.exists:
        click.echo(f"{state.url}: no database ({state.problem}); "
                   "'stalker db init' creates it")
    elif state.foreign is not None:
        click.echo(f"{state.url}: {state.foreign}")
    elif state.revision is None and state.has_tables:
        click.echo(f"{state.url}: stalker tables without a schema version "
                   "(not made by this stalker_core)")
    elif state.revision is None:
        click.echo(f"{state.url}: empty (no stalker_core schema); 'stalker db init' creates it")
    elif state.revision == migrate.HEAD:
        click.echo(f"{state.url}: {state.revision} (head)")
    else:
        click.echo(f"{state.url}: {state.revision} (head is {migrate.HEAD}; "
                   "run 'stalker db upgrade')")


@command.command(name="import-stalker")
@database_option
@output_options(csv_too=False)
@click.argument("source_url", metavar="URL")
def import_stalker_cmd(source_url: str) -> None:
    """Copy the Stalker database at URL into this database (a second run changes nothing).

    Reads Stalker 0.2.x to 1.1 (Alembic head 9f9b88fef376); creates this
    database's schema and default data first when needed. Prints the rows
    created, already present and skipped per kind, then what could not be
    mapped.
    """
    from stalker_core import db
    from stalker_core.cli.output import emit_rows, output_format, progress
    from stalker_core.db.engine import safe_url
    from stalker_core.db.stalker_import import import_stalker
    from stalker_core.orm.session import DBSession

    url = database_url()
    engine = db.setup({"sqlalchemy.url": url})
    try:
        db.init()
    finally:
        DBSession.remove()
        engine.dispose()
    with progress("copying from Stalker") as bar:
        def step(kind: str, done: int, total: int) -> None:
            bar.total(total)
            bar.describe(f"copying {kind}")
            bar.advance()

        report = import_stalker(source_url, url, progress=step)
    if output_format() == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    rows = [{"kind": kind, "created": c.created, "already there": c.existing,
             "skipped": c.skipped} for kind, c in report.counts.items()
            if c.created or c.existing or c.skipped]
    emit_rows(rows, ["kind", "created", "already there", "skipped"],
              title=f"{report.source} ({report.era}, {report.revision}) -> {safe_url(url)}")
    if report.not_mapped:
        click.echo(f"not mapped ({len(report.not_mapped)}):")
        for line in report.not_mapped:
            click.echo(f"  - {line}")
    click.echo(f"{report.created} rows created" if report.created
               else "nothing new: everything was already imported")
