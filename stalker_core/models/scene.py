"""Scene: a task with a code; its name defaults to its code."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Mapped

from stalker_core.models.base import fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task
from stalker_core.models.task.validation import name_from_code


class Scene(Task, CodeMixin):
    """A scene; its name defaults to its code."""

    __tablename__ = "scenes"
    _required: ClassVar[tuple[str, ...]] = ("code", "name")
    id: Mapped[int] = fk_id("tasks")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**name_from_code(kwargs))
