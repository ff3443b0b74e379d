"""Note: a comment attached to any entity through ``entity.notes``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.models.base import SimpleEntity, check_str, entity_notes, fk_id

if TYPE_CHECKING:
    from stalker_core.models.base import Entity


class Note(SimpleEntity):
    """A note with ``content``; ``entities`` lists what it is attached to.

    :param content: the text of the note (may be empty).
    :param name: optional; ``Note_<uuid4>`` when not given (see ``SimpleEntity``).
    """

    __tablename__ = "notes"
    id: Mapped[int] = fk_id("simple_entities")
    content: Mapped[str] = mapped_column(Text, default="")
    entities: Mapped[list[Entity]] = relationship(
        "Entity", secondary=entity_notes, back_populates="notes"
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("content", "")
        super().__init__(**kwargs)

    @validates("content")
    def _validate_content(self, key: str, value: Any) -> str:
        return check_str("Note", key, value, required=False, strip=False)
