"""Role: the part a user plays in a department, project or client (Lead, Artist...)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from stalker_core.models.base import Entity, fk_id


class Role(Entity):
    """A named role such as ``Lead``."""

    __tablename__ = "roles"
    id: Mapped[int] = fk_id("simple_entities")
