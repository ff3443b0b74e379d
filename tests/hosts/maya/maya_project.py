"""A small production for the Maya pipeline tests: a prop asset and an anim shot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: folder per task under the project, file named after the version
TASK_PATH = (
    "$REPO{{project.repository.code}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
VERSION_FILE = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'


@dataclass
class Production:
    """The objects of the test production."""

    root: Path
    project: Any
    shot: Any
    anim: Any
    prop: Any
    model: Any
    user: Any


def build_production(session: Any, root: Path) -> Production:
    """Repository on ``root``; asset Crate (task model) and shot SH010 1001-1048 (task anim)."""
    from stalker_core.models import (
        Asset,
        FilenameTemplate,
        Project,
        Repository,
        Shot,
        Structure,
        Task,
        Type,
        User,
    )

    root.mkdir(parents=True, exist_ok=True)
    repo = Repository(
        name="Maya Repo", code="MREPO",
        linux_path=str(root), macos_path=str(root), windows_path=str(root),
    )
    structure = Structure(name="Maya Structure")
    for kind in ("Task", "Shot", "Asset"):
        structure.templates.append(FilenameTemplate(
            name=f"Maya {kind}", target_entity_type=kind, path=TASK_PATH, filename=VERSION_FILE,
        ))
    user = User(name="Maya Artist", login="maya_artist", email="ma@example.com", password="secret")
    project = Project(name="Maya Project", code="MP", repositories=[repo], structure=structure)
    prop_type = session.query(Type).filter_by(name="Prop").first() or Type(
        name="Prop", code="PROP", target_entity_type="Asset"
    )
    shot = Shot(name="SH010", code="SH010", project=project, cut_in=1001, cut_out=1048)
    anim = Task(name="anim", project=project, parent=shot)
    prop = Asset(name="Crate", code="CRATE", project=project, type=prop_type)
    model = Task(name="model", project=project, parent=prop)
    session.add_all([project, user, shot, anim, prop, model])
    session.commit()
    return Production(root, project, shot, anim, prop, model, user)


def plugin_manager() -> Any:
    """Built-in plugins + the publish plugin + the Maya plugin (no autoload, no env)."""
    import stalker_maya.plugin
    import stalker_publish.plugin

    from stalker_core.plugins import get_plugin_manager

    return get_plugin_manager(
        {}, load_entrypoints=False, use_env=False,
        plugins=[stalker_publish.plugin, stalker_maya.plugin],
    )
