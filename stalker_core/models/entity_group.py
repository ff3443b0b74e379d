"""EntityGroup: an arbitrary group of entities (e.g. a user's selection)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import Base, Entity, SimpleEntity, fk_id

entity_group_entities = Table(
    "entity_group_entities",
    Base.metadata,
    Column("entity_group_id", ForeignKey("entity_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", ForeignKey("simple_entities.id", ondelete="CASCADE"), primary_key=True),
)


class EntityGroup(Entity):
    """A named group of any entities."""

    __tablename__ = "entity_groups"
    id: Mapped[int] = fk_id("simple_entities")
    entities: Mapped[list[SimpleEntity]] = relationship(
        secondary=entity_group_entities,
        primaryjoin="EntityGroup.id == entity_group_entities.c.entity_group_id",
        secondaryjoin="SimpleEntity.id == entity_group_entities.c.entity_id",
    )
