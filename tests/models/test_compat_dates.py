"""Any two of start, end and duration; Task.create_time_log and Task.review_set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import NaiveDatetimeError, StalkerTypeError, ValidationError
from stalker_core.models import Project, Task, TimeLog, User, Vacation

UTC = dt.UTC
MON = dt.datetime(2025, 3, 3, 9, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)


def _world(session: Any) -> tuple[Task, User]:
    project = Project(name="Flying Circus", code="FC")
    user = User(name="Ann", login="ann", email="ann@x.com", password="pw")
    task = Task(name="comp", project=project, resources=[user])
    session.add_all([project, user])
    session.commit()
    return task, user


def test_time_log_from_start_and_duration(session: Any) -> None:
    task, user = _world(session)
    log = TimeLog(task=task, resource=user, start=MON, duration=2 * HOUR)
    session.commit()
    assert (log.start, log.end, log.duration) == (MON, MON + 2 * HOUR, 2 * HOUR)
    assert task.total_logged_seconds == 7200


def test_time_log_from_end_and_duration(session: Any) -> None:
    task, user = _world(session)
    log = TimeLog(task=task, resource=user, end=MON, duration=HOUR)
    assert (log.start, log.end) == (MON - HOUR, MON)


def test_create_time_log(session: Any) -> None:
    task, user = _world(session)
    log = task.create_time_log(user, MON, MON + 3 * HOUR)
    session.commit()
    assert isinstance(log, TimeLog) and log.task is task and log.resource is user
    assert log in task.time_logs and task.status.code == "WIP"


def test_all_three_must_agree() -> None:
    start, end = MON, MON + HOUR
    assert Vacation(start=start, end=end, duration=HOUR).duration == HOUR
    with pytest.raises(ValidationError, match="duration"):
        Vacation(start=start, end=end, duration=2 * HOUR)


@pytest.mark.parametrize(
    ("duration", "err"),
    [("1h", StalkerTypeError), (dt.timedelta(0), ValidationError), (-HOUR, ValidationError)],
)
def test_a_bad_duration_is_refused(duration: Any, err: type[Exception]) -> None:
    with pytest.raises(err, match="Vacation.duration"):
        Vacation(start=MON, duration=duration)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        Vacation(start=dt.datetime(2025, 3, 3), duration=HOUR)


def test_task_and_project_take_a_duration_too() -> None:
    project = Project(name="P", code="P", start=MON, duration=dt.timedelta(days=30))
    assert project.end == MON + dt.timedelta(days=30)
    task = Task(name="t", project=project, end=MON, duration=dt.timedelta(days=2))
    assert task.start == MON - dt.timedelta(days=2)


def test_duration_alone_starts_now() -> None:
    before = dt.datetime.now(UTC)
    vacation = Vacation(duration=dt.timedelta(days=1))
    assert before <= vacation.start <= dt.datetime.now(UTC)
    assert vacation.duration == dt.timedelta(days=1)


def test_review_set(session: Any) -> None:
    task, user = _world(session)
    task.responsible = [user]
    task.create_time_log(user, MON, MON + HOUR)
    first = task.request_review()
    assert task.review_set() == first and task.review_set(1) == first
    task.request_revision(reviewer=user, schedule_timing=1, schedule_unit="h")
    task.create_time_log(user, MON + HOUR, MON + 2 * HOUR)
    second = task.request_review()
    assert task.review_set() == second and task.review_set(2) == second
    assert set(task.review_set(1)) == set(first) and task.review_set(3) == []
    with pytest.raises(TypeError, match="review_number"):
        task.review_set("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="review_number"):
        task.review_set(0)
