"""Role: the part a user plays in a department, project or client (Lead, Artist...)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Mapped

from stalker_core.models.base import Entity, fk_id


class Role(Entity):
    """A named role such as ``Lead``."""

    __tablename__ = "roles"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
