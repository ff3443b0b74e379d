"""Asset: a task with a code and a required Type (e.g. "Character")."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Mapped

from stalker_core.models.base import fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task
from stalker_core.models.task.validation import name_from_code, validate_asset_type


class Asset(Task, CodeMixin):
    """An asset; its name defaults to its code; a ``type`` is required."""

    __tablename__ = "assets"
    _required: ClassVar[tuple[str, ...]] = ("code", "name")
    id: Mapped[int] = fk_id("tasks")

    def __init__(self, **kwargs: Any) -> None:
        validate_asset_type("Asset", "type", kwargs.get("type"))
        super().__init__(**name_from_code(kwargs))
