"""The native scheduler: plan a problem with one pass, or optimise with more.

:class:`NativeScheduler` prepares the problem (:mod:`~stalker_core.scheduling.native.prepare`),
runs one :class:`~stalker_core.scheduling.native.passes.SchedulePass`, optionally
improves it (:mod:`~stalker_core.scheduling.native.optimise`) and turns the best
pass into a :class:`~stalker_core.scheduling.data.Plan` (:func:`build_plan`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Iterator

from stalker_core.scheduling.data import Plan, Problem, TaskPlan
from stalker_core.scheduling.native.optimise import improve
from stalker_core.scheduling.native.passes import Progress, SchedulePass
from stalker_core.scheduling.native.prepare import Prepared, prepare, task_label


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: bulk work allocates many small objects and the
    collector's repeated passes over them cost more than the work itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build_plan(prep: Prepared, run: SchedulePass, scheduler: str, seconds: float) -> Plan:
    """Turn a finished pass into a :class:`Plan` (datetimes, bookings, containers)."""
    cal = prep.cal
    problem = prep.problem
    out: dict[int, TaskPlan] = {}
    cache: dict[int, dt.datetime] = {}

    def at(slot: int) -> dt.datetime:
        got = cache.get(slot)
        if got is None:
            got = cache[slot] = cal.at(slot)
        return got

    work, bend = cal.work, cal.block_end
    for tid in prep.leaves:
        task = problem.tasks[tid]
        bookings = []
        for rid, a, b in run.runs[tid]:
            while a < b:
                e = bend[a]
                if e > b:
                    e = b
                bookings.append((rid, at(work[a]), at(work[e - 1] + 1)))
                a = e
        start = at(run.start[tid])
        if task.time_logs:
            start = min(start, min(lg.start for lg in task.time_logs))
        end = at(run.end[tid])
        if task.time_logs and task.effective_model == "effort" and prep.remaining[tid] <= 0:
            end = max(lg.end for lg in task.time_logs)
        out[tid] = TaskPlan(tid, start, end, run.used[tid], bookings)
    _containers(prep, out)
    warnings = list(prep.warnings) + run.warnings + _fit_warnings(problem, out, prep.leaves)
    return Plan(out, prep.origin, scheduler=scheduler, warnings=warnings, seconds=seconds)


def _containers(prep: Prepared, out: dict[int, TaskPlan]) -> None:
    def span(tid: int) -> TaskPlan:
        got = out.get(tid)
        if got is not None:
            return got
        kids = [span(k) for k in prep.children[tid]]
        starts = [k.start for k in kids if k.start is not None]
        ends = [k.end for k in kids if k.end is not None]
        got = out[tid] = TaskPlan(tid, min(starts) if starts else None, max(ends) if ends else None)
        return got

    for tid in sorted(prep.children):
        span(tid)


def _fit_warnings(problem: Problem, out: dict[int, TaskPlan], leaves: list[int]) -> list[str]:
    late: dict[int, list[str]] = {}
    for tid in leaves:
        tp = out[tid]
        task = problem.tasks[tid]
        proj = problem.projects.get(task.project_id)
        if proj is None or proj.end is None or tp.end is None:
            continue
        if tp.end > proj.end:
            late.setdefault(proj.id, []).append(task_label(task))
    msgs = []
    for pid, names in sorted(late.items()):
        proj = problem.projects[pid]
        msgs.append(
            f"project {proj.name!r} cannot fit its end date {proj.end:%Y-%m-%d %H:%M}: "
            f"these tasks end after it: {', '.join(sorted(names))}"
        )
    return msgs


class NativeScheduler:
    """The default scheduler (see the module documentation).

    :param optimise: a time budget in seconds; when given, the plan is improved by
        further passes (never made worse) until the budget is spent.
    :param seed: seed of the optimising passes and of the ``random`` strategy order.
    :param max_years: a plan may not reach further than this.
    :param progress: ``progress(done, total)`` called while placing tasks.
    """

    name = "native"

    def __init__(
        self, *, optimise: float | None = None, seed: int = 0, max_years: int = 25,
        progress: Progress | None = None,
    ) -> None:
        self.optimise = optimise
        self.seed = seed
        self.max_years = max_years
        self.progress = progress

    def __repr__(self) -> str:
        return f"NativeScheduler(optimise={self.optimise!r}, seed={self.seed})"

    def schedule(self, problem: Problem) -> Plan:
        """Schedule ``problem`` and return the plan.

        :raises SchedulingError: for input that cannot be scheduled (names the tasks).
        """
        with no_gc():
            return self._schedule(problem)

    def _schedule(self, problem: Problem) -> Plan:
        t0 = time.perf_counter()
        prep = prepare(problem, max_years=self.max_years)
        run = SchedulePass(prep)
        run.run(self.progress)
        plain_end = max(run.end.values(), default=0)
        iterations = 1
        if self.optimise:
            run, iterations = improve(prep, run, budget=self.optimise, seed=self.seed,
                                      start_time=t0)
        plan = build_plan(prep, run, "native-optimised" if self.optimise else "native",
                          time.perf_counter() - t0)
        plan.iterations = iterations
        plan.plain_makespan = prep.cal.at(plain_end) - prep.origin
        return plan
