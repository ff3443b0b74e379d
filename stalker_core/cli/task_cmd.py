"""``stalker task list|show|create|update``: tasks for coordinators and TDs.

``list`` filters by project, resource, status, parent, lateness and due
date; ``show ID`` prints a task with its dependencies, resources, schedule,
versions and time logs; ``create`` and ``update`` set names, resources,
dependencies and schedule timing, and ``update --status`` moves a task
through the status workflow (review, approval, revision, hold, stop,
resume) with the same rules as the library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_record, emit_rows, output_options
from stalker_core.cli.params import ID, LIMIT, PRIORITY, TIMING, WHEN, timing_text
from stalker_core.cli.task_import_cmd import import_cmd
from stalker_core.exceptions import StatusError, ValidationError

LIST_COLUMNS = ("id", "project", "task", "type", "status", "resources", "timing", "start",
                "end", "late")
#: statuses of finished tasks: never late
DONE = ("CMPL", "STOP")


@click.group(name="task")
def command() -> None:
    """List, show, create, update and import tasks."""


def task_paths(session: Any, project_ids: Iterable[int]) -> dict[int, str]:
    """Task id -> ``Parent/Child/task``, from :func:`.queries.project_task_paths`."""
    from stalker_core.models.task.queries import project_task_paths

    return project_task_paths(session, project_ids)


def _end(task: Any) -> dt.datetime | None:
    return task.computed_end or task.end


def _is_late(task: Any, now: dt.datetime) -> bool:
    end = _end(task)
    code = task.status.code if task.status is not None else None
    return end is not None and end < now and code not in DONE


@command.command(name="list")
@database_option
@click.option("--project", "project_ref", default=None, help="Only this project (code or id).")
@click.option("--user", "login", default=None, help="Only tasks this user is a resource of.")
@click.option("--status", "statuses", multiple=True,
              help="Only tasks in this status (code, e.g. WIP); repeatable.")
@click.option("--parent", "parent_id", type=ID, default=None,
              help="Only the children of this task (id).")
@click.option("--late", is_flag=True, help="Only unfinished tasks whose end has passed.")
@click.option("--due-before", "due_before", type=WHEN, default=None, metavar="DATE",
              help="Only unfinished tasks ending before DATE (2026-05-04).")
@click.option("--leaves", is_flag=True, help="Only leaf tasks (no containers).")
@click.option("--limit", type=LIMIT, default=None, help="At most this many tasks.")
@output_options()
def list_cmd(project_ref: str | None, login: str | None, statuses: tuple[str, ...],
             parent_id: int | None, late: bool, due_before: dt.datetime | None,
             leaves: bool, limit: int | None) -> None:
    """List tasks, by project and position, with status, resources and schedule."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import selectinload

    from stalker_core.cli.lookup import find_project, find_status, find_user
    from stalker_core.models import Project, Status, Task
    from stalker_core.models.task.model import task_resources

    session = connect()
    stmt = select(Task).options(selectinload(Task.resources), selectinload(Task.status),
                                selectinload(Task.project))
    if project_ref is not None:
        stmt = stmt.where(Task.project_id == find_project(session, project_ref).id)
    if login is not None:
        user = find_user(session, login)
        stmt = stmt.where(Task.id.in_(select(task_resources.c.task_id)
                                      .where(task_resources.c.user_id == user.id)))
    if statuses:
        ids = [find_status(session, code).id for code in statuses]
        stmt = stmt.where(Task.status_id.in_(ids))
    if parent_id is not None:
        stmt = stmt.where(Task.parent_id == parent_id)
    if leaves:
        stmt = stmt.where(Task.child_count == 0)
    end = func.coalesce(Task.computed_end, Task.end)
    if late or due_before is not None:
        done = select(Status.id).where(Status.code.in_(DONE))
        stmt = stmt.where(end.is_not(None), Task.status_id.not_in(done))
        if late:
            stmt = stmt.where(end < dt.datetime.now(dt.UTC))
        if due_before is not None:
            stmt = stmt.where(end < due_before)
    code = select(Project.code).where(Project.id == Task.project_id).scalar_subquery()
    stmt = stmt.order_by(code, Task.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    tasks = session.scalars(stmt).all()
    paths = task_paths(session, {t.project_id for t in tasks})
    now = dt.datetime.now(dt.UTC)
    rows = [{
        "id": t.id, "project": t.project.code, "task": paths.get(t.id, t.name),
        "type": t.entity_type, "status": t.status.code if t.status is not None else None,
        "resources": [u.login for u in t.resources],
        "timing": timing_text(t.schedule_timing, t.schedule_unit),
        "start": t.computed_start or t.start, "end": _end(t), "late": _is_late(t, now),
    } for t in tasks]
    emit_rows(rows, LIST_COLUMNS, title=f"tasks ({len(rows)})")


@command.command(name="show")
@click.argument("task_id", type=ID)
@database_option
@output_options(csv_too=False)
def show_cmd(task_id: int) -> None:
    """Show a task: fields, dependencies, resources, schedule, versions and time logs."""
    from stalker_core.cli.lookup import find_by_id
    from stalker_core.models import Task

    session = connect()
    t = find_by_id(session, Task, task_id, "task")
    paths = task_paths(session, [t.project_id])
    now = dt.datetime.now(dt.UTC)
    record = {
        "id": t.id, "task": paths.get(t.id, t.name), "name": t.name,
        "project": t.project.code, "type": t.entity_type,
        "status": t.status.code if t.status is not None else None,
        "parent": t.parent_id, "children": len(t.children),
        "description": t.description,
        "resources": [u.login for u in t.resources],
        "alternative_resources": [u.login for u in t.alternative_resources],
        "responsible": [u.login for u in t.responsible],
        "timing": timing_text(t.schedule_timing, t.schedule_unit),
        "model": t.schedule_model, "priority": t.priority,
        "start": t.computed_start or t.start, "end": _end(t), "late": _is_late(t, now),
        "logged_hours": round(t.total_logged_seconds / 3600, 2),
        "percent_complete": round(t.percent_complete, 1),
    }
    deps = [{"id": d.depends_on_id, "task": paths.get(d.depends_on_id, d.depends_on.name),
             "status": d.depends_on.status.code if d.depends_on.status else None,
             "target": d.dependency_target, "gap": timing_text(d.gap_timing, d.gap_unit)}
            for d in t.task_depends_on]
    dependents = [{"id": d.task_id, "task": paths.get(d.task_id, d.task.name),
                   "status": d.task.status.code if d.task.status else None}
                  for d in t.task_dependent_of]
    versions = [{"id": v.id, "take": v.take_name, "v": v.version_number,
                 "published": bool(v.is_published), "description": v.description or "",
                 "author": v.created_by.login if v.created_by else None,
                 "date": v.date_created, "path": v.full_path}
                for v in sorted(t.versions, key=lambda v: v.id)]
    logs = [{"id": lg.id, "user": lg.resource.login, "start": lg.start, "end": lg.end,
             "hours": round(lg.seconds / 3600, 2), "description": lg.description or ""}
            for lg in sorted(t.time_logs, key=lambda lg: lg.start)]
    emit_record(record, title=f"task {t.id}", sections={
        "dependencies": (deps, ("id", "task", "status", "target", "gap")),
        "dependents": (dependents, ("id", "task", "status")),
        "versions": (versions, ("id", "take", "v", "published", "description", "author",
                                "date", "path")),
        "time_logs": (logs, ("id", "user", "start", "end", "hours", "description")),
    })


def _task_options(f: Any) -> Any:
    """Options shared by ``create`` and ``update``."""
    for option in reversed((
        click.option("--description", "-m", default=None, help="Description."),
        click.option("--timing", type=TIMING, default=None,
                     help="Schedule timing: a number and a unit, e.g. 3d, 2.5h, 1w."),
        click.option("--model", type=click.Choice(["effort", "length", "duration"]),
                     default=None, help="Schedule model."),
        click.option("--priority", type=PRIORITY, default=None, help="Priority (0-1000)."),
        click.option("--resource", "resources", multiple=True, metavar="LOGIN",
                     help="A resource (login); repeatable; replaces the resources."),
        click.option("--responsible", "responsible", multiple=True, metavar="LOGIN",
                     help="Who reviews it (login); repeatable; replaces the responsible."),
        click.option("--depends-on", "depends_on", type=ID, multiple=True, metavar="ID",
                     help="A task it depends on (id); repeatable; replaces the dependencies."),
    )):
        f = option(f)
    return f


def _apply(session: Any, task: Any, *, description: str | None, timing: tuple[float, str] | None,
           model: str | None, priority: int | None, resources: list[Any] | None,
           responsible: list[Any] | None, depends_on: list[Any] | None) -> None:
    if description is not None:
        task.description = description
    if timing is not None:
        task.schedule_timing, task.schedule_unit = timing
    if model is not None:
        task.schedule_model = model
    if priority is not None:
        task.priority = priority
    if resources is not None:
        task.resources = resources
    if responsible is not None:
        task.responsible = responsible
    if depends_on is not None:
        task.depends_on = depends_on


def _users(session: Any, logins: Iterable[str]) -> list[Any]:
    from stalker_core.cli.lookup import find_user

    return [find_user(session, login) for login in logins]


def _tasks(session: Any, ids: Iterable[int]) -> list[Any]:
    from stalker_core.cli.lookup import find_by_id
    from stalker_core.models import Task

    return [find_by_id(session, Task, i, "task") for i in ids]


@command.command(name="create")
@click.argument("name")
@database_option
@click.option("--project", "project_ref", default=None,
              help="Project (code or id); default: the parent's.")
@click.option("--parent", "parent_id", type=ID, default=None, help="Parent task (id).")
@_task_options
def create_cmd(name: str, project_ref: str | None, parent_id: int | None,
               description: str | None, timing: tuple[float, str] | None, model: str | None,
               priority: int | None, resources: tuple[str, ...], responsible: tuple[str, ...],
               depends_on: tuple[int, ...]) -> None:
    """Create a task NAME in a project (--project) or under a task (--parent)."""
    from stalker_core.cli.lookup import find_by_id, find_project
    from stalker_core.models import Task

    session = connect()
    parent = find_by_id(session, Task, parent_id, "task") if parent_id is not None else None
    if project_ref is not None:
        project = find_project(session, project_ref)
        if parent is not None and parent.project_id != project.id:
            raise ValidationError(
                f"task {parent.id} ({parent.name!r}) is in project {parent.project.code!r}, "
                f"not {project.code!r}; drop --project or choose another parent")
    elif parent is not None:
        project = parent.project
    else:
        raise click.UsageError("give --project CODE or --parent ID")
    authorize(session, "Create", "Task", what=f"a Task in project {project.code!r}")
    task = Task(name=name, project=project, parent=parent)
    session.add(task)
    _apply(session, task, description=description, timing=timing, model=model,
           priority=priority, resources=_users(session, resources) if resources else None,
           responsible=_users(session, responsible) if responsible else None,
           depends_on=_tasks(session, depends_on) if depends_on else None)
    session.commit()
    path = task_paths(session, [project.id]).get(task.id, task.name)
    click.echo(f"created task {task.id} {path} in {project.code} "
               f"(status {task.status.code if task.status else '-'})")


#: the status a user asks for -> the workflow action that leads there
TRANSITIONS: dict[str, str] = {
    "PREV": "request review", "CMPL": "approve", "HREV": "request revision",
    "OH": "hold", "STOP": "stop", "WIP": "resume",
}


def transition(task: Any, code: str, *, reviewer: Any = None,
               extend: tuple[float, str] | None = None, note: str = "") -> str:
    """Move ``task`` to status ``code`` through the workflow action that leads there.

    :returns: the action's name.
    :raises StatusError: no action leads to ``code``, or the task's status
        does not allow it (the library's message).
    """
    code = code.upper()
    action = TRANSITIONS.get(code)
    current = task.status.code if task.status is not None else "-"
    if action == "resume" and current not in ("OH", "STOP"):
        action = None
    if action is None:
        hint = ("work starts with the first time log ('stalker timelog add')"
                if code == "WIP" else "the workflow sets it")
        raise StatusError(
            f"task {task.id} cannot be set to {code} from {current} directly: {hint}; "
            f"--status takes {', '.join(TRANSITIONS)} (resume to WIP from OH or STOP)")
    if action == "request review":
        task.request_review()
    elif action == "approve":
        task.approve(reviewer)
    elif action == "request revision":
        timing, unit = extend or (0.0, "h")
        task.request_revision(reviewer, timing, unit, note)
    else:
        getattr(task, action)()
    return action


@command.command(name="update")
@click.argument("task_id", type=ID)
@database_option
@click.option("--name", default=None, help="New name.")
@_task_options
@click.option("--add-resource", "add_resources", multiple=True, metavar="LOGIN",
              help="Add a resource; repeatable.")
@click.option("--remove-resource", "remove_resources", multiple=True, metavar="LOGIN",
              help="Remove a resource; repeatable.")
@click.option("--status", "status", default=None, metavar="CODE",
              help="Move through the workflow to PREV (request review), CMPL (approve), "
                   "HREV (request revision), OH (hold), STOP (stop) or WIP (resume).")
@click.option("--reviewer", default=None, metavar="LOGIN",
              help="Who approves or asks for a revision (default: every pending review).")
@click.option("--extend", type=TIMING, default=None,
              help="With --status HREV: extra time for the revision, e.g. 4h.")
@click.option("--note", default="", help="With --status HREV: what to change.")
def update_cmd(task_id: int, name: str | None, description: str | None,
               timing: tuple[float, str] | None, model: str | None, priority: int | None,
               resources: tuple[str, ...], responsible: tuple[str, ...],
               depends_on: tuple[int, ...], add_resources: tuple[str, ...],
               remove_resources: tuple[str, ...],
               status: str | None, reviewer: str | None, extend: tuple[float, str] | None,
               note: str) -> None:
    """Change a task; --status moves it through the status workflow."""
    from stalker_core.cli.lookup import find_by_id, find_user
    from stalker_core.models import Task

    if resources and (add_resources or remove_resources):
        raise click.UsageError("--resource replaces the resources; do not mix it with "
                               "--add-resource/--remove-resource")
    session = connect()
    task = find_by_id(session, Task, task_id, "task")
    authorize(session, "Update", task, what=f"task {task.id} ({task.name!r})")
    before = task.status.code if task.status is not None else "-"
    changed: list[str] = []
    if name is not None:
        task.name = name
        changed.append("name")
    new_resources = _users(session, resources) if resources else None
    if add_resources or remove_resources:
        gone = {u.id for u in _users(session, remove_resources)}
        new_resources = [u for u in task.resources if u.id not in gone]
        new_resources += [u for u in _users(session, add_resources) if u not in new_resources]
    _apply(session, task, description=description, timing=timing, model=model,
           priority=priority, resources=new_resources,
           responsible=_users(session, responsible) if responsible else None,
           depends_on=_tasks(session, depends_on) if depends_on else None)
    changed += [label for label, value in (
        ("description", description), ("timing", timing), ("model", model),
        ("priority", priority), ("resources", new_resources),
        ("responsible", responsible or None),
        ("dependencies", depends_on or None)) if value is not None]
    if status is not None:
        who = find_user(session, reviewer) if reviewer else None
        action = transition(task, status, reviewer=who, extend=extend, note=note)
        changed.append(action)
    if not changed:
        raise click.UsageError("nothing to change: give at least one option (see --help)")
    session.commit()
    after = task.status.code if task.status is not None else "-"
    moved = f"; status {before} -> {after}" if after != before else ""
    click.echo(f"task {task.id} {task.name!r}: {', '.join(changed)} updated{moved}")


command.add_command(import_cmd)
