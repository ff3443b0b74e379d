"""Studio: the company; owns working hours and runs the scheduler."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Entity, fk_id
from stalker_core.models.mixins import DateRangeMixin

if TYPE_CHECKING:
    from stalker_core.models.user import User
    from stalker_core.models.working_hours import WorkingHours


class Studio(Entity, DateRangeMixin):
    """The studio. ``schedule()`` plans the studio's projects (see scheduling)."""

    __tablename__ = "studios"
    id: Mapped[int] = fk_id("simple_entities")
    working_hours_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_hours.id", ondelete="SET NULL")
    )
    working_hours_obj: Mapped[WorkingHours | None] = relationship(
        foreign_keys=[working_hours_id]
    )
    #: timing resolution of schedules, in seconds (default one hour).
    timing_resolution_seconds: Mapped[int] = mapped_column(default=3600)
    is_scheduling: Mapped[bool] = mapped_column(default=False)
    is_scheduling_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    scheduling_started_at: Mapped[dt.datetime | None] = mapped_column()
    last_scheduled_at: Mapped[dt.datetime | None] = mapped_column()
    last_scheduled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    last_schedule_message: Mapped[str | None] = mapped_column(Text)
    is_scheduling_by: Mapped[User | None] = relationship(foreign_keys=[is_scheduling_by_id])
    last_scheduled_by: Mapped[User | None] = relationship(foreign_keys=[last_scheduled_by_id])

    #: the scheduler used by ``schedule()`` (not stored); ``None`` = native.
    scheduler: ClassVar[Any] = None
