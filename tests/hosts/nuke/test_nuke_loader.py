"""The Loader's actions for Nuke, on the FAKE ``nuke``: the core's Reference and Nuke's Camera.

There is no "Read node" action: Reference already makes a Read (or ReadGeo2) node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.controllers.registry import ui_actions


class Version:
    """Stands for the Version the Loader passes (only its id is used)."""

    id = 42


def actions(host: Any) -> dict[str, Any]:
    from nuke_project import plugin_manager

    return {a.name: a for a in ui_actions(host, "loader", plugin_manager())}


def test_nuke_offers_reference_and_camera_only(host: Any) -> None:
    found = actions(host)
    assert [(a.name, a.label) for a in found.values()] == [
        ("core.reference", "Reference"), ("nuke.camera", "Camera")
    ]
    camera = found["nuke.camera"]
    assert camera.accepts("cam.abc") and camera.accepts("cam.FBX") and not camera.accepts("a.exr")


def test_reference_makes_a_read_node(fake_nuke: Any, host: Any, tmp_path: Path) -> None:
    frame = tmp_path / "plate.1001.exr"
    frame.write_bytes(b"exr")
    container = actions(host)["core.reference"].run(
        host=host, version=Version(), path=tmp_path / "plate.####.exr"
    )
    node = fake_nuke.toNode(container.name)
    assert node.Class() == "Read" and container.version_id == 42


def test_camera_makes_a_camera2_reading_the_file(
    fake_nuke: Any, host: Any, tmp_path: Path
) -> None:
    path = tmp_path / "shot_cam.abc"
    path.write_bytes(b"fake alembic\n")
    container = actions(host)["nuke.camera"].run(host=host, version=Version(), path=path)
    node = fake_nuke.toNode(container.name)
    assert node.Class() == "Camera2" and node["read_from_file"].value() is True
    assert [(c.name, c.path, c.version_id) for c in host.list_references()] == [
        (container.name, path, 42)
    ]
    reference = actions(host)["core.reference"].run(host=host, version=Version(), path=path)
    assert fake_nuke.toNode(reference.name).Class() == "ReadGeo2"  # the same file as geometry
