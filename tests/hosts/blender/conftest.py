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
    bpy = pytest.importorskip("bpy", exc_type=ImportError)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    yield bpy
    bpy.ops.wm.read_factory_settings(use_empty=True)


@pytest.fixture
def host(fresh_blender: Any) -> Any:
    """A BlenderHost on the empty scene."""
    from stalker_blender.adapter import BlenderHost

    return BlenderHost()


@pytest.fixture
def make_asset(tmp_path: Path) -> Callable[..., Path]:
    """``make_asset(name, collection=..., x=...)`` writes an asset .blend under tmp_path."""

    from blender_project import build_asset_file

    def make(name: str, collection: str = "character", x: float = 0.0, objects: int = 1) -> Path:
        return build_asset_file(tmp_path / "assets" / f"{name}.blend", collection, x, objects)

    return make
