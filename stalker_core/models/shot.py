"""Shot: a task with a code, cut range, fps and image format; in sequences and scenes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task import Task

if TYPE_CHECKING:
    from stalker_core.models.image_format import ImageFormat
    from stalker_core.models.scene import Scene
    from stalker_core.models.sequence import Sequence

shot_sequences = Table(
    "shot_sequences",
    Base.metadata,
    Column("shot_id", ForeignKey("shots.id", ondelete="CASCADE"), primary_key=True),
    Column("sequence_id", ForeignKey("sequences.id", ondelete="CASCADE"), primary_key=True),
)

shot_scenes = Table(
    "shot_scenes",
    Base.metadata,
    Column("shot_id", ForeignKey("shots.id", ondelete="CASCADE"), primary_key=True),
    Column("scene_id", ForeignKey("scenes.id", ondelete="CASCADE"), primary_key=True),
)


class Shot(Task, CodeMixin):
    """A shot; ``fps`` and ``image_format`` fall back to the project's."""

    __tablename__ = "shots"
    id: Mapped[int] = fk_id("tasks")
    cut_in: Mapped[int] = mapped_column(default=1001)
    cut_out: Mapped[int] = mapped_column(default=1001)
    shot_fps: Mapped[float | None] = mapped_column("fps")
    image_format_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_formats.id", ondelete="SET NULL")
    )
    shot_image_format: Mapped[ImageFormat | None] = relationship(foreign_keys=[image_format_id])
    sequences: Mapped[list[Sequence]] = relationship(secondary=shot_sequences)
    scenes: Mapped[list[Scene]] = relationship(secondary=shot_scenes)
