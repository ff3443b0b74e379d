"""The bulk load and write-back of schedule_studio at a few hundred tasks, on SQLite and
PostgreSQL: what is read equals what was written, what is written equals the plan."""

from __future__ import annotations

import dataclasses
from typing import Any

from sched_helpers import synthetic
from sqlalchemy import select, text

from stalker_core.scheduling import NativeScheduler, schedule_studio
from stalker_core.scheduling.data import Plan, Problem, TaskPlan
from stalker_core.scheduling.loader import load_problem, write_plan

SIZE = 300


def _studio(session: Any) -> tuple[Problem, Any, int]:
    """A seeded synthetic studio written to the database; its problem, studio and id offset."""
    from stalker_core.models import Studio

    problem = synthetic().synthetic_problem(SIZE, seed=3)
    studio_id = synthetic().populate(session, problem)
    studio = session.get(Studio, studio_id)
    # populate shifts every id by the same offset: find it from a task name
    loaded = load_problem(studio, session=session, now=problem.now)
    by_name = {t.name: t.id for t in loaded.tasks.values()}
    first = next(iter(problem.tasks.values()))
    return problem, studio, by_name[first.name] - first.id


def _computed(session: Any, ids: list[int]) -> dict[int, tuple[Any, Any, tuple[int, ...]]]:
    """``task id -> (computed_start, computed_end, computed resource ids)`` as stored."""
    from stalker_core.models import Task
    from stalker_core.models.task.model import task_computed_resources as tcr

    tt: Any = Task.__table__
    links: dict[int, list[int]] = {}
    for tid, uid in session.execute(select(tcr.c.task_id, tcr.c.user_id)).all():
        links.setdefault(tid, []).append(uid)
    rows = session.execute(select(tt.c.id, tt.c.computed_start, tt.c.computed_end)
                           .where(tt.c.id.in_(ids))).all()
    return {tid: (s, e, tuple(sorted(links.get(tid, ())))) for tid, s, e in rows}


def test_load_reads_back_what_was_written(session: Any) -> None:
    problem, studio, off = _studio(session)
    loaded = load_problem(studio, session=session, now=problem.now)
    assert len(loaded.tasks) == len(problem.tasks)
    for tid, spec in problem.tasks.items():
        got = loaded.tasks[tid + off]
        assert got.name == spec.name
        assert got.parent_id == (None if spec.parent_id is None else spec.parent_id + off)
        assert got.resources == tuple(r + off for r in spec.resources)
        assert got.alternatives == tuple(r + off for r in spec.alternatives)
        assert [d.depends_on - off for d in got.depends] == sorted(
            d.depends_on for d in spec.depends)
        assert (got.model, got.timing, got.unit, got.priority, got.strategy) == (
            spec.model, spec.timing, spec.unit, spec.priority, spec.strategy)
        assert [(lg.resource - off, lg.start, lg.end) for lg in got.time_logs] == [
            (lg.resource, lg.start, lg.end) for lg in spec.time_logs]
    for rid, res in problem.resources.items():
        assert loaded.resources[rid + off].efficiency == res.efficiency
        assert loaded.resources[rid + off].vacations == res.vacations
    assert loaded.holidays == problem.holidays


def test_write_back_stores_the_plan(session: Any) -> None:
    problem, studio, off = _studio(session)
    result = schedule_studio(studio, scheduler=NativeScheduler(), now=problem.now,
                             session=session)
    session.commit()
    stored = _computed(session, list(result.problem.tasks))
    assert len(stored) == len(result.problem.tasks)
    for tid, tp in result.plan.tasks.items():
        assert stored[tid] == (tp.start, tp.end, tuple(sorted(tp.resources)))
    # the same plan as from the problem in memory: the load lost nothing
    direct = NativeScheduler().schedule(problem)
    for tid, tp in direct.tasks.items():
        s, e, users = stored[tid + off]
        assert (s, e, users) == (tp.start, tp.end, tuple(sorted(r + off for r in tp.resources)))


def test_write_back_replaces_and_clears(session: Any) -> None:
    problem, studio, _ = _studio(session)
    loaded = load_problem(studio, session=session, now=problem.now)
    plan = NativeScheduler().schedule(loaded)
    write_plan(session, loaded, plan)
    # a second plan that knows only some of the tasks, with other resources
    ids = sorted(loaded.tasks)
    kept = ids[: len(ids) // 2]
    someone = min(loaded.resources)
    partial = Plan({tid: dataclasses.replace(plan.tasks[tid], resources=(someone,))
                    for tid in kept}, plan.origin)
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:  # the row versions tell which rows were rewritten
        session.commit()
        before = dict(session.execute(text("SELECT id, xmin::text FROM tasks")).all())
    assert write_plan(session, loaded, partial) == len(ids)
    session.commit()
    if postgresql:
        after = dict(session.execute(text("SELECT id, xmin::text FROM tasks")).all())
        assert all(after[tid] == before[tid] for tid in kept)  # same dates: left alone
        assert all(after[tid] != before[tid] for tid in ids if tid not in partial.tasks)
    stored = _computed(session, ids)
    for tid in ids:
        if tid in partial.tasks:
            tp: TaskPlan = partial.tasks[tid]
            assert stored[tid] == (tp.start, tp.end, (someone,))
        else:
            assert stored[tid] == (None, None, ())
