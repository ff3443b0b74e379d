"""Ticket and TicketLog: issues reported on a project, with their workflow.

A ticket is numbered per project from 1 (``number``; its name is ``#<number>``)
and starts NEW. ``accept``, ``reassign``, ``resolve`` and ``reopen`` move it
and each leaves a :class:`TicketLog`:

============ ========================= ==========
action       allowed in                result
============ ========================= ==========
accept       NEW, ASG, ROP             ACP (owner = who accepts)
reassign     NEW, ACP, ASG, ROP        ASG (owner = assign_to)
resolve      NEW, ACP, ASG, ROP        CLS (with a resolution)
reopen       CLS                       ROP
============ ========================= ==========
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship, validates

from stalker_core.exceptions import StatusError, type_error, value_error
from stalker_core.models.base import Entity, SimpleEntity, fk_id, link_table
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.user import User

#: ticket priorities, lowest first
PRIORITIES: tuple[str, ...] = ("TRIVIAL", "MINOR", "MAJOR", "CRITICAL", "BLOCKER")
#: the resolutions of a closed ticket, by their Stalker names
FIXED = "fixed"
INVALID = "invalid"
WONTFIX = "wontfix"
DUPLICATE = "duplicate"
WORKSFORME = "worksforme"
CANTFIX = "cantfix"
#: ticket resolutions
RESOLUTIONS: tuple[str, ...] = (FIXED, INVALID, WONTFIX, DUPLICATE, WORKSFORME, CANTFIX)
#: action -> (allowed status codes, resulting status code)
TICKET_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("NEW", "ASG", "ROP"), "ACP"),
    "reassign": (("NEW", "ACP", "ASG", "ROP"), "ASG"),
    "resolve": (("NEW", "ACP", "ASG", "ROP"), "CLS"),
    "reopen": (("CLS",), "ROP"),
}

ticket_links = link_table("ticket_links", ticket_id="tickets", entity_id="simple_entities")

ticket_related = link_table("ticket_related", ticket_id="tickets", related_id="tickets")


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

    def __init__(self, **kwargs: Any) -> None:
        from stalker_core.models.project import Project

        project = kwargs.get("project")
        if not isinstance(project, Project):
            raise type_error("Ticket", "project", "a Project", project)
        kwargs.setdefault("name", "#?")
        kwargs.setdefault("priority", "TRIVIAL")
        kwargs.setdefault("summary", "")
        kwargs.setdefault("resolution", "")
        self.number = None  # type: ignore[assignment]
        super().__init__(**kwargs)
        session = object_session(self)
        if session is not None:
            _number_new_tickets(session)
            if self.status is None:
                from stalker_core.models.task.status import get_status

                self.status = get_status(session, "NEW")

    @validates("summary")
    def _validate_summary(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise type_error("Ticket", key, "a str", value)
        return value

    @validates("priority")
    def _validate_priority(self, key: str, value: Any) -> str:
        if isinstance(value, str) and value.upper() in PRIORITIES:
            return value.upper()
        raise value_error("Ticket", key, f"one of {', '.join(PRIORITIES)}", value)

    @validates("owner")
    def _validate_owner(self, key: str, value: Any) -> Any:
        from stalker_core.models.user import User

        if value is not None and not isinstance(value, User):
            raise type_error("Ticket", key, "a User or None", value)
        return value

    def _act(self, action: str, created_by: Any) -> TicketLog:
        from stalker_core.models.task.status import get_status
        from stalker_core.models.user import User

        if not isinstance(created_by, User):
            raise type_error("Ticket", f"{action}(created_by)", "a User", created_by)
        session = object_session(self)
        if session is None:
            raise StatusError(
                f"ticket {self.name!r} is not in a database session; add it before {action}"
            )
        allowed, result = TICKET_ACTIONS[action]
        current = self.status.code if self.status is not None else "NEW"
        if current not in allowed:
            raise StatusError(
                f"cannot {action} ticket {self.name!r}: its status is {current}; "
                f"{action} is allowed only in {', '.join(allowed)}"
            )
        old = self.status or get_status(session, "NEW")
        new = get_status(session, result)
        self.status = new
        return TicketLog(
            name=f"{self.name} {action}",
            ticket=self,
            from_status=old,
            to_status=new,
            action=action,
            created_by=created_by,
        )

    def accept(self, created_by: User) -> TicketLog:
        """``created_by`` takes the ticket (ACP) and becomes its owner."""
        log = self._act("accept", created_by)
        self.owner = created_by
        return log

    def reassign(self, created_by: User, assign_to: User) -> TicketLog:
        """Give the ticket to ``assign_to`` (ASG)."""
        from stalker_core.models.user import User

        if not isinstance(assign_to, User):
            raise type_error("Ticket", "reassign(assign_to)", "a User", assign_to)
        log = self._act("reassign", created_by)
        self.owner = assign_to
        return log

    def resolve(self, created_by: User, resolution: str = "fixed") -> TicketLog:
        """Close the ticket (CLS) with ``resolution``."""
        if resolution not in RESOLUTIONS:
            raise value_error(
                "Ticket", "resolution", f"one of {', '.join(RESOLUTIONS)}", resolution
            )
        log = self._act("resolve", created_by)
        self.resolution = resolution
        return log

    def reopen(self, created_by: User) -> TicketLog:
        """Reopen a closed ticket (ROP); the resolution is cleared."""
        log = self._act("reopen", created_by)
        self.resolution = ""
        return log


class TicketLog(SimpleEntity):
    """A workflow step of a ticket: ``action`` moved it ``from_status`` -> ``to_status``."""

    __tablename__ = "ticket_logs"
    id: Mapped[int] = fk_id("simple_entities")
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"))
    to_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"))
    action: Mapped[str] = mapped_column(String(32), default="")
    ticket: Mapped[Ticket] = relationship(back_populates="logs", foreign_keys=[ticket_id])
    from_status: Mapped[Any] = relationship("Status", foreign_keys=[from_status_id])
    to_status: Mapped[Any] = relationship("Status", foreign_keys=[to_status_id])


def _number_new_tickets(session: Session) -> None:
    """Number the session's unnumbered tickets per project (one query per project)."""
    todo = [o for o in session.new if isinstance(o, Ticket) and o.number is None]
    if not todo:
        return
    by_project: dict[Any, list[Ticket]] = {}
    for t in todo:
        by_project.setdefault(t.project, []).append(t)
    for project, tickets in by_project.items():
        top = 0
        if project.id is not None:
            with session.no_autoflush:
                top = session.scalar(
                    select(func.max(Ticket.number)).where(Ticket.project_id == project.id)
                ) or 0
        pending = [
            o.number
            for o in session.new
            if isinstance(o, Ticket) and o.project is project and o.number is not None
        ]
        top = max([top, *pending])
        for t in sorted(tickets, key=_creation_order):
            top += 1
            t.number = top
            if t.name == "#?":
                t.name = f"#{top}"


_counter = [0]


def _creation_order(t: Ticket) -> int:
    return t.__dict__.get("_order", 0)  # type: ignore[no-any-return]


@event.listens_for(Ticket, "init")
def _remember_order(target: Ticket, _args: Any, _kwargs: Any) -> None:
    _counter[0] += 1
    target.__dict__["_order"] = _counter[0]


def number_and_open(session: Session) -> None:
    """Flush step: number new tickets per project; those still without a status get NEW."""
    from stalker_core.models.task.status import get_status

    _number_new_tickets(session)
    for o in list(session.new):
        if isinstance(o, Ticket) and o.status is None:
            o.status = get_status(session, "NEW")
