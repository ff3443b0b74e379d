"""A small production for the Blender pipeline tests: a character asset and a layout shot."""

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
    layout: Any
    character: Any
    model: Any
    user: Any


def build_production(session: Any, root: Path) -> Production:
    """Repository on ``root``; asset Hero (task model) and shot SH010 1001-1048 (task layout)."""
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
        name="Blender Repo",
        code="BREPO",
        linux_path=str(root),
        macos_path=str(root),
        windows_path=str(root),
    )
    structure = Structure(name="Blender Structure")
    for kind in ("Task", "Shot", "Asset"):
        structure.templates.append(
            FilenameTemplate(
                name=f"Blender {kind}",
                target_entity_type=kind,
                path=TASK_PATH,
                filename=VERSION_FILE,
            )
        )
    user = User(
        name="Blender Artist", login="blender_artist", email="ba@example.com", password="secret"
    )
    project = Project(name="Blender Project", code="BP", repositories=[repo], structure=structure)
    char_type = session.query(Type).filter_by(name="Character").first() or Type(
        name="Character", code="CHAR", target_entity_type="Asset"
    )
    shot = Shot(name="SH010", code="SH010", project=project, cut_in=1001, cut_out=1048)
    layout = Task(name="layout", project=project, parent=shot)
    character = Asset(name="Hero", code="HERO", project=project, type=char_type)
    model = Task(name="model", project=project, parent=character)
    session.add_all([project, user, shot, layout, character, model])
    session.commit()
    return Production(root, project, shot, layout, character, model, user)


def plugin_manager() -> Any:
    """Built-in plugins + the publish plugin + the Blender plugin (no autoload, no env)."""
    import stalker_blender.plugin
    import stalker_publish.plugin

    from stalker_core.plugins import get_plugin_manager

    return get_plugin_manager(
        {},
        load_entrypoints=False,
        use_env=False,
        plugins=[stalker_publish.plugin, stalker_blender.plugin],
    )


def build_character(name: str = "hero", x: float = 0.0) -> None:
    """Fill the current (empty) scene with a character collection holding one mesh."""
    import bpy

    collection = bpy.data.collections.new(name)
    bpy.context.scene.collection.children.link(collection)
    mesh = bpy.data.meshes.new(f"{name}_mesh")
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    body = bpy.data.objects.new(f"{name}_body", mesh)
    body.location.x = x
    collection.objects.link(body)


def build_asset_file(
    path: Path, collection: str = "character", x: float = 0.0, objects: int = 1
) -> Path:
    """Write a .blend holding ``collection`` (with a child collection) and mesh objects.

    The current scene is replaced by an empty one afterwards.
    """
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    root = bpy.data.collections.new(collection)
    scene.collection.children.link(root)
    child = bpy.data.collections.new(f"{collection}_rig")
    root.children.link(child)
    for i in range(objects):
        mesh = bpy.data.meshes.new(f"{collection}_mesh{i}")
        mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        obj = bpy.data.objects.new(f"{collection}_body{i}", mesh)
        obj.location.x = x
        (root if i == 0 else child).objects.link(obj)
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return path
