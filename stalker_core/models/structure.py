"""Structure: a project's filename templates and default folders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id

if TYPE_CHECKING:
    from stalker_core.models.filename_template import FilenameTemplate

structure_templates = Table(
    "structure_templates",
    Base.metadata,
    Column("structure_id", ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "filename_template_id",
        ForeignKey("filename_templates.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class Structure(Entity):
    """``templates`` (FilenameTemplates) and ``custom_template`` (one folder a line)."""

    __tablename__ = "structures"
    id: Mapped[int] = fk_id("simple_entities")
    custom_template: Mapped[str] = mapped_column(Text, default="")
    templates: Mapped[list[FilenameTemplate]] = relationship(secondary=structure_templates)
