"""The FAKE nuke module itself: it refuses what it does not model and writes real .nk text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def test_unknown_function_raises(fake_nuke: Any) -> None:
    with pytest.raises(AttributeError, match="does not model nuke.scriptOpen"):
        fake_nuke.scriptOpen("/tmp/x.nk")


def test_unknown_knob_and_class_raise(fake_nuke: Any) -> None:
    read = fake_nuke.createNode("Read", inpanel=False)
    with pytest.raises(NameError, match="knob colorspace does not exist"):
        read["colorspace"]
    assert read.knob("colorspace") is None
    with pytest.raises(RuntimeError, match="Blur: unknown command"):
        fake_nuke.createNode("Blur")


def test_save_writes_nk_text_and_read_round_trips(fake_nuke: Any, tmp_path: Path) -> None:
    root = fake_nuke.root()
    root["first_frame"].setValue(1001)
    root["last_frame"].setValue(1010)
    root.addKnob(fake_nuke.String_Knob("note"))
    root["note"].setValue('a "quoted" [tcl] $value\nsecond line')
    write = fake_nuke.createNode("Write", inpanel=False)
    write["file"].setValue("/renders/shot.####.exr")
    path = tmp_path / "shot.nk"
    fake_nuke.scriptSaveAs(str(path), overwrite=0)
    text = path.read_text()
    assert text.startswith("#! nuke -nx\nversion ")
    assert f"Root {{\n name {path}\n first_frame 1001\n last_frame 1010\n" in text
    assert ' addUserKnob {1 note}\n note "a \\"quoted\\" \\[tcl\\] \\$value\\nsecond line"' in text
    assert "Write {\n name Write1\n file /renders/shot.####.exr\n xpos 0\n" in text
    assert fake_nuke.root().name() == str(path) and not fake_nuke.modified()
    fake_nuke.scriptClear()
    assert fake_nuke.root().name() == "Root" and fake_nuke.allNodes() == []
    fake_nuke.scriptReadFile(str(path))
    assert fake_nuke.root()["note"].value() == 'a "quoted" [tcl] $value\nsecond line'
    assert fake_nuke.root().name() == "Root"  # reading a file does not rename the script
    assert [n.name() for n in fake_nuke.allNodes("Write")] == ["Write1"]


def test_save_as_never_overwrites_with_overwrite_0(fake_nuke: Any, tmp_path: Path) -> None:
    path = tmp_path / "taken.nk"
    path.write_text("")
    with pytest.raises(RuntimeError, match="already exists"):
        fake_nuke.scriptSaveAs(str(path), overwrite=0)
    assert path.read_text() == "" and fake_nuke.root().name() == "Root"


def test_read_file_refuses_what_it_does_not_model(fake_nuke: Any, tmp_path: Path) -> None:
    path = tmp_path / "other.nk"
    path.write_text("Root {\n first_frame 5\n}\nset N1 [stack 0]\n")
    with pytest.raises(RuntimeError, match="line 4: expected 'Class {'"):
        fake_nuke.scriptReadFile(str(path))
    assert fake_nuke.root()["first_frame"].value() == 1  # nothing applied
    path.write_text("Root {\n inputs 0\n}\n")
    with pytest.raises(NameError, match="knob inputs does not exist"):
        fake_nuke.scriptReadFile(str(path))


def test_execute_writes_one_file_per_frame(fake_nuke: Any, tmp_path: Path) -> None:
    write = fake_nuke.createNode("Write", inpanel=False)
    write["file"].setValue(str(tmp_path / "out.%04d.exr"))
    fake_nuke.execute(write, 1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.0001.exr", "out.0002.exr", "out.0003.exr"
    ]
    write["file"].setValue(str(tmp_path / "missing" / "out.####.exr"))
    with pytest.raises(RuntimeError, match="Can't open output file"):
        fake_nuke.execute(write, 1, 1)


def test_menu_only_in_gui(fake_nuke: Any) -> None:
    with pytest.raises(RuntimeError, match="only in the GUI"):
        fake_nuke.menu("Nuke")
    fake_nuke._reset(gui=True)
    item = fake_nuke.menu("Nuke").addMenu("Stalker").addCommand("Hello", lambda: 42)
    assert item.invoke() == 42
