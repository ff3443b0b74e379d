"""NukeHost beyond the contract, on the FAKE nuke module; saved .nk text read from outside."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from stalker_core.exceptions import HostError, WorkfileError


def test_unsaved_script_is_named_root(host: Any, fake_nuke: Any) -> None:
    assert fake_nuke.root().name() == "Root"
    assert host.current_file() is None


def test_saved_nk_holds_range_fps_and_metadata(host: Any, tmp_path: Path) -> None:
    host.set_frame_range(1001, 1024)
    host.set_fps(25)
    host.set_scene_metadata({"stalker_version_id": "12"})
    path = tmp_path / "sh010_comp_v001.nk"
    host.save_file(path)
    text = path.read_text()
    assert " first_frame 1001\n last_frame 1024\n fps 25\n" in text
    assert " addUserKnob {1 stalker_metadata}\n" in text
    line = next(x for x in text.splitlines() if x.startswith(" stalker_metadata "))
    quoted = line.split(" ", 2)[2]
    assert json.loads(quoted[1:-1].replace('\\"', '"')) == {"stalker_version_id": "12"}


def test_save_onto_reserved_placeholder(host: Any, fake_nuke: Any, tmp_path: Path) -> None:
    path = tmp_path / "v002.nk"
    path.write_bytes(b"")
    host.save_file(path)
    assert path.read_text().startswith("#! nuke -nx")
    assert host.current_file() == path and not fake_nuke.modified()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v002.nk"]


def test_save_refuses_an_existing_work_file(host: Any, tmp_path: Path) -> None:
    path = tmp_path / "v001.nk"
    path.write_text("someone's script")
    with pytest.raises(WorkfileError, match="Refusing to save over the existing file"):
        host.save_file(path)
    assert path.read_text() == "someone's script" and host.current_file() is None


def test_failed_save_keeps_the_old_name(
    host: Any, fake_nuke: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "v001.nk"
    host.save_file(first)
    host.set_fps(30)

    def broken(filename: str, overwrite: int = -1) -> None:
        fake_nuke.root()["name"].setValue(filename)  # Nuke may rename before it fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(fake_nuke, "scriptSaveAs", broken)
    second = tmp_path / "v002.nk"
    with pytest.raises(WorkfileError, match="Nuke could not save .*disk full"):
        host.save_file(second)
    assert host.current_file() == first and host.has_unsaved_changes() is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v001.nk"]


def test_read_only_work_folder(
    host: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes into read-only folders: refuse as the OS would
        import stalker_core.workfiles  # the adapter reserves the name there

        def refuse(path: Any, mode: str = "r") -> Any:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(stalker_core.workfiles, "open", refuse, raising=False)
    try:
        with pytest.raises(WorkfileError, match="is not writable"):
            host.save_file(folder / "v001.nk")
        assert list(folder.iterdir()) == []
        assert host.current_file() is None
    finally:
        folder.chmod(0o755)


def test_open_uses_clear_and_read_file_and_names_the_script(
    host: Any, fake_nuke: Any, tmp_path: Path
) -> None:
    path = tmp_path / "v001.nk"
    host.set_frame_range(5, 9)
    host.save_file(path)
    host.new_file()
    calls: list[str] = []
    real_clear, real_read = fake_nuke.scriptClear, fake_nuke.scriptReadFile
    fake_nuke.scriptClear = lambda: (calls.append("clear"), real_clear())[1]
    fake_nuke.scriptReadFile = lambda s: (calls.append(f"read {s}"), real_read(s))[1]
    host.open_file(path)
    assert calls == ["clear", f"read {path}"]
    assert host.current_file() == path and host.get_frame_range() == (5, 9)


def test_open_unreadable_script_leaves_an_empty_script(host: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.nk"
    path.write_text("this is not a script\n")
    with pytest.raises(WorkfileError, match="Nuke could not open"):
        host.open_file(path)
    assert host.current_file() is None and host.list_references() == []


def test_update_sets_the_file_knob_in_one_undo_group(
    host: Any, fake_nuke: Any, tmp_path: Path
) -> None:
    v1, v2 = tmp_path / "plate_v001.exr", tmp_path / "plate_v002.exr"
    v1.write_bytes(b"x")
    v2.write_bytes(b"x")
    container = host.load_reference(v1, version_id=1)
    assert fake_nuke.toNode(container.name).Class() == "Read"
    fake_nuke.undo_log.clear()
    host.replace_reference(container, v2, version_id=2)
    [(label, changes)] = fake_nuke.undo_log
    assert label == f"Stalker: update {container.name}"
    assert {(node, knob) for node, knob, _, _ in changes} == {
        (container.name, "file"),
        (container.name, "stalker_version_id"),
    }


def test_locked_reference_is_not_replaced(host: Any, tmp_path: Path) -> None:
    v1, v2 = tmp_path / "cam_v001.abc", tmp_path / "cam_v002.abc"
    v1.write_bytes(b"x")
    v2.write_bytes(b"x")
    container = host.lock_reference(host.load_reference(v1, node_class="Camera2"))
    with pytest.raises(HostError, match="is locked"):
        host.replace_reference(container, v2)
    assert host.replace_reference(container, v2, force=True).path == v2


def test_sequences_and_unknown_files(host: Any, tmp_path: Path) -> None:
    (tmp_path / "plate.1001.exr").write_bytes(b"x")
    container = host.load_reference(tmp_path / "plate.####.exr", version_id=3)
    assert container.path == tmp_path / "plate.####.exr"
    with pytest.raises(WorkfileError, match="does not exist"):
        host.load_reference(tmp_path / "other.####.exr")
    script = tmp_path / "x.nk"
    script.write_text("")
    with pytest.raises(WorkfileError, match="cannot read"):
        host.load_reference(script)


def test_references_in_the_saved_text(host: Any, tmp_path: Path) -> None:
    geo = tmp_path / "prop_v003.abc"
    geo.write_bytes(b"x")
    host.load_reference(geo, version_id=33)
    path = tmp_path / "shot.nk"
    host.save_file(path)
    text = path.read_text()
    assert (
        f"ReadGeo2 {{\n name ReadGeo1\n file {geo.as_posix()}\n xpos 0\n ypos 0\n"
        f" addUserKnob {{1 stalker_version_id}}\n stalker_version_id 33\n"
        f" addUserKnob {{6 stalker_locked}}\n stalker_locked false\n}}"
    ) in text


def test_bad_version_id_changes_nothing(host: Any, tmp_path: Path) -> None:
    v1, v2 = tmp_path / "a_v001.exr", tmp_path / "a_v002.exr"
    v1.write_bytes(b"x")
    v2.write_bytes(b"x")
    with pytest.raises(WorkfileError, match="version_id must be an int"):
        host.load_reference(v1, version_id="7")
    assert host.list_references() == []
    container = host.load_reference(v1, version_id=1)
    with pytest.raises(WorkfileError, match="version_id must be an int"):
        host.replace_reference(container, v2, version_id=True)
    assert host.list_references() == [container]
