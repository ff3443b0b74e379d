"""Click parameter types of the command line: timings (``3d``) and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from stalker_core.exceptions import ValidationError


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
