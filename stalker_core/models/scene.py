"""Scene: a task with a code; its name defaults to its code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy.orm import Mapped, relationship, validates

from stalker_core.models.base import check_instance, fk_id, mapped_class
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.task.model import Task
from stalker_core.models.task.validation import name_from_code

if TYPE_CHECKING:
    from stalker_core.models.shot import Shot


class Scene(Task, CodeMixin):
    """A scene; its name defaults to its code."""

    __tablename__ = "scenes"
    _required: ClassVar[tuple[str, ...]] = ("code", "name")
    id: Mapped[int] = fk_id("tasks")
    #: the shots in this scene (the other side of ``Shot.scenes``)
    shots: Mapped[list[Shot]] = relationship(
        secondary="shot_scenes", back_populates="scenes"
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**name_from_code(kwargs))

    @validates("shots")
    def _validate_shot(self, key: str, value: Any) -> Any:
        return check_instance("Scene", key, value, mapped_class("Shot"), required=True)
