"""Small helpers Stalker scripts import from ``stalker.utils``.

No database, no models: plain functions over names, datetimes and object
graphs. Datetimes come back time-zone aware (the models refuse naive ones);
a naive argument is read as Stalker reads it (UTC for :func:`utc_to_local`,
local time for :func:`local_to_utc`).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from typing import Any

#: (ending, letters to drop, ending to add), the first match wins
_PLURAL_RULES: tuple[tuple[str, int, str], ...] = (
    ("y", 1, "ies"),
    ("ch", 0, "es"),
    ("f", 1, "ves"),
    ("s", 0, "es"),
)


def make_plural(name: str) -> str:
    """The English plural of a class name, by Stalker's rules (``"Category"`` -> ``"Categories"``).

    ``y`` becomes ``ies``, ``ch`` and ``s`` take ``es``, ``f`` becomes
    ``ves``; anything else takes ``s``.
    """
    for ending, drop, add in _PLURAL_RULES:
        if name.endswith(ending):
            return name[: len(name) - drop] + add
    return name + "s"


def utc_to_local(utc_datetime: dt.datetime) -> dt.datetime:
    """``utc_datetime`` in this computer's time zone (aware); a naive value is UTC."""
    if utc_datetime.tzinfo is None:
        utc_datetime = utc_datetime.replace(tzinfo=dt.UTC)
    return utc_datetime.astimezone()


def local_to_utc(local_datetime: dt.datetime) -> dt.datetime:
    """``local_datetime`` in UTC (aware); a naive value is this computer's local time."""
    return local_datetime.astimezone(dt.UTC)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def datetime_to_millis(moment: dt.datetime) -> int:
    """Milliseconds since the Unix epoch (a naive value is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // dt.timedelta(milliseconds=1)


def millis_to_datetime(millis: int) -> dt.datetime:
    """The aware UTC datetime ``millis`` milliseconds after the Unix epoch."""
    return _EPOCH + dt.timedelta(milliseconds=millis)


def walk_hierarchy(entity: Any, attr: str, method: int | str = 0) -> Iterator[Any]:
    """``entity``, then everything reached through its ``attr`` lists, each once.

    :param attr: the attribute listing the next objects (``"children"``, ``"references"``).
    :param method: ``0``/``"DepthFirst"`` (the default) or ``1``/``"BreadthFirst"``
        (a :class:`stalker_core.models.enum.TraversalDirection` is one of those).
    :raises ValueError: for another method.
    """
    breadth = {0: False, 1: True, "depthfirst": False, "breadthfirst": True}.get(
        method.lower() if isinstance(method, str) else int(method)
    )
    if breadth is None:
        raise ValueError(f"method should be 0 (DepthFirst) or 1 (BreadthFirst), not {method!r}")
    pending: deque[Any] = deque([entity])
    seen: set[int] = set()
    while pending:
        node = pending.popleft() if breadth else pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        following = list(getattr(node, attr, None) or ())
        pending.extend(following if breadth else reversed(following))


def check_circular_dependency(entity: Any, other_entity: Any, attr_name: str) -> None:
    """Refuse ``other_entity`` when it is reached from ``entity`` through ``attr_name``.

    For a studio's own graph (``"depends_on"``, ``"children"``, ``"references"``):
    linking ``other_entity`` under ``entity`` would close a loop when
    ``entity`` is already among the objects ``other_entity`` reaches.

    :raises CircularDependencyError: naming both objects and the attribute.
    """
    from stalker_core.exceptions import CircularDependencyError

    for node in walk_hierarchy(entity, attr_name):
        if node is other_entity:
            name = getattr(entity, "name", entity)
            other = getattr(other_entity, "name", other_entity)
            raise CircularDependencyError(
                f"{other!r} and {name!r} would depend on each other through {attr_name!r}"
            )
