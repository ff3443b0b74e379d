"""Note: a comment attached to any entity through ``entity.notes``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import SimpleEntity, entity_notes, fk_id

if TYPE_CHECKING:
    from stalker_core.models.base import Entity


class Note(SimpleEntity):
    """A note with ``content``; ``entities`` lists what it is attached to."""

    __tablename__ = "notes"
    id: Mapped[int] = fk_id("simple_entities")
    content: Mapped[str] = mapped_column(Text, default="")
    entities: Mapped[list[Entity]] = relationship(
        "Entity", secondary=entity_notes, back_populates="notes"
    )
