"""Status and StatusList: the statuses an entity class may take."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id
from stalker_core.models.mixins import CodeMixin

status_list_statuses = Table(
    "status_list_statuses",
    Base.metadata,
    Column("status_list_id", ForeignKey("status_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("status_id", ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Status(Entity, CodeMixin):
    """A status such as ``WIP`` (code) / ``Work In Progress`` (name)."""

    __tablename__ = "statuses"
    id: Mapped[int] = fk_id("simple_entities")


class StatusList(Entity):
    """The ordered statuses allowed for one entity class (``target_entity_type``)."""

    __tablename__ = "status_lists"
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128), unique=True)
    statuses: Mapped[list[Status]] = relationship(
        "Status", secondary=status_list_statuses, order_by=status_list_statuses.c.position
    )
