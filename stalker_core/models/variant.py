"""Variant: a task standing for one variant of its parent's work (Stalker 1.1).

A variant is a task like any other (resources, schedule, reviews, versions),
so each variant of a model or a look is reviewed and approved on its own and
other tasks can depend on one variant.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from stalker_core.models.base import fk_id
from stalker_core.models.task.model import Task


class Variant(Task):
    """A variant (``"Red"``, ``"Damaged"``) of its parent task's work; a Task otherwise."""

    __tablename__ = "variants"
    id: Mapped[int] = fk_id("tasks")
