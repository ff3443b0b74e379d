"""EntityGroup: an arbitrary group of entities (e.g. a user's selection)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import Base, Entity, SimpleEntity, check_instance, fk_id, on_append

entity_group_entities = Table(
    "entity_group_entities",
    Base.metadata,
    Column("entity_group_id", ForeignKey("entity_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", ForeignKey("simple_entities.id", ondelete="CASCADE"), primary_key=True),
)


class EntityGroup(Entity):
    """A named group of any entities.

    :param entities: a list of any :class:`SimpleEntity` (tasks, assets, users...).
    """

    __tablename__ = "entity_groups"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    entities: Mapped[list[SimpleEntity]] = relationship(
        secondary=entity_group_entities,
        primaryjoin="EntityGroup.id == entity_group_entities.c.entity_group_id",
        secondaryjoin="SimpleEntity.id == entity_group_entities.c.entity_id",
    )


def _check_entity(target: Any, key: str, value: Any) -> Any:
    return check_instance("EntityGroup", key, value, SimpleEntity, required=True)


on_append(EntityGroup.entities, _check_entity)
