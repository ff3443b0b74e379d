"""Checks of single values shared by the models: one function per rule, no queries.

Each ``check_*`` / ``validate_*`` function takes the class name and attribute
for its message (``Task.name should be ...``), returns the value normalised
(stripped, a list, ...) and raises
:class:`~stalker_core.exceptions.StalkerTypeError` or
:class:`~stalker_core.exceptions.ValidationError`. The ``validate_*``
functions are the rules of the fields every entity has (and of ``code``); ``@validates``
methods and bulk paths (:class:`~stalker_core.models.task.bulk.TaskBatch`)
call the same function, so the rules cannot drift apart. This module knows
no mapped class: the rule of ``type`` (a :class:`~stalker_core.models.type.Type`)
is :func:`stalker_core.models.base.validate_type`.
"""

from __future__ import annotations

from typing import Any, cast

from stalker_core.exceptions import ValidationError, type_error, value_error


def check_collection(cls_name: str, attr: str, value: Any) -> list[Any]:
    """Validate the value of a list attribute (a list, tuple or set) and return it as a list.

    :raises StalkerTypeError: for anything else (a str, a dict, a generator, ``None``).
    """
    if not isinstance(value, list | tuple | set):
        raise type_error(cls_name, attr, "a list", value)
    return list(value)


def check_str(
    cls_name: str, attr: str, value: Any, *, required: bool = True, strip: bool = True,
    max_length: int | None = None,
) -> str:
    """Validate a string attribute and return it (stripped).

    :raises StalkerTypeError: when ``value`` is not a str (or ``None`` when optional).
    :raises ValidationError: when ``required`` and the string is empty, when it
        cannot be stored (:func:`check_text`), or is longer than ``max_length``.
    """
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise type_error(cls_name, attr, "a str", value)
    if strip:
        value = value.strip()
    if required and not value:
        raise value_error(cls_name, attr, "a non-empty str", value)
    check_text(cls_name, attr, value)
    if max_length is not None and len(value) > max_length:
        raise value_error(
            cls_name, attr, f"at most {max_length} characters", value[:40] + "..."
        )
    return value


def check_text(cls_name: str, attr: str, value: str) -> str:
    """The rule of every string a database column stores: text both databases can hold.

    Refuses a NUL character (PostgreSQL stores none) and a lone surrogate
    (``"\\udc80"``, e.g. from a file name decoded with ``surrogateescape``),
    which has no UTF-8 encoding. Every ``String``/``Text`` column runs it on
    each assignment (:func:`stalker_core.models.base.install_column_checks`);
    :func:`check_str` runs it too.

    :raises ValidationError: naming the class, the attribute and the character.
    """
    if "\x00" in value:
        raise value_error(cls_name, attr, "a str without NUL characters", value)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start]
            raise ValidationError(
                f"{cls_name}.{attr} should be text that can be encoded as UTF-8, not "
                f"{value!r}: it holds the lone surrogate {bad!r} at position {exc.start} "
                "(decode file names with the file system encoding, or replace the character)"
            ) from None
    return value


#: the range of each integer column type (the stricter of SQLite and PostgreSQL):
#: ``Integer`` is 32 bits on PostgreSQL, ``BigInteger`` 64 bits everywhere
INT_RANGES: dict[str, tuple[int, int]] = {
    "SmallInteger": (-(2**15), 2**15 - 1),
    "Integer": (-(2**31), 2**31 - 1),
    "BigInteger": (-(2**63), 2**63 - 1),
}


def check_int_range(cls_name: str, attr: str, value: int, kind: str = "Integer") -> int:
    """The rule of every integer column: ``value`` fits the column on both databases.

    :param kind: the column type's name, a key of :data:`INT_RANGES`.
    :raises ValidationError: naming the class, the attribute and the range.
    """
    low, high = INT_RANGES[kind]
    if not low <= value <= high:
        raise value_error(cls_name, attr, f"an int from {low} to {high}", value)
    return value


#: the longest ``name`` of an entity (the length of its column)
NAME_LENGTH = 256


def validate_name(cls_name: str, attr: str, value: Any) -> str:
    """The rule of every entity's ``name``: see :func:`check_str` (at most :data:`NAME_LENGTH`).

    Returns the name stripped.
    """
    return check_str(cls_name, attr, value, max_length=NAME_LENGTH)


#: the longest ``code`` (the length of the column of :class:`~.mixins.CodeMixin`)
CODE_LENGTH = 256


def validate_code(cls_name: str, attr: str, value: Any) -> str:
    """The rule of a ``code`` (``"SH001"``): as a name, at most :data:`CODE_LENGTH` characters.

    Returns the code stripped.
    """
    return check_str(cls_name, attr, value, max_length=CODE_LENGTH)


def validate_description(cls_name: str, attr: str, value: Any) -> str:
    """The rule of every entity's ``description``: a str without NUL, kept as given.

    ``None`` becomes ``""``.
    """
    return check_str(cls_name, attr, value, required=False, strip=False)


def check_instance(
    cls_name: str, attr: str, value: Any, expected: type | tuple[type, ...], *,
    required: bool = False,
) -> Any:
    """Validate that ``value`` is an instance of ``expected`` (or ``None`` when optional).

    :raises StalkerTypeError: otherwise, naming the class, attribute and expected type.
    """
    if value is None:
        if required:
            raise type_error(cls_name, attr, _type_names(expected), value)
        return None
    if not isinstance(value, expected):
        raise type_error(cls_name, attr, _type_names(expected), value)
    return value


def check_number(
    cls_name: str, attr: str, value: Any, *, minimum: float | None = None,
    strict: bool = False, integer: bool = False,
) -> Any:
    """Validate a number (bools refused); ``minimum`` inclusive unless ``strict``."""
    kinds: tuple[type, ...] = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise type_error(cls_name, attr, "an int" if integer else "a number", value)
    number: float = cast(float, value)
    if number != number or number in (float("inf"), float("-inf")):
        raise value_error(cls_name, attr, "a finite number", value)
    if minimum is not None and (number <= minimum if strict else number < minimum):
        op = ">" if strict else ">="
        raise value_error(cls_name, attr, f"a number {op} {minimum}", value)
    return value


def check_list(cls_name: str, attr: str, value: Any, item: type | tuple[type, ...]) -> list[Any]:
    """Validate a list (or tuple) of ``item`` instances and return it as a list."""
    if not isinstance(value, list | tuple):
        raise type_error(cls_name, attr, f"a list of {_type_names(item)}", value)
    for v in value:
        if not isinstance(v, item):
            raise type_error(cls_name, attr, f"a list of {_type_names(item)}", v)
    return list(value)


def _type_names(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    names = " or ".join(t.__name__ for t in types)
    return f"a {names} instance"


def entity_type_name(cls_name: str, attr: str, value: Any) -> str:
    """Return the class name for ``value`` (a class or a non-empty str).

    :raises StalkerTypeError: neither a class nor a str.
    :raises ValidationError: an empty or blank name.
    """
    if isinstance(value, type):
        return value.__name__
    if not isinstance(value, str):
        raise type_error(cls_name, attr, "a class or a class name (str)", value)
    value = value.strip()
    if not value or not value.isidentifier() or len(value) > 128:
        raise value_error(cls_name, attr, "a class name such as 'Task'", value)
    return value
