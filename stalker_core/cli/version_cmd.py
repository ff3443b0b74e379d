"""``stalker version save|open|publish|list|update``: versions from the command line.

The commands use the active host (the standalone host outside an
application): ``save`` copies a file (``--file``) into a new version of a
task (an empty placeholder only with ``--empty``), ``publish`` opens the
version's file and runs the publish stages, ``list`` prints versions with
their description, author and date, ``update`` changes a description
without saving again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stalker_core.cli.acting import acting_user
from stalker_core.cli.acting import authorize as _authorize
from stalker_core.cli.lookup import find_by_id as _get
from stalker_core.cli.main import connect, database_option, plugin_manager
from stalker_core.cli.output import emit_rows, make_console, output_options
from stalker_core.cli.params import ID, LIMIT
from stalker_core.exceptions import ValidationError

LIST_COLUMNS = ("id", "task", "take", "v", "published", "description", "author", "date",
                "with", "path")


def _host_and_pm(ctx: click.Context) -> tuple[Any, Any]:
    from stalker_core.workflows import get_host

    pm = plugin_manager(ctx)
    return get_host(pm), pm


@click.group(name="version")
def command() -> None:
    """Save, open, publish and list versions."""


@command.command(name="save")
@database_option
@click.option("--task", "task_id", type=ID, required=True, help="Id of the task.")
@click.option("--file", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The file to save as the new version.")
@click.option("--empty", is_flag=True,
              help="Without --file: save an empty (0-byte) placeholder version on purpose.")
@click.option("--take", default="Main", show_default=True, help="Take name.")
@click.option("-m", "--description", default="", help="What changed.")
@click.option("--ext", "extension", default=None,
              help="File extension (default: the source file's, else the host's).")
@click.option("--user", "login", default=None,
              help="Login of the artist who saves, as --as (default: the OS login's user).")
@click.pass_context
def save_cmd(ctx: click.Context, task_id: int, source: Path | None, empty: bool, take: str,
             description: str, extension: str | None, login: str | None) -> None:
    """Save a new version of a task from --file (or the host's open work file)."""
    from stalker_core.models import Task
    from stalker_core.workflows import save_as_version

    if source is not None and empty:
        raise click.UsageError("--file and --empty cannot be used together")
    host, pm = _host_and_pm(ctx)
    if source is None and not empty and host.current_file() is None:
        raise ValidationError(
            "nothing to save: no --file was given and the host has no open work file; "
            "pass --file PATH (the file to save as the version), or --empty to save an "
            "empty placeholder on purpose"
        )
    session = connect(ctx)
    task = _get(session, Task, task_id, "task")
    who = acting_user(session, login)
    if source is not None:
        host.open_file(source.resolve())
        if extension is None and source.suffix:
            extension = source.suffix
    v = save_as_version(host, task, take_name=take, description=description, user=who,
                        session=session, pm=pm, extension=extension)
    click.echo(f"saved version {v.id} (v{v.version_number:03d}): {v.absolute_full_path}")


@command.command(name="open")
@click.argument("version_id", type=ID)
@database_option
@click.option("--force", is_flag=True, help="Discard unsaved changes.")
@click.pass_context
def open_cmd(ctx: click.Context, version_id: int, force: bool) -> None:
    """Open a version in the active host and print the scene checks."""
    from stalker_core.models import Version
    from stalker_core.workflows import open_version

    session = connect(ctx)
    version = _get(session, Version, version_id, "version")
    host, pm = _host_and_pm(ctx)
    result = open_version(host, version, force=force, session=session, pm=pm)
    click.echo(f"opened {result.path}")
    for check in result.checks:
        click.echo(f"{check.severity}: {check.title}: {check.message} ({check.plugin})")


@command.command(name="publish")
@click.argument("version_ids", metavar="VERSION_ID...", type=ID, nargs=-1, required=True)
@database_option
@click.option("--repair", is_flag=True, help="Run the repairs of failing checks, then re-check.")
@click.pass_context
def publish_cmd(ctx: click.Context, version_ids: tuple[int, ...], repair: bool) -> None:
    """Publish versions: collect, validate, extract, integrate (a progress bar for several).

    Each version is published on its own: one that fails is reported and the
    others still go; the command fails when any did.
    """
    from stalker_core.cli.main import warn
    from stalker_core.cli.output import progress
    from stalker_core.exceptions import PublishValidationError, StalkerError
    from stalker_core.models import Version

    session = connect(ctx)
    versions = [_get(session, Version, vid, "version") for vid in version_ids]
    who = acting_user(session)
    host, pm = _host_and_pm(ctx)
    console = make_console()
    failed: list[str] = []
    with progress("publishing", total=len(versions), show=len(versions) > 1) as bar:
        for version in versions:
            bar.describe(f"publishing version {version.id}")
            try:
                _publish_one(host, pm, session, console, version, repair, len(versions) > 1,
                             who)
            except (PublishValidationError, StalkerError) as exc:
                if len(versions) == 1:
                    raise
                session.rollback()
                failed.append(f"version {version.id}: {' '.join(str(exc).split())}")
            bar.advance()
    for line in failed:
        warn(f"not published: {line}")
    if failed:
        raise StalkerError(f"{len(failed)} of {len(versions)} versions were not published "
                           "(see the warnings above)")


def _publish_one(host: Any, pm: Any, session: Any, console: Any, version: Any, repair: bool,
                 reopen: bool, who: Any = None) -> None:
    from stalker_core.exceptions import PublishValidationError
    from stalker_core.workflows import publish

    path = Path(version.absolute_full_path)
    if (reopen or host.current_file() is None) and path.is_file():
        host.open_file(path)
    try:
        report = publish(host, version, user=who, session=session, pm=pm, auto_repair=repair)
    except PublishValidationError as exc:
        print_results(console, exc.results)
        raise
    print_results(console, report.results)
    for p in report.published_paths:
        click.echo(f"published {p}")
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)


