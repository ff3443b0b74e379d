"""Start-up: the first query of a fresh process, and ``stalker version list``.

Goals (issue 16): ``stalker version list`` (and ``stalker task list`` when the
command exists) on a demo-sized SQLite database under 0.5 s of wall time; the
first query of a fresh interpreter on an up-to-date database, ``db.setup()``
included, under 0.4 s; the Blender panel's first draw on an up-to-date
database under 0.3 s. Every number is the median of ``--runs`` fresh
processes (5 by default), with bytecode cached as in an installed package.

Rows:

* ``first query``: import, ``db.setup()`` on an up-to-date database, one ORM
  query of versions with their tasks (time inside the process, from before
  ``import stalker_core``); Stalker 1.1.2.1 doing the same (its
  ``db.setup()``, the same query) is the peer, as a ratio;
* ``stalker version list`` / ``stalker task list``: the whole command as a
  user runs it (wall time of the process; Stalker has no command line);
* ``Blender panel first draw``: real ``bpy`` (the ``bpy`` module of the
  environment, in background mode); ``import bpy`` is not counted (Blender
  has started when an add-on registers). Timed from importing and
  registering the add-on (hosts/stalker_blender) to the first ``draw()`` of
  the "Stalker" sidebar panel returning, for a scene saved as a version of
  the demo database (``STALKER_DATABASE_URL``); panels cannot draw into a
  real layout in background mode, so the draw gets a recording stand-in for
  ``UILayout``, as the add-on's tests do. No peer (Stalker has no add-on);
  skipped when ``bpy`` is missing;
* ``import sqlalchemy.orm``: the floor every row above pays, for scale;
* ``models imported and mappers configured``: the rest of the floor, the
  mapped classes of each library (in process: after ``import
  sqlalchemy.orm``), with Stalker's as the peer.

The machine may be busy (other processes): the CPU time of each process is
shown beside its wall time, and the load average is printed. Then the
``-X importtime`` profile of each row: the packages and the modules that
cost most (self time).

Usage::

    python benchmarks/bench_startup.py [--runs 5] [--top 12]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

GOAL_FIRST_QUERY = 0.4
GOAL_COMMAND = 0.5
GOAL_BLENDER_DRAW = 0.3

#: the first query; ``{imports}`` binds ``Version``, ``DBSession`` and ``setup`` of a library
FIRST_QUERY = """
import json, time
t0 = time.perf_counter()
from sqlalchemy import select
from sqlalchemy.orm import selectinload
{imports}
setup({{"sqlalchemy.url": {url!r}}})
rows = DBSession.scalars(
    select(Version).options(selectinload(Version.task)).order_by(Version.id.desc()).limit(50)
).all()
names = [v.task.name for v in rows]
print(json.dumps({{"seconds": time.perf_counter() - t0, "rows": len(rows)}}))
"""
OURS_IMPORTS = """
from stalker_core.db import setup
from stalker_core.models import Version
from stalker_core.orm.session import DBSession
"""
PEER_IMPORTS = """
import warnings
warnings.simplefilter("ignore")
from stalker import Version
from stalker.db.session import DBSession
from stalker.db.setup import setup
"""

PEER_CREATE = """
import warnings
warnings.simplefilter("ignore")
from stalker.db.setup import init, setup
setup({{"sqlalchemy.url": {url!r}}})
init()
"""

#: the models alone: imported, mappers configured (in process: ``sqlalchemy.orm`` excluded)
MAPPERS = """
import json, time, warnings
warnings.simplefilter("ignore")
import sqlalchemy.orm
t0 = time.perf_counter()
import {package}
sqlalchemy.orm.configure_mappers()
print(json.dumps({{"seconds": time.perf_counter() - t0}}))
"""

#: what the ``stalker`` console script runs (pyproject.toml ``[project.scripts]``)
COMMAND = ("import sys; from stalker_core.cli.main import console_main; "
           "sys.exit(console_main())")

#: the Blender panel's first draw; ``{version_id}``: a Version of the demo database
BLENDER_DRAW = """
import json, time
from types import SimpleNamespace
import bpy  # Blender has started before any add-on registers: not counted
bpy.context.scene["stalker"] = {{"stalker_version_id": "{version_id}"}}


