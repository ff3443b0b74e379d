"""Lower bounds of the makespan (stalker_core.scheduling.native.bounds)."""

from __future__ import annotations

import random

import pytest
from sched_helpers import MONDAY, at, planned, problem, synthetic, task

from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.data import Dependency, Problem, Resource, TaskSpec, TimeLogEntry
from stalker_core.scheduling.native.bounds import (
    heads_tails,
    jackson_end,
    lower_bound_days,
    lower_bound_slot,
)
from stalker_core.scheduling.native.passes import SchedulePass
from stalker_core.scheduling.native.prepare import prepare


def days(pr: Problem, **kw: object) -> float:
    return planned(pr, **kw).makespan.total_seconds() / 86400


def test_jackson_rule_runs_the_longest_tail_first() -> None:
    free = bytearray(b"\x01") * 50
    # job 1 starts, job 2 (tail 5) takes over at its head, job 1 ends at 5
    assert jackson_end(free, [(0, 3, 0), (1, 2, 5)]) == 8
    free[2:6] = bytes(4)  # away for slots 2..5: job 2 works slots 1 and 6, then its tail
    assert jackson_end(free, [(0, 3, 0), (1, 2, 5)]) == 12


def test_one_resource_bound_is_its_work_and_the_plan_meets_it() -> None:
    pr = problem(task(1, timing=9), task(2, timing=9))
    assert lower_bound_days(prepare(pr)) == pytest.approx(days(pr))


def test_chain_through_two_resources_counts_heads_and_tails() -> None:
    pr = problem(task(1, timing=9, res=(1,)), task(2, timing=9, res=(2,), deps=(1,)),
                 task(3, timing=9, res=(1,), deps=(2,)), resources=2)
    prep = prepare(pr)
    head, tail = heads_tails(prep)
    assert (head[1], head[2], head[3]) == (0, 9, 18)
    assert (tail[1], tail[2], tail[3]) == (18, 9, 0)
    assert lower_bound_slot(prep) == 27
    assert lower_bound_days(prep) == pytest.approx(days(pr))


def test_vacation_is_counted() -> None:
    res = [Resource(1, "a", vacations=[(at(1, 0), at(3, 0))])]
    pr = problem(task(1, timing=18), resources=res)
    # nine hours on Monday, then Thursday
    assert lower_bound_days(prepare(pr)) == pytest.approx(days(pr))
    assert lower_bound_days(prepare(pr)) > 3


def test_efficiency_and_alternatives_use_the_fastest_candidate() -> None:
    res = [Resource(1, "slow", efficiency=0.5), Resource(2, "fast", efficiency=2.0)]
    pr = problem(task(1, timing=8, res=(1,), alternatives=(2,)),
                 task(2, timing=2, res=(1,), deps=(1,)), resources=res)
    prep = prepare(pr)
    head, _ = heads_tails(prep)
    assert head[2] == 4  # 8 h at efficiency 2
    assert lower_bound_days(prep) <= days(pr) + 1e-9


def test_finished_task_does_not_delay_what_waits_for_it() -> None:
    log = TimeLogEntry(1, MONDAY.replace(day=2), MONDAY.replace(day=2, hour=11))
    pr = problem(task(1, timing=40, res=(1,)), task(2, timing=2, res=(1,), deps=(1,),
                                                    time_logs=(log,)),
                 task(3, timing=2, res=(2,), deps=(2,)), resources=2)
    prep = prepare(pr)
    head, _ = heads_tails(prep)
    assert head[3] == 0
    assert lower_bound_days(prep) <= days(pr) + 1e-9


def _random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    n_res = rng.randint(1, 4)
    res = [Resource(i, f"r{i}", efficiency=rng.choice([0.5, 1.0, 1.0, 1.5]),
                    vacations=[(at(d, 0), at(d + rng.randint(1, 4), 0))
                               for d in rng.sample(range(1, 20), k=rng.randint(0, 2))])
           for i in range(1, n_res + 1)]
    tasks: list[TaskSpec] = []
    for i in range(1, 26):
        deps = []
        for d in rng.sample(range(1, i), k=min(i - 1, rng.randint(0, 2))):
            deps.append(Dependency(d, target=rng.choice(["onend", "onend", "onstart"]),
                                   gap_timing=rng.choice([0, 0, 3]),
                                   gap_model=rng.choice(["length", "duration"])))
        main = rng.randint(1, n_res)
        alts = tuple(r for r in range(1, n_res + 1) if r != main and rng.random() < 0.3)
        logs: tuple[TimeLogEntry, ...] = ()
        if rng.random() < 0.2:  # work done before now, some of it finishing the task
            logs = (TimeLogEntry(main, at(-1 - i), at(-1 - i, 9 + rng.randint(1, 4))),)
        tasks.append(task(i, timing=rng.randint(1, 20) if not logs else rng.randint(1, 6),
                          res=(main,), alternatives=alts, time_logs=logs,
                          model=rng.choice(["effort"] * 6 + ["length", "duration"]),
                          deps=tuple(deps)))
    return problem(*tasks, resources=res)


@pytest.mark.parametrize("seed", range(20))
def test_no_plan_beats_the_bound(seed: int) -> None:
    pr = _random_problem(seed)
    prep = prepare(pr)
    bound = lower_bound_slot(prep)
    rng = random.Random(seed)
    for _ in range(8):  # passes in random orders are plans too
        run = SchedulePass(prep, {t: rng.random() for t in prep.leaves})
        end = run.run()
        assert prep.cal.first_work(end) >= bound
    assert lower_bound_days(prep) <= days(pr) + 1e-9


def test_synthetic_studio_bound_is_below_the_plans() -> None:
    pr = synthetic().synthetic_problem(300, seed=2)
    bound = lower_bound_days(prepare(pr))
    assert 0 < bound <= days(pr)


def test_optimiser_stops_at_the_bound() -> None:
    pr = problem(task(1, timing=9), task(2, timing=9, deps=(1,)), task(3, timing=4))
    plan = NativeScheduler(optimise=60).schedule(pr)
    assert plan.iterations == 1  # the plain pass already ends at the bound: nothing to try
    assert plan.makespan.total_seconds() / 86400 == pytest.approx(
        lower_bound_days(prepare(pr)))
