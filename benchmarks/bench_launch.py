"""Time from ``stalker launch`` to the application's process running (goal: under 1 s).

The application is tests/fakes/fake_dcc.py, a FAKE executable that records
the time its Python started, so the DCC's own start-up is excluded (the
fake's interpreter start, ~20 ms, is included). Each run is a fresh
``stalker launch nuke --task N --wait`` process on a demo studio in SQLite,
as when an artist clicks; the median and the worst of N runs are printed,
with the in-process cost of planning (database, discovery, environment) and
of starting.

There is no peer to run side by side here: Stalker has no launcher, and the
launchers of ShotGrid Toolkit, AYON and Prism need their servers or GUIs.

Usage::

    python benchmarks/bench_launch.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE_DCC = ROOT / "tests" / "fakes" / "fake_dcc.py"


def _studio(tmp: Path) -> tuple[str, int, Path]:
    """A demo studio database, a studio file naming the fake Nuke; (url, task id, config)."""
    from stalker_core import db
    from stalker_core.cli.demo_cmd import build_demo
    from stalker_core.orm.session import DBSession

    url = f"sqlite:///{tmp / 'studio.db'}"
    db.setup({"sqlalchemy.url": url})
    db.init()
    demo = build_demo(DBSession, tmp / "repo")
    task = next(t for t in demo.tasks.values() if not t.children)
    task_id = task.id
    DBSession.remove()
    exe = tmp / "Nuke15.1v1" / "Nuke15.1"
    exe.parent.mkdir()
    exe.write_text(f"#!{sys.executable}\n" + FAKE_DCC.read_text())
    exe.chmod(0o755)
    studio = tmp / "studio.toml"
    studio.write_text(f'[applications.nuke]\nvariants = ["15.1v1"]\n'
                      f'executables = {{ linux = "{tmp}/Nuke{{version}}/Nuke{{short}}" }}\n')
    return url, task_id, studio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        url, task_id, studio = _studio(tmp)
        record = tmp / "record.json"
        env = {**os.environ, "STALKER_CONFIG": str(studio), "FAKE_DCC_RECORD": str(record),
               "XDG_STATE_HOME": str(tmp / "state")}
        command = [sys.executable, "-m", "stalker_core.cli.main", "--db", url, "launch",
                   "nuke", "--task", str(task_id), "--wait"]
        to_child: list[float] = []
        for _ in range(args.runs):
            begin = time.time()
            subprocess.run(command, env=env, check=True, capture_output=True)
            to_child.append(json.loads(record.read_text())["started"] - begin)
        probe = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, url, str(task_id)], env=env, check=True,
            capture_output=True, text=True).stdout.strip().splitlines()[-1]
        inside = json.loads(probe)
    print(f"stalker launch -> application process running ({args.runs} fresh runs, SQLite)")
    print(f"  median {statistics.median(to_child) * 1000:7.1f} ms   "
          f"worst {max(to_child) * 1000:7.1f} ms   goal < 1000 ms")
    print("  inside the launcher process (warm):")
    print(f"    plan (task, latest file, installs, environment) {inside['plan'] * 1000:6.1f} ms")
    print(f"    start (log file, fork/exec)                     {inside['start'] * 1000:6.1f} ms")
    print("  peer: none runs here (Stalker has no launcher; SGTK/AYON/Prism need their servers)")


IN_PROCESS = """
import json, os, sys, time
from stalker_core import db
from stalker_core.config import process_environment
from stalker_core.workflows.launch import plan_launch, start
db.setup({"sqlalchemy.url": sys.argv[1]})
plan_launch("nuke", int(sys.argv[2]), base_env=process_environment())  # warm caches
t = time.perf_counter()
plan = plan_launch("nuke", int(sys.argv[2]), base_env=process_environment())
t_plan = time.perf_counter() - t
t = time.perf_counter()
launch = start(plan)
t_start = time.perf_counter() - t
launch.wait()
print(json.dumps({"plan": t_plan, "start": t_start}))
"""


if __name__ == "__main__":
    main()
