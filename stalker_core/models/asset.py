"""Asset: a task with a code and a required Type (e.g. "Character")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapped

from stalker_core.exceptions import type_error
from stalker_core.models.base import fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task


def name_from_code(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Give ``kwargs`` a ``name`` equal to its ``code`` when no name was given."""
    if kwargs.get("name") is None and "code" in kwargs:
        kwargs["name"] = kwargs["code"]
    return kwargs


class Asset(Task, CodeMixin):
    """An asset; its name defaults to its code; a ``type`` is required."""

    __tablename__ = "assets"
    id: Mapped[int] = fk_id("tasks")

    def __init__(self, **kwargs: Any) -> None:
        from stalker_core.models.type import Type

        if not isinstance(kwargs.get("type"), Type):
            raise type_error(
                "Asset", "type", "a Type (e.g. Type(name='Character', code='Char', "
                "target_entity_type='Asset'))", kwargs.get("type")
            )
        super().__init__(**name_from_code(kwargs))
