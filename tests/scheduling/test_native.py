"""The native scheduler on small hand-checked plain-data problems."""

from __future__ import annotations

import datetime as dt

import pytest
from sched_helpers import MONDAY, UTC, at, planned, problem, synthetic, task

from stalker_core.exceptions import CircularDependencyError, SchedulingError
from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.data import (
    CONSTRAIN_BOTH,
    CONSTRAIN_END,
    CONSTRAIN_START,
    Dependency,
    Plan,
    Problem,
    Resource,
    TimeLogEntry,
)
from stalker_core.scheduling.native.bounds import lower_bound_days
from stalker_core.scheduling.native.prepare import prepare


def run(pr: Problem, **kw: object) -> Plan:
    return planned(pr, **kw)


def span(plan: Plan, tid: int) -> tuple[dt.datetime, dt.datetime]:
    tp = plan.tasks[tid]
    assert tp.start is not None and tp.end is not None
    return tp.start, tp.end


def test_tutorial_tasks_are_strictly_sequential(tutorial_problem: Problem) -> None:
    plan = run(tutorial_problem)
    order = [2, 3, 4, 5, 6]
    for a, b in zip(order, order[1:], strict=False):
        assert span(plan, a)[1] <= span(plan, b)[0]
    # previs: 10 working days of 9 h from Monday 09:00 -> second Friday 18:00
    assert span(plan, 2) == (at(0), at(11, 18))
    assert span(plan, 3) == (at(14), at(15, 18))
    # comp: 6 hours
    s, e = span(plan, 6)
    assert e - s == dt.timedelta(hours=6)
    # the container spans its children
    assert span(plan, 1) == (at(0), e)
    assert plan.tasks[6].resources == (1,)


def test_working_hours_and_weekends_are_skipped() -> None:
    plan = run(problem(task(1, timing=12)))
    # Monday 9-18 (9 h) then Tuesday 9-12
    assert span(plan, 1) == (at(0), at(1, 12))
    fri = run(problem(task(1, timing=12), now=at(4)))
    assert span(fri, 1) == (at(4), at(7, 12))  # over the weekend to Monday


def test_custom_working_hours_and_timezone() -> None:
    hours = {"mon": [[600, 720], [780, 960]], "tue": [[600, 960]]}
    plan = run(problem(task(1, timing=6), working_hours=hours, now=at(0, 0)))
    # Monday 10-12 and 13-16 = 5 h, then Tuesday 10-11
    assert span(plan, 1) == (at(0, 10), at(1, 11))
    hours = [(b[1].hour, b[2].hour) for b in plan.tasks[1].bookings]
    assert hours == [(10, 12), (13, 16), (10, 11)]
    tz = run(problem(task(1, timing=2), timezone="Europe/Istanbul", now=at(0, 0)))
    # 09:00 in Istanbul (UTC+3) is 06:00 UTC
    assert span(tz, 1) == (at(0, 6), at(0, 8))


def test_timing_resolution() -> None:
    plan = run(problem(task(1, timing=50, unit="min"), resolution=900, now=at(0, 9, 10)))
    # starts at the next quarter, 50 min rounds up to 4 quarters
    assert span(plan, 1) == (at(0, 9, 15), at(0, 10, 15))
    hourly = run(problem(task(1, timing=50, unit="min")))
    assert span(hourly, 1) == (at(0), at(0, 10))


def test_now_is_respected() -> None:
    plan = run(problem(task(1, timing=1), now=at(2, 13, 30)))
    assert span(plan, 1)[0] == at(2, 14)


def test_units_effort_length_duration() -> None:
    pr = problem(
        task(1, timing=1, unit="w"),
        task(2, timing=1, unit="w", model="length", res=(2,)),
        task(3, timing=1, unit="w", model="duration", res=(3,)),
        task(4, timing=1, unit="d", model="duration", res=()),
        resources=3,
    )
    plan = run(pr)
    assert span(plan, 1) == (at(0), at(4, 18))  # 45 working hours
    assert span(plan, 2) == (at(0), at(4, 18))  # 5 working days of the calendar
    assert span(plan, 3) == (at(0), at(7))  # 7 calendar days
    assert span(plan, 4) == (at(0), at(1))
    month = run(problem(task(1, timing=1, unit="m")))
    assert sum((e - s).total_seconds() for _, s, e in month.tasks[1].bookings) == pytest.approx(
        9 * 3600 * 261 / 12, abs=3600)


