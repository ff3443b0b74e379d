"""Benchmark: the native scheduler (plain and optimising) against TaskJuggler's tj3.

Seeded synthetic studios (``benchmarks/synthetic.py``: shots x
pipeline steps with dependencies inside and across shots, department pools
of artists with alternatives, vacations, a studio holiday, some time logs)
at 100, 1,000, 5,000 and 15,000 leaf tasks are written to a fresh database,
then scheduled through ``schedule_studio()`` with each scheduler. For every
run the table gives the seconds of the scheduling itself and end to end
(load + schedule + write back), the makespan, the validator's verdict and
the ratios to tj3. tj3 runs above 5,000 tasks only with ``--tj3-large`` (it
takes minutes).

    .venv/bin/python benchmarks/bench_schedule.py --sizes 100,1000,5000
    .venv/bin/python benchmarks/bench_schedule.py --sizes 15000 --tj3-large --optimise 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Run:
    """One scheduler on one studio size."""

    size: int
    scheduler: str
    schedule_s: float
    end_to_end_s: float
    makespan_days: float
    valid: str
    note: str = ""


def _session(url: str) -> tuple[Any, Any]:
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    return DBSession, engine


def run_size(size: int, url: str, *, seed: int, optimise: float, tj3: bool) -> list[Run]:
    """Populate ``url`` with a studio of ``size`` tasks and schedule it with each scheduler."""
    from synthetic import populate, synthetic_problem

    from stalker_core.models import Studio
    from stalker_core.scheduling import NativeScheduler, TaskJugglerScheduler, schedule_studio
    from stalker_core.scheduling.validate import validate_plan

    problem = synthetic_problem(size, seed=seed)
    session, engine = _session(url)
    studio_id = populate(session, problem)
    runs: list[Run] = []
    schedulers: list[tuple[str, Any]] = [("native", NativeScheduler())]
    if optimise > 0:
        schedulers.append((f"native+opt {optimise:g}s", NativeScheduler(optimise=optimise)))
    if tj3:
        schedulers.append(("tj3", TaskJugglerScheduler(timeout=7200)))
    for label, sched in schedulers:
        session.expire_all()
        studio = session.get(Studio, studio_id)
        t0 = time.perf_counter()
        try:
            result = schedule_studio(studio, scheduler=sched, now=problem.now, session=session)
            session.commit()
        except Exception as exc:  # noqa: BLE001 - report and go on
            session.rollback()
            runs.append(Run(size, label, float("nan"), float("nan"), float("nan"), "error",
                            f"{type(exc).__name__}: {str(exc)[:120]}"))
            continue
        total = time.perf_counter() - t0
        report = validate_plan(result.problem, result.plan)
        note = ""
        unstaffed = sum(1 for tid, t in result.problem.tasks.items()
                        if t.resources and tid in result.plan.tasks
                        and not result.plan.tasks[tid].resources
                        and tid not in result.problem.children_map())
        if unstaffed:
            note = f"{unstaffed} tasks left without their resources"
        if result.plan.iterations > 1:
            plain = result.plan.plain_makespan
            note += ("; " if note else "") + f"{result.plan.iterations} passes"
            if plain is not None:
                note += f", plain {plain.total_seconds() / 86400:.1f} d"
        if not result.plan.has_bookings:
            note = (note + "; " if note else "") + "no bookings to check"
        runs.append(Run(size, label, result.schedule_seconds, total,
                        result.plan.makespan.total_seconds() / 86400,
                        "valid" if report.ok else f"{len(report.errors)} errors: "
                        + report.errors[0][:80], note))
    session.remove()
    engine.dispose()
    lb = lower_bound_days(problem)
    for r in runs:
        r.note = (r.note + "; " if r.note else "") + f"lower bound {lb:.1f} d"
    return runs


def lower_bound_days(problem: Any) -> float:
    """A makespan no plan can beat: the busiest resource's own work (tasks it must do,
    without alternatives), as working time from the start, counting its vacations."""
    from collections import defaultdict

    from stalker_core.scheduling.native.passes import SchedulePass
    from stalker_core.scheduling.native.prepare import prepare

    prep = prepare(problem)
    load: dict[int, float] = defaultdict(float)
    for tid in prep.leaves:
        t = problem.tasks[tid]
        if t.model == "effort" and len(t.resources) == 1 and not t.alternatives:
            r = t.resources[0]
            load[r] += prep.remaining[tid] / (problem.resolution * problem.resources[r].efficiency)
    best = 0.0
    cal = prep.cal
    run = SchedulePass(prep)
    for rid in sorted(load, key=lambda r: -load[r])[:10]:
        need = int(load[rid])
        if need <= 0:
            continue
        # count the working slots the resource really has (its vacations excluded)
        run._grow(need * 2 + 10)
        i, got = 0, 0
        while got < need:
            arr = run.free[rid]
            p = arr.find(1, i)
            if p < 0:
                run._grow(len(arr) * 2)
                continue
            q = arr.find(0, p)
            q = len(arr) if q < 0 else q
            take = min(q - p, need - got)
            got += take
            i = p + take
        end = cal.at(cal.work[i - 1] + 1)
        best = max(best, (end - prep.origin).total_seconds() / 86400)
    return best


def _table(runs: list[Run]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Scheduling: native vs tj3 (seconds, makespan in days)")
    for col in ("tasks", "scheduler", "schedule s", "end-to-end s", "tj3/ours e2e",
                "makespan d", "vs tj3", "validator", "note"):
        table.add_column(col, justify="right" if col not in ("scheduler", "validator", "note")
                         else "left")
    tj3 = {r.size: r for r in runs if r.scheduler == "tj3" and r.valid != "error"}
    for r in runs:
        ref = tj3.get(r.size)
        ratio = f"{ref.end_to_end_s / r.end_to_end_s:.0f}x" if ref and r is not ref else "-"
        diff = (f"{(r.makespan_days / ref.makespan_days - 1) * 100:+.1f}%"
                if ref and r is not ref else "-")
        table.add_row(str(r.size), r.scheduler, f"{r.schedule_s:.3f}", f"{r.end_to_end_s:.3f}",
                      ratio, f"{r.makespan_days:.2f}", diff, r.valid, r.note)
    Console(width=200).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000,15000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--optimise", type=float, default=30.0,
                        help="time budget of the optimising mode (0 = skip)")
    parser.add_argument("--tj3-large", action="store_true", help="run tj3 above 5,000 tasks")
    parser.add_argument("--no-tj3", action="store_true")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--json", default=None, help="also write the runs here")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("stalker_core.scheduling").setLevel(logging.ERROR)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    have_tj3 = shutil.which("tj3") is not None and not args.no_tj3
    runs: list[Run] = []
    server = None
    if args.backend == "postgresql":
        from stalker_core.testing.pgserver import PostgresServer

        server = PostgresServer().start()
    try:
        for size in sizes:
            tmp = tempfile.mkdtemp(prefix="bench_sched_")
            if server is None:
                url = f"sqlite:///{tmp}/studio.db"
            else:
                from sqlalchemy import create_engine, text

                name = f"bench_{size}_{int(time.time())}"
                admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                admin.dispose()
                url = server.url_for(name)
            tj3 = have_tj3 and (size <= 5000 or args.tj3_large)
            print(f"[{dt.datetime.now():%H:%M:%S}] {size} tasks (tj3: {tj3}) ...", flush=True)
            got = run_size(size, url, seed=args.seed, optimise=args.optimise, tj3=tj3)
            for r in got:
                print("   ", asdict(r), flush=True)
            runs.extend(got)
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if server is not None:
            server.stop()
    _table(runs)
    for size in sizes:
        ref = next((r for r in runs if r.size == size and r.scheduler == "tj3"
                    and r.valid != "error"), None)
        plain = next((r for r in runs if r.size == size and r.scheduler == "native"), None)
        opt = next((r for r in runs if r.size == size and r.scheduler.startswith("native+opt")),
                   None)
        if ref is None or plain is None:
            continue
        print(f"{size} tasks: plain native {ref.end_to_end_s / plain.end_to_end_s:.0f}x faster "
              f"than tj3 end to end (goal at 15,000: >= 100x), makespan "
              f"{(plain.makespan_days / ref.makespan_days - 1) * 100:+.1f}% (goal: <= 0)")
        if opt is not None:
            print(f"{size} tasks: optimising mode makespan "
                  f"{(1 - opt.makespan_days / ref.makespan_days) * 100:.1f}% shorter than tj3's "
                  f"in {opt.schedule_s:.1f} s (goal: >= 8% within 30 s)")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in runs], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
