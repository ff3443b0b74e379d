"""Repository: a file server share, with its path on Linux, macOS and Windows."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import CodeMixin


class Repository(Entity, CodeMixin):
    """A repository root; paths are stored with forward slashes."""

    __tablename__ = "repositories"
    id: Mapped[int] = fk_id("simple_entities")
    linux_path: Mapped[str] = mapped_column(Text, default="")
    macos_path: Mapped[str] = mapped_column(Text, default="")
    windows_path: Mapped[str] = mapped_column(Text, default="")
