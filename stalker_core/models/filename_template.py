"""FilenameTemplate: Jinja2 templates for the path and file name of versions."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id


class FilenameTemplate(Entity):
    """``path`` and ``filename`` templates for entities of ``target_entity_type``."""

    __tablename__ = "filename_templates"
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")
