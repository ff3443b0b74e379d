"""A small production for the Blender pipeline tests: a character asset and a layout shot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    """wf_helpers' project as "Blender Project" (BP) on ``root``; shot SH010 1001-1048 with
    a layout task, asset Hero (task model)."""
    from wf_helpers import add_os_login_user, build_project  # a Blender subprocess imports

    from stalker_core.models import Task

    demo = build_project(session, root, code="BP", shot=("SH010", 1001, 1048))
    demo.project.name = "Blender Project"
    layout = Task(name="layout", project=demo.project, parent=demo.shot)
    session.add(layout)
    add_os_login_user(session)  # Blender, a subprocess, acts as the real OS login
    return Production(root, demo.project, demo.shot, layout, demo.asset, demo.model, demo.user)


def plugin_manager() -> Any:
    """Built-in, standalone, publish and Blender plugins (no autoload, no env)."""
    import stalker_blender.plugin
    from wf_helpers import make_pm

    return make_pm(stalker_blender.plugin)


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
