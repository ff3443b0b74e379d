"""Asset: a task with a code and a required Type (e.g. "Character")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy.orm import Mapped

from stalker_core.exceptions import type_error
from stalker_core.models.base import fk_id
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task

if TYPE_CHECKING:
    from stalker_core.models.type import Type


def name_from_code(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Give ``kwargs`` a ``name`` equal to its ``code`` when no name was given."""
    if kwargs.get("name") is None and "code" in kwargs:
        kwargs["name"] = kwargs["code"]
    return kwargs


def validate_asset_type(cls_name: str, attr: str, value: Any) -> Type:
    """An asset's ``type``: required, a :class:`~stalker_core.models.type.Type`."""
    from stalker_core.models.type import Type

    if not isinstance(value, Type):
        raise type_error(
            cls_name, attr, "a Type (e.g. Type(name='Character', code='Char', "
            "target_entity_type='Asset'))", value
        )
    return value


class Asset(Task, CodeMixin):
    """An asset; its name defaults to its code; a ``type`` is required."""

    __tablename__ = "assets"
    _required: ClassVar[tuple[str, ...]] = ("code", "name")
    id: Mapped[int] = fk_id("tasks")

    def __init__(self, **kwargs: Any) -> None:
        validate_asset_type("Asset", "type", kwargs.get("type"))
        super().__init__(**name_from_code(kwargs))
