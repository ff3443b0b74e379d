"""Tag: a free label attached to entities (``entity.tags``)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Mapped

from stalker_core.models.base import SimpleEntity, fk_id


class Tag(SimpleEntity):
    """A label such as ``"hero"``; ``entity.tags`` holds them.

    :param name: the label text (required).
    """

    __tablename__ = "tags"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
