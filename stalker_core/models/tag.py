"""Tag: a free label attached to entities."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from stalker_core.models.base import SimpleEntity, fk_id


class Tag(SimpleEntity):
    """A label; ``entity.tags`` holds them."""

    __tablename__ = "tags"
    id: Mapped[int] = fk_id("simple_entities")
