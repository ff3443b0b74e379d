"""Benchmark of the version workflows: save_as_version latency and multi-process throughput.

Measured through the standalone host (plain files on disk), on SQLite and on
PostgreSQL (a throwaway server started here, or ``STALKER_TEST_PG_URL``), with
``--existing`` versions already in the database (default 100,000, inserted in
bulk with Core ``executemany``):

* **latency**: ``--saves`` sequential ``save_as_version`` calls on one task;
  median and p95 of the total, of the host's own ``save_file`` and of the
  overhead (total minus the host's save) - the goal is a median overhead
  below 50 ms;
* **throughput**: ``--procs`` processes (default 8) each saving ``--per-proc``
  versions of the *same* task at the same moment (the worst case: they all
  contend for that task's numbers), then each on its *own* task; versions per
  second and a check that the numbers are 1..N without gaps or duplicates.

Usage::

    .venv/bin/python benchmarks/bench_workflows.py                 # both backends
    .venv/bin/python benchmarks/bench_workflows.py --backend sqlite --existing 20000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BULK_TASKS = 200


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q * (len(ordered) - 1)))))
    return ordered[k]


def setup_database(url: str, repo_root: Path, existing: int) -> dict[str, Any]:
    """Schema, default data, the demo project and ``existing`` versions in bulk."""
    from sqlalchemy import insert

    from stalker_core import db
    from stalker_core.cli.demo_cmd import build_demo
    from stalker_core.models import SimpleEntity, Task, Version
    from stalker_core.orm.session import DBSession

    db.setup({"sqlalchemy.url": url})
    db.init()
    demo = build_demo(DBSession, repo_root)
    project = demo.project
    bulk_tasks = [Task(name=f"bulk{i:03d}", project=project) for i in range(BULK_TASKS)]
    DBSession.add_all(bulk_tasks)
    DBSession.commit()
    t0 = time.perf_counter()
    if existing:
        now = dt.datetime.now(dt.UTC)
        first_id = int(DBSession.query(SimpleEntity.id).order_by(SimpleEntity.id.desc())
                       .limit(1).scalar() or 0) + 1
        per_task = max(1, existing // BULK_TASKS)
        se_rows, v_rows = [], []
        i = 0
        for task in bulk_tasks:
            for n in range(1, per_task + 1):
                if i >= existing:
                    break
                vid = first_id + i
                name = f"{task.name}_Main_v{n:03d}"
                se_rows.append({"id": vid, "entity_type": "Version", "name": name,
                                "description": "", "date_created": now, "date_updated": now})
                v_rows.append({"id": vid, "task_id": task.id, "take_name": "Main",
                               "version_number": n, "is_published": n % 3 == 0,
                               "created_with": "bulk",
                               "path": f"$REPORDEMO/DEMO/{task.name}",
                               "filename": f"{name}.txt"})
                i += 1
        conn = DBSession.connection()
        chunk = 10_000
        for start in range(0, len(se_rows), chunk):
            conn.execute(insert(SimpleEntity.__table__), se_rows[start:start + chunk])
            conn.execute(insert(Version.__table__), v_rows[start:start + chunk])
        DBSession.commit()
        if conn.dialect.name == "postgresql":
            with DBSession.get_bind().connect() as c:
                c.exec_driver_sql("SELECT setval(pg_get_serial_sequence('simple_entities','id'),"
                                  " (SELECT max(id) FROM simple_entities))")
                c.commit()
                c.exec_driver_sql("ANALYZE")
                c.commit()
    bulk_seconds = time.perf_counter() - t0
    target = demo.tasks["SH10/comp"]
    spread = [Task(name=f"own{i:02d}", project=project) for i in range(16)]
    DBSession.add_all(spread)
    DBSession.commit()
    return {"task_id": target.id, "spread_ids": [t.id for t in spread],
            "bulk_seconds": bulk_seconds}


def measure_latency(task_id: int, saves: int, workdir: Path) -> dict[str, float]:
    """Sequential saves; returns median/p95 of total, host save and overhead (ms)."""
    from stalker_standalone import StandaloneHost

    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession
    from stalker_core.plugins import get_plugin_manager
    from stalker_core.workflows import save_as_version

    pm = get_plugin_manager()
    task = DBSession.get(Task, task_id)
    host = StandaloneHost()
    src = workdir / "scene.txt"
    src.write_text("x" * 4096)
    host_times: list[float] = []
    real_save = host.save_file

    def timed_save(path: Path) -> None:
        t = time.perf_counter()
        real_save(path)
        host_times.append(time.perf_counter() - t)

    host.save_file = timed_save  # type: ignore[method-assign]
    totals: list[float] = []
    for i in range(saves + 3):
        host.open_file(src)
        t = time.perf_counter()
        save_as_version(host, task, session=DBSession, pm=pm)
        elapsed = time.perf_counter() - t
        if i >= 3:  # warm-up
            totals.append(elapsed)
    host_times = host_times[3:]
    overhead = [a - b for a, b in zip(totals, host_times, strict=True)]
    ms = 1000.0
    return {
        "total_median": statistics.median(totals) * ms,
        "total_p95": percentile(totals, 0.95) * ms,
        "host_median": statistics.median(host_times) * ms,
        "overhead_median": statistics.median(overhead) * ms,
        "overhead_p95": percentile(overhead, 0.95) * ms,
    }


def worker(url: str, task_id: int, count: int, go: Path, workdir: Path) -> None:
    """One throughput process: wait for ``go``, save ``count`` versions, print JSON."""
    from stalker_standalone import StandaloneHost

    from stalker_core import db
    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession
    from stalker_core.plugins import get_plugin_manager
    from stalker_core.workflows import save_as_version

    db.setup({"sqlalchemy.url": url})
    pm = get_plugin_manager()
    task = DBSession.get(Task, task_id)
    DBSession.commit()  # hold no read lock while waiting for the start
    src = workdir / f"src-{os.getpid()}.txt"
    src.write_text("y" * 4096)
    host = StandaloneHost()
    while not go.exists():
        time.sleep(0.001)
    t = time.perf_counter()
    numbers = []
    for _ in range(count):
        host.open_file(src)
        numbers.append(save_as_version(host, task, session=DBSession, pm=pm).version_number)
    print(json.dumps({"seconds": time.perf_counter() - t, "numbers": numbers}), flush=True)


def measure_throughput(url: str, task_ids: list[int], procs: int, per_proc: int,
                       workdir: Path) -> dict[str, float]:
    """``procs`` processes saving ``per_proc`` versions at once.

    With one task id they all save versions of that task (the contended case);
    with ``procs`` task ids each process has its own task.
    """
    go = workdir / f"go-{uuid.uuid4().hex}"
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", url, str(task_ids[i % len(task_ids)]),
             str(per_proc), str(go), str(workdir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for i in range(procs)
    ]
    time.sleep(3.0)  # let every child import and connect
    t = time.perf_counter()
    go.touch()
    numbers: list[tuple[int, int]] = []
    for i, c in enumerate(children):
        out, err = c.communicate(timeout=600)
        if c.returncode != 0:
            lines = [ln for ln in err.strip().splitlines() if "Error" in ln]
            raise RuntimeError(f"worker failed: {lines[-1] if lines else err[-500:]}")
        tid = task_ids[i % len(task_ids)]
        numbers += [(tid, n) for n in json.loads(out.strip().splitlines()[-1])["numbers"]]
    wall = time.perf_counter() - t
    from stalker_core.models import Version
    from stalker_core.orm.session import DBSession

    DBSession.expire_all()
    ok = len(set(numbers)) == len(numbers) == procs * per_proc
    for tid in set(task_ids):
        stored = sorted(n for (n,) in DBSession.query(Version.version_number)
                        .filter(Version.task_id == tid))
        ok = ok and stored == list(range(1, len(stored) + 1))
    DBSession.rollback()  # end the read transaction: on SQLite it would block writers
    return {"versions": len(numbers), "seconds": wall, "per_second": len(numbers) / wall,
            "numbers_ok": float(ok)}


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    from stalker_core.orm.session import DBSession

    with tempfile.TemporaryDirectory(prefix=f"bench-wf-{name}-") as tmp:
        work = Path(tmp)
        info = setup_database(url, work / "repo", args.existing)
        lat = measure_latency(info["task_id"], args.saves, work)
        DBSession.commit()
        DBSession.close()
        same = measure_throughput(url, [info["task_id"]], args.procs, args.per_proc, work)
        own = measure_throughput(url, info["spread_ids"][: args.procs], args.procs,
                                 args.per_proc, work)
        DBSession.remove()
        return {"backend": name, **info, **lat, **same,
                "own_per_second": own["per_second"], "own_ok": own["numbers_ok"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--procs", type=int, default=8)
    parser.add_argument("--per-proc", type=int, default=25)
    parser.add_argument("--worker", nargs=5, metavar=("URL", "TASK", "N", "GO", "DIR"))
    args = parser.parse_args()
    if args.worker:
        url, task, n, go, d = args.worker
        worker(url, int(task), int(n), Path(go), Path(d))
        return

    from rich.console import Console
    from rich.table import Table

    rows = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="bench-wf-db-") as d:
            rows.append(run_backend("sqlite", f"sqlite:///{d}/bench.db", args))
    if args.backend in ("postgresql", "both"):
        rows.append(_run_postgres(args))
    table = Table(title=f"save_as_version, standalone host, {args.existing:,} existing versions")
    for col in ("backend", "bulk insert s", "total median ms", "total p95 ms",
                "host save median ms", "overhead median ms", "overhead p95 ms",
                f"{args.procs} procs, one task: versions/s",
                f"{args.procs} procs, own tasks: versions/s", "numbers ok"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(r["backend"], f"{r['bulk_seconds']:.1f}", f"{r['total_median']:.1f}",
                      f"{r['total_p95']:.1f}", f"{r['host_median']:.2f}",
                      f"{r['overhead_median']:.1f}", f"{r['overhead_p95']:.1f}",
                      f"{r['per_second']:.1f} ({r['versions']} in {r['seconds']:.1f}s)",
                      f"{r['own_per_second']:.1f}",
                      "yes" if r["numbers_ok"] and r["own_ok"] else "NO")
    Console().print(table)


def _run_postgres(args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    from stalker_core.testing.pgserver import PostgresServer

    admin_url = os.environ.get("STALKER_TEST_PG_URL")
    server = None
    if not admin_url:
        server = PostgresServer().start()
        admin_url = server.url
    name = "bench_wf_" + uuid.uuid4().hex[:8]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        return run_backend("postgresql", url, args)
    finally:
        from stalker_core.orm.session import DBSession

        DBSession.remove()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
