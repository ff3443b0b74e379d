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
from stalker_core.testing.fake_host import FakeHost  # noqa: E402
from stalker_core.workflows import (  # noqa: E402
    open_version,
    publish,
    save_as_version,
    update_references,
    validate,
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
        f"{stem}.blend",  # ONE published work file, written by Blender with absolute paths
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
    unsaved = [r for r in caught.value.results if r.is_error]
    assert [(r.title, r.plugin) for r in unsaved] == [
        ("Unsaved changes", "blender.unsaved_changes")  # once, from the Blender check
    ]
    fixed = save_as_version(host, prod.layout, "Main", "range fixed", **kw)
    assert publish(host, fixed, **kw).published


def test_each_problem_is_reported_once_in_blender(
    session: Any, tmp_path: Path, host: BlenderHost
) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}
    host.set_frame_range(1, 250)
    host.set_fps(30)
    version = save_as_version(host, prod.layout, **kw)
    bpy.ops.mesh.primitive_cube_add()  # an unsaved change
    report = validate(host, version, **kw)
    titles = [r.title for r in report.errors]
    assert sorted(titles) == ["Frame range", "Frame rate", "Unsaved changes"]
    by_title = {r.title: r for r in report.errors}
    assert by_title["Frame range"].plugin == "blender.frame_range"
    assert by_title["Unsaved changes"].plugin == "blender.unsaved_changes"
    assert by_title["Frame rate"].plugin == "publish.fps"  # Blender has no fps check of its own
    assert by_title["Frame rate"].repair is not None  # BlenderHost has set_fps
    assert {r.check for r in report.errors} == {"frame_range", "fps", "unsaved_changes"}
    assert sorted(report.skipped) == [
        ("stalker_publish.plugin", "frame_range"),
        ("stalker_publish.plugin", "unsaved_changes"),
    ]
    assert set(report.overridden) == {"frame_range", "unsaved_changes"}


def test_generic_checks_still_run_for_other_hosts_with_blender_plugin(
    session: Any, tmp_path: Path
) -> None:
    """The Blender plugin is loaded, but a non-Blender host gets the built-in checks."""
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}
    fake = FakeHost(frame_range=(1, 10), extensions=(".blend",))
    version = save_as_version(fake, prod.layout, **kw)
    fake.edit()
    report = validate(fake, version, **kw)
    assert sorted((r.title, r.plugin) for r in report.errors) == [
        ("Frame range", "publish.frame_range"),
        ("Unsaved changes", "publish.unsaved_changes"),
    ]
    assert report.overridden == {} and report.skipped == []


def test_published_blend_opens_with_links_and_images(
    session: Any, tmp_path: Path, host: BlenderHost
) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    kw = {"session": session, "pm": pm, "user": prod.user}
    build_character()
    char = save_as_version(host, prod.model, **kw)
    publish(host, char, **kw)

    # layout: link the character, use a texture of the repository
    host.new_file()
    texture = prod.root / "BP" / "textures" / "wood.png"
    texture.parent.mkdir(parents=True)
    image = bpy.data.images.new("wood", 4, 4)
    image.filepath_raw, image.file_format = str(texture), "PNG"
    image.save()
    host.load_reference(Path(char.absolute_full_path), version_id=char.id)
    image.use_fake_user = True  # kept in the file without users
    host.set_frame_range(prod.shot.cut_in, prod.shot.cut_out)
    host.set_fps(prod.shot.fps)
    layout = save_as_version(host, prod.layout, **kw)  # Blender saves the paths relative
    relative = (bpy.data.libraries[0].filepath, bpy.data.images["wood"].filepath)
    assert all(p.startswith("//") for p in relative)

    report = publish(host, layout, **kw)
    published = [p for p in report.published_paths if p.suffix == ".blend"]
    assert [p.name for p in published] == [Path(layout.absolute_full_path).name]
    assert published[0].parent == Path(layout.absolute_path) / "publish"
    # the open scene is left as it was
    assert (bpy.data.libraries[0].filepath, bpy.data.images["wood"].filepath) == relative
    assert host.current_file() == Path(layout.absolute_full_path)
    assert host.has_unsaved_changes() is False

    host.open_file(published[0])
    (ref,) = host.list_references()
    assert ref.path == Path(char.absolute_full_path) and ref.path.is_file()
    assert ref.version_id == char.id
    assert bpy.data.collections["hero"].library is not None  # linked data loaded
    assert "hero_body" in bpy.data.objects
    wood = bpy.data.images["wood"]
    assert Path(bpy.path.abspath(wood.filepath)) == texture
    assert tuple(wood.size) == (4, 4)  # the pixels load from the texture file
    assert host.get_scene_metadata()["stalker_version_id"] == str(layout.id)
