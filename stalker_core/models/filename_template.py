"""FilenameTemplate: Jinja2 templates for the path and file name of versions.

``target_entity_type`` is the class name of the tasks it serves (``"Task"``,
``"Asset"``, ``"Shot"``, ...). ``path`` renders the folder (starting with
``$REPO{{project.repository.id}}`` to stay OS independent) and ``filename``
the file name without extension. Both are checked for syntax errors when
set, so a broken template never reaches the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.exceptions import type_error, value_error
from stalker_core.models.base import Entity, check_str, fk_id
from stalker_core.models.column_mixins import TargetEntityTypeMixin
from stalker_core.models.services import service


def _entity_type_name(value: Any) -> Any:
    if isinstance(value, type):
        return value.__name__
    return value


class FilenameTemplate(Entity, TargetEntityTypeMixin):
    """``path`` and ``filename`` templates for entities of ``target_entity_type``.

    :param target_entity_type: a class name or a class, e.g. ``"Task"`` or ``Shot``.
    :param path: Jinja2 source of the folder.
    :param filename: Jinja2 source of the file name (without extension).
    :raises TemplateRenderError: when a template has a syntax error.
    """

    __tablename__ = "filename_templates"
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")

    def __init__(self, **kwargs: Any) -> None:
        if "target_entity_type" not in kwargs:
            raise value_error("FilenameTemplate", "target_entity_type", "given", None)
        kwargs.setdefault("path", "")
        kwargs.setdefault("filename", "")
        super().__init__(**kwargs)

    @validates("target_entity_type")
    def _validate_target(self, key: str, value: Any) -> str:
        return check_str("FilenameTemplate", key, _entity_type_name(value))

    @validates("path", "filename")
    def _validate_template(self, key: str, value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise type_error("FilenameTemplate", key, "a str (Jinja2 source)", value)
        if value:
            service("check_template_syntax")(value, self.template_name(key))
        return value

    def template_name(self, part: str) -> str:
        """How errors name this template: ``FilenameTemplate 'X' (Task).path``."""
        return (
            f"FilenameTemplate {getattr(self, 'name', None)!r} "
            f"({getattr(self, 'target_entity_type', None)}).{part}"
        )