class Layout:
    \"\"\"Records what draw() asks for (no UILayout outside a window).\"\"\"

    def __init__(self):
        self.lines = []

    def column(self, **_kw):
        return self

    def box(self, **_kw):
        return self

    def label(self, text="", **_kw):
        self.lines.append(text)

    def operator(self, idname, **_kw):
        self.lines.append(idname)


t0 = time.perf_counter()
import stalker_blender
stalker_blender.register()
from stalker_blender.panel import STALKER_PT_context
layout = Layout()
STALKER_PT_context.draw(SimpleNamespace(layout=layout), bpy.context)
seconds = time.perf_counter() - t0
assert "Version: -" not in layout.lines and "Version: " in " ".join(layout.lines), layout.lines
print(json.dumps({{"seconds": seconds, "lines": layout.lines[:3]}}))
"""


#: environment variables added to every measured process (the Blender row's database)
EXTRA_ENV: dict[str, str] = {}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    env.update(EXTRA_ENV)
    return env


def _run(args: list[str], *, profile: bool = False) -> tuple[float, float, str, str]:
    """Run ``python args``; return (wall seconds, CPU seconds, stdout, stderr)."""
    cmd = [sys.executable, *(["-X", "importtime"] if profile else []), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=600)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)[:80]}: {proc.stderr.strip()[-800:]}")
    return wall, cpu, proc.stdout, proc.stderr


def _script(code: str) -> list[str]:
    return ["-c", textwrap.dedent(code)]


def measure(args: list[str], runs: int, *, inner: bool) -> dict[str, Any]:
    """Median wall and CPU of ``runs`` fresh processes (after one warm-up run)."""
    _run(args)  # warm-up: bytecode written, files in the page cache
    walls, cpus, inners = [], [], []
    for _ in range(runs):
        wall, cpu, out, _err = _run(args)
        walls.append(wall)
        cpus.append(cpu)
        if inner:
            inners.append(float(json.loads(out.strip().splitlines()[-1])["seconds"]))
    return {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "inner": statistics.median(inners) if inners else None,
    }


def import_profile(args: list[str]) -> list[tuple[str, int, int]]:
    """``(module, self µs, cumulative µs)`` of one ``-X importtime`` run."""
    _wall, _cpu, _out, err = _run(args, profile=True)
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line.split(":", 1)[1].split("|")
        rows.append((name.strip(), int(self_us), int(cum_us)))
    return rows


def _package(module: str) -> str:
    parts = module.split(".")
    if parts[0] in ("stalker_core", "stalker") and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def print_profile(title: str, rows: list[tuple[str, int, int]], top: int) -> None:
    total = sum(r[1] for r in rows)
    by_package: Counter[str] = Counter()
    for name, self_us, _ in rows:
        by_package[_package(name)] += self_us
    print(f"\n{title}: {len(rows)} modules imported, {total / 1000:.0f} ms of import time")
    print("  by package (self time): " + ", ".join(
        f"{name} {us / 1000:.0f} ms" for name, us in by_package.most_common(top)
    ))
    print("  slowest modules (self time):")
    for name, self_us, cum_us in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"    {self_us / 1000:7.1f} ms  (cumulative {cum_us / 1000:6.1f} ms)  {name}")


def _has_command(db_url: str, name: str) -> bool:
    try:
        _run(["-c", COMMAND, "--db", db_url, name, "--help"])
    except RuntimeError:
        return False
    return True


def _has_bpy() -> bool:
    try:
        _run(["-c", "import bpy"])
    except RuntimeError:
        return False
    return True


def _latest_version_id(db_file: Path) -> int:
    """The newest Version of the demo database (read with the standard library)."""
    import sqlite3

    with sqlite3.connect(db_file) as conn:
        row = conn.execute("SELECT max(id) FROM versions").fetchone()
    if row is None or row[0] is None:
        raise RuntimeError(f"the demo database {db_file} holds no version")
    return int(row[0])


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12, help="modules shown in each profile")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="stalker-startup-"))
    try:
        return _bench(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _bench(args: argparse.Namespace, tmp: Path) -> int:
    ours_url = f"sqlite:///{tmp / 'demo.db'}"
    peer_url = f"sqlite:///{tmp / 'peer.db'}"
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs; building the demo database ...", flush=True)
    _run(["-c", COMMAND, "--db", ours_url, "demo", "--root", str(tmp / "repo")])
    _run(_script(PEER_CREATE.format(url=peer_url)))

    rows: list[tuple[str, dict[str, Any], dict[str, Any] | None, float]] = []
    first = _script(FIRST_QUERY.format(imports=OURS_IMPORTS, url=ours_url))
    peer_first = _script(FIRST_QUERY.format(imports=PEER_IMPORTS, url=peer_url))
    rows.append(("first query, db.setup() included", measure(first, args.runs, inner=True),
                 measure(peer_first, args.runs, inner=True), GOAL_FIRST_QUERY))
    commands = {"version": ["version", "list"], "task": ["task", "list"]}
    command_args: dict[str, list[str]] = {}
    for name, words in commands.items():
        if _has_command(ours_url, name):
            command_args[name] = ["-c", COMMAND, "--db", ours_url, *words]
            rows.append((f"stalker {' '.join(words)}",
                         measure(command_args[name], args.runs, inner=False), None,
                         GOAL_COMMAND))
        else:
            print(f"(no 'stalker {name}' command in this checkout: not measured)")
    blender: list[str] | None = None
    if _has_bpy():
        EXTRA_ENV["STALKER_DATABASE_URL"] = ours_url
        blender = _script(BLENDER_DRAW.format(version_id=_latest_version_id(tmp / "demo.db")))
        rows.append(("Blender panel first draw (bpy)", measure(blender, args.runs, inner=True),
                     None, GOAL_BLENDER_DRAW))
    else:
        print("(no bpy in this environment: the Blender panel's first draw is not measured)")
    floor = measure(["-c", "import sqlalchemy.orm"], args.runs, inner=False)
    mappers = measure(_script(MAPPERS.format(package="stalker_core.models")), args.runs,
                      inner=True)
    peer_mappers = measure(_script(MAPPERS.format(package="stalker")), args.runs, inner=True)

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"start-up (median of {args.runs} fresh processes)")
    for col in ("what", "in process", "wall", "CPU", "Stalker in process", "Stalker wall",
                "ratio", "goal"):
        table.add_column(col, justify="left" if col == "what" else "right")
    ok = True
    for label, ours, peer, goal in rows:
        measured = ours["inner"] if ours["inner"] is not None else ours["wall"]
        met = measured < goal
        ok = ok and met
        ratio = "-"
        if peer is not None:
            ratio = f"{(peer['inner'] or peer['wall']) / measured:.1f}x"
        table.add_row(
            label, _ms(ours["inner"]), _ms(ours["wall"]), _ms(ours["cpu"]),
            _ms(peer["inner"]) if peer else "-", _ms(peer["wall"]) if peer else "-", ratio,
            f"< {goal * 1000:.0f} ms: {'met' if met else 'NOT met'}",
        )
    table.add_row("python -c 'import sqlalchemy.orm' (floor)", "-", _ms(floor["wall"]),
                  _ms(floor["cpu"]), "", "", "", "")
    table.add_row("models imported and mappers configured (no database)",
                  _ms(mappers["inner"]), _ms(mappers["wall"]), _ms(mappers["cpu"]),
                  _ms(peer_mappers["inner"]), _ms(peer_mappers["wall"]),
                  f"{peer_mappers['inner'] / mappers['inner']:.1f}x", "")
    Console(width=140).print(table)
    print("in process: from the first line of the script to the rows read (the goal's "
          "measure for the first query; for Blender, from registering the add-on to the\n"
          "first draw() returning, import bpy excluded); wall: the whole process, interpreter "
          "start-up included (the goal's measure for the commands);\nCPU: user + system time "
          "of the process.")
    print(f"load average after the runs: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    print_profile("-X importtime, first query (stalker_core)", import_profile(first), args.top)
    print_profile("-X importtime, first query (Stalker 1.1.2.1)", import_profile(peer_first),
                  args.top)
    for name, cmd in command_args.items():
        print_profile(f"-X importtime, stalker {' '.join(commands[name])}",
                      import_profile(cmd), args.top)
    if blender is not None:
        print_profile("-X importtime, Blender panel first draw (bpy included)",
                      import_profile(blender), args.top)
    print("\ngoal (first query < 0.4 s, commands < 0.5 s, Blender first draw < 0.3 s):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
