"""Asset: a task with a code (see Task)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from stalker_core.models.base import fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task import Task


class Asset(Task, CodeMixin):
    """A asset; its name defaults to its code."""

    __tablename__ = "assets"
    id: Mapped[int] = fk_id("tasks")
