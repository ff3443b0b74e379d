"""Type: a category for entities of one class (e.g. an Asset type "Character")."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.models.base import Entity, entity_type_name, fk_id
from stalker_core.models.column_mixins import TargetEntityTypeMixin
from stalker_core.models.mixins import CodeMixin


class Type(Entity, TargetEntityTypeMixin, CodeMixin):
    """A type for instances of ``target_entity_type``.

    :param name: e.g. ``"Character"``.
    :param code: e.g. ``"CHAR"``.
    :param target_entity_type: a class (``Asset``) or a class name (``"Asset"``).
    """

    __tablename__ = "types"
    _required: ClassVar[tuple[str, ...]] = ("name", "code", "target_entity_type")
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)

    @validates("target_entity_type")
    def _validate_target(self, key: str, value: Any) -> str:
        return entity_type_name("Type", key, value)
