"""Column types shared by the models: time-zone aware datetimes and intervals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

from stalker_core.exceptions import NaiveDatetimeError


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A datetime stored in UTC and returned time-zone aware, on every backend.

    Naive datetimes are refused: a studio spans time zones and a naive value
    is ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime.datetime, not {type(value).__name__}: {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(
                f"datetime {value!r} has no time zone; give an aware datetime "
                "(e.g. datetime.datetime(..., tzinfo=datetime.timezone.utc))"
            )
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utc_now() -> dt.datetime:
    """Return the current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def ensure_aware(cls_name: str, attr: str, value: dt.datetime | None) -> dt.datetime | None:
    """Validate that ``value`` is ``None`` or an aware datetime and return it.

    :raises StalkerTypeError: for a non-datetime.
    :raises NaiveDatetimeError: for a naive datetime.
    """
    from stalker_core.exceptions import type_error

    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise type_error(cls_name, attr, "a datetime.datetime", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{cls_name}.{attr} needs a time-zone aware datetime, got naive {value!r}"
        )
    return value
