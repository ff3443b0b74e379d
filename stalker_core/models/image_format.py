"""ImageFormat: resolution and pixel aspect of a project or shot."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id


class ImageFormat(Entity):
    """An image format such as ``HD 1080`` (1920 x 1080)."""

    __tablename__ = "image_formats"
    id: Mapped[int] = fk_id("simple_entities")
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    pixel_aspect: Mapped[float] = mapped_column(default=1.0)
    print_resolution: Mapped[float] = mapped_column(default=300.0)
