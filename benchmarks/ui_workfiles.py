"""Benchmark of the Work Files panel: open and fill in with 100,000 versions in the database.

The database is the demo studio plus 200 root tasks holding ``--versions``
versions (default 100,000) inserted in bulk (Core ``executemany``, see
``bench_workflows.setup_database``). Two shapes are measured:

* **spread**: 500 versions on each of the 200 tasks;
* **one task**: then every one of those versions moved to ONE task (numbers
  1..N of one take), the worst case for the versions table.

For each shape, the panel (``WorkFilesPanel`` over ``WorkFilesController``,
offscreen, 1280x800) is built ``--repeat`` times on a host whose open scene
is the newest version of the measured task, so it opens the tree down to
that task, selects its take and version, reads the count and the first page
of 200 rows; "open" is the time from the constructor to the first painted
frame (``grab()``). The controller calls are also timed one by one,
including the LAST page of the take (keyset paging: the same cost as the
first) and a save plan. Every database call the panel makes runs on the UI
thread and is timed by the controller (``PanelController.call_log``): the
slowest one is reported. The goal of the issue: open and filled in under
300 ms, no database call on the UI thread over 100 ms (the verdict line
takes the median opening time and the slowest call; the machine's load
average is printed, as a busy machine slows everything down).

Run::

    .venv/bin/python benchmarks/ui_workfiles.py            # SQLite (a file in a temp folder)
    .venv/bin/python benchmarks/ui_workfiles.py --pg       # a throwaway PostgreSQL server

``STALKER_TEST_PG_URL`` (an admin URL) is used instead of starting a server
when set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_workflows import setup_database  # noqa: E402

GOAL_OPEN_MS = 300.0
GOAL_CALL_MS = 100.0


def concentrate(session: Any, task_ids: list[int], target: int) -> int:
    """Move every version of ``task_ids`` to ``target`` (numbers 1..N); return N."""
    from sqlalchemy import func, select, update

    from stalker_core.models import Version

    v = Version.__table__
    first = session.scalar(select(func.min(v.c.id)).where(v.c.task_id.in_(task_ids)))
    session.execute(
        update(v).where(v.c.task_id.in_(task_ids))
        .values(task_id=target, version_number=v.c.id - first + 1)
    )
    session.commit()
    count = int(session.scalar(select(func.count()).select_from(v)
                               .where(v.c.task_id == target)) or 0)
    _analyze(session)
    return count


def _analyze(session: Any) -> None:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does after a bulk change
    else:
        with bind.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} (max {max(values) * 1000:.1f})"


def measure(session: Any, task_id: int, label: str, repeat: int) -> dict[str, Any]:
    """Open the panel ``repeat`` times on ``task_id``'s newest version; time the calls."""
    from sqlalchemy import select

    from stalker_core.controllers.workfiles import WorkFilesController
    from stalker_core.hosts import VERSION_ID_KEY
    from stalker_core.models import Version
    from stalker_core.plugins import get_plugin_manager
    from stalker_core.testing import FakeHost
    from stalker_core.ui.windows import application
    from stalker_core.ui.workfiles import WorkFilesPanel

    app = application()
    pm = get_plugin_manager()
    newest = session.scalars(
        select(Version).where(Version.task_id == task_id)
        .order_by(Version.version_number.desc()).limit(1)
    ).one()
    host = FakeHost()
    host.set_scene_metadata({VERSION_ID_KEY: str(newest.id)})
    session.rollback()

    opens: list[float] = []
    slowest: list[Any] = []
    rows = total = 0
    for _ in range(repeat + 1):  # the first one warms the caches (compiled SQL, fonts)
        controller = WorkFilesController(host, session=session, plugin_manager=pm,
                                         user="demo_anna")
        start = time.perf_counter()
        panel = WorkFilesPanel(controller=controller)
        panel.resize(1280, 800)
        panel.show()
        app.processEvents()
        panel.grab()  # the first frame painted
        opens.append(time.perf_counter() - start)
        node = panel.tree.selected_node()
        assert node is not None and node.id == task_id, "the panel did not open the task"
        assert panel.selected_version() is not None, "the newest version is not selected"
        rows, total = panel.versions_model.rowCount(), panel.versions_model.total
        slowest.append(controller.call_log.slowest("MainThread"))
        panel.close()
        panel.deleteLater()
        app.processEvents()
    opens, slowest = opens[1:], slowest[1:]

    controller = WorkFilesController(host, session=session, plugin_manager=pm,
                                     user="demo_anna")
    project_id = newest.task.project_id
    session.rollback()
    take = "Main"
    calls: dict[str, Callable[[], Any]] = {
        "projects": controller.projects,
        "root tasks": lambda: controller.children(project_id),
        "my tasks": lambda: controller.my_tasks(project_id),
        "current selection": controller.current_selection,
        "task path": lambda: controller.task_path(task_id),
        "takes": lambda: controller.takes(task_id),
        "version count": lambda: controller.version_count(task_id, take),
        "first page (200)": lambda: controller.versions_page(task_id, take),
        "last page": lambda: controller.versions_page(task_id, take, before=150),
        "save plan": lambda: controller.save_plan(task_id, take),
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    cold = None
    for i in range(repeat + 1):
        for name, call in calls.items():
            t = time.perf_counter()
            call()
            if i:
                timings[name].append(time.perf_counter() - t)
        if not i:  # the first round compiles templates and SQL: reported apart
            cold = controller.call_log.slowest("MainThread")
            controller.call_log.clear()
    worst = controller.call_log.slowest("MainThread")
    worst_open = max(slowest, key=lambda c: c.seconds)
    return {
        "label": label, "rows": rows, "total": total, "open": opens,
        "calls": timings, "slowest_open": worst_open, "slowest_calls": worst, "cold": cold,
    }


def run(url: str, versions: int, repeat: int) -> list[dict[str, Any]]:
    """Build the database at ``url`` and measure both shapes."""
    from sqlalchemy import select

    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession

    with tempfile.TemporaryDirectory(prefix="bench-ui-wf-") as tmp:
        t = time.perf_counter()
        setup_database(url, Path(tmp) / "repo", versions)
        bulk = list(DBSession.scalars(
            select(Task.id).where(Task.name.like("bulk%")).order_by(Task.id)
        ))
        print(f"database: {versions:,} versions on {len(bulk)} tasks, "
              f"built in {time.perf_counter() - t:.1f} s", flush=True)
        results = [measure(DBSession, bulk[len(bulk) // 2], "spread (500 per task)", repeat)]
        target = bulk[0]
        moved = concentrate(DBSession, bulk, target)
        results.append(measure(DBSession, target, f"one task ({moved:,} versions)", repeat))
        DBSession.remove()
    return results


def report(backend: str, results: list[dict[str, Any]]) -> None:
    """Print the numbers."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Work Files panel, {backend}: milliseconds, median (max)")
    table.add_column("measure")
    for r in results:
        table.add_column(r["label"], justify="right")
    table.add_row("panel open + filled, first frame",
                  *[_ms(r["open"]) for r in results])
    table.add_row("rows shown / versions of the take",
                  *[f"{r['rows']} / {r['total']:,}" for r in results])
    for name in results[0]["calls"]:
        table.add_row(f"  controller: {name}", *[_ms(r["calls"][name]) for r in results])
    for key, title in (("slowest_open", "slowest DB call, UI thread, opening"),
                       ("slowest_calls", "slowest DB call, UI thread, calls above"),
                       ("cold", "  the same, first round (cold caches)")):
        table.add_row(title, *[f"{r[key].seconds * 1000:.1f} ({r[key].label})" for r in results])
    Console(width=160).print(table)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average of the machine (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    for r in results:
        median_open = statistics.median(r["open"]) * 1000
        worst_call = max(r["slowest_open"].seconds, r["slowest_calls"].seconds) * 1000
        verdict = "meets" if median_open < GOAL_OPEN_MS and worst_call < GOAL_CALL_MS else "MISSES"
        print(f"{backend}, {r['label']}: {verdict} the goals (open, median {median_open:.0f} ms "
              f"< {GOAL_OPEN_MS:.0f}, max {max(r['open']) * 1000:.0f}; slowest call "
              f"{worst_call:.0f} ms < {GOAL_CALL_MS:.0f})")


def main() -> None:
    """Parse the arguments and run the benchmark on the chosen backend."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.pg:
        with tempfile.TemporaryDirectory(prefix="bench-ui-wf-db-") as d:
            report("SQLite", run(f"sqlite:///{d}/bench.db", args.versions, args.repeat))
        return

    from stalker_core.testing.pgserver import PostgresServer, create_database, drop_database

    admin = os.environ.get("STALKER_TEST_PG_URL")
    server = None
    if not admin:
        server = PostgresServer().start()
        admin = server.url
    name, url = create_database(admin)
    try:
        report("PostgreSQL", run(url, args.versions, args.repeat))
    finally:
        from stalker_core.orm.session import DBSession

        DBSession.remove()
        drop_database(admin, name)
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
