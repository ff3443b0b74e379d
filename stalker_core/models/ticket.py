"""Ticket and TicketLog: issues reported on a project, with their workflow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, SimpleEntity, fk_id
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.user import User

ticket_links = Table(
    "ticket_links",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", ForeignKey("simple_entities.id", ondelete="CASCADE"), primary_key=True),
)

ticket_related = Table(
    "ticket_related",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
)


class Ticket(Entity, ProjectMixin, StatusMixin):
    """Ticket ``number`` of ``project``: ``summary``, ``priority``, ``owner``."""

    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("project_id", "number"),)
    id: Mapped[int] = fk_id("simple_entities")
    number: Mapped[int] = mapped_column(default=1)
    summary: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(16), default="TRIVIAL")
    resolution: Mapped[str] = mapped_column(String(64), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    links: Mapped[list[SimpleEntity]] = relationship(
        secondary=ticket_links,
        primaryjoin="Ticket.id == ticket_links.c.ticket_id",
        secondaryjoin="SimpleEntity.id == ticket_links.c.entity_id",
    )
    related_tickets: Mapped[list[Ticket]] = relationship(
        secondary=ticket_related,
        primaryjoin="Ticket.id == ticket_related.c.ticket_id",
        secondaryjoin="Ticket.id == ticket_related.c.related_id",
    )
    logs: Mapped[list[TicketLog]] = relationship(
        back_populates="ticket", foreign_keys="TicketLog.ticket_id", cascade="all, delete-orphan"
    )


class TicketLog(SimpleEntity):
    """A workflow step of a ticket: ``action`` moved it ``from_status`` -> ``to_status``."""

    __tablename__ = "ticket_logs"
    id: Mapped[int] = fk_id("simple_entities")
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"))
    to_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"))
    action: Mapped[str] = mapped_column(String(32), default="")
    ticket: Mapped[Ticket] = relationship(back_populates="logs", foreign_keys=[ticket_id])
