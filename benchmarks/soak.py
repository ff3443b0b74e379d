"""Soak: concurrent saves and publishes with random kills; then, do the database and files agree?

``make soak`` (or ``python benchmarks/soak.py``) runs ``--workers`` processes
for ``SOAK_SECONDS`` (default 60). Each saves versions of random tasks and
publishes random unpublished versions, one after the other; some operations
kill their own process at a random fault point
(:data:`stalker_core.testing.faults.POINTS`) and the soak also kills random
workers from outside at random moments (``kill -9``). A killed worker is
replaced at once. When the time is up, the workers stop, the reconciliation
of ``stalker doctor`` runs over the repository, and the soak checks:

* every Version row has its work file (not empty);
* every File row has its file, and every file under a ``publish`` folder has
  its File row;
* no two versions share a number (task, take) or a path;
* no journal, staging folder, ``.saving`` file, dead temporary folder or
  work file without a Version row is left.

It prints a summary and exits with status 1 on any disagreement.

Usage::

    python benchmarks/soak.py                               # SQLite in a temp folder
    python benchmarks/soak.py --backend postgresql          # a throwaway PostgreSQL server
    python benchmarks/soak.py --db postgresql://u@host/empty_db --seconds 300
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TASKS = 4
#: share of operations that kill their own process at a fault point
SELF_KILL = 0.25
#: chance per second that the soak kills a given working worker from outside
OUTSIDE_KILL = 0.1


def _paths() -> None:
    for p in (ROOT, ROOT / "hosts", ROOT / "plugins", ROOT / "tests"):
        if str(p) not in sys.path:
            sys.path.insert(0, str(p))


# -- a worker: operations until told to stop -------------------------------------------


def worker(url: str, stop: Path, log: Path, seed: int) -> None:
    """Save and publish at random until ``stop`` exists; one JSON line per outcome in ``log``."""
    _paths()
    from sqlalchemy import select
    from wf_helpers import make_pm

    from stalker_core import db
    from stalker_core.exceptions import StalkerError
    from stalker_core.models import Task, Version
    from stalker_core.orm.session import DBSession
    from stalker_core.testing.faults import POINTS, run_operation

    rng = random.Random(seed)
    db.setup({"sqlalchemy.url": url})
    pm = make_pm()
    tasks = list(DBSession.scalars(select(Task.id).where(Task.name.like("soak%"))))
    with log.open("a") as out:
        while not stop.exists():
            op = "publish" if rng.random() < 0.4 else "save"
            target = rng.choice(tasks)
            if op == "publish":
                ids = list(DBSession.scalars(select(Version.id).where(~Version.is_published)))
                DBSession.rollback()
                if not ids:
                    op = "save"
                else:
                    target = rng.choice(ids)
            point = rng.choice(POINTS[op]) if rng.random() < SELF_KILL else ""
            # written first: a kill at the point leaves this line as the record of it
            out.write(json.dumps({"op": op, "point": point, "event": "start"}) + "\n")
            out.flush()
            try:
                run_operation(DBSession, op, target, point, pm, user="artist")
                outcome = "ok"
            except StalkerError as exc:
                outcome = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - counted as a failure of the soak
                first = str(exc).splitlines()[0] if str(exc) else ""
                if "database is locked" in first:
                    outcome = "SQLite 'database is locked' (the lock item of issue 15)"
                else:
                    outcome = f"UNEXPECTED {type(exc).__name__}: {first[:200]}"
            DBSession.rollback()
            out.write(json.dumps({"op": op, "point": point, "event": outcome}) + "\n")
            out.flush()
    DBSession.remove()


# -- the soak ------------------------------------------------------------------------------


def setup(url: str, root: Path) -> None:
    """Schema, default data and the project with ``TASKS`` tasks on ``root``."""
    _paths()
    from wf_helpers import build_project

    from stalker_core import db
    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    demo = build_project(DBSession, root)
    DBSession.add_all(Task(name=f"soak{i}", project=demo.project, parent=demo.asset)
                      for i in range(TASKS))
    DBSession.commit()
    DBSession.remove()
    engine.dispose()


def _busy(run_dir: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Whether the worker started working (its log is not empty): kills then hit operations."""
    log = Path(str(proc.args[-2]))  # type: ignore[index]
    return log.exists() and log.stat().st_size > 0


