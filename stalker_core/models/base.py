"""Declarative base, naming conventions and the SimpleEntity/Entity roots.

Every model derives from :class:`Base`. Most derive from :class:`SimpleEntity`
(joined-table inheritance, discriminator ``entity_type`` = class name), which
carries name, description, type, thumbnail, who created/updated it and when.
:class:`Entity` adds tags and notes.

Two conveniences of the tutorial API live here:

* ``Model.query`` (a query property bound to ``DBSession``);
* *attach-cascade*: an object linked to a persistent object through any
  relationship (``Task(parent=shot)``, ``Version(task=t)``) joins that
  object's session, so the next ``commit()`` saves it without an explicit
  ``add()``. SQLAlchemy 2 no longer cascades along backrefs by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, Integer, MetaData, String, Table, Column, Text, event
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    declared_attr,
    mapped_column,
    object_session,
    relationship,
    validates,
)

from stalker_core.db.session import DBSession
from stalker_core.exceptions import StalkerTypeError, type_error, value_error
from stalker_core.models.types import UTCDateTime, utc_now

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


def _strict_constructor(self: Any, **kwargs: Any) -> None:
    """Default constructor: set mapped attributes, refuse unknown keywords clearly."""
    cls = type(self)
    for key, value in kwargs.items():
        if not hasattr(cls, key):
            raise StalkerTypeError(
                f"{cls.__name__}() got an unexpected keyword argument {key!r}"
            )
        setattr(self, key, value)


class Base(DeclarativeBase):
    """Root of all mapped classes."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}

    #: ``Model.query`` as in the tutorial: a Query on ``DBSession``.
    query: ClassVar[Any] = DBSession.query_property()

    def __init__(self, **kwargs: Any) -> None:
        _strict_constructor(self, **kwargs)


def fk_id(table: str) -> Mapped[int]:
    """Primary key column of a joined-inheritance subclass table."""
    return mapped_column(Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)


_NICE_RE = re.compile(r"[^A-Za-z0-9_]+")


def make_nice_name(name: str) -> str:
    """Return ``name`` made safe for file names: non-word runs become ``_``."""
    nice = _NICE_RE.sub("_", name.strip())
    nice = re.sub(r"_+", "_", nice)
    return nice.strip("_")


def check_str(
    cls_name: str, attr: str, value: Any, *, required: bool = True, strip: bool = True
) -> str:
    """Validate a string attribute and return it (stripped).

    :raises StalkerTypeError: when ``value`` is not a str (or ``None`` when optional).
    :raises ValidationError: when ``required`` and the string is empty.
    """
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise type_error(cls_name, attr, "a str", value)
    if strip:
        value = value.strip()
    if required and not value:
        raise value_error(cls_name, attr, "a non-empty str", value)
    return value


entity_tags = Table(
    "entity_tags",
    Base.metadata,
    Column("entity_id", ForeignKey("simple_entities.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

entity_notes = Table(
    "entity_notes",
    Base.metadata,
    Column("entity_id", ForeignKey("simple_entities.id", ondelete="CASCADE"), primary_key=True),
    Column("note_id", ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
)


class SimpleEntity(Base):
    """The root of almost every stalker object: a named, described, dated thing."""

    __tablename__ = "simple_entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(256), index=True)
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

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative directive
        args: dict[str, Any] = {"polymorphic_identity": cls.__name__}
        if cls.__name__ == "SimpleEntity":
            args["polymorphic_on"] = "entity_type"
        elif "__tablename__" in cls.__dict__:
            args["polymorphic_load"] = "selectin"
            table = cls.__dict__.get("__table__")
            parent = next(
                (b.__table__ for b in cls.__mro__[1:] if "__tablename__" in b.__dict__), None
            )
            if table is not None and parent is not None:
                # explicit: users/types/files also reference simple_entities by other FKs
                args["inherit_condition"] = table.c.id == parent.c.id
        return args

    @validates("name")
    def _validate_name(self, key: str, value: Any) -> str:
        return check_str(type(self).__name__, key, value)

    @validates("description")
    def _validate_description(self, key: str, value: Any) -> str:
        return check_str(type(self).__name__, key, value, required=False, strip=False)

    @property
    def nice_name(self) -> str:
        """The name made safe for file names (non-word characters become ``_``)."""
        return make_nice_name(self.name or "")

    def __repr__(self) -> str:
        return f"<{self.name} ({self.entity_type or type(self).__name__})>"


class Entity(SimpleEntity):
    """A SimpleEntity that can carry tags and notes (shares the base table)."""

    tags: Mapped[list[Tag]] = relationship("Tag", secondary=entity_tags)
    notes: Mapped[list[Note]] = relationship(
        "Note", secondary=entity_notes, back_populates="entities"
    )


# --- attach-cascade ---------------------------------------------------------


def _join_session(target: Any, value: Any, *_: Any) -> Any:
    if value is None or not hasattr(value, "_sa_instance_state"):
        return value
    owner = object_session(target)
    other = object_session(value)
    if owner is not None and other is None:
        owner.add(value)
    elif other is not None and owner is None:
        other.add(target)
    return value


@event.listens_for(Base, "mapper_configured", propagate=True)
def _install_attach_cascade(mapper: Mapper[Any], cls: type) -> None:
    for rel in mapper.relationships:
        if rel.parent is not mapper or rel.viewonly:
            continue
        attr = getattr(cls, rel.key)
        event.listen(attr, "append", _join_session, propagate=True, retval=False)
        event.listen(attr, "set", _join_session, propagate=True, retval=False)
