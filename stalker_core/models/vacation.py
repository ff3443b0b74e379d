"""Vacation: time a user (or, with no user, the whole studio) does not work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import value_error
from stalker_core.models.base import SimpleEntity, check_instance, fk_id, mapped_class
from stalker_core.models.mixins import DateRangeMixin
from stalker_core.models.services import service

if TYPE_CHECKING:
    from stalker_core.models.user import User


class Vacation(SimpleEntity, DateRangeMixin):
    """A vacation from ``start`` to ``end``; ``user`` ``None`` means studio-wide.

    :param start: aware datetime (required).
    :param end: aware datetime after ``start`` (required).
    :param user: the user on vacation, or ``None`` for the whole studio.
    :param name: optional; ``Vacation_<uuid4>`` when not given (see ``SimpleEntity``).
    """

    __tablename__ = "vacations"
    _required: ClassVar[tuple[str, ...]] = ("start", "end")
    id: Mapped[int] = fk_id("simple_entities")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    user: Mapped[User | None] = relationship(
        back_populates="vacations", foreign_keys=[user_id]
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.end <= self.start:  # type: ignore[operator]
            raise value_error("Vacation", "end", f"a datetime after start ({self.start})", self.end)

    @validates("user")
    def _validate_user(self, key: str, value: Any) -> Any:
        return check_instance("Vacation", key, value, mapped_class("User"))

    @property
    def to_tjp(self) -> str:
        """This vacation in TaskJuggler syntax."""
        return service("to_tjp")(self)