def _spawn(url: str, run_dir: Path, n: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), str(ROOT / "hosts"), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")]
    ))
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", url, str(run_dir / "stop"),
         str(run_dir / f"log{n}.jsonl"), str(n)],
        env=env, stderr=(run_dir / f"err{n}.txt").open("ab"),
    )


def drive(url: str, run_dir: Path, seconds: float, workers: int, seed: int) -> dict[str, int]:
    """Run the workers for ``seconds``, killing and replacing some; count the kills."""
    rng = random.Random(seed)
    counts: collections.Counter[str] = collections.Counter()
    started = 0
    killed: set[int] = set()

    def spawn() -> subprocess.Popen[bytes]:
        nonlocal started
        started += 1
        return _spawn(url, run_dir, started)

    procs = [spawn() for _ in range(workers)]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.2)
        for i, p in enumerate(procs):
            if p.poll() is None and _busy(run_dir, p) and rng.random() < OUTSIDE_KILL * 0.2:
                p.send_signal(signal.SIGKILL)
                killed.add(p.pid)
                p.wait()
            if p.poll() is None:
                continue
            if p.pid in killed:
                counts["workers killed from outside"] += 1
            elif p.returncode == -signal.SIGKILL:
                counts["workers killed at a fault point"] += 1
            else:
                counts[f"workers exited with status {p.returncode}"] += 1
            procs[i] = spawn()
    (run_dir / "stop").touch()
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        if p.returncode == -signal.SIGKILL:
            counts["workers killed at a fault point"] += 1
        elif p.returncode != 0:
            counts[f"workers exited with status {p.returncode}"] += 1
    counts["workers"] = started
    return dict(counts)


def _outcomes(run_dir: Path) -> collections.Counter[str]:
    """What the logs say: completed operations, refusals, kills at points, failures."""
    found: collections.Counter[str] = collections.Counter()

    def killed(rec: dict[str, Any]) -> str:
        return f"killed in {rec['op']} at {rec['point'] or 'a random moment'}"

    for log in run_dir.glob("log*.jsonl"):
        pending: dict[str, Any] | None = None
        for line in log.read_text().splitlines():
            rec = json.loads(line)
            if rec["event"] == "start":
                if pending is not None:  # a start without its end: killed there
                    found[killed(pending)] += 1
                pending = rec
                continue
            pending = None
            found[f"{rec['op']} {rec['event']}"] += 1
        if pending is not None:
            found[killed(pending)] += 1
    return found


