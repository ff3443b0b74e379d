"""EntityGroup: an arbitrary group of entities (e.g. a user's selection)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import (
    Entity,
    SimpleEntity,
    check_instance,
    fk_id,
    link_table,
    on_append,
)

entity_group_entities = link_table(
    "entity_group_entities", entity_group_id="entity_groups", entity_id="simple_entities"
)


class EntityGroup(Entity):
    """A named group of any entities.

    :param entities: a list of any :class:`SimpleEntity` (tasks, assets, users...).
    """

    __tablename__ = "entity_groups"
    id: Mapped[int] = fk_id("simple_entities")
    entities: Mapped[list[SimpleEntity]] = relationship(
        secondary=entity_group_entities,
        primaryjoin="EntityGroup.id == entity_group_entities.c.entity_group_id",
        secondaryjoin="SimpleEntity.id == entity_group_entities.c.entity_id",
    )


def _check_entity(target: Any, key: str, value: Any) -> Any:
    return check_instance("EntityGroup", key, value, SimpleEntity, required=True)


on_append(EntityGroup.entities, _check_entity)
