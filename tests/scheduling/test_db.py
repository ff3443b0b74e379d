"""schedule_studio on SQLite and PostgreSQL: load, write-back, locking, rollback, to_tjp."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from typing import Any

import pytest
from db_helpers import UTC, build_studio
from sqlalchemy import event

from stalker_core.exceptions import CircularDependencyError, ConcurrencyError, TaskJugglerError
from stalker_core.scheduling import (
    NativeScheduler,
    TaskJugglerScheduler,
    schedule_studio,
    set_studio_duration,
    to_tjp,
)
from stalker_core.scheduling.loader import load_problem
from stalker_core.scheduling.validate import validate_plan

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ORDER = ["previs", "matchmove", "anim", "lighting", "comp"]
needs_tj3 = pytest.mark.skipif(shutil.which("tj3") is None, reason="tj3 is not installed")


def _sequential(p: dict[str, Any]) -> None:
    tasks = [p[n] for n in ORDER]
    for t in tasks:
        assert t.computed_start is not None and t.computed_start.tzinfo is not None
        assert [u.login for u in t.computed_resources] == ["me"]
    for a, b in zip(tasks, tasks[1:], strict=False):
        assert a.computed_end <= b.computed_start
    assert tasks[-1].computed_end - tasks[-1].computed_start == dt.timedelta(hours=6)
    assert p["shot"].computed_start == tasks[0].computed_start
    assert p["shot"].computed_end == tasks[-1].computed_end


@pytest.mark.parametrize("which", ["native", pytest.param("tj3", marks=needs_tj3)])
def test_tutorial_part_v(session: Any, which: str) -> None:
    data = build_studio(session)
    studio, me = data["studio"], data["me"]
    studio.scheduler = TaskJugglerScheduler() if which == "tj3" else None
    studio.start = NOW
    set_studio_duration(studio, dt.timedelta(days=365), now=NOW)
    assert studio.end == NOW + dt.timedelta(days=365)
    result = schedule_studio(studio, scheduled_by=me, scheduler=studio.scheduler, now=NOW)
    session.commit()
    _sequential(data["projects"][0])
    assert data["projects"][0]["previs"].computed_start == NOW
    assert validate_plan(result.problem, result.plan).ok
    assert studio.last_scheduled_by is me
    assert studio.last_scheduled_at is not None
    assert "scheduled 6 tasks" in (studio.last_schedule_message or "")
    assert studio.is_scheduling is False


def test_only_some_projects_and_busy_time_of_the_others(session: Any) -> None:
    data = build_studio(session, projects=2)
    studio, me = data["studio"], data["me"]
    first, second = data["projects"]
    schedule_studio(studio, scheduled_by=me, projects=[first["project"]], now=NOW)
    session.commit()
    assert first["comp"].computed_end is not None
    assert second["previs"].computed_start is None
    schedule_studio(studio, scheduled_by=me, projects=[second["project"].id], now=NOW)
    session.commit()
    # the second project's work comes after the first's: "me" is busy until then
    assert second["previs"].computed_start >= first["comp"].computed_end
    result = schedule_studio(studio, now=NOW)
    session.commit()
    assert validate_plan(result.problem, result.plan).ok
    assert len(result.problem.projects) == 2


def test_error_leaves_the_database_unchanged(session: Any) -> None:
    from stalker_core.models import TaskDependency

    data = build_studio(session)
    studio, me = data["studio"], data["me"]
    p = data["projects"][0]
    schedule_studio(studio, scheduled_by=me, now=NOW)
    session.commit()
    before = {n: (p[n].computed_start, p[n].computed_end) for n in ORDER}
    message = studio.last_schedule_message
    session.add(TaskDependency(task=p["previs"], depends_on=p["comp"]))  # a cycle slips in
    session.commit()
    later = NOW + dt.timedelta(days=30)
    with pytest.raises(CircularDependencyError, match="previs"):
        schedule_studio(studio, scheduled_by=me, now=later)
    session.commit()
    session.expire_all()
    assert {n: (p[n].computed_start, p[n].computed_end) for n in ORDER} == before
    assert studio.last_schedule_message == message
    assert studio.is_scheduling is False


def test_failing_tj3_leaves_the_database_unchanged(session: Any) -> None:
    data = build_studio(session)
    studio = data["studio"]
    with pytest.raises(TaskJugglerError, match="not found"):
        schedule_studio(studio, scheduler=TaskJugglerScheduler(command="/no/tj3"), now=NOW)
    session.commit()
    session.expire_all()
    assert data["projects"][0]["previs"].computed_start is None
    assert studio.is_scheduling is False
    assert studio.last_scheduled_at is None


def test_two_schedules_of_one_studio_cannot_run_at_once(session: Any) -> None:
    data = build_studio(session)
    studio = data["studio"]
    entered = threading.Event()
    release = threading.Event()

    class Slow(NativeScheduler):
        def schedule(self, problem):  # type: ignore[no-untyped-def]
            entered.set()
            release.wait(10)
            return super().schedule(problem)

    errors: list[BaseException] = []

    def second() -> None:
        entered.wait(10)
        try:
            schedule_studio(studio, scheduler=NativeScheduler(), now=NOW)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            release.set()

    th = threading.Thread(target=second)
    th.start()
    schedule_studio(studio, scheduler=Slow(), now=NOW)
    th.join()
    assert len(errors) == 1 and isinstance(errors[0], ConcurrencyError)
    assert "already being scheduled" in str(errors[0])
    session.commit()


@pytest.mark.postgres
def test_postgresql_lock_works_across_connections(session: Any) -> None:
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from stalker_core.models import Studio

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    data = build_studio(session)
    studio = data["studio"]
    other = Session(session.get_bind())
    try:
        # another process/connection holds the studio's scheduling lock
        other.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                      {"a": 0x5C4E, "b": studio.id})
        with pytest.raises(ConcurrencyError):
            schedule_studio(studio, now=NOW)
        session.rollback()
        other.rollback()
        schedule_studio(session.get(Studio, studio.id), now=NOW)
        session.commit()
    finally:
        other.close()


def test_loader_reads_in_a_fixed_number_of_queries(session: Any) -> None:
    small = build_studio(session, projects=1)
    count = {"n": 0}

    def counter(*_: Any) -> None:
        count["n"] += 1

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        session.expire_all()
        load_problem(small["studio"], session=session, now=NOW)
        few = count["n"]
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    from stalker_core.models import Project, Task

    for i in range(5):
        proj = Project(name=f"More {i}", code=f"M{i}")
        session.add(proj)
        for j in range(20):
            t = Task(name=f"t{j}", project=proj, schedule_timing=1, schedule_unit="h")
            t.resources = [small["me"], small["you"]]
            session.add(t)
    session.commit()
    count["n"] = 0
    event.listen(engine, "before_cursor_execute", counter)
    try:
        session.expire_all()
        pr = load_problem(small["studio"], session=session, now=NOW)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    assert len(pr.tasks) == 106
    assert count["n"] <= few + 1  # the same queries, whatever the number of tasks
    assert count["n"] <= 14


def test_vacations_time_logs_and_efficiency_from_the_database(session: Any) -> None:
    from stalker_core.models import Task, TimeLog, Vacation

    data = build_studio(session)
    me = data["me"]
    p = data["projects"][0]
    extra = Task(name="extra", project=p["project"], schedule_timing=6, schedule_unit="h")
    extra.resources = [me]
    session.add(extra)
    session.commit()
    me.efficiency = 0.5
    session.add(Vacation(user=me, start=NOW, end=NOW + dt.timedelta(days=1)))
    session.add(Vacation(start=NOW + dt.timedelta(days=1), end=NOW + dt.timedelta(days=2)))
    session.add(TimeLog(task=extra, resource=me, start=NOW - dt.timedelta(days=3),
                        end=NOW - dt.timedelta(days=3) + dt.timedelta(hours=4)))
    session.commit()
    pr = load_problem(data["studio"], session=session, now=NOW)
    assert pr.resources[me.id].efficiency == 0.5
    assert pr.resources[me.id].vacations and pr.holidays
    assert pr.tasks[extra.id].time_logs[0].resource == me.id
    result = schedule_studio(data["studio"], now=NOW)
    session.commit()
    assert validate_plan(result.problem, result.plan).ok
    # nothing before the studio-wide vacation ends (Wednesday)
    assert p["previs"].computed_start >= NOW + dt.timedelta(days=2)


def test_to_tjp_of_model_objects(session: Any) -> None:
    from stalker_core.models import Department, Vacation, WorkingHours

    data = build_studio(session)
    me = data["me"]
    p = data["projects"][0]
    dep = Department(name="TDs")
    dep.users.append(me)
    vac = Vacation(user=me, start=NOW, end=NOW + dt.timedelta(days=2))
    wh = WorkingHours(name="wh")
    session.add_all([dep, vac, wh])
    session.commit()
    assert to_tjp(me).startswith(f'resource User_{me.id} "Me" {{')
    assert "leaves annual 2026-01-05-09:00 - 2026-01-07-09:00" in to_tjp(me)
    assert to_tjp(vac) == "leaves annual 2026-01-05-09:00 - 2026-01-07-09:00"
    assert f"resource User_{me.id}" in to_tjp(dep)
    assert "workinghours mon, tue, wed, thu, fri 09:00 - 18:00" in to_tjp(wh)
    comp = to_tjp(p["comp"])
    assert comp.startswith(f'task Task_{p["comp"].id} "comp" {{')
    assert "effort 6.0h" in comp
    assert f"depends Project_{p['project'].id}.Task_{p['shot'].id}.Task_{p['lighting'].id}" in comp
    proj = to_tjp(p["project"])
    assert proj.startswith(f'task Project_{p["project"].id} "Fancy 0" {{')
    assert proj.count("task Task_") == 6
    studio = to_tjp(data["studio"])
    assert studio.startswith(f'project Studio_{data["studio"].id} "My Great Studio"')
    assert f"allocate User_{me.id}" in studio
    with pytest.raises(TypeError):
        to_tjp(object())


def test_set_studio_duration(session: Any) -> None:
    from stalker_core.exceptions import StalkerTypeError
    from stalker_core.models import Studio

    studio = Studio(name="S2")
    studio.start = None
    set_studio_duration(studio, dt.timedelta(days=10), now=NOW.replace(minute=20))
    assert studio.start == NOW.replace(hour=10)  # rounded up to the hour
    assert studio.end == studio.start + dt.timedelta(days=10)
    with pytest.raises(StalkerTypeError):
        set_studio_duration(studio, 10)  # type: ignore[arg-type]


def test_a_studio_marked_as_scheduling_is_refused(session: Any) -> None:
    data = build_studio(session)
    studio = data["studio"]
    studio.is_scheduling = True
    studio.is_scheduling_by = data["you"]
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        with pytest.raises(ConcurrencyError, match="'You'"):
            schedule_studio(studio, now=NOW)
    session.rollback()


def test_rescheduling_replaces_computed_resources(session: Any) -> None:
    data = build_studio(session)
    p = data["projects"][0]
    schedule_studio(data["studio"], now=NOW)
    session.commit()
    assert [u.login for u in p["comp"].computed_resources] == ["me"]
    p["comp"].resources = [data["you"]]
    session.commit()
    schedule_studio(data["studio"], now=NOW)
    session.commit()
    assert [u.login for u in p["comp"].computed_resources] == ["you"]
