"""Page: a wiki page of a project."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import ProjectMixin


class Page(Entity, ProjectMixin):
    """A wiki page with ``title`` and ``content`` in a ``project``."""

    __tablename__ = "pages"
    id: Mapped[int] = fk_id("simple_entities")
    title: Mapped[str] = mapped_column(String(512))
    content: Mapped[str] = mapped_column(Text, default="")
