"""WorkingHours: per weekday working intervals in minutes since midnight."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from stalker_core.models.base import Entity, fk_id

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: 09:00-18:00 on weekdays, nothing on the weekend (minutes since midnight).
DEFAULT_WORKING_HOURS: dict[str, list[list[int]]] = {
    **{d: [[540, 1080]] for d in WEEKDAYS[:5]},
    "sat": [],
    "sun": [],
}


class WorkingHours(Entity):
    """Working intervals for each weekday: ``wh['mon'] == [[540, 1080]]``."""

    __tablename__ = "working_hours"
    id: Mapped[int] = fk_id("simple_entities")
    working_hours: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=lambda: {k: [list(i) for i in v] for k, v in DEFAULT_WORKING_HOURS.items()}
    )
