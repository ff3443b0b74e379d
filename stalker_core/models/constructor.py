"""The default constructor of the models: set mapped attributes, refuse unknown keywords.

``Model(**kwargs)`` sets each keyword as an attribute. A keyword that names
no public, settable attribute of the class is refused with a ``TypeError``
(:class:`~stalker_core.exceptions.StalkerTypeError`) naming it, unless the
setting ``compat.lenient_constructors`` is on: then it is ignored with a
:class:`~stalker_core.exceptions.StalkerWarning`, as Stalker's constructors
ignore what they do not know (docs/stalker-compat.md).
"""

from __future__ import annotations

import inspect
import os
import sys
import warnings
from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy
from sqlalchemy.ext.associationproxy import AssociationProxy

from stalker_core.exceptions import StalkerTypeError, StalkerWarning
from stalker_core.models.checks import check_collection


def strict_constructor(self: Any, **kwargs: Any) -> None:
    """Default constructor: set mapped attributes, refuse unknown keywords clearly.

    Keywords named in the class's ``_required`` must be given.
    """
    cls = type(self)
    check_required(cls, kwargs)
    collections = _collection_keys(cls)
    for key, value in kwargs.items():
        if not is_keyword(cls, key):
            refuse_keyword(cls, key)  # or, with compat.lenient_constructors, warn and skip
            continue
        if key in collections:
            value = check_collection(cls.__name__, key, value)  # a tuple or set too
        setattr(self, key, value)


def check_required(
    cls: type, given: Mapping[str, Any], required: tuple[str, ...] | None = None
) -> None:
    """Refuse a constructor call of ``cls`` that lacks a keyword of ``cls._required``.

    A keyword given as ``None`` counts as missing.

    :param required: the keywords to check instead of ``cls._required``.
    :raises StalkerTypeError: naming the first missing keyword and all required ones.
    """
    if required is None:
        required = cast("tuple[str, ...]", getattr(cls, "_required", ()))
    for key in required:
        if given.get(key) is None:
            raise StalkerTypeError(
                f"{cls.__name__}() needs the {key!r} argument (required: {', '.join(required)})"
            )


#: ``(class, keyword) -> is_keyword(class, keyword)``: the answer never changes
#: for a class, and looking it up (``inspect.getattr_static``) costs more than
#: setting the attribute
_KEYWORDS: dict[tuple[type, str], bool] = {}


def is_keyword(cls: type, key: str) -> bool:
    """Is ``key`` a keyword the constructor of ``cls`` takes (a public, settable attribute)?"""
    known = _KEYWORDS.get((cls, key))
    if known is not None:
        return known
    if key.startswith("_") or not hasattr(cls, key):
        return False  # not remembered: an attribute may be added to the class later
    found = inspect.getattr_static(cls, key)
    answer = _KEYWORDS[(cls, key)] = not (isinstance(found, property) and found.fset is None)
    return answer


def check_keyword(cls: type, key: str) -> None:
    """Refuse a constructor keyword that is private or no attribute of ``cls``.

    :raises StalkerTypeError: naming the class and the keyword.
    """
    if not is_keyword(cls, key):
        raise StalkerTypeError(f"{cls.__name__}() got an unexpected keyword argument {key!r}")


def refuse_keyword(cls: type, key: str) -> None:
    """An unknown constructor keyword: an error, or a warning in Stalker's lenient mode.

    With the setting ``compat.lenient_constructors = true`` (for scripts
    ported from Stalker, whose constructors ignore what they do not know) the
    keyword is ignored with a :class:`~stalker_core.exceptions.StalkerWarning`
    instead, naming the class and the keyword so the script can be fixed.

    :raises StalkerTypeError: naming the class and the keyword (the default).
    """
    from stalker_core.config import get_config

    if not get_config().compat_lenient_constructors:
        check_keyword(cls, key)
        return
    warnings.warn(
        f"{cls.__name__}() ignored the unknown keyword argument {key!r} "
        "(compat.lenient_constructors is on; remove the argument)",
        StalkerWarning,
        stacklevel=_caller_level(),
    )


#: the frames a constructor call passes through: ours and SQLAlchemy's (instance set-up)
_LIBRARY_DIRS = (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    os.path.dirname(os.path.abspath(sqlalchemy.__file__)),
    "<",  # SQLAlchemy's generated __init__
)


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside stalker_core and SQLAlchemy (the script's).

    The constructors of the model classes nest to different depths (and
    SQLAlchemy generates one), so the level is counted, not fixed.
    """
    level = 2  # the caller of the function that calls this one
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


_COLLECTIONS: dict[type, frozenset[str]] = {}


def _collection_keys(cls: type) -> frozenset[str]:
    """Names of the list-valued attributes of ``cls`` (relationships and proxies)."""
    keys = _COLLECTIONS.get(cls)
    if keys is None:
        from sqlalchemy import inspect as sa_inspect

        mapper: Any = sa_inspect(cls)
        names = {r.key for r in mapper.relationships if r.uselist}
        names.update(
            k for k, d in mapper.all_orm_descriptors.items()
            if isinstance(d, AssociationProxy)
        )
        keys = _COLLECTIONS[cls] = frozenset(names)
    return keys


