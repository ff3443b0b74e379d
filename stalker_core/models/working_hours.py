"""WorkingHours: per weekday working intervals in minutes since midnight.

``wh["mon"]`` is a list of ``[start, end]`` minute pairs (``[[540, 1080]]`` is
09:00-18:00). Setting a day validates it: integers, ``0 <= start < end <=
1440``, no overlaps. ``daily_working_hours``, ``weekly_working_days`` and
``yearly_working_days`` are stored: by default from the configuration, or,
when ``working_hours`` is given to the constructor, derived from its working
days (weekly: days with hours; yearly: weekly x 52.14 rounded up).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.config import check_intervals
from stalker_core.exceptions import NaiveDatetimeError, type_error, value_error
from stalker_core.models.base import Entity, check_number, fk_id
from stalker_core.models.services import service

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: 09:00-18:00 on weekdays, nothing on the weekend (minutes since midnight).
DEFAULT_WORKING_HOURS: dict[str, list[list[int]]] = {
    **{d: [[540, 1080]] for d in WEEKDAYS[:5]},
    "sat": [],
    "sun": [],
}

#: weeks per year used to derive yearly working days from weekly ones.
WEEKS_PER_YEAR = 52.1428


def _day_key(day: Any) -> str:
    if isinstance(day, int) and not isinstance(day, bool) and 0 <= day < 7:
        return WEEKDAYS[day]
    if isinstance(day, str) and day.strip().lower()[:3] in WEEKDAYS:
        return day.strip().lower()[:3]
    raise value_error("WorkingHours", "[day]", f"one of {WEEKDAYS} or 0..6", day)


def validate_week(value: Any) -> dict[str, list[list[int]]]:
    """Validate a whole week ``{"mon": [[540, 1080]], ...}``; missing days are off.

    :raises StalkerTypeError: not a mapping, or a day not a list of int pairs.
    :raises ValidationError: unknown day, out-of-range or overlapping intervals.
    """
    if not isinstance(value, dict):
        raise type_error("WorkingHours", "working_hours", "a dict of weekday -> intervals", value)
    week: dict[str, list[list[int]]] = {d: [] for d in WEEKDAYS}
    for day, intervals in value.items():
        key = _day_key(day)
        week[key] = _validate_day(key, intervals)
    return week


def _validate_day(day: str, intervals: Any) -> list[list[int]]:
    try:
        return check_intervals(intervals)
    except TypeError as exc:
        raise type_error(
            "WorkingHours", day, f"[start, end] minute pairs ({exc})", intervals
        ) from None
    except ValueError as exc:
        raise value_error("WorkingHours", day, f"valid intervals ({exc})", intervals) from None


def _defaults() -> tuple[dict[str, list[list[int]]], float, float, float]:
    from stalker_core.config import get_config

    cfg = get_config()
    week = {d: [list(i) for i in cfg.working_hours.get(d, [])] for d in WEEKDAYS}
    return week, cfg.daily_working_hours, cfg.weekly_working_days, cfg.yearly_working_days


class WorkingHours(Entity):
    """Working intervals for each weekday: ``wh['mon'] == [[540, 1080]]``.

    :param working_hours: ``{"mon": [[540, 1080]], ...}``; missing days are off.
        Default: the configured working hours.
    :param daily_working_hours: hours in a working day (default: configuration).
    :param weekly_working_days: working days in a week (default: days with hours).
    :param yearly_working_days: working days in a year (default: weekly x 52.14, rounded up).
    """

    __tablename__ = "working_hours"
    id: Mapped[int] = fk_id("simple_entities")
    working_hours: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=lambda: {k: [list(i) for i in v] for k, v in DEFAULT_WORKING_HOURS.items()}
    )
    daily_working_hours: Mapped[float] = mapped_column(default=9.0)
    weekly_working_days: Mapped[float] = mapped_column(default=5.0)
    yearly_working_days: Mapped[float] = mapped_column(default=261.0)

    def __init__(self, **kwargs: Any) -> None:
        week, daily, weekly, yearly = _defaults()
        given = kwargs.pop("working_hours", None)
        super().__init__(**kwargs)
        self.working_hours = week if given is None else given
        days = sum(1 for d in WEEKDAYS if self.working_hours[d])
        if "daily_working_hours" not in kwargs:
            self.daily_working_hours = daily
        if "weekly_working_days" not in kwargs:
            self.weekly_working_days = weekly if given is None else float(days)
        if "yearly_working_days" not in kwargs:
            self.yearly_working_days = (
                yearly if given is None else float(math.ceil(days * WEEKS_PER_YEAR))
            )

    @validates("working_hours")
    def _validate_week(self, key: str, value: Any) -> dict[str, list[list[int]]]:
        return validate_week(value)

    @validates("daily_working_hours")
    def _validate_daily(self, key: str, value: Any) -> float:
        value = check_number("WorkingHours", key, value, minimum=0, strict=True)
        if value > 24:
            raise value_error("WorkingHours", key, "a number of hours in (0, 24]", value)
        return float(value)

    @validates("weekly_working_days", "yearly_working_days")
    def _validate_days(self, key: str, value: Any) -> float:
        limit = 7 if key == "weekly_working_days" else 366
        value = check_number("WorkingHours", key, value, minimum=0)
        if value > limit:
            raise value_error("WorkingHours", key, f"a number of days in [0, {limit}]", value)
        return float(value)

    # --- mapping interface --------------------------------------------------

    def __getitem__(self, day: str | int) -> list[list[int]]:
        """The intervals of ``day`` (``"mon"``.. ``"sun"`` or 0..6)."""
        return [list(i) for i in (self.working_hours or {}).get(_day_key(day), [])]

    def __setitem__(self, day: str | int, intervals: list[list[int]]) -> None:
        key = _day_key(day)
        week = {d: [list(i) for i in v] for d, v in (self.working_hours or {}).items()}
        week[key] = _validate_day(key, intervals)
        self.working_hours = week  # a new dict: the JSON column sees the change

    def to_dict(self) -> dict[str, list[list[int]]]:
        """A copy of the whole week."""
        return {d: self[d] for d in WEEKDAYS}

    # --- derived values -----------------------------------------------------

    @property
    def weekly_working_hours(self) -> float:
        """Sum of the week's intervals, in hours."""
        week = self.working_hours or {}
        return sum(end - start for d in WEEKDAYS for start, end in week.get(d, [])) / 60.0

    def day_working_hours(self, day: str | int) -> float:
        """Working hours of one weekday."""
        return sum(end - start for start, end in self[day]) / 60.0

    def is_working_hour(self, when: dt.datetime) -> bool:
        """True when ``when`` (its own wall-clock time) falls in a working interval.

        :raises NaiveDatetimeError: ``when`` has no time zone.
        """
        if not isinstance(when, dt.datetime):
            raise type_error("WorkingHours", "is_working_hour", "a datetime.datetime", when)
        if when.tzinfo is None or when.utcoffset() is None:
            raise NaiveDatetimeError(
                f"WorkingHours.is_working_hour needs an aware datetime, got naive {when!r}"
            )
        minute = when.hour * 60 + when.minute + when.second / 60.0
        return any(start <= minute < end for start, end in self[when.weekday()])

    @property
    def to_tjp(self) -> str:
        """The week in TaskJuggler ``workinghours`` syntax."""
        return service("to_tjp")(self)

    def __repr__(self) -> str:
        return f"<{self.name} (WorkingHours)>"
