"""``stalker user list|show``: the people of the studio, their tasks and time logs."""

from __future__ import annotations

import click

from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_record, emit_rows, output_options

LIST_COLUMNS = ("id", "login", "name", "email", "departments", "projects", "tasks")


@click.group(name="user")
def command() -> None:
    """List and show users."""


@command.command(name="list")
@database_option
@click.option("--project", "project_ref", default=None,
              help="Only the users of this project (code or id).")
@output_options()
def list_cmd(project_ref: str | None) -> None:
    """List the users with their departments, projects and number of tasks."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from stalker_core.cli.lookup import find_project
    from stalker_core.models import User

    session = connect()
    stmt = select(User).options(
        selectinload(User.department_roles), selectinload(User.project_roles),
        selectinload(User.tasks)).order_by(User.login)
    if project_ref is not None:
        project = find_project(session, project_ref)
        stmt = stmt.where(User.id.in_([u.id for u in project.users]))
    users = session.scalars(stmt).all()
    rows = [{
        "id": u.id, "login": u.login, "name": u.name, "email": u.email,
        "departments": sorted(d.name for d in u.departments),
        "projects": sorted(p.code for p in u.projects), "tasks": len(u.tasks),
    } for u in users]
    emit_rows(rows, LIST_COLUMNS, title=f"users ({len(rows)})")


@command.command(name="show")
@click.argument("user")
@database_option
@output_options(csv_too=False)
def show_cmd(user: str) -> None:
    """Show USER (a login or an id): fields, tasks and the latest time logs."""
    from stalker_core.cli.lookup import find_user
    from stalker_core.cli.task_cmd import task_paths

    session = connect()
    u = find_user(session, user)
    record = {
        "id": u.id, "login": u.login, "name": u.name, "email": u.email,
        "departments": sorted(d.name for d in u.departments),
        "groups": sorted(g.name for g in u.groups),
        "projects": sorted(p.code for p in u.projects),
        "efficiency": u.efficiency, "rate": u.rate, "last_login": u.last_login,
    }
    tasks = sorted(u.tasks, key=lambda t: t.id)
    paths = task_paths(session, {t.project_id for t in tasks})
    task_rows = [{"id": t.id, "project": t.project.code, "task": paths.get(t.id, t.name),
                  "status": t.status.code if t.status else None,
                  "end": t.computed_end or t.end} for t in tasks]
    logs = sorted(u.time_logs, key=lambda lg: lg.start, reverse=True)[:20]
    log_rows = [{"id": lg.id, "task": lg.task_id, "start": lg.start, "end": lg.end,
                 "hours": round(lg.seconds / 3600, 2)} for lg in logs]
    emit_record(record, title=f"user {u.login}", sections={
        "tasks": (task_rows, ("id", "project", "task", "status", "end")),
        "time_logs": (log_rows, ("id", "task", "start", "end", "hours")),
    })
