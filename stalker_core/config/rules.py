"""Validation rules of settings: a check plus the words that describe what it accepts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """A validator and the words that describe what it accepts.

    :param text: what a value must be ("a positive integer"), used in the
        generated docs and in error messages.
    :param check: returns the normalised value; raises ``TypeError`` or
        ``ValueError`` saying what was expected.
    """

    text: str
    check: Callable[[Any], Any]

    def __call__(self, value: Any) -> Any:
        """Validate ``value`` and return it normalised."""
        return self.check(value)


def expect(kind: str, ok: Callable[[Any], bool]) -> Rule:
    def check(value: Any) -> Any:
        if not ok(value):
            raise TypeError(f"expected {kind}, got {type(value).__name__} {value!r}")
        return value

    return Rule(kind, check)


#: a string
STRING = expect("a string", lambda v: isinstance(v, str))
#: true or false
BOOLEAN = expect("true or false", lambda v: isinstance(v, bool))
#: a list of strings
STRING_LIST = expect(
    "a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)
)


def one_of(*choices: str) -> Rule:
    """One of the strings ``choices``."""
    return expect(f"one of {', '.join(repr(c) for c in choices)}",
                  lambda v: isinstance(v, str) and v in choices)


def number(minimum: float = 0.0, maximum: float | None = None) -> Rule:
    upper = f" and <= {maximum}" if maximum is not None else ""
    text = f"a number > {minimum}{upper}"

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value) or value <= minimum or (
                maximum is not None and value > maximum):
            raise ValueError(f"expected {text}, got {value!r}")
        return value

    return Rule(text, check)


def _positive_int_check(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TypeError(f"expected a positive integer, got {value!r}")
    return value


#: an integer > 0
POSITIVE_INT = Rule("a positive integer", _positive_int_check)


def check_intervals(value: Any) -> list[list[int]]:
    """Validate a day's working intervals ``[[start, end], ...]`` in minutes.

    :raises TypeError: not a list of pairs of integers.
    :raises ValueError: outside 0..1440, start >= end, or overlapping.
    """
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of [start, end] pairs, got {value!r}")
    out: list[list[int]] = []
    for pair in value:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(m, int) and not isinstance(m, bool) for m in pair)
        ):
            raise TypeError(f"expected [start, end] minute pairs of integers, got {pair!r}")
        start, end = pair
        if not 0 <= start < end <= 1440:
            raise ValueError(f"expected 0 <= start < end <= 1440 minutes, got {list(pair)!r}")
        out.append([start, end])
    out.sort()
    for (_, end1), (start2, _) in zip(out, out[1:], strict=False):
        if start2 < end1:
            raise ValueError(f"working intervals overlap: {out!r}")
    return out


#: a day's working intervals (see :func:`check_intervals`)
INTERVALS = Rule(
    "a list of [start, end] pairs in minutes since midnight (0..1440, not overlapping)",
    check_intervals,
)


def _statuses_check(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()
    ):
        raise TypeError(f"expected a table of CODE = \"Name\", got {value!r}")
    return dict(value)


def _status_lists_check(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table of Class = [\"CODE\", ...], got {value!r}")
    for k, v in value.items():
        STRING_LIST(v)
        if not v:
            raise ValueError(f"status list of {k!r} is empty")
    return {k: list(v) for k, v in value.items()}


#: a table of status code -> status name
STATUS_TABLE = Rule('a table of CODE = "Name"', _statuses_check)
#: a table of class name -> status codes
STATUS_LIST_TABLE = Rule('a table of Class = ["CODE", ...] (codes named in [statuses])',
                     _status_lists_check)


#: the operating-system keys of an application's executables
PLATFORMS: tuple[str, ...] = ("linux", "darwin", "windows")
_APP_KEYS = {"label", "icon", "variants", "executables", "args", "file_args", "env",
             "extensions"}


def _string_table(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"{what} should be a table of strings, got {value!r}")
    return dict(value)


def _application_check(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"application {name!r} should be a table, got {value!r}")
    unknown = sorted(set(value) - _APP_KEYS)
    if unknown:
        raise ValueError(f"application {name!r} has unknown keys {unknown}; expected some of "
                         f"{sorted(_APP_KEYS)}")
    checks: dict[str, Any] = {
        "label": lambda v: _non_empty(v, f"{name}.label"),
        "icon": STRING,
        "variants": lambda v: list(STRING_LIST(v)),
        "executables": lambda v: _platform_table(v, name),
        "args": lambda v: list(STRING_LIST(v)),
        "file_args": lambda v: list(STRING_LIST(v)),
        "env": lambda v: _string_table(v, f"{name}.env"),
        "extensions": lambda v: _extensions(v, name),
    }
    # only the keys given: a studio table is merged key by key over the defaults
    return {key: checks[key](v) for key, v in value.items()}


def _non_empty(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} should be a non-empty string, got {value!r}")
    return value


def _platform_table(value: Any, name: str) -> dict[str, str]:
    table = _string_table(value, f"{name}.executables")
    bad = sorted(set(table) - set(PLATFORMS))
    if bad:
        raise ValueError(f"{name}.executables: unknown platform(s) {bad}; expected "
                         f"{', '.join(PLATFORMS)}")
    return table


def _extensions(value: Any, name: str) -> list[str]:
    extensions = STRING_LIST(value)
    if any(not e.startswith(".") for e in extensions):
        raise ValueError(f"{name}.extensions should start with a dot, got {extensions}")
    return [e.lower() for e in extensions]


def _applications_check(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table of application name -> table, got {value!r}")
    return {name: _application_check(name, v) for name, v in value.items()}


#: a table of application name -> definition (label, variants, executables, ...)
APPLICATIONS_TABLE = Rule(
    "a table of name -> {label, icon, variants, executables = {linux, darwin, windows}, "
    "args, file_args, env, extensions}",
    _applications_check,
)