def test_effort_split_between_resources_and_efficiency() -> None:
    pr = problem(task(1, timing=18, res=(1, 2)), resources=2)
    plan = run(pr)
    assert span(plan, 1) == (at(0), at(0, 18))
    assert plan.tasks[1].resources == (1, 2)
    slow = problem(task(1, timing=9), resources=[Resource(1, "half", efficiency=0.5)])
    assert span(run(slow), 1) == (at(0), at(1, 18))


def test_length_task_gets_its_resource_for_the_whole_window() -> None:
    pr = problem(task(1, timing=4), task(2, timing=6, model="length"), resources=1)
    plan = run(pr)
    a, b = span(plan, 1), span(plan, 2)
    assert a[1] <= b[0] or b[1] <= a[0]
    assert plan.tasks[2].resources == (1,)
    booked = sum((e - s).total_seconds() for _, s, e in plan.tasks[2].bookings)
    assert booked == 6 * 3600


@pytest.mark.parametrize(
    ("dep", "expected_start"),
    [
        (Dependency(1), at(0, 12)),
        (Dependency(1, target="onstart"), at(0)),
        (Dependency(1, gap_timing=2, gap_unit="h"), at(0, 14)),
        (Dependency(1, gap_timing=8, gap_unit="h"), at(1, 11)),  # length: working hours
        (Dependency(1, gap_timing=1, gap_unit="d", gap_model="duration"), at(1, 12)),
        (Dependency(1, target="onstart", gap_timing=1, gap_unit="h"), at(0, 10)),
    ],
)
def test_dependencies_with_targets_and_gaps(dep: Dependency, expected_start: dt.datetime) -> None:
    pr = problem(task(1, timing=3, res=(1,)), task(2, timing=1, res=(2,), deps=(dep,)),
                 resources=2)
    plan = run(pr)
    assert span(plan, 2)[0] == expected_start


def test_dependency_on_and_of_containers() -> None:
    pr = problem(
        task(1, "parent", res=()),
        task(2, timing=2, parent=1, res=(1,)),
        task(3, timing=5, parent=1, res=(2,)),
        task(4, timing=1, res=(3,), deps=(1,)),
        task(5, "box", res=(), deps=(4,)),
        task(6, timing=1, parent=5, res=(1,)),
        resources=3,
    )
    plan = run(pr)
    assert span(plan, 4)[0] == at(0, 14)
    assert span(plan, 6)[0] == at(0, 15)
    assert span(plan, 5) == span(plan, 6)


def test_priorities_decide_who_gets_the_resource() -> None:
    pr = problem(task(1, timing=3, priority=100), task(2, timing=3, priority=900))
    plan = run(pr)
    assert span(plan, 2) == (at(0), at(0, 12))
    assert span(plan, 1)[0] == at(0, 12)


def test_high_priority_lifts_its_predecessors() -> None:
    # 3 (important) waits for 2 (low priority); 1 is medium: 2 must still go first
    pr = problem(task(1, timing=9, priority=500), task(2, timing=1, priority=100),
                 task(3, timing=1, priority=1000, deps=(2,)))
    plan = run(pr)
    assert span(plan, 2) == (at(0), at(0, 10))
    assert span(plan, 3) == (at(0, 10), at(0, 11))


def test_fixed_start_end_and_both() -> None:
    pr = problem(
        task(1, timing=2, constraint=CONSTRAIN_START, start=at(2, 10)),
        task(2, timing=2, res=(2,), constraint=CONSTRAIN_END, end=at(3, 18)),
        task(3, timing=99, res=(3,), constraint=CONSTRAIN_BOTH, start=at(1, 9), end=at(1, 13)),
        resources=3,
    )
    plan = run(pr)
    assert span(plan, 1) == (at(2, 10), at(2, 12))
    assert span(plan, 2) == (at(3, 16), at(3, 18))
    assert span(plan, 3) == (at(1, 9), at(1, 13))


