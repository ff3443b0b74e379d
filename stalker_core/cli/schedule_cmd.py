"""``stalker schedule``: plan the studio and optionally draw a Gantt chart.

``stalker schedule --gantt out.png`` schedules every project of the studio
(the first studio, or ``--studio NAME``) with the native scheduler (or
``--scheduler tj3``; ``--optimise SECONDS`` improves the native plan for that
long), commits the computed dates, prints a summary and writes the chart
(``.png``, ``.svg`` or an interactive ``.html``). Leaf bars are coloured by
``--color-by`` resource (default), status (the tasks' status codes, read in
one query) or project. A rich progress bar shows loading, scheduling and
writing. The command uses the database of ``--db`` (else the configured
one). The chart's path is checked before anything is scheduled, so a bad
path changes nothing; each warning of the plan is printed once.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option, warn
from stalker_core.cli.params import SECONDS
from stalker_core.exceptions import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@click.command(name="schedule")
@database_option
@click.option("--studio", "studio_name", default=None, help="Studio name (default: the first).")
@click.option("--project", "projects", multiple=True,
              help="Schedule only this project (code or id); repeatable.")
@click.option("--scheduler", type=click.Choice(["native", "tj3"]), default="native",
              show_default=True)
@click.option("--optimise", type=SECONDS, default=None, metavar="SECONDS",
              help="Improve the native plan for up to SECONDS.")
@click.option("--gantt", "gantt", default=None, metavar="PATH",
              help="Write a Gantt chart (.png, .svg or .html).")
@click.option("--view", type=click.Choice(["project", "tree", "resource"]), default="tree",
              show_default=True,
              help="Gantt view drawn in a .png/.svg; the first view shown in a .html "
                   "(which holds all three).")
@click.option("--color-by", "color_by", type=click.Choice(["resource", "status", "project"]),
              default="resource", show_default=True,
              help="Colour of the task bars: first resource, task status or project.")
@click.option("--user", "login", default=None,
              help="Login of the user who schedules, as --as (default: the OS login's user).")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
def command(studio_name: str | None, projects: tuple[str, ...],
            scheduler: str, optimise: float | None, gantt: str | None, view: str,
            color_by: str, login: str | None, no_progress: bool) -> None:
    """Schedule the studio's projects and store the computed dates."""
    from sqlalchemy import select

    from stalker_core.cli.lookup import find_project
    from stalker_core.models import Studio
    from stalker_core.scheduling import NativeScheduler, TaskJugglerScheduler
    from stalker_core.scheduling.gantt.mpl import require_matplotlib

    if gantt is not None:
        check_output_path(gantt, (".png", ".svg", ".html"), "--gantt")
        if not gantt.lower().endswith(".html"):
            require_matplotlib()  # say which extra is missing before scheduling, not after
    if optimise is not None and scheduler != "native":
        raise ValidationError("--optimise works with the native scheduler only")
    session = connect()
    query = select(Studio).order_by(Studio.id)
    if studio_name:
        query = query.where(Studio.name == studio_name)
    studio = session.scalars(query).first()
    if studio is None:
        raise ValidationError(
            f"no studio {studio_name!r} in the database" if studio_name else
            "the database has no studio; create one first"
        )
    chosen = [find_project(session, code) for code in projects] if projects else None
    user = authorize(session, "Update", studio, login=login,
                     what=f"the schedule of studio {studio.name!r}")
    sched = TaskJugglerScheduler() if scheduler == "tj3" else NativeScheduler(optimise=optimise)
    result = _run(session, studio, user, chosen, sched, not no_progress)
    session.commit()
    click.echo(summary(result))
    for w in result.warnings:
        warn(w)
    if gantt:
        from stalker_core.scheduling.gantt import draw_gantt

        statuses = None
        if color_by == "status":
            statuses = task_status_codes(
                session, {t.project_id for t in result.problem.tasks.values()},
                result.problem.tasks)
        out = draw_gantt(result.problem, result.plan, gantt, view=view,
                         color_by=color_by, statuses=statuses)
        click.echo(f"gantt chart written to {out}")


def check_output_path(path: str, extensions: tuple[str, ...], option: str) -> Path:
    """Refuse an output file that cannot be written, before any work is done.

    :raises ValidationError: a wrong extension, a missing folder, a folder
        that cannot be written to, or a path that is a folder.
    """
    import os

    if not path.lower().endswith(extensions):
        raise ValidationError(
            f"{option} should end with {', '.join(extensions[:-1])} or {extensions[-1]}, "
            f"not {path!r}"
        )
    out = Path(path).expanduser()
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise ValidationError(f"{option} {path!r} is a folder; give a file name")
    if not folder.is_dir():
        raise ValidationError(
            f"{option} {path!r}: the folder {str(folder)!r} does not exist; create it first"
        )
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValidationError(f"{option} {path!r} cannot be written (permission denied)")
    return out


def summary(result: object) -> str:
    """The result's message without its list of warnings (they are printed one a line)."""
    message = str(getattr(result, "message", ""))
    warnings = list(getattr(result, "warnings", []))
    cut = message.find(f"; {len(warnings)} warning(s): ") if warnings else -1
    return message[:cut] + f" ({len(warnings)} warning(s) below)" if cut >= 0 else message


def task_status_codes(session: Session, project_ids: Collection[int],
                      task_ids: Collection[int] | None = None) -> dict[int, str]:
    """Task id -> status code of the tasks of ``project_ids``, in one query.

    :param task_ids: keep only these tasks (filtered in Python, so the query
        stays one small ``IN`` on the project ids however big the plan).
    """
    from sqlalchemy import select

    from stalker_core.models import Status, Task

    tasks, statuses = Task.__table__, Status.__table__
    query = (select(tasks.c.id, statuses.c.code)
             .join(statuses, tasks.c.status_id == statuses.c.id)
             .where(tasks.c.project_id.in_(sorted(project_ids))))
    codes = {tid: code for tid, code in session.execute(query)}
    if task_ids is not None:
        keep = set(task_ids)
        codes = {tid: code for tid, code in codes.items() if tid in keep}
    return codes


def _run(session, studio, user, projects, sched, show):  # type: ignore[no-untyped-def]
    from stalker_core.scheduling import schedule_studio

    if not show:
        return schedule_studio(studio, scheduled_by=user, projects=projects, scheduler=sched,
                               session=session)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                  transient=True) as bar:
        ids = {s: bar.add_task(s, total=1) for s in ("load", "schedule", "write")}

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(ids[stage], completed=done, total=max(total, 1))

        result = schedule_studio(studio, scheduled_by=user, projects=projects, scheduler=sched,
                                 session=session, progress=progress)
        for t in ids.values():
            bar.update(t, completed=bar.tasks[t].total)
        return result
