"""Scene Inventory benchmark: listing containers, "Update all" with progress, UI-thread DB calls.

On a fresh database (SQLite; PostgreSQL too with ``--pg``) holding the demo
studio plus ``--tasks`` tasks with three versions each (v001 and v002
published, v003 not), a FakeHost scene references v001 of those tasks, so
every container is outdated. Measured, offscreen (``QT_QPA_PLATFORM``):

* **list**: ``--containers`` containers (default 500; goal under 500 ms):
  the controller's ``load()`` (host list, status queries, task paths) from a
  fresh session, and the panel's ``refresh()`` (the same plus filling the
  table); first run and median of ``--repeat``;
* **queries**: the SELECT statements of one ``load()`` with 50 and with
  ``--containers`` containers (they must be equal: bounded, not one per
  container);
* **update all**: ``--update`` outdated containers (default 200; goal under
  2 s) updated by the panel's "Update all outdated" through the event loop,
  with the progress bar's updates counted;
* **slowest database call on the UI thread** (goal under 100 ms), from the
  panels' :class:`~stalker_core.controllers.base.CallLog`.

Usage::

    .venv/bin/python benchmarks/ui_inventory.py               # SQLite
    .venv/bin/python benchmarks/ui_inventory.py --pg          # and PostgreSQL (throwaway server)
    .venv/bin/python benchmarks/ui_inventory.py --containers 2000 --repeat 3

PostgreSQL comes from ``STALKER_BENCH_PG_URL`` or a throwaway server
(:class:`stalker_core.testing.pgserver.PostgresServer`, via ``_harness.Databases``).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Databases  # noqa: E402

GOAL_LIST = 0.5
GOAL_UPDATE = 2.0
GOAL_DB_CALL = 0.1


@dataclass
class Numbers:
    """The measurements of one backend."""

    backend: str
    load_first: float = 0.0
    load: list[float] = field(default_factory=list)
    refresh_first: float = 0.0
    refresh: list[float] = field(default_factory=list)
    queries_small: int = 0
    queries_large: int = 0
    update: list[float] = field(default_factory=list)
    progress_updates: int = 0
    updated: int = 0
    #: phase ("list", "update") -> the slowest database call on the UI thread
    slowest: dict[str, Any] = field(default_factory=dict)
    #: phase -> the median duration of those calls
    median_call: dict[str, float] = field(default_factory=dict)


def build_studio(session: Any, root: Path, n_tasks: int) -> list[Any]:
    """The demo studio plus ``n_tasks`` tasks with v001, v002 (published) and v003; their v001."""
    from stalker_core.cli.demo_cmd import build_demo
    from stalker_core.models import Task, Version

    demo = build_demo(session, root)
    # under the Hero asset and the SEQ01/SH10 shot: task paths two and three levels deep
    parents = [demo.tasks["Hero/model"].parent, demo.tasks["SH10/anim"].parent]
    tasks = [Task(name=f"prop{i:04d}", project=demo.project, parent=parents[i % 2])
             for i in range(n_tasks)]
    session.add_all(tasks)
    session.commit()
    firsts = []
    for task in tasks:
        for n in range(3):
            v = Version(task=task, extension=".fake", is_published=n < 2)
            v.update_paths()
            if n == 0:
                firsts.append(v)
    session.commit()
    for v in session.query(Version).all():
        path = Path(v.absolute_full_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return firsts


def scene(versions: list[Any], n: int) -> Any:
    """A FakeHost whose scene holds ``n`` containers, round robin over ``versions``."""
    from stalker_core.hosts import Container
    from stalker_core.testing.fake_host import FakeHost

    host = FakeHost()
    host.references = [
        Container(f"ref{i:05d}", Path(v.absolute_full_path), v.id)
        for i, v in enumerate(versions[i % len(versions)] for i in range(n))
    ]
    return host


def fresh_session() -> Any:
    """DBSession with an empty identity map (as a newly opened panel would find it).

    The garbage of the previous run is collected here, outside the measured
    part, as ``timeit`` does: a full collection of the last run's objects
    would otherwise land in the next measurement.
    """
    from stalker_core.orm.session import DBSession

    DBSession.remove()
    gc.collect()
    return DBSession


def count_selects(session: Any, host: Any, pm: Any) -> int:
    from sqlalchemy import event

    from stalker_core.controllers.inventory import InventoryController

    engine = session.get_bind()
    seen: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        InventoryController(host, session=session, plugin_manager=pm).load()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return len(seen)


def run_backend(backend: str, url: str, args: argparse.Namespace) -> Numbers:
    from Qt import QtCore

    from stalker_core import db
    from stalker_core.controllers.base import CallLog
    from stalker_core.controllers.inventory import InventoryController
    from stalker_core.plugins import get_plugin_manager
    from stalker_core.ui.inventory import InventoryPanel
    from stalker_core.ui.windows import application

    numbers = Numbers(backend)
    app = application()
    db.setup({"sqlalchemy.url": url})
    db.init()
    root = Path(tempfile.mkdtemp(prefix="stalker-inv-bench-"))
    session = fresh_session()
    print(f"[{backend}] building {args.tasks} tasks x 3 versions ...", flush=True)
    firsts = build_studio(session, root / "repo", args.tasks)
    ids = [v.id for v in firsts]
    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    logs = {"list": CallLog(), "update": CallLog()}

    def versions_now() -> list[Any]:
        from stalker_core.models import Version

        by_id = {v.id: v for v in session.query(Version).filter(Version.id.in_(ids))}
        return [by_id[i] for i in ids]

    # list: the controller, then the panel
    for i in range(args.repeat + 1):
        session = fresh_session()
        host = scene(versions_now(), args.containers)
        session = fresh_session()
        ctl = InventoryController(host, session=session, plugin_manager=pm)
        t0 = time.perf_counter()
        state = ctl.load()
        seconds = time.perf_counter() - t0
        assert len(state.rows) == args.containers and len(state.outdated) == args.containers
        logs["list"].calls.extend(ctl.call_log.calls)
        if i == 0:
            numbers.load_first = seconds
        else:
            numbers.load.append(seconds)
    for i in range(args.repeat + 1):
        session = fresh_session()
        host = scene(versions_now(), args.containers)
        session = fresh_session()
        panel = InventoryPanel(None, session=session, plugin_manager=pm)  # empty
        panel.resize(1280, 800)
        t0 = time.perf_counter()
        panel.set_host(host)  # a new controller, and refresh()
        app.processEvents()
        seconds = time.perf_counter() - t0
        assert panel.model.rowCount() == args.containers
        logs["list"].calls.extend(panel.controller.call_log.calls)
        panel.deleteLater()
        if i == 0:
            numbers.refresh_first = seconds
        else:
            numbers.refresh.append(seconds)

    # queries: bounded
    session = fresh_session()
    small = scene(versions_now(), 50)
    big = scene(versions_now(), args.containers)
    numbers.queries_small = count_selects(fresh_session(), small, pm)
    numbers.queries_large = count_selects(fresh_session(), big, pm)

    # update all, through the event loop, with progress
    for _ in range(args.repeat):
        session = fresh_session()
        host = scene(versions_now(), args.update)
        session = fresh_session()
        panel = InventoryPanel(host, session=session, plugin_manager=pm)
        progress: list[int] = []
        panel.progress.valueChanged.connect(progress.append)
        done: list[Any] = []
        panel.update_finished.connect(done.append)
        loop = QtCore.QEventLoop()
        panel.update_finished.connect(loop.quit)
        t0 = time.perf_counter()
        panel.update_all()
        if not done:
            loop.exec()
        seconds = time.perf_counter() - t0
        summary = done[0]
        assert len(summary.updated) == args.update, summary.text
        assert not any(c.version_id in ids for c in host.references)
        numbers.update.append(seconds)
        numbers.progress_updates = len(progress)
        numbers.updated = len(summary.updated)
        logs["update"].calls.extend(panel.controller.call_log.calls)
        panel.deleteLater()
    app.processEvents()
    numbers.slowest = {phase: log.slowest("MainThread") for phase, log in logs.items()}
    numbers.median_call = {
        phase: statistics.median([c.seconds for c in log.calls if c.thread == "MainThread"])
        for phase, log in logs.items() if log.calls
    }
    fresh_session()
    db_engine = session.get_bind()
    db_engine.dispose()
    return numbers


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(all_numbers: list[Numbers], args: argparse.Namespace) -> None:
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} CPUs, load average {load_avg:.1f} (other work skews the numbers)")
    for n in all_numbers:
        load, refresh = statistics.median(n.load), statistics.median(n.refresh)
        update = statistics.median(n.update)
        print(f"\n== Scene Inventory [{n.backend}] ==")
        print(f"list {args.containers} containers, controller load():  median {_ms(load)}, "
              f"first {_ms(n.load_first)}  (goal < {_ms(GOAL_LIST)})")
        print(f"list {args.containers} containers, panel refresh():   median {_ms(refresh)}, "
              f"first {_ms(n.refresh_first)}  (goal < {_ms(GOAL_LIST)})")
        print(f"SELECT statements per load: {n.queries_small} for 50 containers, "
              f"{n.queries_large} for {args.containers}")
        print(f"update all {args.update} outdated (FakeHost, event loop): median "
              f"{_ms(update)}, max {_ms(max(n.update))}; {n.updated} updated, "
              f"{n.progress_updates} progress-bar updates  (goal < {_ms(GOAL_UPDATE)})")
        for phase, slow in n.slowest.items():
            if slow is not None:
                print(f"slowest database call on the UI thread ({phase}): {slow.label!r} "
                      f"{_ms(slow.seconds)}, median call {_ms(n.median_call[phase])}  "
                      f"(goal < {_ms(GOAL_DB_CALL)})")
        slowest = max((c.seconds for c in n.slowest.values() if c is not None), default=0.0)
        ok = (max(load, refresh) < GOAL_LIST and update < GOAL_UPDATE
              and n.queries_small == n.queries_large and slowest < GOAL_DB_CALL)
        print("goals met" if ok else "GOALS MISSED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--containers", type=int, default=500)
    parser.add_argument("--update", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    dbs = Databases()
    results = []
    try:
        for backend in ["sqlite"] + (["postgresql"] if args.pg else []):
            with dbs.fresh(backend) as url:
                results.append(run_backend(backend, url, args))
    finally:
        dbs.close()
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
