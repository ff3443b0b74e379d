"""``MayaHost`` beyond the contract, on the FAKE ``maya.cmds``: files checked from outside."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from stalker_maya.adapter import MayaHost
from stalker_maya.timeunits import TIME_UNITS, fps_of_unit, unit_of_fps

from stalker_core.exceptions import ValidationError, WorkfileError


def test_saved_scene_text(host: MayaHost, tmp_path: Path) -> None:
    ref = tmp_path / "prop_v003.ma"
    host.save_file(ref)
    host.new_file()
    host.set_scene_metadata({"stalker_version_id": "12"})
    host.set_frame_range(1001, 1010)
    host.set_fps(25)
    container = host.load_reference(ref, version_id=3)
    host.lock_reference(container)
    shot = tmp_path / "shot_v001.ma"
    host.save_file(shot)
    text = shot.read_text()
    assert text.startswith("//Maya ASCII ")
    assert f'file -r -ns "prop_v003" -dr 1 -rfn "prop_v003RN" "{ref.as_posix()}";' in text
    assert 'fileInfo "stalker_version_id" "12";' in text
    assert "currentUnit -l centimeter -a degree -t pal;" in text
    assert "playbackOptions -min 1001 -max 1010 -ast 1001 -aet 1010" in text
    assert 'createNode objectSet -n "prop_v003_CON";' in text
    assert 'setAttr ".stalkerVersionId" -type "string" "3";' in text
    assert 'setAttr ".stalkerLocked" -type "string" "1";' in text


def test_save_uses_the_type_of_the_extension(host: MayaHost, cmds: Any, tmp_path: Path) -> None:
    host.save_file(tmp_path / "a.ma")
    saves = [opts["type"] for name, _, opts in cmds._calls() if name == "file" and "save" in opts]
    assert saves == ["mayaAscii"]
    with pytest.raises(WorkfileError, match="mayaBinary"):  # the fake cannot write .mb
        host.save_file(tmp_path / "b.mb")
    saves = [opts["type"] for name, _, opts in cmds._calls() if name == "file" and "save" in opts]
    assert saves == ["mayaAscii", "mayaBinary"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ma"]
    assert host.current_file() == tmp_path / "a.ma"


def test_save_refuses_other_extensions(host: MayaHost, tmp_path: Path) -> None:
    with pytest.raises(WorkfileError, match=r"\.ma, \.mb"):
        host.save_file(tmp_path / "a.blend")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder_leaves_nothing(host: MayaHost, tmp_path: Path) -> None:
    host.save_file(tmp_path / "old.ma")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(WorkfileError, match="could not save"):
            host.save_file(locked / "new.ma")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
    assert host.current_file() == tmp_path / "old.ma"


def test_failed_save_keeps_the_reserved_placeholder(host: MayaHost, tmp_path: Path) -> None:
    placeholder = tmp_path / "v002.mb"
    placeholder.touch()
    with pytest.raises(WorkfileError):
        host.save_file(placeholder)
    assert placeholder.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v002.mb"]


def test_open_reports_missing_file(host: MayaHost, tmp_path: Path) -> None:
    with pytest.raises(WorkfileError, match="does not exist"):
        host.open_file(tmp_path / "none.ma")


def test_open_scene_with_missing_reference(host: MayaHost, cmds: Any, tmp_path: Path) -> None:
    ref = tmp_path / "prop.ma"
    host.save_file(ref)
    host.new_file()
    host.load_reference(ref, version_id=1)
    host.save_file(tmp_path / "shot.ma")
    ref.unlink()
    host.open_file(tmp_path / "shot.ma")
    [container] = host.list_references()
    assert container.path == ref and not container.path.exists()
    assert cmds.referenceQuery("propRN", isLoaded=True) is False


def test_unique_namespaces_and_remove_clears_namespace(
    host: MayaHost, cmds: Any, tmp_path: Path
) -> None:
    ref = tmp_path / "prop.ma"
    host.save_file(ref)
    host.new_file()
    first = host.load_reference(ref, version_id=1)
    second = host.load_reference(ref, version_id=1)
    assert (first.name, second.name) == ("prop_CON", "prop1_CON")
    host.remove_reference(first)
    assert cmds.namespace(exists="prop") is False
    assert cmds.objExists("prop_CON") is False
    assert [c.name for c in host.list_references()] == ["prop1_CON"]


def test_replace_keeps_the_reference_node_and_namespace(
    host: MayaHost, cmds: Any, tmp_path: Path
) -> None:
    v1, v2 = tmp_path / "prop_v001.ma", tmp_path / "prop_v002.ma"
    host.save_file(v1)
    host.save_file(v2)
    host.new_file()
    container = host.load_reference(v1, version_id=1)
    host.replace_reference(container, v2, version_id=2)
    assert cmds.referenceQuery("prop_v001RN", namespace=True) == ":prop_v001"
    assert cmds.referenceQuery("prop_v001RN", filename=True) == v2.as_posix()


def test_replace_with_missing_file_changes_nothing(host: MayaHost, tmp_path: Path) -> None:
    v1 = tmp_path / "prop_v001.ma"
    host.save_file(v1)
    host.new_file()
    container = host.load_reference(v1, version_id=1)
    with pytest.raises(WorkfileError, match="does not exist"):
        host.replace_reference(container, tmp_path / "gone.ma", version_id=2)
    assert host.list_references() == [container]


def test_fps_with_no_maya_unit(host: MayaHost) -> None:
    host.set_frame_range(1, 10)
    before = host.get_fps()
    with pytest.raises(ValidationError, match="no time unit for 23.5 fps"):
        host.set_fps(23.5)
    assert host.get_fps() == before


def test_set_fps_keeps_the_frame_range(host: MayaHost) -> None:
    host.set_frame_range(1001, 1100)
    host.set_fps(30000 / 1001)
    assert host.get_frame_range() == (1001, 1100)


def test_bad_frame_range(host: MayaHost) -> None:
    with pytest.raises(ValidationError, match="after the last"):
        host.set_frame_range(10, 1)


@pytest.mark.parametrize(
    ("unit", "fps"),
    [("film", 24), ("pal", 25), ("ntsc", 30), ("game", 15), ("show", 48), ("palf", 50),
     ("ntscf", 60), ("23.976fps", 23.976), ("29.97fps", 29.97), ("59.94fps", 59.94),
     ("120fps", 120)],
)
def test_time_unit_table(unit: str, fps: float) -> None:
    assert unit_of_fps(fps) == unit
    assert fps_of_unit(unit) == pytest.approx(fps, abs=1e-3)


def test_every_unit_of_the_table_is_a_maya_unit(cmds: Any) -> None:
    assert {name for name, _ in TIME_UNITS} == set(cmds.TIME_UNITS)


def test_metadata_rejects_non_strings(host: MayaHost) -> None:
    with pytest.raises(ValidationError):
        host.set_scene_metadata({"k": 1})  # type: ignore[dict-item]


def test_failed_rename_onto_the_reserved_name_leaves_nothing(
    host: MayaHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root a read-only folder is writable, so the refused rename is simulated."""
    host.save_file(tmp_path / "old.ma")

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    host.set_scene_metadata({"changed": "yes"})
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WorkfileError, match="Permission denied"):
        host.save_file(tmp_path / "new.ma")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.ma"]
    assert host.current_file() == tmp_path / "old.ma"
    assert host.has_unsaved_changes() is True
