"""Page: a wiki page of a project."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.exceptions import value_error
from stalker_core.models.base import Entity, check_str, fk_id
from stalker_core.models.mixins import ProjectMixin


class Page(Entity, ProjectMixin):
    """A wiki page with ``title`` and ``content`` in a ``project``.

    :param title: the page title (required; also the default ``name``).
    :param content: the text (may be empty).
    :param project: the :class:`Project` (required).
    """

    __tablename__ = "pages"
    _required: ClassVar[tuple[str, ...]] = ("title", "project")
    id: Mapped[int] = fk_id("simple_entities")
    title: Mapped[str] = mapped_column(String(512))
    content: Mapped[str] = mapped_column(Text, default="")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("content", "")
        super().__init__(**kwargs)

    @validates("title")
    def _validate_title(self, key: str, value: Any) -> str:
        value = check_str("Page", key, value)
        if len(value) > 512:
            raise value_error("Page", key, "at most 512 characters", value[:40] + "...")
        return value

    @validates("content")
    def _validate_content(self, key: str, value: Any) -> str:
        return check_str("Page", key, value, required=False, strip=False)
