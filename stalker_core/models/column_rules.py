"""One rule per column type: integers must fit their column, strings must be storable text.

:func:`install_column_checks` runs for every mapped class (a
``mapper_configured`` listener registered on the declarative base), so
``version_number=2**63`` or a lone surrogate in any name is refused when
assigned, not by the database driver at commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String
from sqlalchemy.orm import Mapper

from stalker_core.models.attribute_events import on_set
from stalker_core.models.checks import INT_RANGES, check_int_range, check_text


def _int_kind(column_type: Any) -> str | None:
    """The key of :data:`~.checks.INT_RANGES` for an integer column type, else ``None``."""
    if isinstance(column_type, BigInteger):
        return "BigInteger"
    if isinstance(column_type, SmallInteger):
        return "SmallInteger"
    return "Integer" if isinstance(column_type, Integer) else None


def _column_rule(column_type: Any) -> Any:
    """The check every assignment to a column of ``column_type`` runs, or ``None``.

    Integers must fit the column (:func:`~.checks.check_int_range`), strings must
    be storable text (:func:`~.checks.check_text`); other values are left to the
    attribute's own validator.
    """
    kind = _int_kind(column_type)
    if kind is not None:
        low, high = INT_RANGES[kind]

        def check_int(target: Any, key: str, value: Any) -> Any:
            if value.__class__ is int and low <= value <= high:
                return value  # the common case, without a call
            if isinstance(value, int) and not isinstance(value, bool):
                check_int_range(type(target).__name__, key, value, kind)
            return value

        return check_int
    if isinstance(column_type, String):  # Text, Enum, ... are Strings too
        def check_string(target: Any, key: str, value: Any) -> Any:
            if value.__class__ is str and value.isascii() and "\x00" not in value:
                return value  # the common case, without a call
            if isinstance(value, str):
                check_text(type(target).__name__, key, value)
            return value

        return check_string
    return None


def install_column_checks(mapper: Mapper[Any], cls: type) -> None:
    """Give every integer and string column its rule, once, where it is declared.

    The rules are declared once, by column type (:func:`_column_rule`), not per
    model: ``version_number=2**63`` or a lone surrogate in any name is refused
    when assigned, with a :class:`~stalker_core.exceptions.ValidationError`,
    rather than by the database driver at commit.
    """
    for prop in mapper.column_attrs:
        if prop.parent is not mapper or len(prop.columns) != 1:
            continue
        rule = _column_rule(prop.columns[0].type)
        if rule is not None:
            on_set(getattr(cls, prop.key), rule)
