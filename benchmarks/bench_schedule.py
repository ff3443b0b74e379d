"""Benchmark: the native scheduler (plain and optimising) against TaskJuggler's tj3.

Seeded synthetic studios (``benchmarks/synthetic.py``: shots x
pipeline steps with dependencies inside and across shots, department pools
of artists with alternatives, vacations, a studio holiday, some time logs)
at 100, 1,000, 5,000, 15,000, 30,000 and 100,000 leaf tasks are written to a
fresh database (SQLite, or PostgreSQL with ``--backend postgresql``: the
server of ``STALKER_BENCH_PG_URL`` or a throwaway one), then scheduled
through ``schedule_studio()`` with each scheduler. For every run the table
gives the seconds of each phase (load, schedule, write back) and end to end,
the process CPU seconds (the machine may be shared: wall time then grows,
CPU time much less), the peak resident memory of each phase, the makespan,
its distance to a lower bound, the validator's verdict and the ratios to
tj3. For tj3 it also gives the time spent around tj3's own run (export to
tjp, reading its report, load and write back). Below the table, how time and
memory grow from one size to the next. tj3 runs above 5,000 tasks only with
``--tj3-large`` (it takes about 1,000 s at 30,000 tasks).

    .venv/bin/python benchmarks/bench_schedule.py --sizes 100,1000,5000
    .venv/bin/python benchmarks/bench_schedule.py --sizes 30000,100000 --optimise 0 --no-tj3
    .venv/bin/python benchmarks/bench_schedule.py --sizes 15000 --tj3-large --optimise 30
    .venv/bin/python benchmarks/bench_schedule.py --sizes 1000,15000 --tj3-large \
        --tj3-cache /tmp/tj3_runs.json   # tj3 runs once per seeded studio, then is reused
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

NAN = float("nan")


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
    load_s: float = NAN
    write_s: float = NAN
    cpu_s: float = NAN
    #: peak resident memory (MiB) of the process during each phase
    peak_mib: dict[str, float] = field(default_factory=dict)
    #: seconds around tj3's own run (tj3 backend only)
    around_tj3_s: float = NAN
    lower_bound_days: float = NAN
    #: the earlier bound (busiest resource's own work from the start), for comparison
    load_bound_days: float = NAN


def _rss_mib() -> float:
    """The process's resident memory now (MiB); the peak so far where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PhaseMemory:
    """Samples the resident memory every few milliseconds in a thread and keeps the peak of
    each phase (the phase is switched with :meth:`phase`, e.g. from the progress callback)."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peaks: dict[str, float] = {}
        self.current = "start"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        rss = _rss_mib()
        if rss > self.peaks.get(self.current, 0.0):
            self.peaks[self.current] = rss

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def phase(self, name: str) -> None:
        self._sample()
        self.current = name
        self._sample()

    def __enter__(self) -> PhaseMemory:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _session(url: str) -> tuple[Any, Any]:
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    return DBSession, engine


def fingerprint(problem: Any) -> str:
    """A digest of a synthetic problem (tasks, resources, time), to key cached tj3 runs."""
    import hashlib

    text = repr((problem.now, sorted(problem.tasks.items()), sorted(problem.resources.items()),
                 problem.holidays))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _cached_tj3(path: str | None, key: str) -> Run | None:
    if not path or not Path(path).exists():
        return None
    got = json.loads(Path(path).read_text()).get(key)
    return Run(**got) if got else None


def _cache_tj3(path: str | None, key: str, run: Run) -> None:
    if not path or run.valid == "error":
        return
    data = json.loads(Path(path).read_text()) if Path(path).exists() else {}
    data[key] = asdict(run)
    Path(path).write_text(json.dumps(data, indent=1))


def run_size(size: int, url: str, *, seed: int, optimise: float, tj3: bool,
             tj3_cache: str | None = None, backend: str = "sqlite") -> list[Run]:
    """Populate ``url`` with a studio of ``size`` tasks and schedule it with each scheduler.

    With ``tj3_cache`` (a JSON file), tj3's run of the same studio (same fingerprint and
    backend) is read from there when it was stored by an earlier run, and stored otherwise.
    """
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
    cache_key = f"{backend}:{size}:{seed}:{fingerprint(problem)}"
    cached = _cached_tj3(tj3_cache, cache_key) if tj3 else None
    if tj3 and cached is None:
        schedulers.append(("tj3", TaskJugglerScheduler(timeout=7200)))
    for label, sched in schedulers:
        session.expire_all()
        studio = session.get(Studio, studio_id)
        t0 = time.perf_counter()
        c0 = time.process_time()
        mem = PhaseMemory()

        def progress(stage: str, done: int, total: int, mem: PhaseMemory = mem) -> None:
            if stage == "load" and done == total:
                mem.phase("schedule")
            elif stage == "write" and done == 0:
                mem.phase("write")
            elif stage == "load" and done == 0:
                mem.phase("load")

        try:
            with mem:
                result = schedule_studio(studio, scheduler=sched, now=problem.now,
                                         session=session, progress=progress)
                session.commit()
        except Exception as exc:  # noqa: BLE001 - report and go on
            session.rollback()
            runs.append(Run(size, label, NAN, NAN, NAN, "error",
                            f"{type(exc).__name__}: {str(exc)[:120]}"))
            continue
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        peaks = {k: round(v, 1) for k, v in mem.peaks.items()}
        around = NAN
        if label == "tj3":
            # everything but tj3's own run: load, export to tjp, reading the report, write back
            around = total - sched.tj3_seconds
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
                        + report.errors[0][:80], note, load_s=result.load_seconds,
                        write_s=result.write_seconds, cpu_s=cpu, peak_mib=peaks,
                        around_tj3_s=around))
        if label == "tj3":
            _cache_tj3(tj3_cache, cache_key, runs[-1])
        del result, report
    if cached is not None:
        cached.note = (cached.note + "; " if cached.note else "") + f"cached ({tj3_cache})"
        runs.append(cached)
    session.remove()
    engine.dispose()
    lb = lower_bound_days(problem)
    old = load_bound_days(problem)
    for r in runs:
        r.lower_bound_days = lb
        r.load_bound_days = old
    return runs


def lower_bound_days(problem: Any) -> float:
    """A makespan no plan can beat (days): each resource's own work scheduled by Jackson's
    preemptive rule after the shortest chain of work before it and with the shortest chain
    after it (:mod:`stalker_core.scheduling.native.bounds`); never below
    :func:`load_bound_days`."""
    from stalker_core.scheduling.native.bounds import lower_bound_days as bound
    from stalker_core.scheduling.native.prepare import prepare

    return bound(prepare(problem))


def load_bound_days(problem: Any) -> float:
    """The earlier, looser bound: the busiest resource's own work (tasks it must do,
    without alternatives), as working time from the start, counting its vacations
    (printed beside :func:`lower_bound_days` for comparison)."""
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


def _peak(r: Run) -> float:
    return max(r.peak_mib.values(), default=NAN)


def _table(runs: list[Run]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Scheduling: native vs tj3 (seconds; peak resident MiB per phase "
                        "load/schedule/write; makespan in days)")
    for col in ("tasks", "scheduler", "load s", "schedule s", "write s", "end-to-end s",
                "cpu s", "peak MiB", "around tj3 s", "tj3/ours e2e", "makespan d", "vs tj3",
                "vs lower bound", "validator", "note"):
        table.add_column(col, justify="right" if col not in ("scheduler", "validator", "note")
                         else "left")
    tj3 = {r.size: r for r in runs if r.scheduler == "tj3" and r.valid != "error"}
    for r in runs:
        ref = tj3.get(r.size)
        ratio = f"{ref.end_to_end_s / r.end_to_end_s:.0f}x" if ref and r is not ref else "-"
        diff = (f"{(r.makespan_days / ref.makespan_days - 1) * 100:+.1f}%"
                if ref and r is not ref else "-")
        lb = (f"{(r.makespan_days / r.lower_bound_days - 1) * 100:+.1f}% "
              f"({r.lower_bound_days:.1f} d)" if r.lower_bound_days > 0 else "-")
        mem = "/".join(f"{r.peak_mib.get(k, NAN):.0f}" for k in ("load", "schedule", "write"))
        table.add_row(str(r.size), r.scheduler, f"{r.load_s:.2f}", f"{r.schedule_s:.2f}",
                      f"{r.write_s:.2f}", f"{r.end_to_end_s:.2f}", f"{r.cpu_s:.2f}", mem,
                      "-" if r.around_tj3_s != r.around_tj3_s else f"{r.around_tj3_s:.2f}",
                      ratio, f"{r.makespan_days:.2f}", diff, lb, r.valid, r.note)
    Console(width=240).print(table)


def _growth(runs: list[Run]) -> None:
    """How time and memory of the plain pass grow from one size to the next."""
    plain = sorted((r for r in runs if r.scheduler == "native" and r.valid != "error"),
                   key=lambda r: r.size)
    for a, b in zip(plain, plain[1:], strict=False):
        print(f"plain native {a.size} -> {b.size} tasks (x{b.size / a.size:.1f}): "
              f"end to end {a.end_to_end_s:.2f} -> {b.end_to_end_s:.2f} s "
              f"(x{b.end_to_end_s / a.end_to_end_s:.1f}), cpu {a.cpu_s:.2f} -> {b.cpu_s:.2f} s "
              f"(x{b.cpu_s / a.cpu_s:.1f}), load x{b.load_s / a.load_s:.1f}, schedule "
              f"x{b.schedule_s / a.schedule_s:.1f}, write x{b.write_s / a.write_s:.1f}, "
              f"peak RSS {_peak(a):.0f} -> {_peak(b):.0f} MiB (x{_peak(b) / _peak(a):.1f})")
    for r in plain:
        if r.size >= 100_000:
            ok = r.end_to_end_s < 10 and _peak(r) < 2048
            print(f"{r.size} tasks: plain native end to end {r.end_to_end_s:.2f} s wall, "
                  f"{r.cpu_s:.2f} s cpu, peak RSS {_peak(r):.0f} MiB (goal: < 10 s, < 2 GiB): "
                  f"{'met' if ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000,15000,30000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--optimise", type=float, default=30.0,
                        help="time budget of the optimising mode (0 = skip)")
    parser.add_argument("--tj3-large", action="store_true", help="run tj3 above 5,000 tasks")
    parser.add_argument("--no-tj3", action="store_true")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--json", default=None, help="also write the runs here")
    parser.add_argument("--tj3-cache", default=None, metavar="JSON",
                        help="reuse tj3's runs of the same seeded studios from this file "
                             "(stored there on the first run; tj3 takes minutes at 15,000)")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("stalker_core.scheduling").setLevel(logging.ERROR)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    have_tj3 = shutil.which("tj3") is not None and not args.no_tj3
    runs: list[Run] = []
    server = None
    pg_admin = os.environ.get("STALKER_BENCH_PG_URL")
    if args.backend == "postgresql" and not pg_admin:
        from stalker_core.testing.pgserver import PostgresServer

        server = PostgresServer().start()
        pg_admin = server.url
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          f"(wall times grow with it; cpu s much less)", flush=True)
    try:
        for size in sizes:
            tmp = tempfile.mkdtemp(prefix="bench_sched_")
            if args.backend == "sqlite":
                url = f"sqlite:///{tmp}/studio.db"
            else:
                from sqlalchemy import create_engine, text

                assert pg_admin is not None
                name = f"bench_{size}_{int(time.time())}"
                admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                admin.dispose()
                url = f"{pg_admin.rpartition('/')[0]}/{name}"
            tj3 = have_tj3 and (size <= 5000 or args.tj3_large)
            print(f"[{dt.datetime.now():%H:%M:%S}] {size} tasks (tj3: {tj3}) ...", flush=True)
            got = run_size(size, url, seed=args.seed, optimise=args.optimise, tj3=tj3,
                           tj3_cache=args.tj3_cache, backend=args.backend)
            for r in got:
                print("   ", asdict(r), flush=True)
            runs.extend(got)
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if server is not None:
            server.stop()
    print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)
    _table(runs)
    _growth(runs)
    for size in sizes:
        ref = next((r for r in runs if r.size == size and r.scheduler == "tj3"
                    and r.valid != "error"), None)
        plain = next((r for r in runs if r.size == size and r.scheduler == "native"), None)
        opt = next((r for r in runs if r.size == size and r.scheduler.startswith("native+opt")),
                   None)
        for r in (plain, opt):
            if r is not None and r.valid != "error" and r.lower_bound_days > 0:
                print(f"{size} tasks: {r.scheduler} makespan "
                      f"{(r.makespan_days / r.lower_bound_days - 1) * 100:+.1f}% from the "
                      f"lower bound {r.lower_bound_days:.1f} d (goal for the optimising mode "
                      f"at 1,000-15,000: <= 5%); "
                      f"{(r.makespan_days / r.load_bound_days - 1) * 100:+.1f}% from the "
                      f"busiest resource's load alone ({r.load_bound_days:.1f} d)")
        if ref is None:
            continue
        print(f"{size} tasks: tj3 backend {ref.around_tj3_s:.2f} s around tj3's own "
              f"{ref.end_to_end_s - ref.around_tj3_s:.2f} s (load {ref.load_s:.2f}, write "
              f"{ref.write_s:.2f}; goal at 2,000: < 0.5 s)")
        if plain is None:
            continue
        print(f"{size} tasks: plain native {ref.end_to_end_s / plain.end_to_end_s:.0f}x faster "
              f"than tj3 end to end (goal at 15,000: >= 100x), makespan "
              f"{(plain.makespan_days / ref.makespan_days - 1) * 100:+.1f}% (goal: <= 0)")
        if opt is not None:
            print(f"{size} tasks: optimising mode makespan "
                  f"{(1 - opt.makespan_days / ref.makespan_days) * 100:.1f}% shorter than tj3's "
                  f"in {opt.schedule_s:.1f} s (goal: >= 8% within 30 s; no plan can be more "
                  f"than {(1 - opt.lower_bound_days / ref.makespan_days) * 100:.1f}% shorter: "
                  "the lower bound)")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in runs], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
