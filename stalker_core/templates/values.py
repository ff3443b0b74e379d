"""The read-only values a template sees instead of model objects.

A template never gets a model object: it gets an :class:`EntityValues` for
it, which answers only the names declared here (:data:`ENTITIES`), one entry
per kind of entity. Plain values are copied out of the model on first use
(strings, numbers, booleans, dates: all immutable); a relation gives the
:class:`EntityValues` of the related object, a to-many relation a tuple of
them. Nothing else is reachable: no method, no collection of the model, no
session, no attribute that is not declared (``password_hash``, ``email``...).
Assigning to a value raises :class:`AttributeError`.

This declaration is the single source of ``docs/templates.md``
(:mod:`stalker_core.templates.reference`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: Python types a plain value may have (all immutable)
PLAIN_TYPES = (str, int, float, bool, dt.date, dt.time, dt.timedelta, Decimal, type(None))


@dataclass(frozen=True)
class Value:
    """One name a template may read on an entity.

    :param name: the name in templates.
    :param doc: what it is (for the docs).
    :param kind: for a relation, the kind of entity it leads to.
    :param many: a to-many relation (a tuple of values).
    :param attribute: the model attribute read (default: ``name``).
    """

    name: str
    doc: str
    kind: str = ""
    many: bool = False
    attribute: str = ""

    @property
    def source(self) -> str:
        """The model attribute read for this value."""
        return self.attribute or self.name


@dataclass(frozen=True)
class Entity:
    """The values of one kind of entity.

    :param kind: the name used in the docs and in errors (``"task"``).
    :param classes: the model classes shown as this kind (subclasses too,
        unless a subclass is listed under another kind).
    :param doc: what the entity is.
    :param values: the names a template may read (besides those of ``base``).
    :param base: the entity whose values this one has too (a shot has a task's).
    """

    kind: str
    classes: tuple[str, ...]
    doc: str
    values: tuple[Value, ...]
    base: Entity | None = None
    #: every readable name (the base's first), to its declaration
    names: Mapping[str, Value] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        inherited = dict(self.base.names) if self.base is not None else {}
        object.__setattr__(self, "names", {**inherited, **{v.name: v for v in self.values}})


def _common(what: str, nice_name: str = "the name made safe for file names (every "
            "character but letters, digits and _ becomes _)") -> tuple[Value, ...]:
    return (
        Value("id", f"the database id of the {what} (None before it is stored)"),
        Value("name", f"the {what}'s name"),
        Value("nice_name", nice_name),
        Value("entity_type", "the class name, e.g. 'Task', 'Shot'"),
    )


def _coded(what: str) -> tuple[Value, ...]:
    return (*_common(what), Value("code", f"the {what}'s code"))


TASK = Entity("task", ("Task",), "A task. Assets, shots, sequences and scenes are "
              "tasks with a few more values (below).", (
    *_common("task"),
    Value("description", "the task's description"),
    Value("parent", "the parent task (None for a root task)", kind="task"),
    Value("project", "the project of the task", kind="project"),
    Value("type", "the task's type (None when untyped)", kind="type"),
    Value("status", "the task's status", kind="status"),
    Value("priority", "the priority (0-1000)"),
    Value("is_leaf", "True when the task has no children"),
    Value("is_container", "True when the task has children"),
    Value("is_root", "True when the task has no parent"),
    Value("is_milestone", "True for a milestone"),
    Value("schedule_timing", "the scheduled amount of work, in schedule_unit"),
    Value("schedule_unit", "the unit of schedule_timing: min, h, d, w, m or y"),
    Value("start", "the planned start (a timezone-aware datetime)"),
    Value("end", "the planned end (a timezone-aware datetime)"),
    Value("resources", "the users assigned to the task", kind="user", many=True),
))

#: every kind of entity a template can see, and what it can read on it
ENTITIES: tuple[Entity, ...] = (
    Entity("version", ("Version",), "A version of a task (the one being rendered).", (
        *_common("version", "the task's name from its asset, shot or sequence down, and "
                 "the take: 'SH001_comp_Main'"),
        Value("description", "the version's description"),
        Value("version_number", "the number of the version (1, 2, ...)"),
        Value("take_name", "the take, e.g. 'Main'"),
        Value("extension", "the file extension with its dot, e.g. '.ma' ('' when unset)"),
        Value("is_published", "True once published"),
        Value("created_with", "the name of the application that saved it (or None)"),
        Value("date_created", "when the version was created (a timezone-aware datetime)"),
        Value("task", "the task the version belongs to", kind="task"),
        Value("parent", "the version this one was made from (or None)", kind="version"),
        Value("created_by", "the user who made the version (or None)", kind="user"),
    )),
    TASK,
    Entity("asset", ("Asset",), "An asset.", (Value("code", "the asset's code"),), TASK),
    Entity("shot", ("Shot",), "A shot.", (
        Value("code", "the shot's code"),
        Value("cut_in", "the first frame"),
        Value("cut_out", "the last frame"),
        Value("cut_duration", "the number of frames (cut_out - cut_in + 1)"),
        Value("fps", "the shot's frame rate (the project's when unset)"),
        Value("image_format", "the shot's image format (the project's when unset)",
              kind="image_format"),
        Value("sequences", "the sequences the shot is in", kind="sequence", many=True),
        Value("scenes", "the scenes the shot is in", kind="scene", many=True),
    ), TASK),
    Entity("sequence", ("Sequence",), "A sequence.",
           (Value("code", "the sequence's code"),), TASK),
    Entity("scene", ("Scene",), "A scene.", (Value("code", "the scene's code"),), TASK),
    Entity("project", ("Project",), "A project.", (
        *_coded("project"),
        Value("description", "the project's description"),
        Value("fps", "the project's frame rate"),
        Value("is_stereoscopic", "True for a stereoscopic project"),
        Value("start", "the project's start (a timezone-aware datetime)"),
        Value("end", "the project's end (a timezone-aware datetime)"),
        Value("repository", "the first repository of the project (or None)",
              kind="repository"),
        Value("repositories", "every repository of the project, the first one first",
              kind="repository", many=True),
        Value("type", "the project's type (or None)", kind="type"),
        Value("status", "the project's status", kind="status"),
        Value("image_format", "the project's image format (or None)", kind="image_format"),
    )),
    Entity("repository", ("Repository",), "A repository: where a project's files live.", (
        *_coded("repository"),
        Value("path", "the repository's root on the running operating system"),
        Value("linux_path", "the root on Linux"),
        Value("macos_path", "the root on macOS"),
        Value("windows_path", "the root on Windows"),
    )),
    Entity("user", ("User",), "A user: only the name and login (no e-mail, no password).", (
        *_common("user"), Value("login", "the user's login"))),
    Entity("type", ("Type",), "A type of task, asset, project...", (
        *_coded("type"),
        Value("target_entity_type", "the class the type is for, e.g. 'Asset'"),
    )),
    Entity("status", ("Status",), "A status, e.g. WIP.", _coded("status")),
    Entity("image_format", ("ImageFormat",), "An image format.", (
        *_common("image format"),
        Value("width", "the width in pixels"),
        Value("height", "the height in pixels"),
        Value("pixel_aspect", "the pixel aspect ratio"),
    )),
)

#: kind -> declaration
ENTITY_BY_KIND: dict[str, Entity] = {e.kind: e for e in ENTITIES}
#: model class name -> declaration
ENTITY_BY_CLASS: dict[str, Entity] = {c: e for e in ENTITIES for c in e.classes}


def entity_of(obj: Any) -> Entity | None:
    """The declaration showing ``obj`` (by its class or nearest declared base), or ``None``."""
    for cls in type(obj).__mro__:
        entity = ENTITY_BY_CLASS.get(cls.__name__)
        if entity is not None:
            return entity
    return None


class EntityValues:
    """The read-only values of one model object (see the module docstring).

    Made with :func:`values_of`. Equal to another :class:`EntityValues` of
    the same object; ``str()`` gives the entity's name.
    """

    __slots__ = ("_entity", "_source", "_memo", "_cache")

    def __init__(self, entity: Entity, source: Any, memo: dict[int, EntityValues]) -> None:
        object.__setattr__(self, "_entity", entity)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_memo", memo)
        object.__setattr__(self, "_cache", {})

    def __getattr__(self, name: str) -> Any:
        # called only for names that are not slots: the declared values
        entity: Entity = object.__getattribute__(self, "_entity")
        value = entity.names.get(name)
        if value is None:
            raise AttributeError(
                f"{entity.kind} has no value {name!r}; a template can read "
                f"{', '.join(entity.names)}"
            )
        cache: dict[str, Any] = object.__getattribute__(self, "_cache")
        if name not in cache:
            raw = getattr(object.__getattribute__(self, "_source"), value.source)
            cache[name] = self._freeze(value, raw)
        return cache[name]

    def _freeze(self, value: Value, raw: Any) -> Any:
        memo: dict[int, EntityValues] = object.__getattribute__(self, "_memo")
        if value.kind:
            if value.many:
                return tuple(values_of(item, memo) for item in raw)
            return None if raw is None else values_of(raw, memo)
        if isinstance(raw, PLAIN_TYPES):
            return raw
        if isinstance(raw, list | tuple) and all(isinstance(i, PLAIN_TYPES) for i in raw):
            return tuple(raw)
        raise TypeError(  # a mistake in ENTITIES, not in a template
            f"{self._entity.kind}.{value.name} is a {type(raw).__name__}, not a plain "
            "value; declare it as a relation (kind=...) in stalker_core.templates.values"
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"template values are read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"template values are read-only (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntityValues):
            return NotImplemented
        return other._source is self._source

    def __hash__(self) -> int:
        return id(self._source)

    def __str__(self) -> str:
        return str(self.name)

    def __repr__(self) -> str:
        return f"<{self._entity.kind} values of {self._source!r}>"


def values_of(obj: Any, memo: dict[int, EntityValues] | None = None) -> EntityValues:
    """The :class:`EntityValues` of the model object ``obj``.

    :param memo: values already made for this render (``id(obj)`` -> values),
        so one object is read once however it is reached.
    :raises TypeError: when ``obj`` is not of a declared kind.
    """
    if memo is None:
        memo = {}
    found = memo.get(id(obj))
    if found is not None and found._source is obj:
        return found
    entity = entity_of(obj)
    if entity is None:
        raise TypeError(
            f"templates cannot see a {type(obj).__name__}; the kinds of entity they see "
            f"are {', '.join(ENTITY_BY_KIND)}"
        )
    made = EntityValues(entity, obj, memo)
    memo[id(obj)] = made
    return made
