"""Roll-ups after one leaf changes: at 2,000 and at 100,000 tasks (goal: under 5 ms).

A project is built with :class:`~stalker_core.models.task.bulk.TaskBatch`
(set-up, not timed): a root container, groups of shots, 20 tasks per shot
with a dependency chain inside each shot (as in ``rows_production.py``)::

    root -> G groups -> shots -> 20 leaf tasks

Then edits are timed one by one, each in a fresh session as a CLI command or
a panel button would run it: fetch the leaf, change it, flush, commit, read
the root's status, logged and scheduled seconds and percent complete. The
goal is on the *roll-up*: the change and the flush (the leaf validated, its
parents' sums and statuses computed and written); the whole edit, with the
commit (an fsync of the database) and the reads, is shown beside it. Three
kinds of edit, spread over the project:

* ``logged time`` - a 2-hour time log on the first task of a shot (RTS -> WIP);
* ``schedule`` - a leaf's ``schedule_timing`` changes;
* ``status`` - a WIP leaf is stopped (STOP: done; its dependent becomes RTS).

Each edit kind runs ``--edits`` times (median shown); the first edit of the
run is a warm-up and not counted (it compiles the statements once per
process). The SQL statements of each roll-up are counted too (median). After
the edits the caches are compared with a full recomputation
(:func:`~stalker_core.models.task.rollup.recompute_rollups`). The machine's
load average is printed before and after the runs (the figures are wall-clock
times on a shared machine).

The peer is Stalker 1.1.2.1 at 2,000 tasks (built as objects: it has no bulk
API), the same edits, in its own process.

Usage::

    python benchmarks/bench_rollup.py [--sizes 2000,100000] [--edits 15]
        [--backend sqlite|postgresql] [--no-peer]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Databases  # noqa: E402
from rows_production import TASKS_PER_SHOT, USERS, _deps, _ours_base, _peer_base  # noqa: E402

UTC = dt.UTC
SHOTS_PER_GROUP = 100
GOAL_SECONDS = 0.005
KINDS = ("logged time", "schedule", "status")


def shape(tasks: int) -> tuple[int, int]:
    """``(groups, shots per group)`` giving about ``tasks`` leaf tasks."""
    shots = max(1, tasks // TASKS_PER_SHOT)
    per_group = min(SHOTS_PER_GROUP, shots)
    return max(1, shots // per_group), per_group


def _log_window(i: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(2026, 3, 2, 10, tzinfo=UTC) + dt.timedelta(days=i)
    return start, start + dt.timedelta(hours=2)


# --- stalker_core ---------------------------------------------------------------


def _ours_build(url: str, tasks: int) -> dict[str, Any]:
    from stalker_core.models import Task
    from stalker_core.models.task.bulk import TaskBatch

    assert USERS >= TASKS_PER_SHOT  # one user per task of a shot
    s, project, users = _ours_base(url)
    groups, per_group = shape(tasks)
    batch = TaskBatch(project)
    root = batch.add("Shots")
    shots = []
    n = 0
    for g in range(groups):
        group = batch.add(f"Group {g}", parent=root)
        for _ in range(per_group):
            shot = batch.add(kind="Shot", code=f"SH{n:06d}", parent=group)
            n += 1
            made: list[Any] = []
            for k in range(TASKS_PER_SHOT):
                made.append(
                    batch.add(
                        f"Task {k}", parent=shot, resources=[users[k]],
                        depends_on=[made[j] for j in _deps(k)],
                        schedule_timing=2, schedule_unit="d",
                    )
                )
            shots.append(made)
    batch.insert(s)
    s.commit()
    info = {
        "root": root.id,
        "shots": [[t.id for t in made] for made in shots],
        "users": [u.id for u in users],
        "project": project.id,
        "tasks": s.query(Task).filter(Task.project_id == project.id).count(),
    }
    s.remove()
    return info


def _read_root(s: Any, task_cls: Any, root_id: int) -> tuple[Any, ...]:
    root = s.get(task_cls, root_id)
    return (root.status.code, root.total_logged_seconds, root.schedule_seconds,
            root.percent_complete)


class _Counter:
    """Counts the SQL statements sent while :attr:`on` is set."""

    def __init__(self) -> None:
        self.on = False
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        if self.on:
            self.count += 1


_COUNTER = _Counter()


def _count_statements(s: Any) -> None:
    from sqlalchemy import event

    engine = s.get_bind()
    if not event.contains(engine, "before_cursor_execute", _COUNTER):
        event.listen(engine, "before_cursor_execute", _COUNTER)


def _edit(lib: str, s: Any, info: dict[str, Any], kind: str, i: int) -> dict[str, float]:
    """One timed edit in a fresh session, the same code for both libraries."""
    if lib == "ours":
        from stalker_core.models import Task, TimeLog, User
    else:
        from stalker import Task, TimeLog, User

    shot = info["shots"][(i * 7919) % len(info["shots"])]
    t0 = time.perf_counter()
    leaf = s.get(Task, shot[5] if kind == "schedule" else shot[0])
    user = s.get(User, info["users"][0]) if kind == "logged time" else None
    _COUNTER.count, _COUNTER.on = 0, True
    t1 = time.perf_counter()
    if kind == "logged time":
        start, end = _log_window(i)
        s.add(TimeLog(task=leaf, resource=user, start=start, end=end))
    elif kind == "schedule":
        leaf.schedule_timing = 3
    else:
        leaf.stop()
    s.flush()
    t2 = time.perf_counter()
    _COUNTER.on = False
    s.commit()
    _read_root(s, Task, info["root"])
    t3 = time.perf_counter()
    s.remove()
    return {"rollup": t2 - t1, "edit": t3 - t0, "statements": _COUNTER.count}


def _edits(lib: str, s: Any, info: dict[str, Any], edits: int) -> dict[str, list[dict[str, float]]]:
    times: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
    _count_statements(s)
    _edit(lib, s, info, "logged time", edits * 3)  # warm-up
    for i in range(edits):
        for kind in KINDS:
            times[kind].append(_edit(lib, s, info, kind, i))
    return times


def _ours_verify(s: Any, info: dict[str, Any]) -> bool:
    """Do the stored caches equal a full recomputation?"""
    from stalker_core.models import Project, Task
    from stalker_core.models.task.rollup import recompute_rollups

    cols = ("schedule_seconds_cache", "total_logged_seconds_cache", "completed_seconds_cache",
            "child_count")
    rows = s.query(Task).filter(Task.project_id == info["project"]).all()
    stored = {t.id: tuple(getattr(t, c) for c in cols) + (t.status_id,) for t in rows}
    recompute_rollups(s, s.get(Project, info["project"]))
    fresh = {t.id: tuple(getattr(t, c) for c in cols) + (t.status_id,) for t in rows}
    s.rollback()
    # SQLite's julianday() arithmetic in the recomputation is off by ~1e-5 s
    return all(
        all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-3)
            for a, b in zip(stored[k], fresh[k], strict=True))
        for k in stored
    )


def run_ours(url: str, tasks: int, edits: int) -> dict[str, Any]:
    from stalker_core.orm.session import DBSession

    t0 = time.perf_counter()
    info = _ours_build(url, tasks)
    build = time.perf_counter() - t0
    s = DBSession
    from stalker_core.models import Task

    times = _edits("ours", s, info, edits)
    return {"tasks": info["tasks"], "build": build, "times": times,
            "consistent": _ours_verify(s, info), "root": list(_read_root(s, Task, info["root"]))}


# --- Stalker 1.1.2.1 --------------------------------------------------------------


def _peer_build(url: str, tasks: int) -> dict[str, Any]:
    from stalker import Shot, Task

    s, project, users = _peer_base(url)
    groups, per_group = shape(tasks)
    root = Task(name="Shots", project=project)
    s.add(root)
    shots = []
    n = 0
    for g in range(groups):
        group = Task(name=f"Group {g}", parent=root)
        s.add(group)
        for _ in range(per_group):
            shot = Shot(code=f"SH{n:06d}", project=project, parent=group)
            n += 1
            s.add(shot)
            made: list[Any] = []
            for k in range(TASKS_PER_SHOT):
                t = Task(name=f"Task {k}", parent=shot, resources=[users[k]],
                         schedule_timing=2, schedule_unit="d")
                s.add(t)
                if _deps(k):
                    t.depends_on = [made[j] for j in _deps(k)]
                made.append(t)
            shots.append(made)
    s.commit()
    info = {"root": root.id, "shots": [[t.id for t in made] for made in shots],
            "users": [u.id for u in users],
            "tasks": s.query(Task).filter(Task.project_id == project.id).count()}
    s.remove()
    return info


def run_peer(url: str, tasks: int, edits: int) -> dict[str, Any]:
    from stalker.db.session import DBSession

    t0 = time.perf_counter()
    info = _peer_build(url, tasks)
    build = time.perf_counter() - t0
    return {"tasks": info["tasks"], "build": build, "times": _edits("peer", DBSession, info, edits)}


# --- driver -------------------------------------------------------------------------


def _run_child(lib: str, url: str, tasks: int, edits: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", lib, "--url", url,
           "--sizes", str(tasks), "--edits", str(edits)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"[{lib} {tasks}] " + (proc.stderr or proc.stdout)[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,100000", help="leaf tasks, comma separated")
    parser.add_argument("--edits", type=int, default=15, help="edits of each kind")
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--no-peer", action="store_true", help="skip Stalker 1.1.2.1")
    parser.add_argument("--peer-size", type=int, default=2000)
    parser.add_argument("--child", choices=("ours", "peer"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    if args.child:
        run = run_ours if args.child == "ours" else run_peer
        print(json.dumps(run(args.url, sizes[0], args.edits)))
        return 0

    from rich.console import Console
    from rich.table import Table

    load_before = os.getloadavg()
    dbs = Databases()
    results: list[tuple[str, dict[str, Any]]] = []
    try:
        for size in sizes:
            with dbs.fresh(args.backend) as url:
                results.append(("ours", _run_child("ours", url, size, args.edits)))
        if not args.no_peer:
            with dbs.fresh(args.backend) as url:
                results.append(("peer", _run_child("peer", url, args.peer_size, args.edits)))
    finally:
        dbs.close()
    peer = next((r for lib, r in results if lib == "peer"), None)

    def med(r: dict[str, Any] | None, kind: str, phase: str) -> float | None:
        if r is None:
            return None
        return statistics.median(t[phase] for t in r["times"][kind])

    table = Table(title=f"roll-up after one leaf changes ({args.backend}, median of {args.edits})")
    for col in ("library", "tasks", "edit", "roll-up", "max", "Stalker 2,000", "ratio",
                "< 5 ms", "SQL", "Stalker SQL", "whole edit", "Stalker 2,000 ", "ratio "):
        table.add_column(col, justify="left" if col in ("library", "edit") else "right")
    ok = True
    for lib, r in results:
        for kind in KINDS:
            roll, edit = med(r, kind, "rollup"), med(r, kind, "edit")
            assert roll is not None and edit is not None
            p_roll = med(peer, kind, "rollup") if lib == "ours" else None
            p_edit = med(peer, kind, "edit") if lib == "ours" else None
            met = roll < GOAL_SECONDS
            if lib == "ours":
                ok = ok and met
            sql = med(r, kind, "statements")
            p_sql = med(peer, kind, "statements") if lib == "ours" else None
            table.add_row(
                "stalker_core" if lib == "ours" else "Stalker 1.1.2.1", f"{r['tasks']:,}", kind,
                _ms(roll), _ms(max(t["rollup"] for t in r["times"][kind])), _ms(p_roll),
                f"{p_roll / roll:.1f}x" if p_roll else "-",
                ("met" if met else "NOT met") if lib == "ours" else "",
                f"{sql:g}", "-" if p_sql is None else f"{p_sql:g}",
                _ms(edit), _ms(p_edit), f"{p_edit / edit:.1f}x" if p_edit else "-",
            )
    console = Console(width=170)
    console.print(table)
    console.print(
        "roll-up: the change and the flush (validation, the leaf's and its parents' sums and "
        "statuses written); SQL: the statements the roll-up sent (median);\nwhole edit: "
        "fetching the leaf, the roll-up, the commit (the database's fsync) and reading the "
        "root's status, logged, scheduled seconds and percent complete."
    )
    load = " ".join(f"{x:.2f}" for x in load_before)
    console.print(
        f"load average (1, 5, 15 min) on {os.cpu_count()} CPUs: {load} before the runs, "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " after"
    )
    for lib, r in results:
        extra = f", caches equal a full recomputation: {r['consistent']}" if lib == "ours" else ""
        console.print(f"{lib} {r['tasks']:,} tasks: built in {r['build']:.1f} s{extra}")
        if lib == "ours" and not r["consistent"]:
            ok = False
    print("goal (roll-up < 5 ms at every size, caches consistent):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
