"""Structure: a project's filename templates and default folders.

:meth:`Structure.find_template` picks the FilenameTemplate for a task: the
one targeting the task's own class, else — for Asset, Shot, Sequence and
Scene — the ``Task`` template. When none fits it raises
:class:`~stalker_core.exceptions.TemplateNotFoundError` naming the project,
the structure and the entity type.

:func:`stalker_core.templates.folders.create_project_structure` makes the
folders listed in ``custom_template`` (one per line, rendered with Jinja2)
under the project's repository, idempotently (contract C2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import (
    StalkerTypeError,
    TemplateNotFoundError,
    type_error,
)
from stalker_core.models.base import Entity, fk_id, link_table
from stalker_core.models.services import service

if TYPE_CHECKING:
    from stalker_core.models.filename_template import FilenameTemplate
    from stalker_core.models.project import Project

structure_templates = link_table(
    "structure_templates", structure_id="structures", filename_template_id="filename_templates"
)

#: entity types that use the ``Task`` template when they have none of their own
TASK_FALLBACK_TYPES = frozenset({"Asset", "Shot", "Sequence", "Scene"})


class Structure(Entity):
    """``templates`` (FilenameTemplates) and ``custom_template`` (one folder a line).

    :param templates: FilenameTemplates, at most one per target entity type is used.
    :param custom_template: Jinja2 text; each non-empty rendered line is a folder
        relative to the project's repository (``project`` is available).
    """

    __tablename__ = "structures"
    id: Mapped[int] = fk_id("simple_entities")
    custom_template: Mapped[str] = mapped_column(Text, default="")
    templates: Mapped[list[FilenameTemplate]] = relationship(secondary=structure_templates)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("custom_template", "")
        super().__init__(**kwargs)

    @validates("custom_template")
    def _validate_custom_template(self, key: str, value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise type_error("Structure", key, "a str (one folder a line)", value)
        if value.strip():
            service("check_template_syntax")(
                value, f"Structure {getattr(self, 'name', None)!r}.{key}"
            )
        return value

    @validates("templates")
    def _validate_templates(self, key: str, value: Any) -> Any:
        from stalker_core.models.filename_template import FilenameTemplate

        if not isinstance(value, FilenameTemplate):
            raise StalkerTypeError(
                f"Structure.templates should only hold FilenameTemplate instances, "
                f"not {type(value).__name__}: {value!r}"
            )
        return value

    def find_template(
        self, entity_type: str, *, project: Project | None = None
    ) -> FilenameTemplate:
        """The template for ``entity_type`` (a class name), with the Task fallback.

        :param project: only used to name the project in the error message.
        :raises TemplateNotFoundError: when neither the type nor its fallback has one.
        """
        by_type = {t.target_entity_type: t for t in self.templates}
        found = by_type.get(entity_type)
        if found is None and entity_type in TASK_FALLBACK_TYPES:
            found = by_type.get("Task")
        if found is None:
            proj = f"project {project.name!r} " if project is not None else ""
            fallback = " (nor for 'Task')" if entity_type in TASK_FALLBACK_TYPES else ""
            raise TemplateNotFoundError(
                f"{proj}structure {self.name!r} has no FilenameTemplate for entity type "
                f"{entity_type!r}{fallback}; add one with "
                f"FilenameTemplate(target_entity_type={entity_type!r}, ...) to "
                "structure.templates"
            )
        return found


def find_template_for(project: Project, entity_type: str) -> FilenameTemplate:
    """The FilenameTemplate ``project`` uses for ``entity_type``.

    :raises TemplateNotFoundError: when the project has no structure or no template fits.
    """
    structure = project.structure
    if structure is None:
        raise TemplateNotFoundError(
            f"project {project.name!r} has no structure, so there is no FilenameTemplate "
            f"for entity type {entity_type!r}; set project.structure = Structure(...)"
        )
    return structure.find_template(entity_type, project=project)
