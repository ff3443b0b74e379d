"""Type: a category for entities of one class (e.g. an Asset type "Character")."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import CodeMixin


class Type(Entity, CodeMixin):
    """A type for instances of ``target_entity_type`` (a class name)."""

    __tablename__ = "types"
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)
