"""A small production for the Nuke tests: shot SH010 (1001-1048) with a comp task."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: folder per task, file named after the version
TASK_PATH = (
    "$REPO{{project.repository.code}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
VERSION_FILE = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'


@dataclass
class NukeProduction:
    """The objects of the test production."""

    root: Path
    project: Any
    shot: Any
    comp: Any
    user: Any


def build(session: Any, root: Path) -> NukeProduction:
    """Project NP (24 fps, HD 1080) on a repository at ``root``; shot SH010 with task comp."""
    from stalker_core.models import (
        FilenameTemplate,
        ImageFormat,
        Project,
        Repository,
        Shot,
        Structure,
        Task,
        User,
    )

    root.mkdir(parents=True, exist_ok=True)
    repo = Repository(
        name="Nuke Repo", code="NREPO", linux_path=str(root), macos_path=str(root),
        windows_path=str(root),
    )
    structure = Structure(name="Nuke Structure")
    for kind in ("Task", "Shot", "Asset"):
        structure.templates.append(
            FilenameTemplate(
                name=f"Nuke {kind}", target_entity_type=kind, path=TASK_PATH,
                filename=VERSION_FILE,
            )
        )
    user = User(name="Nuke Artist", login="nuke_artist", email="na@example.com", password="pw")
    project = Project(
        name="Nuke Project", code="NP", repositories=[repo], structure=structure, fps=24,
        image_format=ImageFormat(name="HD 1080", width=1920, height=1080),
    )
    shot = Shot(name="SH010", code="SH010", project=project, cut_in=1001, cut_out=1048)
    comp = Task(name="comp", project=project, parent=shot)
    session.add_all([project, user, shot, comp])
    session.commit()
    return NukeProduction(root, project, shot, comp, user)


def plugin_manager() -> Any:
    """Built-in plugins + the publish plugin + the Nuke plugin (no entry points, no env)."""
    import stalker_nuke.plugin
    import stalker_publish.plugin

    from stalker_core.plugins import get_plugin_manager

    return get_plugin_manager(
        {},
        load_entrypoints=False,
        use_env=False,
        plugins=[stalker_publish.plugin, stalker_nuke.plugin],
    )
