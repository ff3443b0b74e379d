"""Vacation: time a user (or, with no user, the whole studio) does not work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import SimpleEntity, fk_id
from stalker_core.models.mixins import DateRangeMixin

if TYPE_CHECKING:
    from stalker_core.models.user import User


class Vacation(SimpleEntity, DateRangeMixin):
    """A vacation from ``start`` to ``end``; ``user`` ``None`` means studio-wide."""

    __tablename__ = "vacations"
    id: Mapped[int] = fk_id("simple_entities")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    user: Mapped[User | None] = relationship(
        back_populates="vacations", foreign_keys=[user_id]
    )
