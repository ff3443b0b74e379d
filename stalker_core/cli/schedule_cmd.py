"""``stalker schedule``: plan the studio and optionally draw a Gantt chart.

``stalker schedule --gantt out.png`` schedules every project of the studio
(the first studio, or ``--studio NAME``) with the native scheduler (or
``--scheduler tj3``; ``--optimise SECONDS`` improves the native plan for that
long), commits the computed dates, prints a summary and writes the chart
(``.png``, ``.svg`` or an interactive ``.html``). A rich progress bar shows
loading, scheduling and writing. The command opens its own session on
``--url`` (default: the configured database).
"""

from __future__ import annotations

import click

from stalker_core.exceptions import ValidationError


@click.command(name="schedule")
@click.option("--url", default=None, help="Database URL (default: the configured one).")
@click.option("--studio", "studio_name", default=None, help="Studio name (default: the first).")
@click.option("--project", "projects", multiple=True,
              help="Schedule only this project (code or id); repeatable.")
@click.option("--scheduler", type=click.Choice(["native", "tj3"]), default="native",
              show_default=True)
@click.option("--optimise", type=float, default=None, metavar="SECONDS",
              help="Improve the native plan for up to SECONDS.")
@click.option("--gantt", "gantt", default=None, metavar="PATH",
              help="Write a Gantt chart (.png, .svg or .html).")
@click.option("--view", type=click.Choice(["project", "tree", "resource"]), default="tree",
              show_default=True, help="Gantt view for .png/.svg.")
@click.option("--user", "login", default=None, help="Login of the user who schedules.")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
def command(url: str | None, studio_name: str | None, projects: tuple[str, ...],
            scheduler: str, optimise: float | None, gantt: str | None, view: str,
            login: str | None, no_progress: bool) -> None:
    """Schedule the studio's projects and store the computed dates."""
    from sqlalchemy import or_, select
    from sqlalchemy.orm import Session

    from stalker_core.db.setup import make_engine
    from stalker_core.models import Project, Studio, User
    from stalker_core.scheduling import NativeScheduler, TaskJugglerScheduler

    if gantt is not None and not gantt.lower().endswith((".png", ".svg", ".html")):
        raise ValidationError(f"--gantt should end with .png, .svg or .html, not {gantt!r}")
    if optimise is not None and scheduler != "native":
        raise ValidationError("--optimise works with the native scheduler only")
    if url is None:
        from stalker_core.config import get_config

        url = get_config().database_url
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(Studio).order_by(Studio.id)
            if studio_name:
                query = query.where(Studio.name == studio_name)
            studio = session.scalars(query).first()
            if studio is None:
                raise ValidationError(
                    f"no studio {studio_name!r} in the database" if studio_name else
                    "the database has no studio; create one first"
                )
            chosen = None
            if projects:
                chosen = []
                for code in projects:
                    clauses = [Project.code == code]
                    if code.isdigit():
                        clauses.append(Project.id == int(code))
                    found = session.scalars(select(Project).where(or_(*clauses))).first()
                    if found is None:
                        raise ValidationError(f"no project with code or id {code!r}")
                    chosen.append(found)
            user = None
            if login:
                user = session.scalars(select(User).where(User.login == login)).first()
                if user is None:
                    raise ValidationError(f"no user with login {login!r}")
            sched = TaskJugglerScheduler() if scheduler == "tj3" else NativeScheduler(
                optimise=optimise)
            result = _run(session, studio, user, chosen, sched, not no_progress)
            session.commit()
            click.echo(result.message)
            for w in result.warnings:
                click.echo(f"warning: {w}", err=True)
            if gantt:
                from stalker_core.scheduling.gantt import draw_gantt

                out = draw_gantt(result.problem, result.plan, gantt, view=view)
                click.echo(f"gantt chart written to {out}")
    finally:
        engine.dispose()


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
