"""Click parameter types of the command line: numbers, ids, timings (``3d``) and dates.

Every numeric option and argument of the ``stalker`` commands uses one of
the types declared here (:data:`ID`, :data:`LIMIT`, :data:`SECONDS`,
:data:`SECONDS_OR_ZERO`), so ``nan``, ``inf``, negative counts and ids
beyond the database's integers are usage errors saying what is expected,
before anything runs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import click

from stalker_core.exceptions import ValidationError

#: the largest id a database integer column holds (64-bit signed)
MAX_ID = 2**63 - 1


class Number(click.ParamType):
    """A finite int or float between bounds, with a usage error saying what is expected.

    Unlike ``click.FloatRange`` it refuses ``nan`` and ``inf`` (which compare
    false with every bound and would pass).

    :param kind: ``int`` or ``float``.
    :param low: the smallest value allowed (``None``: no bound).
    :param high: the largest value allowed (``None``: no bound).
    :param low_open: ``low`` itself is refused (``> low`` instead of ``>= low``).
    :param what: what the value is, for the message (``"a number of seconds"``).
    :param example: a valid value, for the message.
    :param bounds: returns ``(low, high)`` when first needed, for bounds
        declared in a module this one should not import at start-up (the
        models).
    """

    def __init__(self, kind: type[int] | type[float], *, low: float | None = None,
                 high: float | None = None, low_open: bool = False, what: str,
                 example: str,
                 bounds: Callable[[], tuple[float | None, float | None]] | None = None) -> None:
        self.kind, self._low, self._high, self.low_open = kind, low, high, low_open
        self.what, self.example, self._bounds = what, example, bounds
        self.name = "integer" if kind is int else "number"

    @property
    def low(self) -> float | None:
        """The smallest value allowed (``None``: no bound)."""
        return self._bounds()[0] if self._bounds is not None else self._low

    @property
    def high(self) -> float | None:
        """The largest value allowed (``None``: no bound)."""
        return self._bounds()[1] if self._bounds is not None else self._high

    def __repr__(self) -> str:
        return f"Number({self.kind.__name__}, low={self.low!r}, high={self.high!r})"

    def expected(self) -> str:
        """``"a count (a whole number from 1 to 100)"``: the accepted values in words."""
        kind = "a whole number" if self.kind is int else "a finite number"
        low, high = self.low, self.high
        if low is not None and high is not None and not self.low_open:
            bounds = f" from {low:g} to {high:d}" if isinstance(high, int) else \
                f" from {low:g} to {high:g}"
        elif low is not None:
            bounds = f" greater than {low:g}" if self.low_open else f", {low:g} or more"
        else:
            bounds = ""
        if high is not None and (low is None or self.low_open):
            bounds += f" and at most {high:g}"
        return f"{self.what} ({kind}{bounds})"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, bool):
            self.fail(f"{value!r} is not {self.expected()}, e.g. {self.example}", param, ctx)
        try:
            number = self.kind(str(value).strip()) if isinstance(value, str) else self.kind(value)
        except (TypeError, ValueError, OverflowError):
            number = None
        if (number is None or not math.isfinite(number)
                or (self.low is not None and (number <= self.low if self.low_open
                                              else number < self.low))
                or (self.high is not None and number > self.high)):
            self.fail(f"{value!r} is not {self.expected()}, e.g. {self.example}", param, ctx)
        return number


#: the id of a row (task, version, ...): 1 to 2**63 - 1
ID = Number(int, low=1, high=MAX_ID, what="an id", example="12")
#: ``--limit``: how many rows at most, 1 or more
LIMIT = Number(int, low=1, high=MAX_ID, what="a count", example="50")
def _priority_range() -> tuple[float | None, float | None]:
    from stalker_core.models.task.validation import PRIORITY_RANGE

    return PRIORITY_RANGE


#: a task's priority (the range of ``Task.priority``, 0 to 1000)
PRIORITY = Number(int, what="a priority", example="500", bounds=_priority_range)
#: the longest time a command may be asked to spend on something: a day
MAX_SECONDS = 86_400
#: a time budget in seconds, more than 0 and at most a day (``--optimise``)
SECONDS = Number(float, low=0, low_open=True, high=MAX_SECONDS, what="a number of seconds",
                 example="30")
#: a time in seconds, from 0 to a day (``--startup-check``)
SECONDS_OR_ZERO = Number(float, low=0, high=MAX_SECONDS, what="a number of seconds",
                         example="2")
#: a number of hours, more than 0 and at most a year (``doctor --stale-after``)
HOURS = Number(float, low=0, low_open=True, high=24 * 366, what="a number of hours",
               example="24")


class Timing(click.ParamType):
    """``3d``, ``2.5h``, ``30min``: a number and a schedule unit -> ``(value, unit)``."""

    name = "timing"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[float, str]:
        from stalker_core.units import parse_timing

        if isinstance(value, tuple):
            return value
        try:
            return parse_timing(value)
        except ValidationError as exc:
            self.fail(str(exc), param, ctx)


class When(click.ParamType):
    """An ISO 8601 date or date and time (``2026-05-04``, ``2026-05-04T10:30``) or ``now``.

    A value without a time zone is in the local one; a date alone is its
    midnight. Returns an aware datetime.
    """

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.astimezone()
        text = str(value).strip()
        if text.lower() == "now":
            return dt.datetime.now().astimezone()
        try:
            parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            self.fail(f"{value!r} is not a date: write 2026-05-04 or 2026-05-04T10:30 "
                      "(ISO 8601), or now", param, ctx)
        return parsed if parsed.tzinfo else parsed.astimezone()


TIMING = Timing()
WHEN = When()


def timing_text(value: float, unit: str) -> str:
    """``3d`` for ``(3.0, "d")``."""
    return f"{value:g}{unit}"
