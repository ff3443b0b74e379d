"""``stalker demo``: a demo studio, scheduled, with versions saved and one published.

This is the README's main job in one command. It uses the configured database
(``--db`` or the default SQLite file in the user data folder; created when
missing), builds the demo studio once and reuses it on later runs
(``--fresh`` starts over: the demo project, its tasks, versions and files
are deleted and built again), schedules it, saves a new version of a few tasks through
the active host, publishes one of them and prints a summary table.

The host comes from the plugins (the ``stalker_host_get`` hook, see
:func:`stalker_core.workflows.get_host`): outside an application that is the
standalone host, which answers last. The CLI never imports a host package.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from stalker_core.cli.main import connect, database_option, plugin_manager
from stalker_core.cli.output import make_console

STUDIO_NAME = "Demo Studio"
PROJECT_CODE = "DEMO"
PATH_TEMPLATE = (
    "$REPO{{project.repository.code}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
FILE_TEMPLATE = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'
USERS = (("Anna Artist", "demo_anna"), ("Ben Builder", "demo_ben"), ("Cem Comper", "demo_cem"))


@dataclass
class DemoStudio:
    """What the demo consists of."""

    studio: Any
    project: Any
    users: list[Any]
    tasks: dict[str, Any]
    created: bool


def default_root() -> Path:
    """The demo repository folder (in the user data folder)."""
    from stalker_core.config import user_data_dir

    return user_data_dir() / "demo_repository"


def _first(session: Any, cls: Any, **by: Any) -> Any:
    from sqlalchemy import select

    stmt = select(cls)
    for k, v in by.items():
        stmt = stmt.where(getattr(cls, k) == v)
    return session.scalars(stmt.limit(1)).first()


def build_demo(session: Any, root: Path, code: str = PROJECT_CODE) -> DemoStudio:
    """Create the demo studio and project, or return the existing ones."""
    from stalker_core.models import (
        Asset,
        FilenameTemplate,
        Project,
        Repository,
        Sequence,
        Shot,
        Structure,
        Studio,
        Task,
        Type,
        User,
    )
    from stalker_core.workflows.permissions import artists_group

    studio = _first(session, Studio, name=STUDIO_NAME)
    if studio is None:
        studio = Studio(name=STUDIO_NAME)
        session.add(studio)
    users = []
    for name, login in USERS:
        user = _first(session, User, login=login)
        if user is None:
            user = User(name=name, login=login, email=f"{login}@demo.example",
                        password="demo")
            session.add(user)
        users.append(user)
    anna, ben, cem = users
    artists_group(users, session=session)  # they save and publish (docs/permissions.md)
    project = _first(session, Project, code=code)
    tasks: dict[str, Any]
    if project is not None:
        tasks = {t.name if t.parent is None else f"{t.parent.name}/{t.name}": t
                 for t in sorted(project.tasks, key=lambda t: t.id) if not t.children}
        session.commit()
        return DemoStudio(studio, project, users, tasks, created=False)

    root.mkdir(parents=True, exist_ok=True)
    repo = _first(session, Repository, code=f"R{code}")
    if repo is None:
        repo = Repository(name=f"Demo Repository {code}", code=f"R{code}",
                          linux_path=str(root), macos_path=str(root), windows_path=str(root))
    structure = Structure(name=f"Demo Structure {code}")
    for kind in ("Task", "Asset", "Shot", "Sequence"):
        structure.templates.append(FilenameTemplate(
            name=f"Demo {kind} Template {code}", target_entity_type=kind,
            path=PATH_TEMPLATE, filename=FILE_TEMPLATE,
        ))
    project = Project(name=f"Demo Project {code}", code=code, repositories=[repo],
                      structure=structure)
    project.fps = 25.0
    for u in users:
        project.users.append(u)
    session.add(project)
    char = _first(session, Type, name="Character", target_entity_type="Asset") or Type(
        name="Character", code="CHAR", target_entity_type="Asset"
    )
    hero = Asset(name="Hero", code="HERO", project=project, type=char)
    model = Task(name="model", project=project, parent=hero, resources=[anna],
                 schedule_timing=3, schedule_unit="d")
    rig = Task(name="rig", project=project, parent=hero, resources=[ben],
               schedule_timing=2, schedule_unit="d", depends_on=[model])
    seq = Sequence(name="SEQ01", code="SEQ01", project=project)
    tasks = {"Hero/model": model, "Hero/rig": rig}
    for n, (cut_in, cut_out) in enumerate(((1001, 1048), (1001, 1096)), start=1):
        shot = Shot(name=f"SH{n}0", code=f"SH{n}0", project=project, parent=seq,
                    cut_in=cut_in, cut_out=cut_out)
        layout = Task(name="layout", project=project, parent=shot, resources=[ben],
                      schedule_timing=1, schedule_unit="d")
        anim = Task(name="anim", project=project, parent=shot, resources=[anna],
                    schedule_timing=4, schedule_unit="d", depends_on=[layout, rig])
        comp = Task(name="comp", project=project, parent=shot, resources=[cem],
                    schedule_timing=6, schedule_unit="h", depends_on=[anim])
        tasks.update({f"{shot.name}/layout": layout, f"{shot.name}/anim": anim,
                      f"{shot.name}/comp": comp})
    session.add_all([hero, seq, *tasks.values()])
    session.commit()
    return DemoStudio(studio, project, users, tasks, created=True)


#: codes of demo projects: DEMO, and DEMO2, DEMO3... of older ``--fresh`` runs
DEMO_CODE = re.compile(rf"{PROJECT_CODE}\d*")


def remove_demo(session: Any) -> list[str]:
    """Delete the demo projects (their tasks, versions, time logs and structure) and files.

    Only projects made by :func:`build_demo` are touched: a code of
    :data:`DEMO_CODE` and the name ``Demo Project <code>``. Their folders
    in the demo repository are deleted too. The users, the studio and the
    repository stay (they are reused).

    :returns: the codes of the deleted projects.
    """
    from sqlalchemy import select

    from stalker_core.models import Project, Task, TimeLog, Version

    projects = [p for p in session.scalars(select(Project).where(
        Project.code.like(f"{PROJECT_CODE}%"))) if DEMO_CODE.fullmatch(p.code)
        and p.name == f"Demo Project {p.code}"]
    for project in projects:
        folder = Path(project.repository.path) / project.code if project.repository else None
        tasks = list(session.scalars(select(Task).where(Task.project_id == project.id)))
        ids = [t.id for t in tasks]
        for model in (Version, TimeLog):
            for row in session.scalars(select(model).where(model.task_id.in_(ids))
                                       .order_by(model.id.desc())):
                session.delete(row)
        session.flush()
        depth = {t.id: len(t.parents) for t in tasks}
        for task in sorted(tasks, key=lambda t: -depth[t.id]):
            session.delete(task)
            session.flush()
        structure = project.structure
        session.delete(project)
        session.flush()
        if structure is not None:
            for template in list(structure.templates):
                session.delete(template)
            session.delete(structure)
        session.flush()
        if folder is not None and folder.is_dir():
            shutil.rmtree(folder)
    session.commit()
    return [p.code for p in projects]


def _write_source(folder: Path, task_key: str, run: int) -> Path:
    src = folder / (task_key.replace("/", "_") + ".txt")
    src.write_text(
        f"{task_key}: demo work file, run {run}, "
        f"saved {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n"
    )
    return src


@click.command(name="demo")
@database_option
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the demo repository (default: in the user data folder).")
@click.option("--fresh", is_flag=True,
              help="Start over: delete the demo project (tasks, versions, files) and build it "
                   "again.")
@click.pass_context
def command(ctx: click.Context, root: Path | None, fresh: bool) -> None:
    """Create (or reuse) a demo studio, schedule it, save and publish versions."""
    from rich.progress import Progress
    from sqlalchemy import func, select

    from stalker_core.models import Version
    from stalker_core.workflows import get_host, publish, save_as_version

    console = make_console()
    pm = plugin_manager(ctx)
    host = get_host(pm)  # before any database work: no host, no demo
    session = connect(ctx, create=True)
    root = (root or default_root()).resolve()
    if fresh:
        removed = remove_demo(session)
        if removed:
            console.print(f"deleted the demo project(s) {', '.join(removed)}", highlight=False)
    with console.status("building the demo studio"):
        demo = build_demo(session, root)
    console.print(
        f"{'created' if demo.created else 'reusing'} project [bold]{demo.project.name}[/] "
        f"in {session.get_bind().url.render_as_string(hide_password=True)}",
        highlight=False,
    )
    with console.status("scheduling the studio"):
        demo.studio.schedule(scheduled_by=demo.users[0])
        session.commit()

    to_save = ["Hero/model", "SH10/layout", "SH10/anim"]
    saved: dict[str, Any] = {}
    run = 1 + int(session.scalar(
        select(func.count()).select_from(Version)
        .where(Version.task_id == demo.tasks["Hero/model"].id)
    ) or 0)
    with tempfile.TemporaryDirectory(prefix="stalker-demo-") as tmp, Progress(
        console=console, transient=True
    ) as progress:
        bar = progress.add_task("saving versions", total=len(to_save) + 1)
        for key in to_save:
            host.open_file(_write_source(Path(tmp), key, run))
            task = demo.tasks[key]
            user = (task.resources or demo.users)[0]
            saved[key] = save_as_version(host, task, description=f"demo run {run}",
                                         user=user, session=session, pm=pm)
            progress.advance(bar)
        progress.update(bar, description="publishing Hero/model")
        model_version = saved["Hero/model"]
        host.open_file(Path(model_version.absolute_full_path))
        report = publish(host, model_version, user=demo.users[0], session=session, pm=pm)
        progress.advance(bar)

    _summary(console, session, demo, saved, report)


def _summary(console: Any, session: Any, demo: DemoStudio, saved: dict[str, Any],
             report: Any) -> None:
    from rich.table import Table
    from sqlalchemy import func, select

    from stalker_core.models import Version

    ids = [t.id for t in demo.tasks.values()]
    counts = dict(session.execute(
        select(Version.task_id, func.count()).where(Version.task_id.in_(ids))
        .group_by(Version.task_id)
    ).all())
    published = dict(session.execute(
        select(Version.task_id, func.max(Version.version_number))
        .where(Version.task_id.in_(ids), Version.is_published.is_(True))
        .group_by(Version.task_id)
    ).all())
    table = Table(title=f"{demo.studio.name}: {demo.project.name}")
    for col in ("task", "resources", "scheduled start", "scheduled end", "versions",
                "saved now", "latest published"):
        table.add_column(col)

    def when(value: Any) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"

    for key, task in demo.tasks.items():
        v = saved.get(key)
        table.add_row(
            key,
            ", ".join(u.login for u in task.resources),
            when(task.computed_start),
            when(task.computed_end),
            str(counts.get(task.id, 0)),
            f"v{v.version_number:03d}" if v is not None else "",
            f"v{published[task.id]:03d}" if task.id in published else "",
        )
    console.print(table)
    for p in report.published_paths:
        console.print(f"published {p}", highlight=False)
    repo = demo.project.repository
    if repo is not None:
        console.print(f"repository: {repo.path}", highlight=False)
