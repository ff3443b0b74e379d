"""Stalker 1.1's enums of schedules and traversals, as values our models take.

Our models store these as plain strings and numbers (``schedule_unit="h"``,
``schedule_constraint=0``). The enums are :class:`~enum.StrEnum` and
:class:`~enum.IntEnum`, so a member *is* that string or number: it is
accepted wherever the plain value is and compares equal to it::

    task.schedule_unit = TimeUnit.Day      # stored as "d"
    task.schedule_unit == TimeUnit.Day     # True, also after loading

Each enum converts a loose value with ``to_<kind>()`` (a member, its value,
or its name in any case), as in Stalker: ``TimeUnit.to_unit("hour")``.
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum
from typing import Any, TypeVar

from stalker_core.exceptions import type_error, value_error

_E = TypeVar("_E", bound=Enum)


def _convert(cls: type[_E], value: Any, kinds: tuple[type, ...]) -> _E:
    """The member of ``cls`` that ``value`` names: a member, a value or a name (any case).

    :raises StalkerTypeError: for a value of none of ``kinds``.
    :raises ValidationError: for a value that names no member.
    """
    if isinstance(value, cls):
        return value
    accepted = [m.name for m in cls] + [str(m.value) for m in cls]
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise type_error(cls.__name__, "value", f"a {cls.__name__} or one of {accepted}", value)
    if isinstance(value, str):
        wanted = value.strip().lower()
        for member in cls:
            if wanted in (member.name.lower(), str(member.value).lower()):
                return member
    else:
        for member in cls:
            if member.value == value:
                return member
    raise value_error(cls.__name__, "value", f"one of {accepted}", value)


class TimeUnit(StrEnum):
    """A unit of schedule time (``schedule_unit``, ``bid_unit``, ``gap_unit``)."""

    Minute = "min"
    Hour = "h"
    Day = "d"
    Week = "w"
    Month = "m"
    Year = "y"

    @classmethod
    def to_unit(cls, unit: Any) -> TimeUnit:
        """``unit`` as a member: ``TimeUnit.to_unit("h")``, ``to_unit("Hour")``."""
        return _convert(cls, unit, (str,))


class ScheduleModel(StrEnum):
    """How a schedule counts: resource effort, working-calendar length, calendar duration."""

    Effort = "effort"
    Duration = "duration"
    Length = "length"

    @classmethod
    def to_model(cls, model: Any) -> ScheduleModel:
        """``model`` as a member: ``ScheduleModel.to_model("effort")``."""
        return _convert(cls, model, (str,))


class ScheduleConstraint(IntEnum):
    """Which end of a task the scheduler must keep: none, start, end or both."""

    NONE = 0
    Start = 1
    End = 2
    Both = 3

    @classmethod
    def to_constraint(cls, constraint: Any) -> ScheduleConstraint:
        """``constraint`` as a member; ``None`` is :attr:`NONE`."""
        if constraint is None:
            return cls.NONE
        return _convert(cls, constraint, (int, str))


class DependencyTarget(StrEnum):
    """Which end of the task depended on its dependent waits for."""

    OnStart = "onstart"
    OnEnd = "onend"

    @classmethod
    def to_target(cls, target: Any) -> DependencyTarget:
        """``target`` as a member: ``DependencyTarget.to_target("onend")``."""
        return _convert(cls, target, (str,))


class TraversalDirection(IntEnum):
    """The order of a walk through a hierarchy."""

    DepthFirst = 0
    BreadthFirst = 1

    @classmethod
    def to_direction(cls, direction: Any) -> TraversalDirection:
        """``direction`` as a member: ``TraversalDirection.to_direction("DepthFirst")``."""
        return _convert(cls, direction, (int, str))


__all__ = [
    "DependencyTarget",
    "ScheduleConstraint",
    "ScheduleModel",
    "TimeUnit",
    "TraversalDirection",
]
