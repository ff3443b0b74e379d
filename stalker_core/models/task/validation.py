"""The rules of a task's fields, declared once for ``Task(...)`` and :class:`TaskBatch`.

Each ``validate_<field>(owner, key, value)`` checks one value and returns it
normalised (a float timing, a stripped name, ...), or raises
:class:`~stalker_core.exceptions.StalkerTypeError` /
:class:`~stalker_core.exceptions.ValidationError` naming ``owner.key`` (e.g.
``Shot.priority``). The ``@validates`` methods of
:class:`~stalker_core.models.task.model.Task` call them for single objects
and :meth:`~stalker_core.models.task.bulk.TaskBatch.add` calls the same
functions for bulk rows, so the two paths cannot drift apart. The rules of
the fields every entity has (``name``, ``description``, ``type``) and of
``code`` live with their columns, in :mod:`stalker_core.models.base` and
:mod:`stalker_core.models.mixins`.

None of them queries or touches a session.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import ValidationError, type_error, value_error
from stalker_core.models.base import mapped_class
from stalker_core.units import MODELS, UNITS

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task
    from stalker_core.models.type import Type
    from stalker_core.models.user import User

#: how TaskJuggler picks among alternative resources (``Task.allocation_strategy``)
ALLOCATION_STRATEGIES: tuple[str, ...] = (
    "minallocated",
    "maxloaded",
    "minloaded",
    "order",
    "random",
)
#: ``Task.schedule_constraint``: 0 none, 1 start, 2 end, 3 both
SCHEDULE_CONSTRAINTS: tuple[int, ...] = (0, 1, 2, 3)
#: the lowest and highest ``Task.priority``
PRIORITY_RANGE: tuple[int, int] = (0, 1000)


def validate_priority(owner: str, key: str, value: Any) -> int:
    """An int from 0 to 1000 (bools refused)."""
    low, high = PRIORITY_RANGE
    expected = f"an int between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(owner, key, expected, value)
    if not low <= value <= high:
        raise value_error(owner, key, expected, value)
    return value


#: the largest amount of any schedule unit (``schedule_timing``, ``bid_timing``, a
#: revision's extra time, a dependency's ``gap_timing``): 100,000 years still fits
#: a ``datetime.timedelta``, also summed over a few thousand children
MAX_TIMING = 100_000


def validate_timing(owner: str, key: str, value: Any) -> float:
    """A finite number of units from 0 to :data:`MAX_TIMING`; returned as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise type_error(owner, key, "a number of units (int or float, 0 or more)", value)
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not math.isfinite(number) or not 0 <= number <= MAX_TIMING:
        raise value_error(
            owner, key, f"a finite number of units, 0 or more and at most {MAX_TIMING:,}", value
        )
    return number


def _one_of(owner: str, key: str, value: Any, choices: Collection[str]) -> str:
    """``value`` when it is one of the strings ``choices``.

    A value that is no str at all is a type error (as Stalker's), a str not
    among ``choices`` a value error.
    """
    if not isinstance(value, str):
        raise type_error(owner, key, f"one of {', '.join(choices)}", value)
    if value not in choices:
        raise value_error(owner, key, f"one of {', '.join(choices)}", value)
    return value


def validate_unit(owner: str, key: str, value: Any) -> str:
    """One of :data:`~stalker_core.units.UNITS` (``"min"``, ``"h"``, ``"d"``, ...)."""
    return _one_of(owner, key, value, UNITS)


def validate_schedule_model(owner: str, key: str, value: Any) -> str:
    """One of :data:`~stalker_core.units.MODELS` (effort, length, duration)."""
    return _one_of(owner, key, value, MODELS)


def validate_constraint(owner: str, key: str, value: Any) -> int:
    """0 (none), 1 (start), 2 (end) or 3 (both)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCHEDULE_CONSTRAINTS:
        raise value_error(owner, key, "0 (none), 1 (start), 2 (end) or 3 (both)", value)
    return value


def validate_allocation_strategy(owner: str, key: str, value: Any) -> str:
    """One of :data:`ALLOCATION_STRATEGIES`."""
    return _one_of(owner, key, value, ALLOCATION_STRATEGIES)


def validate_flag(owner: str, key: str, value: Any) -> bool:
    """A bool (``is_milestone``, ``persistent_allocation``)."""
    if not isinstance(value, bool):
        raise type_error(owner, key, "a bool", value)
    return value


def validate_user(owner: str, key: str, value: Any) -> User:
    """One member of a list of users (``resources``, ``responsible``, ``watchers``, ...)."""
    from stalker_core.models.user import User

    if not isinstance(value, User):
        raise type_error(owner, key, "a list of User", value)
    return value


def validate_parent(owner: str, key: str, value: Any) -> Task | None:
    """A Task or None (cycles: :func:`~stalker_core.models.task.graph.check_parent`)."""
    if value is not None and not isinstance(value, mapped_class("Task")):
        raise type_error(owner, key, "a Task or None", value)
    return value


def check_same_project(owner: str, key: str, project: Any, parent: Any) -> None:
    """A task and its parent belong to the same project (either may still be unknown).

    :param key: the attribute being set (``"parent"`` or ``"project"``).
    :raises ValidationError: naming both projects.
    """
    if project is None or parent is None:
        return
    parent_project = parent.project
    if parent_project is not None and parent_project is not project:
        raise ValidationError(
            f"{owner}.{key}: a task belongs to the project of its parent; the parent "
            f"{parent.name!r} is in project {parent_project.name!r}, the task in "
            f"{project.name!r} (give both the same project, or no parent)"
        )


def validate_dependency_list(owner: str, key: str, value: Any) -> list[Any]:
    """Any iterable but a string (``None`` is empty), returned as a list.

    Check the items with :func:`validate_dependency`; a repeated item counts once.
    """
    if value is None:
        return []
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise type_error(owner, key, "a list of Task", value)
    return list(value)


def validate_dependency(owner: str, key: str, value: Any) -> Task:
    """One item of ``depends_on``: a Task (cycles are checked by the graph)."""
    if not isinstance(value, mapped_class("Task")):
        raise type_error(owner, key, "a list of Task", value)
    return value


def name_from_code(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Give ``kwargs`` a ``name`` equal to its ``code`` when no name was given.

    The rule of the coded tasks (Asset, Shot, Sequence, Scene).
    """
    if kwargs.get("name") is None and "code" in kwargs:
        kwargs["name"] = kwargs["code"]
    return kwargs


def validate_asset_type(cls_name: str, attr: str, value: Any) -> Type:
    """An asset's ``type``: required, a :class:`~stalker_core.models.type.Type`."""
    from stalker_core.models.type import Type

    if not isinstance(value, Type):
        raise type_error(
            cls_name, attr, "a Type (e.g. Type(name='Character', code='Char', "
            "target_entity_type='Asset'))", value
        )
    return value
