"""Fixtures for the Blender host tests (real ``bpy``; the modules skip without it).

Blender's state is global per process, so every test starts from Blender's
factory settings with an empty scene (``read_factory_settings(use_empty=True)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def fresh_blender() -> Iterator[Any]:
    """Reset Blender to an empty factory scene before (and after) each test."""
    bpy = pytest.importorskip("bpy")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    yield bpy
    bpy.ops.wm.read_factory_settings(use_empty=True)


@pytest.fixture
def host(fresh_blender: Any) -> Any:
    """A BlenderHost on the empty scene."""
    from stalker_blender.adapter import BlenderHost

    return BlenderHost()


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


@pytest.fixture
def make_asset(tmp_path: Path) -> Callable[..., Path]:
    """``make_asset(name, collection=..., x=...)`` writes an asset .blend under tmp_path."""

    def make(name: str, collection: str = "character", x: float = 0.0, objects: int = 1) -> Path:
        return build_asset_file(tmp_path / "assets" / f"{name}.blend", collection, x, objects)

    return make
