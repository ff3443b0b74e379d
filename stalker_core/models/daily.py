"""Daily: a review session showing outputs of versions to the team."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, relationship

from stalker_core.models.base import Base, Entity, fk_id
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.file import File

daily_files = Table(
    "daily_files",
    Base.metadata,
    Column("daily_id", ForeignKey("dailies.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
)


class Daily(Entity, ProjectMixin, StatusMixin):
    """A daily of ``project`` showing ``files`` (version outputs)."""

    __tablename__ = "dailies"
    id: Mapped[int] = fk_id("simple_entities")
    files: Mapped[list[File]] = relationship(secondary=daily_files)
