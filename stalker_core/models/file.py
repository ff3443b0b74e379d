"""File (alias Link): a path to a file, used for thumbnails, inputs and outputs."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id


class File(Entity):
    """A file known to the pipeline; ``full_path`` is repository-independent."""

    __tablename__ = "files"
    id: Mapped[int] = fk_id("simple_entities")
    full_path: Mapped[str] = mapped_column(Text, default="")
    original_filename: Mapped[str] = mapped_column(Text, default="")


#: Stalker 0.2 called this class ``Link``.
Link = File
