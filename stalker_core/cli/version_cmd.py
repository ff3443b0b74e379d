"""``stalker version save|open|publish|list``: the version workflows from the command line.

The commands use the active host (the standalone host outside an
application): ``save`` copies a file into a new version of a task,
``publish`` opens the version's file and runs the publish stages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stalker_core.cli.main import connect, plugin_manager
from stalker_core.exceptions import StalkerError


def _get(session: Any, cls: Any, ident: int, what: str) -> Any:
    obj = session.get(cls, ident)
    if obj is None:
        raise StalkerError(f"no {what} with id {ident}")
    return obj


def _host_and_pm(ctx: click.Context) -> tuple[Any, Any]:
    from stalker_core.workflows import get_host

    pm = plugin_manager(ctx)
    return get_host(pm), pm


@click.group(name="version")
def command() -> None:
    """Save, open, publish and list versions."""


@command.command(name="save")
@click.option("--task", "task_id", type=int, required=True, help="Id of the task.")
@click.option("--file", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The file to save as the new version (standalone host).")
@click.option("--take", default="Main", show_default=True, help="Take name.")
@click.option("-m", "--description", default="", help="What changed.")
@click.option("--ext", "extension", default=None,
              help="File extension (default: the source file's, else the host's).")
@click.option("--user", "login", default=None, help="Login of the artist (default: OS login).")
@click.pass_context
def save_cmd(ctx: click.Context, task_id: int, source: Path | None, take: str,
             description: str, extension: str | None, login: str | None) -> None:
    """Save a new version of a task."""
    from stalker_core.models import Task
    from stalker_core.workflows import save_as_version

    session = connect(ctx)
    task = _get(session, Task, task_id, "task")
    host, pm = _host_and_pm(ctx)
    if source is not None:
        host.open_file(source.resolve())
        if extension is None and source.suffix:
            extension = source.suffix
    v = save_as_version(host, task, take_name=take, description=description, user=login,
                        session=session, pm=pm, extension=extension)
    click.echo(f"saved version {v.id} (v{v.version_number:03d}): {v.absolute_full_path}")


@command.command(name="open")
@click.argument("version_id", type=int)
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
@click.argument("version_id", type=int)
@click.option("--repair", is_flag=True, help="Run the repairs of failing checks, then re-check.")
@click.pass_context
def publish_cmd(ctx: click.Context, version_id: int, repair: bool) -> None:
    """Publish a version: collect, validate, extract, integrate."""
    from rich.console import Console

    from stalker_core.exceptions import PublishValidationError
    from stalker_core.models import Version
    from stalker_core.workflows import publish

    session = connect(ctx)
    version = _get(session, Version, version_id, "version")
    host, pm = _host_and_pm(ctx)
    path = Path(version.absolute_full_path)
    if host.current_file() is None and path.is_file():
        host.open_file(path)
    console = Console()
    try:
        report = publish(host, version, session=session, pm=pm, auto_repair=repair)
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
@click.option("--task", "task_id", type=int, default=None, help="Only this task's versions.")
@click.option("--project", "project_code", default=None, help="Only this project's versions.")
@click.option("--published", is_flag=True, help="Only published versions.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_context
def list_cmd(ctx: click.Context, task_id: int | None, project_code: str | None,
             published: bool, limit: int) -> None:
    """List versions, newest first."""
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from stalker_core.models import Project, Task, Version

    session = connect(ctx)
    stmt = select(Version).options(selectinload(Version.task)).order_by(Version.id.desc())
    if task_id is not None:
        stmt = stmt.where(Version.task_id == task_id)
    if project_code is not None:
        tasks = Task.__table__
        project_ids = select(Project.__table__.c.id).where(Project.__table__.c.code == project_code)
        stmt = stmt.where(Version.task_id.in_(
            select(tasks.c.id).where(tasks.c.project_id.in_(project_ids))
        ))
    if published:
        stmt = stmt.where(Version.is_published.is_(True))
    versions = session.scalars(stmt.limit(limit)).all()
    table = Table(title=f"versions ({len(versions)})")
    for col in ("id", "task", "take", "v", "published", "with", "path"):
        table.add_column(col)
    for v in versions:
        table.add_row(str(v.id), f"{v.task.name} ({v.task_id})", v.take_name,
                      f"{v.version_number:03d}", "yes" if v.is_published else "",
                      v.created_with or "", v.full_path)
    Console().print(table)
