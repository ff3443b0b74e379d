"""Daily: a review session showing outputs of versions to the team."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Mapped, relationship, validates

from stalker_core.exceptions import type_error
from stalker_core.models.base import Entity, fk_id, link_table
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.file import File

daily_files = link_table("daily_files", daily_id="dailies", file_id="files")


class Daily(Entity, ProjectMixin, StatusMixin):
    """A daily of ``project`` showing ``files`` (version outputs)."""

    __tablename__ = "dailies"
    id: Mapped[int] = fk_id("simple_entities")
    files: Mapped[list[File]] = relationship(secondary=daily_files)

    def __init__(self, **kwargs: Any) -> None:
        from stalker_core.models.project import Project

        if not isinstance(kwargs.get("project"), Project):
            raise type_error("Daily", "project", "a Project", kwargs.get("project"))
        super().__init__(**kwargs)

    @validates("project")
    def _validate_project(self, key: str, value: Any) -> Any:
        from stalker_core.models.project import Project

        if not isinstance(value, Project):
            raise type_error("Daily", key, "a Project", value)
        return value

    @validates("files")
    def _validate_file(self, key: str, value: Any) -> Any:
        from stalker_core.models.file import File

        if not isinstance(value, File):
            raise type_error("Daily", key, "a list of File (version outputs)", value)
        return value
