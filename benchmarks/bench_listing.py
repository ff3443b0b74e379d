"""Listing benchmark: ``stalker version list --limit N`` over N versions, as a table, JSON, CSV.

Builds a SQLite database holding the demo studio (``stalker demo``) and N
versions (default 100,000) spread over its tasks, inserted in bulk, then
times the ``stalker version list`` command in a subprocess (start-up
included, as a user sees it) with its output going to a pipe:

* the default table (plain aligned columns for a large listing, see
  :mod:`stalker_core.cli.output`);
* ``--json``;
* ``--csv``.

Each command is checked to have printed N rows. The database is kept in
``--dir`` (default: a temporary folder, removed at the end).

Run: ``.venv/bin/python benchmarks/bench_listing.py [--versions N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(url: str, root: Path, versions: int) -> None:
    """The demo studio plus ``versions`` versions, inserted in bulk."""
    from sqlalchemy import insert, select

    from stalker_core import db
    from stalker_core.cli.demo_cmd import build_demo
    from stalker_core.models import Task, User, Version
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    build_demo(DBSession, root)
    DBSession.commit()
    leaves = [t for t in DBSession.scalars(select(Task)) if not t.children]
    user_id = DBSession.scalars(select(User.id)).first()
    rows = []
    for i in range(versions):
        task = leaves[i % len(leaves)]
        n = i // len(leaves) + 1000  # clear of the demo's own numbers
        rows.append({
            "name": f"{task.name}_bench_v{n}", "task_id": task.id, "take_name": "Bench",
            "version_number": n, "is_published": i % 3 == 0, "created_with": "bench",
            "description": f"benchmark version {i}", "created_by_id": user_id,
            "path": f"bench/{task.id}", "filename": f"{task.name}_Bench_v{n:05d}.txt",
        })
    for start in range(0, len(rows), 10_000):
        DBSession.execute(insert(Version), rows[start:start + 10_000])
    DBSession.commit()
    DBSession.remove()
    engine.dispose()


def time_command(url: str, args: list[str], versions: int) -> tuple[float, int]:
    """Seconds the command took with its output to a pipe, and its output's size in bytes."""
    cmd = [sys.executable, "-m", "stalker_core.cli.main", "--db", url, "version", "list",
           "--limit", str(versions), *args]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, check=True)
    seconds = time.perf_counter() - start
    out = done.stdout.decode()
    if "--json" in args:
        count = len(json.loads(out))
    elif "--csv" in args:
        count = out.count("\n") - 1
    else:
        count = sum(1 for line in out.splitlines() if line.split(" ", 1)[0].isdigit())
    if count < versions:
        raise SystemExit(f"{' '.join(args) or 'table'}: printed {count} rows, not {versions}")
    return seconds, len(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Build the database, time the three outputs, print a table of the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="Keep the database here.")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="stalker-bench-listing-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'listing.db'}"
    try:
        if not (folder / "listing.db").exists():
            start = time.perf_counter()
            build(url, folder / "repo", args.versions)
            print(f"built {args.versions} versions in {time.perf_counter() - start:.1f} s")
        env_note = "output to a pipe, subprocess start-up included"
        print(f"stalker version list --limit {args.versions} ({env_note}):")
        for label, extra in (("table", []), ("--json", ["--json"]), ("--csv", ["--csv"])):
            times, size = [], 0
            for _ in range(args.repeat):
                seconds, size = time_command(url, extra, args.versions)
                times.append(seconds)
            print(f"  {label:<7} {statistics.median(times):7.2f} s  ({size / 1e6:.1f} MB)")
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "200")
    sys.exit(main())