def test_fixed_end_that_cannot_be_met_warns() -> None:
    pr = problem(task(1, timing=20, constraint=CONSTRAIN_END, end=at(0, 12)))
    plan = run(pr)
    assert any("fixed end" in w and "t1" in w for w in plan.warnings)


def test_fixed_at_both_ends_with_start_after_end_is_refused() -> None:
    """Such a 10 h task was planned with zero length; tj3 refuses it too."""
    pr = problem(task(1, "backwards", timing=10, constraint=CONSTRAIN_BOTH, start=at(3, 10),
                      end=at(2, 10)))
    with pytest.raises(SchedulingError, match=r"task 'backwards' \(id 1\) is fixed at both "
                                              r"ends, but its start 2026-01-08 10:00 is after "
                                              r"its end 2026-01-07 10:00"):
        NativeScheduler().schedule(pr)


def test_fixed_range_already_over_is_planned_by_timing_with_a_warning() -> None:
    """A range that ends before the task can start (now, dependencies) kept zero length."""
    pr = problem(
        task(1, "first", timing=9),
        task(2, "late", timing=10, deps=(1,), constraint=CONSTRAIN_BOTH, start=at(0, 9),
             end=at(0, 12)),
    )
    plan = run(pr)
    start, end = span(plan, 2)
    assert start == at(1, 9) and end == at(2, 10)  # 10 working hours after "first"
    assert any("'late'" in w and "fixed range" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [("order", 2), ("minallocated", 3), ("maxloaded", 2), ("minloaded", 3)],
)
def test_alternative_resources_with_strategies(strategy: str, expected: int) -> None:
    # user 1 is busy all Monday; 2 and 3 are free; 2 already has work booked by task 9
    pr = problem(
        task(9, timing=2, res=(2,), priority=1000, start=at(3), constraint=CONSTRAIN_START),
        task(8, timing=9, res=(1,), priority=900),
        task(1, timing=3, res=(1,), alternatives=(2, 3), strategy=strategy, priority=100),
        resources=3,
    )
    plan = run(pr)
    assert plan.tasks[1].resources == (expected,)
    assert span(plan, 1)[0] == at(0)


def test_random_strategy_is_deterministic() -> None:
    def make() -> Problem:
        return problem(
            task(8, timing=9, res=(1,), priority=900),
            *[task(i, timing=2, res=(1,), alternatives=(2, 3, 4), strategy="random",
                   priority=100) for i in range(1, 6)],
            resources=4,
        )

    a, b = run(make()), run(make())
    assert {t: p.resources for t, p in a.tasks.items()} == {
        t: p.resources for t, p in b.tasks.items()}


def test_non_persistent_allocation_switches_resources() -> None:
    pr = problem(
        task(8, timing=2, res=(1,), priority=900, constraint=CONSTRAIN_START, start=at(0, 11)),
        task(1, timing=4, res=(1,), alternatives=(2,), persistent=False, priority=100),
        resources=2,
    )
    plan = run(pr)
    used = {b[0] for b in plan.tasks[1].bookings}
    assert used == {1, 2}
    assert span(plan, 1) == (at(0), at(0, 13))


def test_vacations_user_and_studio() -> None:
    pr = problem(
        task(1, timing=18),
        resources=[Resource(1, "u", vacations=[(at(0, 0), at(1, 0))])],
        holidays=[(at(1, 0), at(2, 0))],
    )
    plan = run(pr)
    assert span(plan, 1) == (at(2), at(3, 18))


def test_time_logs_count_as_done_work() -> None:
    logs = (TimeLogEntry(1, at(-7, 9), at(-7, 13)),)
    pr = problem(task(1, timing=6, time_logs=logs))
    plan = run(pr)
    s, e = span(plan, 1)
    assert s == at(-7, 9)  # the task started when work was logged
    assert e == at(0, 11)  # only the remaining 2 h are planned
    done = problem(task(1, timing=3, time_logs=logs))
    assert span(run(done), 1) == (at(-7, 9), at(-7, 13))


def test_milestones_take_no_time() -> None:
    pr = problem(task(1, timing=3), task(2, "ms", res=(), milestone=True, deps=(1,)))
    plan = run(pr)
    assert span(plan, 2) == (at(0, 12), at(0, 12))


