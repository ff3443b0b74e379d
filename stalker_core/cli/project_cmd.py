"""``stalker project list|show|create-structure``.

``list`` prints every project (code, name, status, dates, counts);
``show PROJECT`` its details, users and root tasks; ``create-structure
PROJECT`` renders the project's ``structure.custom_template`` and creates
its folders under the project's repository (idempotent). PROJECT is a code
or an id. All read the database of ``--db`` (else the configured one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_record, emit_rows, output_options, progress

LIST_COLUMNS = ("id", "code", "name", "status", "start", "end", "tasks", "users", "repository")


@click.group(name="project")
def command() -> None:
    """List, show and create the folders of projects."""


def _counts(session: Any, column: Any, group_by: Any) -> dict[int, int]:
    from sqlalchemy import func, select

    return {k: n for k, n in session.execute(
        select(group_by, func.count(column)).group_by(group_by))}


def _status_code(obj: Any) -> str | None:
    status = getattr(obj, "status", None)
    return status.code if status is not None else None


@command.command(name="list")
@database_option
@output_options()
def list_cmd() -> None:
    """List the projects."""
    from sqlalchemy import select

    from stalker_core.models import Project, Task
    from stalker_core.models.project import ProjectUser

    session = connect()
    projects = session.scalars(select(Project).order_by(Project.code)).all()
    tasks = _counts(session, Task.id, Task.project_id)
    links = ProjectUser.__table__.c
    users = _counts(session, links.user_id, links.project_id)
    rows = [{
        "id": p.id, "code": p.code, "name": p.name, "status": _status_code(p),
        "start": p.start, "end": p.end, "tasks": tasks.get(p.id, 0),
        "users": users.get(p.id, 0),
        "repository": p.repository.path if p.repository is not None else None,
    } for p in projects]
    emit_rows(rows, LIST_COLUMNS, title=f"projects ({len(rows)})")


@command.command(name="show")
@click.argument("project")
@database_option
@output_options(csv_too=False)
def show_cmd(project: str) -> None:
    """Show PROJECT (a code or an id): its fields, users and root tasks."""
    from stalker_core.cli.lookup import find_project

    session = connect()
    p = find_project(session, project)
    record = {
        "id": p.id, "code": p.code, "name": p.name, "status": _status_code(p),
        "description": p.description, "fps": p.fps, "start": p.start, "end": p.end,
        "repositories": [r.path for r in p.repositories],
        "structure": p.structure.name if p.structure is not None else None,
        "tasks": len(p.tasks),
    }
    users = [{"login": u.login, "name": u.name} for u in p.users]
    roots = [{"id": t.id, "name": t.name, "type": t.entity_type, "status": _status_code(t)}
             for t in sorted(p.root_tasks, key=lambda t: t.id)]
    emit_record(record, title=f"project {p.code}", sections={
        "users": (users, ("login", "name")),
        "root_tasks": (roots, ("id", "name", "type", "status")),
    })


@command.command(name="create-structure")
@click.argument("project")
@database_option
def create_structure(project: str) -> None:
    """Create the folders of PROJECT's structure (PROJECT is a code or an id)."""
    from stalker_core.cli.lookup import find_project
    from stalker_core.templates.folders import create_project_structure

    session = connect()
    found = find_project(session, project)
    authorize(session, "Update", found, what=f"the folders of project {found.code!r}")
    with progress(f"creating the folders of {found.code}") as bar:

        def made(_path: Path, _done: int, total: int) -> None:
            bar.total(total)
            bar.advance()

        paths = create_project_structure(found, on_folder=made)
    if not paths:
        click.echo(f"project {found.code!r}: its structure lists no folders")
        return
    for path in paths:
        click.echo(str(path))
    click.echo(f"project {found.code!r}: {len(paths)} folder(s) ready")
