"""The rest of Stalker's public mixins, for studio classes and ``isinstance`` checks.

:mod:`stalker_core.models.mixins` defines the mixins the object model is built
on (code, status, project, date range). This module adds the others a
Stalker user reaches for, under their Stalker names:

============================ =============================================== =====================
mixin                        gives                                           used by (ours)
============================ =============================================== =====================
:class:`TargetEntityTypeMixin` ``target_entity_type`` (a class name)          StatusList, Type,
                                                                             FilenameTemplate
:class:`AmountMixin`         ``amount`` (a number >= 0)                      BudgetEntry, Invoice,
                                                                             Payment
:class:`UnitMixin`           ``unit`` (a free string, ``"h"``, ``"TRY"``)    Good, BudgetEntry, ...
:class:`ScheduleMixin`       ``schedule_timing/unit/model/constraint``,      Task
                             ``schedule_seconds``
:class:`DAGMixin`            ``parent`` / ``children`` of the same class     Task, Version
:class:`ReferenceMixin`      ``references``: a list of :class:`File`         File, Project, Task
:class:`ACLMixin`            ``permissions``: a list of :class:`Permission`  Group
:class:`WorkingHoursMixin`   ``working_hours``: a :class:`WorkingHours`      Studio
============================ =============================================== =====================

Every attribute is a ``declared_attr``: a class that declares the attribute
itself (Task declares its schedule columns with its own rules) keeps its
own; a class that takes it from the mixin gets the column or relationship
and the mixin's check, installed as an attribute event when its mapper is
configured (never a second ``@validates`` next to a class's own).

A studio class uses them as in Stalker::

    class Shelf(SimpleEntity, AmountMixin, UnitMixin):
        __tablename__ = "shelves"
        id: Mapped[int] = fk_id("simple_entities")

The link tables of ``references`` and ``permissions`` are named after the
owner's table: ``<table>_references`` and ``<table>_permissions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Integer, String, Table, event
from sqlalchemy.orm import (
    Mapped,
    Mapper,
    declared_attr,
    mapped_column,
    relationship,
    validates,
)

from stalker_core.exceptions import CircularDependencyError, type_error
from stalker_core.models.base import Base, link_table, mapped_class, on_set
from stalker_core.models.checks import check_instance, check_number, check_str
from stalker_core.units import DEFAULT_CALENDAR, MODELS, UNITS
from stalker_core.utils import walk_hierarchy

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.group import Permission
    from stalker_core.models.working_hours import WorkingHours

#: attribute -> the classes that took it from a mixin of this module (not their own)
_FROM_MIXIN: dict[str, set[type]] = {}


def _taken(cls: type, key: str) -> None:
    """Note that ``cls`` got ``key`` from its mixin (its check is installed on configure)."""
    _FROM_MIXIN.setdefault(key, set()).add(cls)


def _link(owner: Any, suffix: str, target_table: str, target_key: str) -> Table:
    """The link table ``<owner table>_<suffix>`` (made once per owner table)."""
    owner_table = owner.__tablename__
    name = f"{owner_table}_{suffix}"
    existing = Base.metadata.tables.get(name)
    if existing is not None:
        return existing
    return link_table(name, entity_id=owner_table, **{target_key: target_table})


class TargetEntityTypeMixin:
    """``target_entity_type``: the name of the class this object is meant for.

    A class (``Asset``) is taken by its name (``"Asset"``).
    """

    @declared_attr
    def target_entity_type(cls: Any) -> Mapped[str]:  # noqa: N805 - declarative directive
        _taken(cls, "target_entity_type")
        return mapped_column(String(128), index=True)


def _check_target(target: Any, key: str, value: Any) -> str:
    if isinstance(value, type):
        value = value.__name__
    return check_str(type(target).__name__, key, value)


class AmountMixin:
    """``amount``: a number, 0 or more (default 0)."""

    @declared_attr
    def amount(cls: Any) -> Mapped[float]:  # noqa: N805 - declarative directive
        _taken(cls, "amount")
        return mapped_column(default=0.0)


def _check_amount(target: Any, key: str, value: Any) -> float:
    return float(check_number(type(target).__name__, key, value, minimum=0))


class UnitMixin:
    """``unit``: what an amount counts (``"h"``, ``"TRY"``; default ``""``)."""

    @declared_attr
    def unit(cls: Any) -> Mapped[str]:  # noqa: N805 - declarative directive
        _taken(cls, "unit")
        return mapped_column(String(64), default="")


def _check_unit(target: Any, key: str, value: Any) -> str:
    return check_str(type(target).__name__, key, "" if value is None else value, required=False)


class ScheduleMixin:
    """A schedule: ``schedule_timing`` ``schedule_unit`` under ``schedule_model``.

    ``schedule_unit`` is one of ``min h d w m y``, ``schedule_model`` one of
    ``effort length duration`` (the :mod:`stalker_core.models.enum` values
    are accepted too), ``schedule_constraint`` 0 (none), 1 (start), 2 (end)
    or 3 (both).
    """

    @declared_attr
    def schedule_timing(cls: Any) -> Mapped[float]:  # noqa: N805 - declarative directive
        _taken(cls, "schedule_timing")
        return mapped_column(default=1.0)

    @declared_attr
    def schedule_unit(cls: Any) -> Mapped[str]:  # noqa: N805 - declarative directive
        _taken(cls, "schedule_unit")
        return mapped_column(String(8), default="h")

    @declared_attr
    def schedule_model(cls: Any) -> Mapped[str]:  # noqa: N805 - declarative directive
        _taken(cls, "schedule_model")
        return mapped_column(String(16), default="effort")

    @declared_attr
    def schedule_constraint(cls: Any) -> Mapped[int]:  # noqa: N805 - declarative directive
        _taken(cls, "schedule_constraint")
        return mapped_column(Integer, default=0)

    @property
    def schedule_seconds(self) -> float:
        """The schedule in seconds (the default working calendar)."""
        return DEFAULT_CALENDAR.to_seconds(
            self.schedule_timing or 0.0,
            self.schedule_unit or "h",
            self.schedule_model or "effort",
        )


def _check_timing(target: Any, key: str, value: Any) -> float:
    return float(check_number(type(target).__name__, key, value, minimum=0))


def _one_of(choices: tuple[str, ...]) -> Callable[[Any, str, Any], str]:
    def check(target: Any, key: str, value: Any) -> str:
        text = str(getattr(value, "value", value))
        if text not in choices:
            raise type_error(type(target).__name__, key, f"one of {choices}", value)
        return text

    return check


def _check_constraint(target: Any, key: str, value: Any) -> int:
    number = int(check_number(type(target).__name__, key, value, minimum=0, integer=True))
    if number > 3:
        raise type_error(type(target).__name__, key, "0, 1, 2 or 3", value)
    return number


class DAGMixin:
    """``parent`` and ``children`` of the same class: a tree, never a cycle."""

    @declared_attr
    def parent_id(cls: Any) -> Mapped[int | None]:  # noqa: N805 - declarative directive
        _taken(cls, "parent_id")
        table = cls.__tablename__
        return mapped_column(ForeignKey(f"{table}.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def parent(cls: Any) -> Mapped[Any]:  # noqa: N805 - declarative directive
        _taken(cls, "parent")
        # the join on the class's own table, spelled out: with joined inheritance
        # ``cls.id`` also names the base table's id, and the flush order breaks
        return relationship(
            cls.__name__,
            primaryjoin=lambda: cls.__table__.c.parent_id == cls.__table__.c.id,
            remote_side=lambda: [cls.__table__.c.id],
            foreign_keys=lambda: [cls.__table__.c.parent_id],
            back_populates="children",
        )

    @declared_attr
    def children(cls: Any) -> Mapped[list[Any]]:  # noqa: N805 - declarative directive
        return relationship(
            cls.__name__,
            primaryjoin=lambda: cls.__table__.c.id == cls.__table__.c.parent_id,
            foreign_keys=lambda: [cls.__table__.c.parent_id],
            back_populates="parent",
        )

    # named as Task's and Version's own validators, which replace it
    @validates("parent")
    def _validate_parent(self, key: str, value: Any) -> Any:
        return _check_parent(self, key, value)

    def walk_hierarchy(self, method: Any = 0) -> Iterator[Any]:
        """This object and everything below it (depth first; ``1``: breadth first)."""
        return walk_hierarchy(self, "children", method)


def _check_parent(target: Any, key: str, value: Any) -> Any:
    cls_name = type(target).__name__
    if value is None:
        return None
    root = _dag_root(type(target))
    if not isinstance(value, root):
        raise type_error(cls_name, key, f"a {root.__name__} or None", value)
    node: Any = value
    while node is not None:
        if node is target:
            raise CircularDependencyError(
                f"{cls_name} {target.name!r} cannot be the parent of one of its parents "
                f"({getattr(value, 'name', value)!r})"
            )
        node = node.parent
    return value


def _dag_root(cls: type) -> type:
    """The class that took ``parent`` from :class:`DAGMixin` (its subclasses share the tree)."""
    for klass in cls.__mro__:
        if klass in _FROM_MIXIN.get("parent", ()):
            return klass
    return cls


class ReferenceMixin:
    """``references``: files this object refers to (inputs, reference images)."""

    @declared_attr
    def references(cls: Any) -> Mapped[list[File]]:  # noqa: N805 - declarative directive
        _taken(cls, "references")
        table = _link(cls, "references", "files", "reference_id")
        return relationship(
            "File",
            secondary=table,
            primaryjoin=lambda: cls.id == table.c.entity_id,
            secondaryjoin=lambda: table.c.reference_id == mapped_class("File").id,
            passive_deletes=True,
        )

    @validates("references")
    def _validate_reference(self, key: str, value: Any) -> Any:
        return check_instance(type(self).__name__, key, value, mapped_class("File"), required=True)




class ACLMixin:
    """``permissions``: the :class:`Permission` list of a user or group."""

    @declared_attr
    def permissions(cls: Any) -> Mapped[list[Permission]]:  # noqa: N805 - declarative directive
        _taken(cls, "permissions")
        table = _link(cls, "permissions", "permissions", "permission_id")
        return relationship("Permission", secondary=table, passive_deletes=True)

    @validates("permissions")
    def _validate_permission(self, key: str, value: Any) -> Any:
        return check_instance(
            type(self).__name__, key, value, mapped_class("Permission"), required=True
        )




class WorkingHoursMixin:
    """``working_hours``: the :class:`WorkingHours` this object works by."""

    @declared_attr
    def working_hours_id(cls: Any) -> Mapped[int | None]:  # noqa: N805 - declarative directive
        _taken(cls, "working_hours_id")
        return mapped_column(ForeignKey("working_hours.id", ondelete="SET NULL"))

    @declared_attr
    def working_hours(cls: Any) -> Mapped[WorkingHours | None]:  # noqa: N805 - declarative directive
        _taken(cls, "working_hours")
        return relationship(
            "WorkingHours",
            foreign_keys=lambda: [cls.working_hours_id],
        )

    @validates("working_hours")
    def _validate_working_hours(self, key: str, value: Any) -> Any:
        return check_instance(type(self).__name__, key, value, mapped_class("WorkingHours"))




#: attribute -> check, installed on the classes that took the attribute from a mixin
#: (``parent``, ``working_hours`` and the collections ``references`` and ``permissions`` are checked
#: by ``@validates`` of their mixin: a validator runs before SQLAlchemy's own
#: listeners, the backref and the cascade)
_CHECKS: dict[str, Callable[[Any, str, Any], Any]] = {
    "target_entity_type": _check_target,
    "amount": _check_amount,
    "unit": _check_unit,
    "schedule_timing": _check_timing,
    "schedule_unit": _one_of(UNITS),
    "schedule_model": _one_of(MODELS),
    "schedule_constraint": _check_constraint,
}


@event.listens_for(Base, "mapper_configured", propagate=True)
def _install_mixin_checks(mapper: Mapper[Any], cls: type) -> None:
    for key, check in _CHECKS.items():
        if cls in _FROM_MIXIN.get(key, ()) and key in mapper.attrs:
            if mapper.attrs[key].parent is not mapper:
                continue  # inherited: the owner's event propagates
            on_set(getattr(cls, key), check)
