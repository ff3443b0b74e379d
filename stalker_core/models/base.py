"""Declarative base, naming conventions and the SimpleEntity/Entity roots.

Every model derives from :class:`Base`. Most derive from :class:`SimpleEntity`
(joined-table inheritance, discriminator ``entity_type`` = class name), which
carries name, description, type, thumbnail, who created/updated it and when.
:class:`Entity` adds tags and notes. :func:`link_table` makes every
many-to-many link table; :func:`declared_defaults` reads the defaults declared
on columns (never repeated as literals elsewhere); :func:`mapped_class` finds a
model class by name for the modules below the one that defines it.

Two conveniences of the tutorial API live here:

* ``Model.query`` (a query property bound to ``DBSession``);
* *attach-cascade*: an object linked to a persistent object through any
  relationship (``Task(parent=shot)``, ``Version(task=t)``) joins that
  object's session, so the next ``commit()`` saves it without an explicit
  ``add()`` (:mod:`~stalker_core.models.attach`, registered here).

The rules of every column by type (:mod:`~stalker_core.models.column_rules`)
are registered here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import (
    Column,
    ColumnDefault,
    ForeignKey,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    ORMExecuteState,
    Query,
    declared_attr,
    mapped_column,
    orm_insert_sentinel,
    relationship,
    validates,
)

from stalker_core.exceptions import StalkerError, StalkerTypeError, type_error

# the attach-cascade, the column rules, the association lists and the attribute
# events live in their own modules; re-exported for the modules that import them here
from stalker_core.models.associations import unique_association_proxy as unique_association_proxy
from stalker_core.models.associations import unlink_association as unlink_association
from stalker_core.models.attach import add_unlinked as add_unlinked
from stalker_core.models.attach import install_attach_cascade
from stalker_core.models.attribute_events import on_append as on_append
from stalker_core.models.attribute_events import on_set as on_set
from stalker_core.models.checks import (
    NAME_LENGTH,
    validate_description,
    validate_name,
)

# the value checks live in models/checks.py; re-exported for the modules that
# import them from here
from stalker_core.models.checks import check_instance as check_instance
from stalker_core.models.checks import check_list as check_list
from stalker_core.models.checks import check_number as check_number
from stalker_core.models.checks import check_str as check_str
from stalker_core.models.checks import entity_type_name as entity_type_name
from stalker_core.models.column_rules import install_column_checks

# the default constructor and its keyword rules (models/constructor.py); the
# checks re-exported for the modules that import them from here
from stalker_core.models.constructor import check_keyword as check_keyword
from stalker_core.models.constructor import check_required as check_required
from stalker_core.models.constructor import strict_constructor
from stalker_core.models.equality import entity_eq
from stalker_core.models.types import UTCDateTime, ensure_aware, utc_now
from stalker_core.orm.session import DBSession, StalkerSession

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.note import Note
    from stalker_core.models.tag import Tag
    from stalker_core.models.type import Type
    from stalker_core.models.user import User

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: execution option ``Model.query`` sets: order by primary key unless the query
#: orders, groups or de-duplicates itself (see :class:`OrderedQuery`)
DEFAULT_ORDER_OPTION = "stalker_core_default_order"


class OrderedQuery(Query[Any]):
    """The Query of ``Model.query``: without an explicit ``order_by``, ordered by primary key.

    ``Department.query.all()`` then lists ``admins`` (created first by
    ``db.init()``) first on every backend, as the tutorial shows; PostgreSQL
    gives no order otherwise.

    ``Model.query`` marks its query with the execution option
    :data:`DEFAULT_ORDER_OPTION`; ``order_by()``, ``group_by()`` and
    ``distinct()`` clear it (``order_by(None)`` sets it again). The ordering
    itself is added when the query runs, by a ``do_orm_execute`` hook of
    :class:`~stalker_core.orm.session.StalkerSession`, and only to a SELECT of
    exactly one mapped class (not to ``count()``, columns, or a
    ``from_statement()``).
    """

    def order_by(self, *clauses: Any) -> OrderedQuery:  # type: ignore[override]
        query = super().order_by(*clauses)
        if not clauses:
            return query
        return query.execution_options(**{DEFAULT_ORDER_OPTION: _cancels(clauses)})

    def group_by(self, *clauses: Any) -> OrderedQuery:  # type: ignore[override]
        query = super().group_by(*clauses)
        if not clauses or _cancels(clauses):
            return query
        return query.execution_options(**{DEFAULT_ORDER_OPTION: False})

    def distinct(self, *expr: Any) -> OrderedQuery:
        return super().distinct(*expr).execution_options(**{DEFAULT_ORDER_OPTION: False})


def _cancels(clauses: tuple[Any, ...]) -> bool:
    """``order_by(None)``/``group_by(None)`` (or ``False``) cancel the criteria given so far."""
    return len(clauses) == 1 and (clauses[0] is None or clauses[0] is False)


def _model_query(mapper: Mapper[Any], session: Any) -> OrderedQuery:
    """``query_cls`` of ``Model.query`` (SQLAlchemy calls it with the class's mapper)."""
    return OrderedQuery(mapper, session=session).execution_options(
        **{DEFAULT_ORDER_OPTION: True}
    )


def _order_by_primary_key(state: ORMExecuteState) -> None:
    """``do_orm_execute`` hook: add the default ordering of :class:`OrderedQuery`."""
    if (
        not state.is_select
        or state.is_relationship_load
        or state.is_column_load
        or not state.execution_options.get(DEFAULT_ORDER_OPTION)
    ):
        return
    statement = state.statement
    if not isinstance(statement, Select):
        return
    described = statement.column_descriptions
    if len(described) != 1:
        return
    entity = described[0].get("entity")
    if not isinstance(entity, type) or described[0].get("expr") is not entity:
        return
    mapper = getattr(entity, "__mapper__", None)
    if mapper is not None:
        state.statement = statement.order_by(*mapper.primary_key)


event.listen(StalkerSession, "do_orm_execute", _order_by_primary_key)


class Base(DeclarativeBase):
    """Root of all mapped classes."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}

    #: ``Model.query`` as in the tutorial: a Query on ``DBSession``.
    query: ClassVar[Any] = DBSession.query_property(query_cls=_model_query)  # type: ignore[arg-type]
    #: constructor keywords that must be given (checked by the default constructor).
    _required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        strict_constructor(self, **kwargs)


#: name -> mapped class of the object model, filled by :func:`mapped_class` on a miss
_MAPPED_BY_NAME: dict[str, type[Any]] = {}


def mapped_class(name: str) -> type[Any]:
    """The mapped class of the object model called ``name`` (``"Task"``, ``"User"``).

    The modules low in the model (this one, :mod:`.mixins`, the task rules)
    check instances of, query or create classes that are defined above them.
    They find those classes here, by name, in SQLAlchemy's registry of mapped
    classes (``Base.registry.mappers``), rather than importing the module above
    them, which would be an import cycle. Importing any model module imports
    the :mod:`stalker_core.models` package, hence every mapped class, first.
    Only the classes defined in ``stalker_core.models`` are found: a subclass
    made elsewhere (an application's, a test's) never shadows a model class.

    :param name: a class name, e.g. ``"Project"``.
    :raises StalkerError: when no mapped class of the object model has that name.
    """
    cls = _MAPPED_BY_NAME.get(name)
    if cls is None:
        # a miss rebuilds the table: classes are mapped as their modules are imported
        found = {
            m.class_.__name__: m.class_
            for m in Base.registry.mappers
            if m.class_.__module__.startswith("stalker_core.models.")
        }
        _MAPPED_BY_NAME.update(found)
        cls = found.get(name)
        if cls is None:
            raise StalkerError(
                f"no mapped class named {name!r} in stalker_core.models; expected one of "
                f"{', '.join(sorted(found))}"
            )
    return cls


def fk_id(table: str) -> Mapped[int]:
    """Primary key column of a joined-inheritance subclass table."""
    return mapped_column(Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)


def link_table(name: str, **columns: str) -> Table:
    """A many-to-many link table: each keyword is a column and the table its id refers to.

    Every column is part of the primary key and a foreign key to ``<table>.id``
    that cascades on delete, so removing either side removes the link::

        task_watchers = link_table("task_watchers", task_id="tasks", user_id="users")

    :param name: the table name.
    :param columns: column name -> referenced table name, in column order (two or more).
    :raises StalkerTypeError: with fewer than two columns.
    """
    if len(columns) < 2:
        raise StalkerTypeError(
            f"link table {name!r} needs two or more columns (name=table), got {list(columns)}"
        )
    return Table(
        name,
        Base.metadata,
        *(
            Column(column, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)
            for column, table in columns.items()
        ),
    )


def declared_defaults(table: Table) -> dict[str, ColumnDefault]:
    """The scalar defaults declared on the columns of ``table``, by column key.

    A constructor that puts defaults straight into a new object's state, or a
    bulk INSERT that needs them in Python, reads ``defaults[key].arg`` when it
    needs the value, so the value stays declared once, in ``mapped_column(default=...)``.
    """
    return {
        c.key: c.default
        for c in table.columns
        if isinstance(c.default, ColumnDefault) and c.default.is_scalar
    }


_NICE_RE = re.compile(r"[^A-Za-z0-9_]+")


def make_nice_name(name: str) -> str:
    """Return ``name`` made safe for file names: non-word runs become ``_``.

    A name with no ASCII letter or digit at all (``"анимация"``, ``"レイアウト"``)
    would be ``""`` by that rule (Stalker's), and every such task would share
    its siblings' folders and file names. It gets an ASCII spelling that is
    unique per name instead: its letters without their accents when that
    leaves any (``"éé"`` -> ``"ee"``), else its Punycode (RFC 3492:
    ``"анимация"`` -> ``"80aaxbse0ewd"``). Other names are made as Stalker makes them.
    """
    nice = _ascii_nice(name)
    if nice or not name.strip():
        return nice
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _ascii_nice(folded) or _ascii_nice(name.strip().encode("punycode").decode("ascii"))


def _ascii_nice(name: str) -> str:
    nice = _NICE_RE.sub("_", name.strip())
    nice = re.sub(r"_+", "_", nice)
    return nice.strip("_")




#: The model classes that need a ``name`` (Stalker's ``__auto_name__ = False``).
#: Every other :class:`SimpleEntity` of the model is named ``<ClassName>_<uuid4>``
#: when it gets no name (or ``None``/``""``), as Stalker names it. A coded task
#: (Asset, Sequence, Scene, Shot) without a name takes its code instead.
NAME_REQUIRED: frozenset[str] = frozenset({
    "Asset", "Budget", "Client", "Daily", "Department", "FilenameTemplate", "Good",
    "Group", "ImageFormat", "PriceList", "Project", "Repository", "Role", "Scene",
    "Sequence", "Status", "Structure", "Studio", "Tag", "Task", "Type", "User", "Variant",
})


def auto_name(cls: type) -> str:
    """A new unique name for an unnamed object of ``cls``: ``<ClassName>_<uuid4>``."""
    return f"{cls.__name__}_{uuid.uuid4()}"


entity_tags = link_table("entity_tags", entity_id="simple_entities", tag_id="tags")
entity_notes = link_table("entity_notes", entity_id="simple_entities", note_id="notes")
simple_entity_generic_data = link_table(
    "simple_entity_generic_data", entity_id="simple_entities", data_id="simple_entities"
)


class SimpleEntity(Base):
    """The root of almost every stalker object: a named, described, dated thing.

    ``name`` is needed by the classes of :data:`NAME_REQUIRED`; any other class
    names an object created without one ``<ClassName>_<uuid4>`` (and again when
    its name is set to ``None`` or ``""``), as Stalker does. A class says which
    it is with ``__auto_name__`` (a subclass inherits its parent's).
    """

    __tablename__ = "simple_entities"
    #: whether an object without a name is named ``<ClassName>_<uuid4>``
    __auto_name__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    date_created: Mapped[dt.datetime] = mapped_column(default=utc_now)
    date_updated: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("types.id", use_alter=True, ondelete="SET NULL")
    )
    thumbnail_id: Mapped[int | None] = mapped_column(
        ForeignKey("files.id", use_alter=True, ondelete="SET NULL")
    )
    #: free text for a studio's own use (Stalker's ``generic_text``; often JSON)
    generic_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: CSS of this object in a web front end (Stalker's ``html_style``/``html_class``)
    html_style: Mapped[str] = mapped_column(String(64), default="", server_default="")
    html_class: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: lets SQLite batch the INSERT .. RETURNING of many new rows in one statement
    #: (SQLAlchemy "insert sentinel"; never read or written by stalker_core itself)
    _sentinel: Mapped[int | None] = orm_insert_sentinel()

    created_by: Mapped[User | None] = relationship(
        "User",
        primaryjoin="SimpleEntity.created_by_id == User.id",
        foreign_keys=[created_by_id],
        post_update=True,
    )
    updated_by: Mapped[User | None] = relationship(
        "User",
        primaryjoin="SimpleEntity.updated_by_id == User.id",
        foreign_keys=[updated_by_id],
        post_update=True,
    )
    type: Mapped[Type | None] = relationship(
        "Type", primaryjoin="SimpleEntity.type_id == Type.id", foreign_keys=[type_id]
    )
    thumbnail: Mapped[File | None] = relationship(
        "File",
        primaryjoin="SimpleEntity.thumbnail_id == File.id",
        foreign_keys=[thumbnail_id],
        post_update=True,
    )
    #: other objects attached to this one for a studio's own use (Stalker's ``generic_data``)
    generic_data: Mapped[list[SimpleEntity]] = relationship(
        "SimpleEntity",
        secondary=simple_entity_generic_data,
        primaryjoin=lambda: SimpleEntity.id == simple_entity_generic_data.c.entity_id,
        secondaryjoin=lambda: simple_entity_generic_data.c.data_id == SimpleEntity.id,
        passive_deletes=True,
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative directive
        args: dict[str, Any] = {"polymorphic_identity": cls.__name__}
        if cls.__name__ == "SimpleEntity":
            args["polymorphic_on"] = "entity_type"
            # the server defaults of generic_text/html_* have Python defaults too, which
            # every INSERT sends: nothing to read back ("auto" asks for them, which makes
            # each INSERT a new statement to key and look up, and adds RETURNING on SQLite)
            args["eager_defaults"] = False
        elif "__tablename__" in cls.__dict__:
            args["polymorphic_load"] = "selectin"
            table = cls.__dict__.get("__table__")
            parent = next(
                (b.__table__ for b in cls.__mro__[1:] if "__tablename__" in b.__dict__),  # type: ignore[attr-defined]
                None,
            )
            if table is not None and parent is not None:
                # explicit: users/types/files also reference simple_entities by other FKs
                args["inherit_condition"] = table.c.id == parent.c.id
        return args

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the model's own classes say it explicitly (a Shot auto-names, its Task
        # parent does not); other subclasses inherit their parent's choice
        if "__auto_name__" not in cls.__dict__ and cls.__module__.startswith(
            "stalker_core.models."
        ):
            cls.__auto_name__ = cls.__name__ not in NAME_REQUIRED

    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        name = kwargs.get("name")
        if name is None or name == "":
            if cls.__auto_name__:
                kwargs["name"] = auto_name(cls)
            elif "name" not in cls._required:
                check_required(cls, kwargs, ("name", *cls._required))
        complete_range = getattr(cls, "complete_range", None)  # DateRangeMixin's
        if complete_range is not None:
            complete_range(kwargs)
        super().__init__(**kwargs)

    @validates("name")
    def _validate_name(self, key: str, value: Any) -> str:
        if (value is None or value == "") and type(self).__auto_name__:
            value = auto_name(type(self))
        return validate_name(type(self).__name__, key, value)

    @validates("description")
    def _validate_description(self, key: str, value: Any) -> str:
        return validate_description(type(self).__name__, key, value)

    @validates("generic_text", "html_style", "html_class")
    def _validate_extra_text(self, key: str, value: Any) -> str:
        limit = None if key == "generic_text" else 64
        return check_str(type(self).__name__, key, value, required=False, max_length=limit)

    #: the TaskJuggler id prefix of the class (every task kind is written as a ``Task``)
    _tjp_kind: ClassVar[str | None] = None

    @property
    def tjp_id(self) -> str:
        """The TaskJuggler id of this object: ``<Class>_<id>`` (``Task_12``, ``User_3``).

        Every kind of task (Shot, Asset, ...) is written as ``Task_<id>``, as
        :func:`stalker_core.scheduling.to_tjp` writes it (Stalker names those
        after their class).
        """
        return f"{self._tjp_kind or type(self).__name__}_{self.id}"

    @property
    def nice_name(self) -> str:
        """The name made safe for file names (non-word characters become ``_``)."""
        return make_nice_name(self.name or "")

    def __repr__(self) -> str:
        return f"<{self.name} ({self.entity_type or type(self).__name__})>"

    #: equal by value as in Stalker (:mod:`stalker_core.models.equality`) ...
    __eq__ = entity_eq
    #: ... hashed by identity, which never changes (see the same module)
    __hash__ = object.__hash__


class Entity(SimpleEntity):
    """A SimpleEntity that can carry tags and notes (shares the base table)."""

    tags: Mapped[list[Tag]] = relationship("Tag", secondary=entity_tags)
    notes: Mapped[list[Note]] = relationship(
        "Note", secondary=entity_notes, back_populates="entities"
    )


def _instance_of(class_name: str, *, required: bool = False) -> Any:
    def check(target: Any, key: str, value: Any) -> Any:
        return check_instance(
            type(target).__name__, key, value, mapped_class(class_name), required=required
        )

    return check


def validate_type(cls_name: str, attr: str, value: Any) -> Type | None:
    """The rule of every entity's ``type``: a :class:`~stalker_core.models.type.Type` or None."""
    return cast("Type | None", check_instance(cls_name, attr, value, mapped_class("Type")))


def _type(target: Any, key: str, value: Any) -> Any:
    return validate_type(type(target).__name__, key, value)


def _aware(target: Any, key: str, value: Any) -> Any:
    if value is None:
        raise type_error(type(target).__name__, key, "an aware datetime.datetime", value)
    return ensure_aware(type(target).__name__, key, value)


on_set(SimpleEntity.created_by, _instance_of("User"))
on_set(SimpleEntity.updated_by, _instance_of("User"))
on_set(SimpleEntity.type, _type)
on_set(SimpleEntity.thumbnail, _instance_of("File"))
on_append(SimpleEntity.generic_data, _instance_of("SimpleEntity", required=True))
on_set(SimpleEntity.date_created, _aware)
on_set(SimpleEntity.date_updated, _aware)
on_append(Entity.tags, _instance_of("Tag", required=True))
on_append(Entity.notes, _instance_of("Note", required=True))


event.listen(Base, "mapper_configured", install_column_checks, propagate=True)
event.listen(Base, "mapper_configured", install_attach_cascade, propagate=True)