def print_results(console: Any, results: list[Any]) -> None:
    """Print validation results as a table (nothing when there are none)."""
    from rich.table import Table

    if not results:
        return
    table = Table(title="validation")
    for col in ("severity", "check", "item", "message", "plugin", "repair"):
        table.add_column(col)
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for r in results:
        table.add_row(f"[{colours[r.severity]}]{r.severity}[/]", r.title, r.item, r.message,
                      r.plugin, r.repair_label if r.repair else "")
    console.print(table)


@command.command(name="list")
@database_option
@click.option("--task", "task_id", type=ID, default=None, help="Only this task's versions.")
@click.option("--project", "project_code", default=None,
              help="Only this project's versions (code or id).")
@click.option("--user", "login", default=None, help="Only versions saved by this user (login).")
@click.option("--published", is_flag=True, help="Only published versions.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="At most this many.")
@output_options()
@click.pass_context
def list_cmd(ctx: click.Context, task_id: int | None, project_code: str | None,
             login: str | None, published: bool, limit: int) -> None:
    """List versions, newest first, with their description, author and date.

    A long listing prints plain aligned columns instead of a table; --json
    and --csv print each row as it is read.
    """
    # rows are read as plain columns in chunks (no model objects) and printed as
    # they come (output.emit_rows): 100,000 versions take seconds, not minutes
    from sqlalchemy import select

    from stalker_core.cli.lookup import find_project, find_user, require_id
    from stalker_core.models import Task, User, Version

    session = connect(ctx)
    versions, users = Version.__table__, User.__table__
    stmt = (select(Version.id, Version.task_id, Version.take_name, Version.version_number,
                   Version.is_published, Version.description, users.c.login,
                   Version.date_created, Version.created_with, Version.path, Version.filename)
            .select_from(Version)
            .outerjoin(users, users.c.id == Version.created_by_id)
            .order_by(Version.id.desc()))
    if task_id is not None:
        require_id(session, Task, task_id, "task")
        stmt = stmt.where(Version.task_id == task_id)
    if project_code is not None:
        project = find_project(session, project_code)
        stmt = stmt.where(Version.task_id.in_(
            select(Task.__table__.c.id).where(Task.__table__.c.project_id == project.id)))
    if login is not None:
        stmt = stmt.where(Version.created_by_id == find_user(session, login).id)
    if published:
        stmt = stmt.where(versions.c.is_published.is_(True))
    result = session.execute(stmt.limit(limit).execution_options(yield_per=LIST_CHUNK))
    emit_rows(_version_rows(session, result), LIST_COLUMNS,
              title=lambda n: f"versions ({n})")


#: rows read from the database at a time by ``version list``
LIST_CHUNK = 2000


def _version_rows(session: Any, result: Any) -> Any:
    """The rows of ``version list``, chunk by chunk; task paths resolved once per task."""
    from stalker_core.models.paths import join_path
    from stalker_core.models.task.queries import TaskPaths

    paths = TaskPaths(session)
    for chunk in result.partitions():
        paths.load({r.task_id for r in chunk})
        for (vid, tid, take, number, is_published, description, author, date, created_with,
             path, filename) in chunk:
            yield {
                "id": vid, "task": f"{paths[tid]} ({tid})", "task_id": tid, "take": take,
                "v": number, "published": bool(is_published), "description": description or "",
                "author": author, "date": date, "with": created_with or "",
                "path": join_path(path, filename),
            }


@command.command(name="update")
@click.argument("version_id", type=ID)
@database_option
@click.option("-m", "--description", required=True, help="The new description.")
@click.pass_context
def update_cmd(ctx: click.Context, version_id: int, description: str) -> None:
    """Change the description of a version (no new save needed)."""
    from stalker_core.models import Version

    session = connect(ctx)
    version = _get(session, Version, version_id, "version")
    _authorize(session, "Update", version, what=f"version {version.id} ({version.filename})")
    old = version.description or ""
    version.description = description
    session.commit()
    click.echo(f"version {version.id} ({version.filename}): description "
               f"{old!r} -> {description!r}")
