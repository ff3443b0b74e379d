"""BlenderHost with real bpy: files, unsaved changes, timeline, metadata, re-fetch after load."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

from stalker_blender.adapter import METADATA_PROPERTY, BlenderHost  # noqa: E402
from stalker_blender.tracking import HANDLER_TAG, ChangeTracker, get_tracker  # noqa: E402

from stalker_core.exceptions import StalkerTypeError, ValidationError, WorkfileError  # noqa: E402

pytestmark = pytest.mark.blender


def _add_cube() -> None:
    bpy.ops.mesh.primitive_cube_add()


# -- save / open round trips --------------------------------------------------------------


def test_save_open_round_trip_keeps_scene_content(host: BlenderHost, tmp_path: Path) -> None:
    _add_cube()
    bpy.data.objects["Cube"].location = (1.0, 2.0, 3.0)
    path = tmp_path / "shot_v001.blend"
    host.save_file(path)
    assert host.current_file() == path
    host.new_file()
    assert "Cube" not in bpy.data.objects and host.current_file() is None
    host.open_file(path)
    assert host.current_file() == path
    assert tuple(bpy.data.objects["Cube"].location) == (1.0, 2.0, 3.0)


def test_save_refuses_existing_non_empty_file(host: BlenderHost, tmp_path: Path) -> None:
    path = tmp_path / "v001.blend"
    path.write_bytes(b"someone else's work")
    with pytest.raises(WorkfileError, match="Refusing to save over"):
        host.save_file(path)
    assert path.read_bytes() == b"someone else's work"
    assert host.current_file() is None


def test_save_over_reserved_placeholder_leaves_no_backup(host: BlenderHost, tmp_path: Path) -> None:
    path = tmp_path / "v001.blend"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.close(fd)
    _add_cube()
    host.save_file(path)
    assert path.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v001.blend"]
    # the user's backup preference is restored afterwards
    assert bpy.context.preferences.filepaths.save_version == 1


def test_save_rejects_relative_or_foreign_paths(host: BlenderHost, tmp_path: Path) -> None:
    with pytest.raises(WorkfileError, match="absolute"):
        host.save_file(Path("relative.blend"))
    with pytest.raises(WorkfileError, match=r"\.blend"):
        host.save_file(tmp_path / "scene.ma")
    assert list(tmp_path.iterdir()) == []


def test_open_rejects_non_blend_and_corrupt_files(host: BlenderHost, tmp_path: Path) -> None:
    bad = tmp_path / "broken.blend"
    bad.write_bytes(b"not a blend file at all")
    with pytest.raises(WorkfileError, match="could not open"):
        host.open_file(bad)
    with pytest.raises(WorkfileError, match="does not exist"):
        host.open_file(tmp_path / "missing.blend")


def test_saved_path_is_reported_after_save_as_chain(host: BlenderHost, tmp_path: Path) -> None:
    first, second = tmp_path / "a_v001.blend", tmp_path / "a_v002.blend"
    host.save_file(first)
    _add_cube()
    host.save_file(second)
    host.open_file(first)
    assert "Cube" not in bpy.data.objects
    host.open_file(second)
    assert "Cube" in bpy.data.objects


# -- unsaved changes ------------------------------------------------------------------------


def test_fresh_scene_is_clean_and_edits_make_it_dirty(host: BlenderHost) -> None:
    assert host.has_unsaved_changes() is False
    _add_cube()  # an operator: reaches the depsgraph_update_post handler
    assert host.has_unsaved_changes() is True


def test_rna_edit_is_seen_at_the_next_depsgraph_update(host: BlenderHost, tmp_path: Path) -> None:
    _add_cube()
    host.save_file(tmp_path / "a.blend")
    assert host.has_unsaved_changes() is False
    bpy.data.objects["Cube"].location.x = 4.0
    bpy.context.view_layer.update()
    assert host.has_unsaved_changes() is True


def test_save_and_open_make_it_clean(host: BlenderHost, tmp_path: Path) -> None:
    _add_cube()
    path = tmp_path / "a.blend"
    host.save_file(path)
    assert host.has_unsaved_changes() is False
    _add_cube()
    assert host.has_unsaved_changes() is True
    host.open_file(path)
    assert host.has_unsaved_changes() is False


def test_blender_save_operator_and_new_file_make_it_clean(
    host: BlenderHost, tmp_path: Path
) -> None:
    _add_cube()
    host.save_file(tmp_path / "a.blend")
    _add_cube()
    bpy.ops.wm.save_mainfile()  # the artist pressing Ctrl+S: save_post handler
    assert host.has_unsaved_changes() is False
    _add_cube()
    host.new_file()
    assert host.has_unsaved_changes() is False


def test_saving_a_copy_does_not_make_it_clean(host: BlenderHost, tmp_path: Path) -> None:
    host.save_file(tmp_path / "a.blend")
    _add_cube()
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "copy.blend"), copy=True)
    assert host.current_file() == tmp_path / "a.blend"
    assert host.has_unsaved_changes() is True


def test_adapter_edits_make_it_dirty(host: BlenderHost, tmp_path: Path) -> None:
    for edit in (
        lambda: host.set_frame_range(1, 10),
        lambda: host.set_fps(30),
        lambda: host.set_scene_metadata({"k": "v"}),
    ):
        host.save_file(tmp_path / f"{len(list(tmp_path.iterdir()))}.blend")
        assert host.has_unsaved_changes() is False
        edit()
        assert host.has_unsaved_changes() is True


def test_undo_marks_dirty(host: BlenderHost, tmp_path: Path) -> None:
    tracker = host.tracker
    tracker.mark_clean()
    tracker._on_undo_redo()
    assert host.has_unsaved_changes() is True


def test_tracker_trusting_blender_flag_combines_it(fresh_blender: Any) -> None:
    tracker = ChangeTracker(trust_blender_flag=True)
    # module-mode bpy always says dirty; trusting it reports dirty, own flag alone would not
    assert tracker.is_dirty() is bool(bpy.data.is_dirty)
    tracker._on_depsgraph_update(None, None)
    assert tracker._dirty is False  # depsgraph updates are ignored in this mode
    assert ChangeTracker(trust_blender_flag=False).is_dirty() is False


def test_handlers_are_installed_once_and_persistent(host: BlenderHost) -> None:
    tracker = get_tracker()
    tracker.install()
    tracker.install()
    tagged = [h for h in bpy.app.handlers.load_post if getattr(h, HANDLER_TAG, None)]
    assert len(tagged) == 1
    assert hasattr(tagged[0], "_bpy_persistent")  # what bpy.app.handlers.persistent sets
    bpy.ops.wm.read_factory_settings(use_empty=True)
    assert tagged[0] in bpy.app.handlers.load_post


def test_uninstalled_tracker_stops_listening(fresh_blender: Any) -> None:
    tracker = ChangeTracker(trust_blender_flag=False)
    tracker.install()
    try:
        _add_cube()
        assert tracker.is_dirty()
    finally:
        tracker.uninstall()
        get_tracker().install()  # the process-wide tracker's handlers were replaced
    tracker.mark_clean()
    _add_cube()
    assert tracker.is_dirty() is False


# -- timeline -------------------------------------------------------------------------------


def test_frame_range_moves_past_current_end(host: BlenderHost) -> None:
    host.set_frame_range(1001, 1100)  # start beyond the default end (250)
    assert host.get_frame_range() == (1001, 1100)
    host.set_frame_range(1, 5)
    assert host.get_frame_range() == (1, 5)


def test_frame_range_validation(host: BlenderHost) -> None:
    with pytest.raises(ValidationError, match="after last frame"):
        host.set_frame_range(10, 1)
    with pytest.raises(StalkerTypeError):
        host.set_frame_range(1.5, 10)  # type: ignore[arg-type]
    host.set_frame_range(10, 20)
    with pytest.raises(ValidationError, match="cannot use the range -5-20"):
        host.set_frame_range(-5, 20)
    with pytest.raises(ValidationError, match="cannot use"):
        host.set_frame_range(1, 2_000_000)
    assert host.get_frame_range() == (10, 20)


def test_fps_whole_and_fractional(host: BlenderHost, tmp_path: Path) -> None:
    host.set_fps(25)
    assert host.get_fps() == 25.0
    host.set_fps(24000 / 1001)
    assert bpy.context.scene.render.fps == 24
    assert host.get_fps() == pytest.approx(23.976, abs=1e-3)
    path = tmp_path / "fps.blend"
    host.save_file(path)
    host.new_file()
    host.open_file(path)
    assert host.get_fps() == pytest.approx(23.976, abs=1e-3)
    with pytest.raises(ValidationError):
        host.set_fps(0)


# -- metadata -------------------------------------------------------------------------------


def test_metadata_lives_in_scene_custom_properties(host: BlenderHost, tmp_path: Path) -> None:
    host.set_scene_metadata({"stalker_version_id": "42", "take": "Main"})
    group = bpy.context.scene[METADATA_PROPERTY]
    assert group["stalker_version_id"] == "42"
    path = tmp_path / "meta.blend"
    host.save_file(path)
    host.new_file()
    assert host.get_scene_metadata() == {}
    host.open_file(path)
    assert host.get_scene_metadata() == {"stalker_version_id": "42", "take": "Main"}


def test_metadata_values_become_strings_and_keys_are_checked(host: BlenderHost) -> None:
    host.set_scene_metadata({"stalker_version_id": 7})  # type: ignore[dict-item]
    assert host.get_scene_metadata() == {"stalker_version_id": "7"}
    with pytest.raises(StalkerTypeError):
        host.set_scene_metadata({1: "x"})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="63"):
        host.set_scene_metadata({"k" * 64: "x"})
    with pytest.raises(StalkerTypeError):
        host.set_scene_metadata([("a", "b")])  # type: ignore[arg-type]


def test_foreign_scene_property_does_not_break_metadata(host: BlenderHost) -> None:
    bpy.context.scene[METADATA_PROPERTY] = 5  # someone else wrote a plain value
    assert host.get_scene_metadata() == {}
    host.set_scene_metadata({"a": "b"})
    assert host.get_scene_metadata() == {"a": "b"}


# -- re-fetching after a load ---------------------------------------------------------------


def test_held_scene_data_becomes_invalid_and_host_refetches(
    host: BlenderHost, tmp_path: Path
) -> None:
    host.set_frame_range(1, 20)
    path = tmp_path / "a.blend"
    host.save_file(path)
    held = host.scene
    host.new_file()
    with pytest.raises(ReferenceError):
        _ = held.frame_start  # Blender freed the old scene
    assert host.get_frame_range() != (1, 20)
    host.open_file(path)
    assert host.get_frame_range() == (1, 20)
    assert host.scene.name == bpy.context.scene.name


def test_on_load_callbacks_run_after_each_load(host: BlenderHost, tmp_path: Path) -> None:
    seen: list[str] = []

    def refetch() -> None:
        seen.append(bpy.context.scene.name)

    host.on_load(refetch)
    try:
        path = tmp_path / "a.blend"
        host.save_file(path)
        host.open_file(path)
        host.new_file()
        assert len(seen) == 2
    finally:
        host.tracker.remove_on_load(refetch)


def test_failing_on_load_callback_does_not_break_loading(host: BlenderHost, tmp_path: Path) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    host.on_load(broken)
    try:
        path = tmp_path / "a.blend"
        host.save_file(path)
        host.open_file(path)
        assert host.current_file() == path
    finally:
        host.tracker.remove_on_load(broken)


def test_main_window_is_none_and_repr(host: BlenderHost) -> None:
    assert host.main_window() is None
    assert "BlenderHost" in repr(host)
