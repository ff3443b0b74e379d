"""Time units of schedules, and their conversion to seconds.

Effort and length are *working* time: a day (``d``) is the studio's daily
working hours, a week (``w``) its weekly working days of those, a month
(``m``) a twelfth of a working year, a year (``y``) its yearly working days.
Duration is *calendar* time: a day is 24 hours, a week 7 days, a month 30
days, a year 365 days. The same convention is written to TaskJuggler.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from stalker_core.exceptions import ValidationError, value_error

#: The units accepted for schedule_unit, bid_unit and gap_unit.
UNITS: tuple[str, ...] = ("min", "h", "d", "w", "m", "y")
#: The schedule models: effort (resource time), length (working calendar), duration (calendar).
MODELS: tuple[str, ...] = ("effort", "length", "duration")

_TIMING = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")


def parse_timing(text: str) -> tuple[float, str]:
    """``"3d"``, ``"2.5h"``, ``"30min"`` -> ``(3.0, "d")``: a number and one of :data:`UNITS`.

    :raises ValidationError: for anything else, saying what a timing looks like.
    """
    m = _TIMING.fullmatch(str(text).lower())
    if m is None or m.group(2) not in UNITS or not math.isfinite(float(m.group(1))):
        raise ValidationError(
            f"{text!r} is not a timing: write a number and a unit ({', '.join(UNITS)}), "
            "e.g. 3d or 2.5h"
        )
    return float(m.group(1)), m.group(2)


@dataclass(frozen=True)
class WorkCalendar:
    """How long working days, weeks, months and years are, in working hours."""

    daily_working_hours: float = 9.0
    weekly_working_days: float = 5.0
    yearly_working_days: float = 261.0

    def unit_seconds(self, unit: str, model: str = "effort") -> float:
        """Seconds in one ``unit`` under ``model``.

        :raises ValidationError: for an unknown unit or model.
        """
        if unit not in UNITS:
            raise value_error("schedule", "unit", f"one of {UNITS}", unit)
        if model not in MODELS:
            raise value_error("schedule", "model", f"one of {MODELS}", model)
        if unit == "min":
            return 60.0
        if unit == "h":
            return 3600.0
        if model == "duration":
            days = {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
            return days * 86400.0
        day = self.daily_working_hours * 3600.0
        if unit == "d":
            return day
        if unit == "w":
            return day * self.weekly_working_days
        if unit == "m":
            return day * self.yearly_working_days / 12.0
        return day * self.yearly_working_days

    def to_seconds(self, timing: float, unit: str, model: str = "effort") -> float:
        """Convert ``timing`` ``unit`` under ``model`` to seconds."""
        return float(timing) * self.unit_seconds(unit, model)


DEFAULT_CALENDAR = WorkCalendar()