def test_several_projects_share_resources() -> None:
    pr = problem(task(1, timing=9, project=1), task(2, timing=9, project=2))
    plan = run(pr)
    assert {span(plan, 1), span(plan, 2)} == {(at(0), at(0, 18)), (at(1), at(1, 18))}


def test_busy_time_from_other_projects_is_kept() -> None:
    pr = problem(task(1, timing=2), busy=[(1, at(0), at(0, 12))])
    assert span(run(pr), 1) == (at(0, 12), at(0, 14))


def test_deterministic(tutorial_problem: Problem) -> None:
    a = NativeScheduler().schedule(tutorial_problem)
    b = NativeScheduler().schedule(tutorial_problem)
    assert [(t.start, t.end, t.resources, t.bookings) for t in a.tasks.values()] == [
        (t.start, t.end, t.resources, t.bookings) for t in b.tasks.values()]


def test_optimising_mode_is_never_worse_and_reports_makespan() -> None:
    import random

    rng = random.Random(3)
    tasks = []
    for i in range(1, 61):
        deps = tuple(rng.sample(range(1, i), k=min(i - 1, rng.randint(0, 2)))) if i > 1 else ()
        tasks.append(task(i, timing=rng.randint(1, 12), res=(rng.randint(1, 4),), deps=deps))
    pr = problem(*tasks, resources=4)
    plain = run(pr)
    better = run(pr, optimise=0.5, seed=1)
    assert better.makespan <= plain.makespan
    assert better.plain_makespan == plain.makespan
    assert better.scheduler == "native-optimised"
    # the plain pass already meets the lower bound here, so the optimiser stops at once
    bound = lower_bound_days(prepare(pr))
    assert plain.makespan.total_seconds() / 86400 == pytest.approx(bound)
    assert better.iterations == 1
    # a studio whose plain plan is above the bound: the optimiser searches and does better
    pr = synthetic().synthetic_problem(100, seed=1)
    plain = run(pr)
    assert plain.makespan.total_seconds() / 86400 > lower_bound_days(prepare(pr))
    better = run(pr, optimise=0.5, seed=1)
    assert better.iterations > 1
    assert better.makespan < plain.makespan


def test_cycle_is_reported_with_task_names() -> None:
    pr = problem(task(1, "a", deps=(3,)), task(2, "b", deps=(1,)), task(3, "c", deps=(2,)))
    with pytest.raises(CircularDependencyError, match="'a'.*'b'|'b'.*'c'"):
        NativeScheduler().schedule(pr)


def test_task_depending_on_its_parent_is_a_cycle() -> None:
    pr = problem(task(1, "box", res=()), task(2, "kid", parent=1, deps=(1,)))
    with pytest.raises(CircularDependencyError, match="kid"):
        NativeScheduler().schedule(pr)


def test_effort_task_without_resources_warns_and_is_planned_by_length() -> None:
    pr = problem(task(1, "lonely", timing=3, res=()), task(2, "fine"))
    plan = run(pr)
    assert any("'lonely'" in w and "no" in w for w in plan.warnings)
    assert span(plan, 1) == (at(0), at(0, 12))
    assert plan.tasks[1].resources == ()


def test_no_working_hours_is_refused() -> None:
    pr = problem(task(1), working_hours={d: [] for d in ("mon", "tue")})
    with pytest.raises(SchedulingError, match="no working hours"):
        NativeScheduler().schedule(pr)


def test_resource_never_available_is_reported() -> None:
    forever = [(at(-1), at(0) + dt.timedelta(days=3000))]
    pr = problem(task(1, "stuck"), resources=[Resource(1, "away", vacations=forever)])
    with pytest.raises(SchedulingError, match=r"'stuck'.*\['away'\].*does not fit"):
        NativeScheduler(max_years=2).schedule(pr)


def test_project_that_cannot_fit_warns_with_task_names() -> None:
    pr = problem(task(1, "long one", timing=20))
    pr.projects[1].end = at(1)
    plan = run(pr)
    assert any("cannot fit" in w and "long one" in w for w in plan.warnings)


def test_makespan_counts_from_origin() -> None:
    plan = run(problem(task(1, timing=2), now=MONDAY.replace(hour=8, minute=30)))
    assert plan.origin == MONDAY.replace(hour=9, tzinfo=UTC)
    assert plan.makespan == dt.timedelta(hours=2)