def check(url: str, root: Path) -> tuple[dict[str, int], list[str]]:
    """Reconcile, then compare the database and the files; ``(numbers, disagreements)``."""
    _paths()
    from sqlalchemy import func, select

    from stalker_core import db
    from stalker_core.models import File, Repository, Version
    from stalker_core.orm.session import DBSession
    from stalker_core.workflows.journal import TEMP_PREFIX, Owner
    from stalker_core.workflows.reconcile import (
        leftover_folders,
        portable_candidates,
        reconcile,
        repository_roots,
        unexplained_saving_files,
    )

    engine = db.setup({"sqlalchemy.url": url})
    s = DBSession
    roots = repository_roots(s)
    findings = reconcile(s, leftover_folders(roots))
    s.rollback()
    bad: list[str] = [f"left after reconciliation: {f}" for f in findings if f.blocking]
    versions = list(s.scalars(select(Version)))
    repos = list(s.scalars(select(Repository)))
    paths = collections.Counter(v.absolute_full_path for v in versions)
    for v in versions:
        p = Path(v.absolute_full_path)
        if not p.is_file() or p.stat().st_size == 0:
            bad.append(f"version {v.id} has no work file {p}")
    bad += [f"two versions share {p}" for p, k in paths.items() if k > 1]
    dupes = s.execute(
        select(Version.task_id, Version.take_name, Version.version_number, func.count())
        .group_by(Version.task_id, Version.take_name, Version.version_number)
        .having(func.count() > 1)
    ).all()
    bad += [f"number {n} of task {t} take {k} used {c} times" for t, k, n, c in dupes]
    registered = {f.full_path for f in s.scalars(select(File))}
    for fp in registered:
        native = Path(Repository.to_native_path(fp, s)) if fp.startswith("$REPO") else Path(fp)
        if not native.is_file():
            bad.append(f"File row {fp} has no file")
    on_disk = [p for r in roots for p in r.rglob("*") if p.is_file()]
    published = [p for p in on_disk if p.parent.name == "publish"]
    for p in published:
        if not registered & set(portable_candidates(p, repos)):
            bad.append(f"published file {p} has no File row")
    work = [p for p in on_disk if p.parent.name != "publish"]
    known = set(paths)
    for p in work:
        if str(p) not in known and not p.name.endswith(".stalker.json"):
            bad.append(f"work file {p} has no Version row")
    bad += [f"unexplained temporary file {p}" for p in unexplained_saving_files(roots)]
    tmp = Path(tempfile.gettempdir())
    for name in os.listdir(tmp):
        owner = Owner.from_name(name)
        if name.startswith(TEMP_PREFIX) and owner and owner.state(3600) == "dead":
            bad.append(f"temporary folder of a dead publish {tmp / name}")
    numbers = {
        "versions": len(versions),
        "published versions": sum(v.is_published for v in versions),
        "published files": len(published),
        "leftovers resolved by the reconciliation": sum(not f.blocking for f in findings),
    }
    s.remove()
    engine.dispose()
    return numbers, bad


def soak(url: str, seconds: float, workers: int, seed: int) -> int:
    run_dir = Path(tempfile.mkdtemp(prefix="stalker-soak-"))
    root = run_dir / "repo"
    setup(url, root)
    t0 = time.monotonic()
    kills = drive(url, run_dir, seconds, workers, seed)
    ran = time.monotonic() - t0
    outcomes = _outcomes(run_dir)
    numbers, bad = check(url, root)
    print(f"soak on {url.split(':', 1)[0]}: {ran:.0f} s, {workers} workers at a time "
          f"({kills.pop('workers')} started)")
    for key, value in sorted({**kills, **outcomes, **numbers}.items()):
        print(f"  {key:<48} {value}")
    bad += [f"{k} ({v} times)" for k, v in outcomes.items() if "UNEXPECTED" in k]
    bad += [f"{k} ({v} times)" for k, v in kills.items() if "status" in k]
    if bad:
        print(f"DISAGREEMENTS ({len(bad)}; the files stay in {run_dir}):")
        for line in bad[:50]:
            print(f"  {line}")
        return 1
    print("database and files agree")
    shutil.rmtree(run_dir, ignore_errors=True)
    return 0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        url, stop, log, seed = sys.argv[2:6]
        worker(url, Path(stop), Path(log), int(seed))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 60)))
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--db", default=os.environ.get("SOAK_DB", ""),
                    help="URL of an empty database (default: SQLite in a temp folder)")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = ap.parse_args()
    if not (args.seconds > 0 and args.workers > 0):
        ap.error("--seconds and --workers should be positive")
    if args.db:
        sys.exit(soak(args.db, args.seconds, args.workers, args.seed))
    if args.backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="stalker-soak-db-")
        status = soak(f"sqlite:///{folder}/soak.db", args.seconds, args.workers, args.seed)
        shutil.rmtree(folder, ignore_errors=True)
        sys.exit(status)
    from stalker_core.testing.pgserver import PostgresServer

    with PostgresServer() as server:
        sys.exit(soak(server.url, args.seconds, args.workers, args.seed))


if __name__ == "__main__":
    main()
