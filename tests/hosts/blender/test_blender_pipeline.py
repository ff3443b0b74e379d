"""The full cycle in real Blender, on SQLite and PostgreSQL.

A modeler saves and publishes a character; a layout artist links it in a shot;
the modeler publishes a new version; the layout scene updates its reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

from blender_project import build_character, build_production, plugin_manager  # noqa: E402
from stalker_blender.adapter import BlenderHost  # noqa: E402
from stalker_blender.publish.collect import mark_for_export  # noqa: E402

from stalker_core.exceptions import PublishValidationError  # noqa: E402
from stalker_core.workflows import (  # noqa: E402
    open_version,
    publish,
    save_as_version,
    update_references,
)

pytestmark = pytest.mark.blender


def test_save_publish_update_references_cycle(
    session: Any, tmp_path: Path, host: BlenderHost
) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}

    # modeler: character v001, published with an Alembic cache of the character
    build_character(x=0.0)
    mark_for_export(bpy.data.collections["hero"], "abc")
    char_v1 = save_as_version(host, prod.model, "Main", "first pass", **kw)
    assert host.current_file() == Path(char_v1.absolute_full_path)
    assert host.get_scene_metadata()["stalker_version_id"] == str(char_v1.id)
    assert char_v1.created_with == "blender"
    report = publish(host, char_v1, **kw)
    assert report.published and char_v1.is_published
    stem = Path(char_v1.absolute_full_path).stem
    assert sorted(p.name for p in report.published_paths) == [
        f"{stem}.blend",  # the work file copy (built-in publish plugin)
        f"{stem}_absolute.blend",  # written by Blender, paths absolute
        f"{stem}_hero.abc",  # the marked collection
    ]
    assert all(p.parent == Path(char_v1.absolute_path) / "publish" for p in report.published_paths)
    assert sorted(f.name for f in char_v1.outputs) == sorted(p.name for p in report.published_paths)

    # layout: link the published character into the shot, with the shot's range
    host.new_file()
    container = host.load_reference(Path(char_v1.absolute_full_path), version_id=char_v1.id)
    host.set_frame_range(prod.shot.cut_in, prod.shot.cut_out)
    host.set_fps(prod.shot.fps)
    layout_v1 = save_as_version(host, prod.layout, "Main", "blocking", **kw)
    assert publish(host, layout_v1, **kw).published
    assert [c.version_id for c in host.list_references()] == [char_v1.id]

    # modeler: v002 from v001, moved, published
    open_version(host, char_v1, **kw)
    bpy.data.objects["hero_body"].location.x = 7.0
    bpy.context.view_layer.update()
    char_v2 = save_as_version(host, prod.model, "Main", "moved", **kw)
    assert char_v2.version_number == 2 and char_v2.parent == char_v1
    publish(host, char_v2, **kw)

    # layout: reopen, the after-open check sees the outdated reference; update it
    result = open_version(host, layout_v1, **kw)
    assert [c.title for c in result.problems] == ["Outdated references"]
    assert bpy.data.objects["hero_body"].location.x == 0.0
    update = update_references(host, session=session, pm=pm)
    assert [(c.name, old.id, new.id) for c, old, new in update.updated] == [
        (container.name, char_v1.id, char_v2.id)
    ]
    assert bpy.data.objects["hero_body"].location.x == 7.0
    assert host.has_unsaved_changes() is True
    layout_v2 = save_as_version(host, prod.layout, "Main", "updated hero", **kw)

    host.new_file()
    open_version(host, layout_v2, **kw)
    (ref,) = host.list_references()
    assert ref.version_id == char_v2.id and ref.path == Path(char_v2.absolute_full_path)
    assert bpy.data.objects["hero_body"].location.x == 7.0


def test_locked_reference_is_kept(session: Any, tmp_path: Path, host: BlenderHost) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}
    build_character()
    v1 = save_as_version(host, prod.model, **kw)
    publish(host, v1, **kw)
    bpy.data.objects["hero_body"].location.x = 3.0
    bpy.context.view_layer.update()
    v2 = save_as_version(host, prod.model, **kw)
    publish(host, v2, **kw)

    host.new_file()
    host.lock_reference(host.load_reference(Path(v1.absolute_full_path), version_id=v1.id))
    report = update_references(host, session=session, pm=pm)
    assert report.updated == [] and [c.version_id for c in report.locked] == [v1.id]
    assert host.list_references()[0].path == Path(v1.absolute_full_path)


def test_publish_stops_on_blender_validation_and_repairs(
    session: Any, tmp_path: Path, host: BlenderHost
) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}
    host.set_frame_range(1, 250)
    bpy.context.scene.use_preview_range = True
    bpy.context.scene.frame_preview_start, bpy.context.scene.frame_preview_end = 10, 20
    version = save_as_version(host, prod.layout, **kw)
    with pytest.raises(PublishValidationError) as caught:
        publish(host, version, **kw)
    blender = sorted(r.title for r in caught.value.results if r.plugin.startswith("blender"))
    assert blender == ["Frame range", "Preview range"]
    assert not version.is_published
    with pytest.raises(PublishValidationError) as caught:
        publish(host, version, auto_repair=True, **kw)
    # the repairs fixed the scene, which now differs from the version's file
    assert host.get_frame_range() == (1001, 1048)
    assert bpy.context.scene.use_preview_range is False
    assert sorted(r.title for r in caught.value.results if r.is_error) == [
        "Unsaved changes",
        "Unsaved changes",
    ]
    fixed = save_as_version(host, prod.layout, "Main", "range fixed", **kw)
    assert publish(host, fixed, **kw).published
