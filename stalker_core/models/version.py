"""Version: one saved iteration of a task's work file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.task import Task

version_inputs = Table(
    "version_inputs",
    Base.metadata,
    Column("version_id", ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
)

version_outputs = Table(
    "version_outputs",
    Base.metadata,
    Column("version_id", ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
)


class Version(Entity):
    """Version ``version_number`` of ``task`` in take ``take_name``."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("task_id", "take_name", "version_number"),)
    id: Mapped[int] = fk_id("simple_entities")
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    take_name: Mapped[str] = mapped_column(String(256), default="Main")
    version_number: Mapped[int] = mapped_column(default=1)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL")
    )
    is_published: Mapped[bool] = mapped_column(default=False)
    created_with: Mapped[str | None] = mapped_column(String(256))
    #: repository-independent path and filename (rendered from the templates)
    path: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="versions", foreign_keys=[task_id])
    parent: Mapped[Version | None] = relationship(
        remote_side="Version.id", back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list[Version]] = relationship(
        back_populates="parent", foreign_keys=[parent_id]
    )
    inputs: Mapped[list[File]] = relationship(secondary=version_inputs)
    outputs: Mapped[list[File]] = relationship(secondary=version_outputs)
