"""Versions benchmark: stalker_core vs Stalker 1.1.2.1, on SQLite and PostgreSQL.

Rows (each repetition in a fresh subprocess on a fresh database, see
``_harness.py``; only the measured part is timed, the project set-up is not):

* ``create 1000 versions, one commit``: a project with a repository, a
  structure holding the tutorial's Task template, 10 shots x 10 tasks; 10
  versions of each of the 100 tasks are created, their path and filename
  rendered (ours: ``update_paths()``, stored; Stalker: ``full_path``, which
  renders on access), and committed once.
* ``create 1000 versions, commit each``: the same, one commit per version
  (what a save-as-version does). On SQLite every commit waits for the disk
  (fsync), for both libraries alike.
* ``latest published of 100 tasks``: 1,000 stored versions (every third one
  published); from a fresh session, the latest published version of every
  task of the project (ours: one query, ``latest_published_versions``;
  Stalker: the per-task query its API offers).

Then our own throughput with 8 processes x 25 versions of ONE task, each
version committed on its own, on PostgreSQL (Stalker has no safe equivalent:
its numbers collide). The numbers are checked to be exactly 1..200.

Run: ``.venv/bin/python benchmarks/bench_versions.py [--repeat N] [--backend sqlite|postgresql]
[--only SUBSTRING]``.
PostgreSQL comes from ``STALKER_BENCH_PG_URL`` or a throwaway server.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    BACKENDS,
    Databases,
    Result,
    Row,
    Timer,
    ours_setup,
    peer_setup,
    run_rows,
)

SHOTS = 10
TASKS_PER_SHOT = 10
VERSIONS_PER_TASK = 10
PROCESSES = 8
PER_PROCESS = 25

TASK_PATH = (
    "$REPO{{project.repository.id}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
TASK_FILENAME = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'


# --- stalker_core -----------------------------------------------------------------


def _build_project(lib: Any, s: Any) -> tuple[Any, Any, list[Any]]:
    """The same project on either library (``lib`` is ``stalker_core`` or ``stalker``)."""
    repo = lib.Repository(
        name="Repo",
        code="R",
        linux_path="/mnt/M/jobs",
        macos_path="/Volumes/M/jobs",
        windows_path="M:/jobs",
    )
    tpl = lib.FilenameTemplate(
        name="Task Template", target_entity_type="Task", path=TASK_PATH, filename=TASK_FILENAME
    )
    structure = lib.Structure(name="S", templates=[tpl])
    project = lib.Project(name="Bench", code="BENCH", repositories=[repo], structure=structure)
    s.add(project)
    s.commit()
    tasks = []
    for i in range(SHOTS):
        shot = lib.Shot(name=f"SH{i:03d}", code=f"SH{i:03d}", project=project)
        s.add(shot)
        for k in range(TASKS_PER_SHOT):
            task = lib.Task(name=f"task{k}", parent=shot, project=project)
            s.add(task)
            tasks.append(task)
    s.commit()
    return s, project, tasks


def _ours_project(url: str) -> tuple[Any, Any, list[Any]]:
    import stalker_core

    return _build_project(stalker_core, ours_setup(url))


def _ours_create(url: str, commit_each: bool) -> float:
    from stalker_core.models import Version

    s, _project, tasks = _ours_project(url)
    with Timer() as t:
        for task in tasks:
            for _ in range(VERSIONS_PER_TASK):
                v = Version(task=task)
                v.update_paths()
                if commit_each:
                    s.commit()
        s.commit()
    assert v.version_number == VERSIONS_PER_TASK, v.version_number
    return t.seconds


def ours_create_one_commit(url: str) -> float:
    return _ours_create(url, commit_each=False)


def ours_create_commit_each(url: str) -> float:
    return _ours_create(url, commit_each=True)


def ours_latest_published(url: str) -> float:
    from stalker_core.models import Project, Version
    from stalker_core.models.version.queries import latest_published_versions

    s, project, tasks = _ours_project(url)
    for task in tasks:
        for j in range(VERSIONS_PER_TASK):
            v = Version(task=task, is_published=j % 3 == 0)
            v.update_paths()
    s.commit()
    project_id = project.id
    s.remove()
    with Timer() as t:
        project = s.get(Project, project_id)
        latest = latest_published_versions(project, session=s)  # one query for all tasks
        found = [(task_id, v.version_number) for task_id, v in latest.items()]
    assert len(found) == len(tasks) and all(n == 10 for _, n in found), found[:3]
    assert set(latest) == {task.id for task in tasks}
    assert all(isinstance(v, Version) for v in latest.values())
    return t.seconds


# --- Stalker 1.1.2.1 ------------------------------------------------------------------


def _peer_project(url: str) -> tuple[Any, Any, list[Any]]:
    import stalker

    return _build_project(stalker, peer_setup(url))


def _peer_create(url: str, commit_each: bool) -> float:
    from stalker import Version

    s, _project, tasks = _peer_project(url)
    with Timer() as t:
        for task in tasks:
            for _ in range(VERSIONS_PER_TASK):
                v = Version(task=task)
                s.add(v)
                str(v.full_path)  # Stalker renders the path and filename on access
                if commit_each:
                    s.commit()
        s.commit()
    return t.seconds


def peer_create_one_commit(url: str) -> float:
    return _peer_create(url, commit_each=False)


def peer_create_commit_each(url: str) -> float:
    return _peer_create(url, commit_each=True)


def peer_latest_published(url: str) -> float:
    from stalker import Project, Task, Version

    s, project, tasks = _peer_project(url)
    for task in tasks:
        for j in range(VERSIONS_PER_TASK):
            v = Version(task=task)
            v.is_published = j % 3 == 0  # Stalker's constructor resets is_published
            s.add(v)
            s.commit()  # Stalker numbers versions correctly only after a commit
    project_id = project.id
    s.remove()
    with Timer() as t:
        project = s.get(Project, project_id)
        found = []
        for task in Task.query.filter_by(project=project).all():
            latest = (
                Version.query.filter_by(task=task, is_published=True)
                .order_by(Version.version_number.desc())
                .first()
            )
            if latest is not None:
                found.append((task.id, latest.version_number))
    assert len(found) == len(tasks), len(found)
    return t.seconds


ROWS: list[Row] = [
    Row("create 1000 versions, one commit", ours_create_one_commit, peer_create_one_commit),
    Row("create 1000 versions, commit each", ours_create_commit_each, peer_create_commit_each),
    Row("latest published of 100 tasks", ours_latest_published, peer_latest_published),
]


# --- 8 processes x 25 versions of one task (ours only) ------------------------------------


def _throughput_worker(url: str, task_id: int, barrier: Any, out: Any) -> None:
    from stalker_core.db.engine import make_engine
    from stalker_core.models import Task
    from stalker_core.models.version.numbering import reserve_version
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(url)
    try:
        with StalkerSession(engine) as warm:  # connect before the clock starts
            warm.get(Task, task_id)
        barrier.wait(timeout=300)
        start = time.time()
        for _ in range(PER_PROCESS):
            with StalkerSession(engine, expire_on_commit=False) as session:
                reserve_version(session, session.get(Task, task_id), "Main")
                session.commit()
        out.put((start, time.time(), None))
    except BaseException as exc:
        out.put((0.0, 0.0, f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


def ours_throughput(url: str) -> tuple[float, bool]:
    """Versions per second of 8 processes creating 25 versions each of one task."""
    from sqlalchemy import select

    from stalker_core.models import Version

    s, _project, tasks = _ours_project(url)
    task_id = tasks[0].id
    s.remove()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_throughput_worker, args=(url, task_id, barrier, out))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
    errors = [e for _, _, e in results if e]
    if errors:
        raise RuntimeError("; ".join(errors))
    elapsed = max(e for _, e, _ in results) - min(b for b, _, _ in results)
    numbers = sorted(s.scalars(select(Version.version_number).where(Version.task_id == task_id)))
    s.remove()
    return PROCESSES * PER_PROCESS / elapsed, numbers == list(range(1, PROCESSES * PER_PROCESS + 1))


# --- main ---------------------------------------------------------------------------------


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=BACKENDS, action="append")
    parser.add_argument("--no-peer", action="store_true", help="skip Stalker 1.1.2.1")
    parser.add_argument("--only", default=None,
                        help="run the rows whose name contains this (and no 8-process row)")
    args = parser.parse_args(argv)
    backends = tuple(args.backend or BACKENDS)
    rows = [r for r in ROWS if args.only is None or args.only.lower() in r.name.lower()]

    from rich.console import Console
    from rich.table import Table

    console = Console()
    load_before = os.getloadavg()
    me = Path(__file__).resolve()
    results: list[Result] = run_rows(
        [(me, row) for row in rows],
        backends=backends,
        repeat=args.repeat,
        with_peer=not args.no_peer,
        progress=lambda msg: console.print(f"[dim]{msg}[/dim]"),
    )
    rates: list[float] = []
    correct = True
    tp_error = ""
    if "postgresql" in backends and args.only is None:
        dbs = Databases()
        try:
            for i in range(args.repeat):
                console.print(f"[dim]8 processes x 25 versions [postgresql] ours #{i + 1}[/dim]")
                with dbs.fresh("postgresql") as url:
                    rate, ok = ours_throughput(url)
                rates.append(rate)
                correct = correct and ok
        except Exception as exc:  # report, still print the table
            tp_error = str(exc)
        finally:
            dbs.close()

    table = Table(title="Versions: stalker_core vs Stalker 1.1.2.1 (medians)")
    for col in ("row", "backend", "ours", "Stalker 1.1.2.1", "ratio (x faster)", "n"):
        table.add_column(col, justify="left" if col in ("row", "backend") else "right")
    for r in results:
        ratio = r.ratio
        table.add_row(
            r.row,
            r.backend,
            _fmt(r.ours_median),
            _fmt(r.peer_median),
            "-" if ratio is None else f"{ratio:.1f}x",
            f"{len(r.ours)}/{len(r.peer)}",
        )
    if rates:
        table.add_row(
            "8 processes x 25 versions of one task",
            "postgresql",
            f"{statistics.median(rates):.0f} versions/s",
            "no safe equivalent",
            "-",
            f"{len(rates)}/0",
        )
    console.print(table)
    console.print(
        "load average (1, 5, 15 min): before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after " + " ".join(f"{x:.2f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs"
    )
    if rates:
        console.print(
            f"8-process numbers exactly 1..{PROCESSES * PER_PROCESS}: {'yes' if correct else 'NO'}"
        )
    for r in results:
        for err in r.errors:
            console.print(f"[red]{r.row} [{r.backend}]: {err}[/red]")
    if tp_error:
        console.print(f"[red]8-process throughput: {tp_error}[/red]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
