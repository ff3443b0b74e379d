"""``stalker timelog add|list``: log work on a task.

A time log follows the library's rules: the task must be a leaf in a
status that takes work (RTS, WIP, HREV, DREV; the first log moves it to
WIP), its dependencies must allow work to start, and a user is never
booked twice at the same time.
"""

from __future__ import annotations

import datetime as dt

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_rows, output_options
from stalker_core.cli.params import ID, LIMIT, TIMING, WHEN

LIST_COLUMNS = ("id", "task", "user", "start", "end", "hours", "description")


@click.group(name="timelog")
def command() -> None:
    """Log and list work time."""


@command.command(name="add")
@database_option
@click.option("--task", "task_id", type=ID, required=True, help="Id of the (leaf) task.")
@click.option("--user", "login", default=None,
              help="Login of who worked (default: the only resource of the task).")
@click.option("--start", type=WHEN, required=True, help="Start (2026-05-04T10:00, or now).")
@click.option("--end", type=WHEN, default=None, help="End; or give --duration.")
@click.option("--duration", type=TIMING, default=None, help="Length, e.g. 2h or 90min.")
@click.option("-m", "--description", default="", help="What was done.")
def add_cmd(task_id: int, login: str | None, start: dt.datetime, end: dt.datetime | None,
            duration: tuple[float, str] | None, description: str) -> None:
    """Log work on a task from --start to --end (or for --duration)."""
    from stalker_core.cli.lookup import find_by_id, find_user
    from stalker_core.exceptions import ValidationError
    from stalker_core.models import Task, TimeLog

    if (end is None) == (duration is None):
        raise click.UsageError("give either --end or --duration")
    if duration is not None:
        value, unit = duration
        if unit not in ("min", "h"):
            raise click.UsageError("--duration takes minutes or hours (90min, 2h): "
                                   "a day of work depends on the calendar, give --end")
        end = start + dt.timedelta(minutes=value) if unit == "min" else (
            start + dt.timedelta(hours=value))
    session = connect()
    task = find_by_id(session, Task, task_id, "task")
    if login is not None:
        user = find_user(session, login)
    elif len(task.resources) == 1:
        user = task.resources[0]
    else:
        raise ValidationError(
            f"task {task.id} has {len(task.resources)} resources; say who worked with --user")
    authorize(session, "Create", "TimeLog",
              what=f"a TimeLog of {user.login!r} on task {task.id} ({task.name!r})")
    before = task.status.code if task.status else "-"
    log = TimeLog(task=task, resource=user, start=start, end=end, description=description)
    session.add(log)
    session.commit()
    after = task.status.code if task.status else "-"
    moved = f"; task status {before} -> {after}" if after != before else ""
    click.echo(f"logged {log.seconds / 3600:g} h on task {task.id} ({task.name!r}) for "
               f"{user.login} as time log {log.id}{moved}")


@command.command(name="list")
@database_option
@click.option("--task", "task_id", type=ID, default=None, help="Only this task.")
@click.option("--user", "login", default=None, help="Only this user (login).")
@click.option("--limit", type=LIMIT, default=100, show_default=True, help="At most this many.")
@output_options()
def list_cmd(task_id: int | None, login: str | None, limit: int) -> None:
    """List time logs, newest first."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from stalker_core.cli.lookup import find_user, require_id
    from stalker_core.models import Task, TimeLog

    session = connect()
    stmt = (select(TimeLog).options(selectinload(TimeLog.resource), selectinload(TimeLog.task))
            .order_by(TimeLog.start.desc()))
    if task_id is not None:
        require_id(session, Task, task_id, "task")
        stmt = stmt.where(TimeLog.task_id == task_id)
    if login is not None:
        stmt = stmt.where(TimeLog.resource_id == find_user(session, login).id)
    logs = session.scalars(stmt.limit(limit)).all()
    rows = [{"id": lg.id, "task": lg.task_id, "user": lg.resource.login, "start": lg.start,
             "end": lg.end, "hours": round(lg.seconds / 3600, 2),
             "description": lg.description or ""} for lg in logs]
    emit_rows(rows, LIST_COLUMNS, title=f"time logs ({len(rows)})")
