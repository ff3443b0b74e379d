"""The folders of a project's structure: ``custom_template`` rendered and created.

``Structure.custom_template`` lists folders, one a line, as a Jinja2
template with ``project`` (its read-only values) in its context. :func:`structure_folders` renders
and checks them (relative, inside the repository); :func:`create_project_structure`
makes them under the project's repository (``Project.create_structure()``
reaches it through the ``create_project_structure`` model service).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stalker_core.exceptions import PathEscapeError, RepositoryError
from stalker_core.models.paths import check_relative_parts, is_absolute, normalize_path
from stalker_core.templates.context import check_characters, project_context
from stalker_core.templates.environment import default_engine

if TYPE_CHECKING:
    from stalker_core.models.project import Project


def structure_folders(project: Project) -> list[str]:
    """The folders ``project.structure.custom_template`` lists, rendered, relative, checked.

    :raises TemplateRenderError: on a template error or a line holding a control
        character.
    :raises PathEscapeError: for a line that would leave the repository.
    """
    structure = project.structure
    if structure is None or not structure.custom_template.strip():
        return []
    name = f"Structure {structure.name!r}.custom_template"
    text = default_engine().render(structure.custom_template, project_context(project), name)
    folders: list[str] = []
    for raw in text.splitlines():
        line = check_characters(raw.strip(), what=f"{name} line")
        if not line or line.startswith("#"):
            continue
        check_relative_parts(line, what=f"{name} line")
        if is_absolute(line):
            raise PathEscapeError(
                f"{name} line {line!r} is absolute; list folders relative to the repository"
            )
        folder = normalize_path(line, what=f"{name} line", allow_mixed=True)
        if folder not in folders:
            folders.append(folder)
    return folders


def create_project_structure(
    project: Project,
    on_folder: Callable[[Path, int, int], None] | None = None,
) -> list[Path]:
    """Create the folders of ``custom_template`` under the project's repository.

    Idempotent: existing folders are kept. Every line is checked before any
    folder is made, so a bad line creates nothing. ``on_folder(path, done,
    total)`` is called after each folder (a progress bar).

    :returns: the absolute folder paths (existing or created), in template order.
    :raises RepositoryError: when the project has no repository or it has no
        path for the running operating system.
    """
    folders = structure_folders(project)
    if not folders:
        return []
    repo = project.repository
    if repo is None or not repo.path:
        raise RepositoryError(
            f"project {project.name!r} has no repository path for this operating system; "
            "set project.repositories[0].linux_path/macos_path/windows_path"
        )
    paths = [Path(repo.to_native(folder)) for folder in folders]
    for done, path in enumerate(paths, 1):
        path.mkdir(parents=True, exist_ok=True)
        if on_folder is not None:
            on_folder(path, done, len(paths))
    return paths
