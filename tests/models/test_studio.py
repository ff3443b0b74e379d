"""Studio: working hours, calendar, timing resolution, delegates (contract C1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import Project, Studio, User, WorkingHours
from stalker_core.units import WorkCalendar


def test_working_hours_created_with_defaults() -> None:
    s = Studio(name="My Great Studio")
    assert isinstance(s.working_hours, WorkingHours)
    assert s.working_hours["mon"] == [[540, 1080]]
    assert s.working_hours is s.working_hours_obj


def test_working_values_and_calendar() -> None:
    s = Studio(name="S", daily_working_hours=8, weekly_working_days=6, yearly_working_days=300)
    assert (s.daily_working_hours, s.weekly_working_days, s.yearly_working_days) == (8, 6, 300)
    assert s.weekly_working_hours == 48
    assert s.work_calendar == WorkCalendar(8, 6, 300)
    assert s.work_calendar.to_seconds(1, "d") == 8 * 3600


def test_set_working_hours_from_dict_or_object() -> None:
    s = Studio(name="S", working_hours={"mon": [[600, 700]]})
    assert s.working_hours["mon"] == [[600, 700]] and s.working_hours["tue"] == []
    s.working_hours = {"tue": [[0, 60]]}
    assert s.working_hours["tue"] == [[0, 60]]
    wh = WorkingHours()
    s.working_hours = wh
    assert s.working_hours is wh
    with pytest.raises(StalkerTypeError, match="Studio.working_hours"):
        s.working_hours = [[540, 1080]]


def test_timing_resolution() -> None:
    s = Studio(name="S")
    assert s.timing_resolution == dt.timedelta(hours=1)
    s.timing_resolution = dt.timedelta(minutes=10)
    assert s.timing_resolution_seconds == 600
    with pytest.raises(StalkerTypeError):
        s.timing_resolution = 600  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        s.timing_resolution = dt.timedelta(seconds=10)
    with pytest.raises(ValidationError):
        s.timing_resolution = dt.timedelta(seconds=90.5)
    now = s.now
    assert now.tzinfo is not None and now.minute % 10 == 0 and now.second == 0


def test_other_validation() -> None:
    s = Studio(name="S")
    with pytest.raises(StalkerTypeError):
        s.is_scheduling = "yes"
    with pytest.raises(StalkerTypeError):
        s.last_scheduled_by = "admin"
    with pytest.raises(ValidationError):
        s.last_scheduled_at = dt.datetime(2020, 1, 1)


def test_delegates_exist() -> None:
    assert isinstance(Studio.to_tjp, property)
    assert isinstance(Project.to_tjp, property)
    assert isinstance(User.to_tjp, property)
    assert callable(Studio.schedule)
    assert Studio.scheduler is None


def test_schedule_delegates_with_the_studio_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    import stalker_core.scheduling as scheduling

    calls: list[dict[str, Any]] = []

    def fake(studio: Studio, **kw: Any) -> str:
        calls.append({"studio": studio, **kw})
        return "result"

    monkeypatch.setattr(scheduling, "schedule_studio", fake, raising=False)
    s = Studio(name="S")
    marker = object()
    s.scheduler = marker
    assert s.schedule(projects=[]) == "result"
    assert calls[0]["scheduler"] is marker and calls[0]["projects"] == []
    assert calls[0]["scheduled_by"] is None


def test_persisted_studio_lists_users_and_projects(session: Any) -> None:
    s = Studio(name="S")
    session.add_all([s, Project(name="P", code="P")])
    session.commit()
    session.expire_all()
    got = Studio.query.one()
    assert got.working_hours["mon"] == [[540, 1080]]
    assert [p.code for p in got.projects] == ["P"]
    assert [u.login for u in got.users] == ["admin"]


def test_default_range_and_duration_setter() -> None:
    s = Studio(name="S")
    assert s.start == s.now and s.end - s.start == s.timing_resolution
    s.duration = dt.timedelta(days=365)
    assert s.end - s.start == dt.timedelta(days=365)
    with pytest.raises(StalkerTypeError, match="Studio.duration"):
        s.duration = 365  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="Studio.duration"):
        s.duration = dt.timedelta(0)
