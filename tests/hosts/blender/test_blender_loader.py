"""Load Published in Blender's sidebar: followed references, untracked File > Link libraries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

import stalker_blender  # noqa: E402
from blender_project import build_character, build_production, plugin_manager  # noqa: E402
from stalker_blender import loader  # noqa: E402
from stalker_blender.adapter import BlenderHost  # noqa: E402
from stalker_blender.panel import STALKER_PT_references  # noqa: E402
from stalker_blender.runtime import runtime  # noqa: E402
from test_blender_addon import RecordingLayout  # noqa: E402

pytestmark = pytest.mark.blender


@pytest.fixture
def pipeline(session: Any, tmp_path: Path, fresh_blender: Any) -> Iterator[Any]:
    """The add-on registered over a small production (both databases)."""
    stalker_blender.register()
    prod = build_production(session, tmp_path / "repo")
    runtime.configure(session=session, pm=plugin_manager())
    loader.forget()
    yield prod
    stalker_blender.unregister()
    runtime.configure()
    loader.forget()


def publish_character(prod: Any, x: float) -> Any:
    """Save the current scene (a character at ``x``) as a version of the model task; publish it."""
    from stalker_core.workflows import publish

    bpy.ops.wm.read_factory_settings(use_empty=True)
    build_character(x=x)
    bpy.ops.stalker.save_as_version(task_id=prod.model.id)
    version = runtime.scene_version()
    publish(BlenderHost(), version, session=runtime.session(), pm=runtime.plugin_manager())
    return version


def draw_references() -> list[str]:
    log: list[str] = []
    STALKER_PT_references.draw(SimpleNamespace(layout=RecordingLayout(log)), bpy.context)
    return log


def test_load_published_is_followed_by_update_references(pipeline: Any) -> None:
    v1 = publish_character(pipeline, x=1.0)
    BlenderHost().new_file()
    assert draw_references() == ["[stalker.load_published]", "No linked libraries"]
    labels = [label for _id, label, _d in loader.published_items()]
    assert labels == ["Hero / model Main v001"]

    assert bpy.ops.stalker.load_published(version_id=v1.id) == {"FINISHED"}
    [container] = BlenderHost().list_references()
    assert container.version_id == v1.id
    assert container.path.parent.name == "publish"  # the published copy
    assert bpy.data.objects["hero_body"].location.x == 1.0
    assert draw_references()[1] == f"{container.name}: v001, up to date"

    bpy.ops.wm.save_as_mainfile(filepath=str(pipeline.root / "shot.blend"))
    v2 = publish_character(pipeline, x=7.0)
    bpy.ops.wm.open_mainfile(filepath=str(pipeline.root / "shot.blend"))
    loader.forget()
    assert draw_references()[1] == f"{container.name}: v001, v002 is published"
    assert bpy.ops.stalker.update_references() == {"FINISHED"}
    assert bpy.data.objects["hero_body"].location.x == 7.0
    [updated] = BlenderHost().list_references()
    assert updated.version_id == v2.id


def test_plain_file_link_is_untracked_not_up_to_date(pipeline: Any) -> None:
    from stalker_core.workflows import update_references

    v1 = publish_character(pipeline, x=1.0)
    BlenderHost().new_file()
    published = next(f.path for f in loader.controller().version(v1.id).files  # type: ignore
                     if f.kind == "published")
    # what the artist does with File > Link
    bpy.ops.wm.link(directory=f"{published}/Collection/", filename="hero")
    [container] = BlenderHost().list_references()
    assert container.version_id is None
    assert draw_references()[1:] == [
        f"{container.name}: {loader.UNTRACKED}",
        "1 untracked: relink them with Load Published",
    ]
    report = update_references(BlenderHost(), session=runtime.session(),
                               pm=runtime.plugin_manager())
    message, warnings = loader.update_summary(report)
    assert message == "0 updated, 0 up to date, 1 untracked, 0 locked, 0 kept by a plugin"
    assert warnings == [
        f"{container.name} is untracked: it was linked without a version (File > Link), so "
        f"it is never updated; remove it and use Load Published"
    ]
    assert bpy.ops.stalker.update_references() == {"FINISHED"}


def test_load_published_reports_what_went_wrong(pipeline: Any) -> None:
    assert loader.published_items() == [("0", "No published .blend versions",
                                         "Publish a version first")]
    with pytest.raises(RuntimeError, match="Pick a published version"):
        bpy.ops.stalker.load_published()
    v1 = publish_character(pipeline, x=1.0)
    BlenderHost().new_file()
    with pytest.raises(RuntimeError, match="999999 is no longer published or was deleted"):
        bpy.ops.stalker.load_published(version_id=999999)
    row = loader.controller().version(v1.id)
    assert row is not None
    published = row.file_for()
    assert published is not None and published.kind == "published"
    published.path.unlink()
    loader.forget()
    assert loader.published_items()[0][2].startswith(f"{published.path.name} (MISSING)")
    with pytest.raises(RuntimeError, match="The published file of Hero / model Main v001 is "
                                           "missing"):
        bpy.ops.stalker.load_published(version_id=v1.id)
    assert BlenderHost().list_references() == []
    # the version's work file still loads, recording the version too
    assert bpy.ops.stalker.load_published(version_id=v1.id,
                                          path=v1.absolute_full_path) == {"FINISHED"}
    assert [c.version_id for c in BlenderHost().list_references()] == [v1.id]


def test_published_items_pick_the_scene_project(pipeline: Any, session: Any,
                                               tmp_path: Path) -> None:
    v1 = publish_character(pipeline, x=1.0)
    assert runtime.scene_task() == pipeline.model
    items = loader.published_items()
    assert [(int(i), label) for i, label, _d in items] == [(v1.id, "Hero / model Main v001")]
    assert loader.published_items() is items  # cached until forget()
    bpy.ops.wm.read_factory_settings(use_empty=True)
    loader.forget()
    labels = [label for _i, label, _d in loader.published_items()]
    assert labels == ["Hero / model Main v001"]  # no scene project: every project
