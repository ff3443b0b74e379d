"""WorkingHours: per-day intervals, validation, derived values, is_working_hour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import NaiveDatetimeError, StalkerTypeError, ValidationError
from stalker_core.models import WorkingHours

UTC = dt.UTC


def test_defaults_from_config() -> None:
    wh = WorkingHours()
    assert wh["mon"] == [[540, 1080]] and wh[0] == [[540, 1080]]
    assert wh["sat"] == [] and wh["Sunday"] == []
    assert wh.daily_working_hours == 9 and wh.weekly_working_days == 5
    assert wh.yearly_working_days == 261
    assert wh.weekly_working_hours == 45


def test_set_a_day() -> None:
    wh = WorkingHours()
    wh["sat"] = [[600, 720], [60, 120]]
    assert wh["sat"] == [[60, 120], [600, 720]]
    assert wh.weekly_working_hours == 48
    assert wh.day_working_hours("sat") == 3


@pytest.mark.parametrize(
    ("value", "err"),
    [
        ([[600, 500]], ValidationError),
        ([[0, 1441]], ValidationError),
        ([[-1, 10]], ValidationError),
        ([[0, 600], [500, 700]], ValidationError),
        ([[0, 600, 700]], StalkerTypeError),
        ([["9:00", "18:00"]], StalkerTypeError),
        ("9-18", StalkerTypeError),
        ([[True, 10]], StalkerTypeError),
    ],
)
def test_bad_days(value: Any, err: type) -> None:
    wh = WorkingHours()
    with pytest.raises(err, match="WorkingHours"):
        wh["mon"] = value
    assert wh["mon"] == [[540, 1080]]


def test_bad_day_names_and_week() -> None:
    wh = WorkingHours()
    with pytest.raises(ValidationError, match="WorkingHours"):
        wh["someday"]
    with pytest.raises(StalkerTypeError):
        WorkingHours(working_hours=[[540, 1080]])
    with pytest.raises(ValidationError):
        WorkingHours(working_hours={"funday": []})


def test_given_week_derives_days() -> None:
    wh = WorkingHours(working_hours={"mon": [[540, 1080]], "tue": [[540, 1080]]})
    assert wh["wed"] == []
    assert wh.weekly_working_days == 2 and wh.yearly_working_days == 105
    wh2 = WorkingHours(working_hours={"mon": [[0, 60]]}, weekly_working_days=4)
    assert wh2.weekly_working_days == 4


@pytest.mark.parametrize(
    ("attr", "value", "err"),
    [
        ("daily_working_hours", 0, ValidationError),
        ("daily_working_hours", 25, ValidationError),
        ("weekly_working_days", 8, ValidationError),
        ("yearly_working_days", 400, ValidationError),
        ("yearly_working_days", "200", StalkerTypeError),
    ],
)
def test_bad_numbers(attr: str, value: Any, err: type) -> None:
    with pytest.raises(err, match=f"WorkingHours.{attr}"):
        setattr(WorkingHours(), attr, value)


def test_is_working_hour() -> None:
    wh = WorkingHours()
    monday = dt.datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    assert wh.is_working_hour(monday)
    assert wh.is_working_hour(monday.replace(hour=17, minute=59))
    assert not wh.is_working_hour(monday.replace(hour=18))
    assert not wh.is_working_hour(monday.replace(hour=8, minute=59))
    assert not wh.is_working_hour(dt.datetime(2025, 6, 7, 10, tzinfo=UTC))  # Saturday
    with pytest.raises(NaiveDatetimeError):
        wh.is_working_hour(dt.datetime(2025, 6, 2, 9))
    with pytest.raises(StalkerTypeError):
        wh.is_working_hour("monday")  # type: ignore[arg-type]


def test_persists(session: Any) -> None:
    wh = WorkingHours()
    wh["sun"] = [[600, 660]]
    session.add(wh)
    session.commit()
    wh["mon"] = [[480, 960]]  # a new dict: the change is saved
    session.commit()
    session.expire_all()
    got = WorkingHours.query.one()
    assert got["sun"] == [[600, 660]] and got["mon"] == [[480, 960]]
