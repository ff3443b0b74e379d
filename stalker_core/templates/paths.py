"""Version paths rendered from the project's FilenameTemplate.

The functions here implement the template model services
(:mod:`stalker_core.models.services`): ``Version.update_paths()`` calls
:func:`render_version_paths`, and the FilenameTemplate and Structure
validators call :func:`check_template_syntax`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stalker_core.exceptions import TemplateRenderError
from stalker_core.templates.context import (
    check_rendered_filename,
    check_rendered_path,
    version_context,
)
from stalker_core.templates.environment import TemplateEngine, default_engine

if TYPE_CHECKING:
    from stalker_core.models.version import Version


def check_template_syntax(source: str, name: str) -> None:
    """Parse ``source`` with the default engine (filters resolve only when rendering).

    :param name: how the error names the template (``FilenameTemplate 'X' (Task).path``).
    :raises TemplateRenderError: on a syntax error, naming the template and the line.
    """
    default_engine().check_syntax(source, name)


def render_version_paths(
    version: Version, engine: TemplateEngine | None = None
) -> tuple[str, str, TemplateEngine]:
    """Render the repository-independent path and the file-name stem of ``version``.

    Changes nothing on ``version``; the caller stores the result.

    :param engine: the engine to render with (default: :func:`default_engine`).
    :returns: ``(path, filename_stem, engine_used)``.
    :raises TemplateNotFoundError: no template for the task's entity type.
    :raises TemplateRenderError: a syntax error, an undefined variable, or an empty name.
    :raises PathEscapeError: the path would leave the project's repositories.
    """
    engine = engine if engine is not None else default_engine()
    project = version.task.project
    template = version.find_template()
    context = version_context(version)
    path = check_rendered_path(
        engine.render(template.path, context, template.template_name("path")),
        list(project.repositories),
        what=f"{template.template_name('path')} rendered",
    )
    filename = check_rendered_filename(
        engine.render(template.filename, context, template.template_name("filename")),
        what=f"{template.template_name('filename')} rendered",
    )
    if not filename:
        raise TemplateRenderError(
            f"{template.template_name('filename')} rendered an empty file name"
        )
    return path, filename, engine
