"""What the unit of work pays for: the flushes behind issue 16 goal 6, taken apart.

Two workloads of ``rows_production.py`` / ``bench_versions.py``, on
stalker_core only, each in a fresh database (SQLite and PostgreSQL):

* ``bulk``: 100 shots x 20 tasks built as objects, one commit. Printed: the
  seconds of building and of the flush, the statements sent, and what
  SQLAlchemy's unit of work made of the flush: its records (per-object ones,
  ``_ProcessState``/``_SaveUpdateState``, by relationship), the dependency
  edges it sorted, and whether the mapper graph had cycles (every mapper
  shares the ``simple_entities`` base, so a flush of linked entities always
  has: SQLAlchemy then sorts object by object);
* ``versions``: 1,000 versions of 100 tasks, one commit each. Printed: the
  milliseconds per version (building with paths, and the commit), the
  statements per commit by kind, and the connection pings.

Usage::

    python benchmarks/bench_uow.py [--backend sqlite|postgresql] [--json PATH]

PostgreSQL: ``STALKER_BENCH_PG_URL`` (admin URL) or a throwaway server. The
measured figures are wall-clock seconds on a machine shared with other
work: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BACKENDS, Databases, ours_setup  # noqa: E402


def _kind(statement: str) -> str:
    """A statement's kind: ``INSERT INTO versions``, ``SELECT ... FROM tasks``."""
    words = statement.split()
    upper = [w.upper() for w in words]
    if upper[0] == "SELECT" and "FROM" in upper:
        at = upper.index("FROM")
        return "SELECT ... FROM " + words[at + 1]
    return " ".join(words[:3])


def _count_statements(engine: Any) -> list[str]:
    """The kind of every statement sent from now on (a multi-statement string counts each)."""
    from sqlalchemy import event

    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.extend(_kind(part) for part in statement.split(";") if part.strip())

    event.listen(engine, "before_cursor_execute", before)
    return sent


def _count_pings(engine: Any) -> list[int]:
    pings: list[int] = []
    dialect = engine.dialect
    real = dialect.do_ping

    def counted(connection: Any) -> Any:
        pings.append(1)
        return real(connection)

    dialect.do_ping = counted
    return pings


def bulk(url: str) -> dict[str, Any]:
    """100 shots x 20 tasks as objects, one commit: build, flush, and the unit of work."""
    import rows_production as rp
    from sqlalchemy import event

    s, project, users = rp._ours_base(url)
    sent = _count_statements(s.get_bind())
    units: list[Any] = []
    event.listen(s.registry(), "after_flush", lambda _s, ctx: units.append(ctx))
    t0 = time.perf_counter()
    rp._ours_build(project, users)
    t1 = time.perf_counter()
    s.commit()
    t2 = time.perf_counter()
    ctx = units[-1]
    records = collections.Counter(
        type(r).__name__ + (f" {r.dependency_processor.key}"
                            if hasattr(r, "dependency_processor") else "")
        for r in ctx.postsort_actions.values()
    )
    return {
        "objects": len(ctx.states),
        "build_s": t1 - t0,
        "flush_s": t2 - t1,
        "statements": len(sent),
        "cycles": bool(ctx.cycles),
        "records": sum(records.values()),
        "edges": len(ctx.dependencies),
        "records_by_kind": dict(records.most_common()),
    }


def versions(url: str) -> dict[str, Any]:
    """1,000 versions, one commit each: time and statements per commit."""
    from bench_versions import VERSIONS_PER_TASK, _build_project

    import stalker_core
    from stalker_core.models import Version

    s, _project, tasks = _build_project(stalker_core, ours_setup(url))
    engine = s.get_bind()
    sent = _count_statements(engine)
    pings = _count_pings(engine) if engine.dialect.name != "sqlite" else []
    built = 0.0
    t0 = time.perf_counter()
    for task in tasks:
        for _ in range(VERSIONS_PER_TASK):
            a = time.perf_counter()
            v = Version(task=task)
            v.update_paths()
            built += time.perf_counter() - a
            s.commit()
    total = time.perf_counter() - t0
    n = len(tasks) * VERSIONS_PER_TASK
    return {
        "versions": n,
        "ms_per_version": 1000 * total / n,
        "build_ms": 1000 * built / n,
        "commit_ms": 1000 * (total - built) / n,
        "statements_per_commit": len(sent) / n,
        "by_kind_per_commit": {k: c / n for k, c in collections.Counter(sent).most_common()},
        "pings_per_commit": len(pings) / n,
    }


WORKLOADS = {"bulk": bulk, "versions": versions}


def _child(workload: str, url: str) -> None:
    print(json.dumps(WORKLOADS[workload](url)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKENDS, action="append")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    dbs = Databases()
    out: dict[str, Any] = {"load_before": os.getloadavg()}
    try:
        for backend in args.backend or BACKENDS:
            for name in WORKLOADS:
                with dbs.fresh(backend) as url:
                    done = subprocess.run(
                        [sys.executable, __file__, "--child", name, url],
                        check=True, capture_output=True, text=True,
                    )
                found = json.loads(done.stdout.strip().splitlines()[-1])
                out[f"{name} [{backend}]"] = found
                print(f"== {name} [{backend}]")
                for key, value in found.items():
                    if isinstance(value, dict):
                        print(f"  {key}:")
                        for k, v in value.items():
                            print(f"    {v:>10.3f}  {k}" if isinstance(v, float)
                                  else f"    {v:>10}  {k}")
                    else:
                        print(f"  {key}: {value:.3f}" if isinstance(value, float)
                              else f"  {key}: {value}")
    finally:
        dbs.close()
    out["load_after"] = os.getloadavg()
    print("load average (1, 5, 15 min): before "
          + " ".join(f"{x:.2f}" for x in out["load_before"]) + ", after "
          + " ".join(f"{x:.2f}" for x in out["load_after"]) + f" on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
