"""Click parameter types of the command line: timings (``3d``) and dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import click

_TIMING = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")


class Timing(click.ParamType):
    """``3d``, ``2.5h``, ``30min``: a number and a schedule unit -> ``(value, unit)``."""

    name = "timing"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[float, str]:
        from stalker_core.units import UNITS

        if isinstance(value, tuple):
            return value
        m = _TIMING.fullmatch(str(value).lower())
        if m is None or m.group(2) not in UNITS:
            self.fail(f"{value!r} is not a timing: write a number and a unit "
                      f"({', '.join(UNITS)}), e.g. 3d or 2.5h", param, ctx)
        return float(m.group(1)), m.group(2)


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
