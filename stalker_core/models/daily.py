"""Daily: a review session showing outputs of versions to the team."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Integer
from sqlalchemy.orm import Mapped, relationship, synonym, validates

from stalker_core.exceptions import type_error
from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    check_number,
    fk_id,
    link_table,
    mapped_class,
)
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.file import File

daily_files = link_table("daily_files", daily_id="dailies", file_id="files")
#: the order of a file in the daily (Stalker's ``DailyFile.rank``)
daily_files.append_column(Column("rank", Integer, default=0, nullable=True))


class Daily(Entity, ProjectMixin, StatusMixin):
    """A daily of ``project`` showing ``files`` (version outputs)."""

    __tablename__ = "dailies"
    id: Mapped[int] = fk_id("simple_entities")
    files: Mapped[list[File]] = relationship(secondary=daily_files)
    #: Stalker 1.0's name of :attr:`files` (``Daily(links=[...])``)
    links: Mapped[list[File]] = synonym("files")

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


class DailyFile(Base):
    """A file of a daily, with its ``rank``: a row of ``Daily.files`` (Stalker's name).

    ``Daily.files`` is the everyday way to fill a daily; this class reaches
    the same rows with their rank. ``link`` is Stalker 1.0's name of ``file``.
    """

    __table__ = daily_files
    rank: Mapped[int | None]  # the column of daily_files
    daily: Mapped[Daily] = relationship(overlaps="files")
    file: Mapped[File] = relationship(overlaps="files")
    link: Mapped[File] = synonym("file")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("rank", 0)
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        daily = getattr(self.daily, "name", None)
        file = getattr(self.file, "full_path", None)
        return f"<DailyFile {file!r} in {daily!r} (rank {self.rank})>"

    @validates("daily", "file")
    def _validate_link(self, key: str, value: Any) -> Any:
        expected = mapped_class("Daily" if key == "daily" else "File")
        return check_instance("DailyFile", key, value, expected, required=True)

    @validates("rank")
    def _validate_rank(self, key: str, value: Any) -> int:
        return int(check_number("DailyFile", key, value, minimum=0, integer=True))


#: Stalker 1.0's name of :class:`DailyFile`
DailyLink = DailyFile
