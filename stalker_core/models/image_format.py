"""ImageFormat: resolution and pixel aspect of a project or shot."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.models.base import Entity, check_number, fk_id


class ImageFormat(Entity):
    """An image format such as ``HD 1080`` (1920 x 1080).

    :param width: pixels, an int > 0.
    :param height: pixels, an int > 0.
    :param pixel_aspect: > 0 (default 1.0).
    :param print_resolution: dots per inch, > 0 (default 300).
    """

    __tablename__ = "image_formats"
    _required: ClassVar[tuple[str, ...]] = ("name", "width", "height")
    id: Mapped[int] = fk_id("simple_entities")
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    pixel_aspect: Mapped[float] = mapped_column(default=1.0)
    print_resolution: Mapped[float] = mapped_column(default=300.0)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("pixel_aspect", 1.0)
        kwargs.setdefault("print_resolution", 300.0)
        super().__init__(**kwargs)

    @validates("width", "height")
    def _validate_size(self, key: str, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return int(check_number("ImageFormat", key, value, minimum=0, strict=True, integer=True))

    @validates("pixel_aspect", "print_resolution")
    def _validate_ratio(self, key: str, value: Any) -> float:
        return float(check_number("ImageFormat", key, value, minimum=0, strict=True))

    @property
    def device_aspect(self) -> float:
        """``width * pixel_aspect / height``."""
        return self.width * self.pixel_aspect / self.height
