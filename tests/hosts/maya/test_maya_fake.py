"""The FAKE ``maya.cmds`` itself: it refuses what it does not model and writes real ``.ma`` text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def test_unknown_flag_raises(cmds: Any) -> None:
    with pytest.raises(TypeError, match="Invalid flag 'exportAll'"):
        cmds.file("/tmp/x.ma", exportAll=True)


def test_unknown_command_raises(cmds: Any) -> None:
    with pytest.raises(AttributeError):
        cmds.polyCube  # noqa: B018 - attribute access is the test


def test_short_and_long_flags_are_the_same(cmds: Any) -> None:
    cmds.playbackOptions(min=5, max=9)
    assert cmds.playbackOptions(q=True, minTime=True) == 5.0
    assert cmds.playbackOptions(query=True, max=True) == 9.0


def test_unknown_time_unit_raises(cmds: Any) -> None:
    with pytest.raises(RuntimeError, match="Invalid time unit"):
        cmds.currentUnit(time="24.5fps")


def test_maya_binary_is_not_modelled(cmds: Any, tmp_path: Path) -> None:
    cmds.file(rename=str(tmp_path / "a.mb"))
    with pytest.raises(RuntimeError, match="FAKE"):
        cmds.file(save=True, type="mayaBinary")
    assert not (tmp_path / "a.mb").exists()


def test_saved_file_is_maya_ascii(cmds: Any, tmp_path: Path) -> None:
    ref = tmp_path / "prop.ma"
    ref.write_text('//Maya ASCII 2025 scene\nrequires maya "2025";\n')
    cmds.fileInfo("stalker_version_id", 'say "hi"')
    cmds.currentUnit(time="23.976fps")
    cmds.playbackOptions(minTime=1001, maxTime=1048)
    cmds.file(str(ref), reference=True, namespace="prop")
    cmds.file(rename=str(tmp_path / "shot.ma"))
    cmds.file(save=True, type="mayaAscii")
    lines = (tmp_path / "shot.ma").read_text().splitlines()
    assert lines[0] == "//Maya ASCII 2025 scene"
    assert f'file -r -ns "prop" -dr 1 -rfn "propRN" "{ref.as_posix()}";' in lines
    assert 'requires maya "2025";' in lines
    assert "currentUnit -l centimeter -a degree -t 23.976fps;" in lines
    assert 'fileInfo "stalker_version_id" "say \\"hi\\"";' in lines
    assert any("playbackOptions -min 1001 -max 1048" in line for line in lines)
    assert lines[-1] == "// End of shot.ma"


def test_reads_back_what_it_wrote(cmds: Any, tmp_path: Path) -> None:
    cmds.fileInfo("k", "a\\b")
    cmds.sets(name="box", empty=True)
    cmds.addAttr("box", longName="note", dataType="string")
    cmds.setAttr("box.note", "x y", type="string")
    cmds.file(rename=str(tmp_path / "a.ma"))
    cmds.file(save=True, type="mayaAscii")
    cmds.file(new=True, force=True)
    assert cmds.fileInfo("k", query=True) == []
    cmds.file(str(tmp_path / "a.ma"), open=True, force=True)
    assert cmds.fileInfo("k", query=True) == ["a\\b"]
    assert cmds.getAttr("box.note") == "x y"
    assert cmds.file(query=True, modified=True) is False


def test_reader_refuses_other_statements(cmds: Any, tmp_path: Path) -> None:
    path = tmp_path / "odd.ma"
    path.write_text('//Maya ASCII 2025 scene\nconnectAttr "a.b" "c.d";\n')
    with pytest.raises(RuntimeError, match="not modelled"):
        cmds.file(str(path), open=True, force=True)


def test_open_refuses_unsaved_changes_without_force(cmds: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.ma"
    cmds.file(rename=str(path))
    cmds.file(save=True, type="mayaAscii")
    cmds.fileInfo("k", "v")
    with pytest.raises(RuntimeError, match="Unsaved changes"):
        cmds.file(str(path), open=True)


def test_reference_namespace_clash_gets_a_number(cmds: Any, tmp_path: Path) -> None:
    ref = tmp_path / "prop.ma"
    ref.write_text("//Maya ASCII 2025 scene\n")
    first = cmds.file(str(ref), reference=True, namespace="prop")
    second = cmds.file(str(ref), reference=True, namespace="prop")
    assert second == f"{first}{{1}}"
    assert cmds.referenceQuery(second, referenceNode=True) == "prop1RN"
    assert cmds.referenceQuery("prop1RN", filename=True) == second
    assert cmds.referenceQuery("prop1RN", filename=True, withoutCopyNumber=True) == first


def test_removed_reference_leaves_its_namespace(cmds: Any, tmp_path: Path) -> None:
    ref = tmp_path / "prop.ma"
    ref.write_text("//Maya ASCII 2025 scene\n")
    cmds.file(str(ref), reference=True, namespace="prop")
    cmds.file(removeReference=True, referenceNode="propRN")
    assert cmds.file(query=True, reference=True) == []
    assert cmds.namespace(exists="prop") is True


def test_about_refuses_unless_pretending(fake_maya: Any) -> None:
    with pytest.raises(RuntimeError, match="not a running Maya"):
        fake_maya.cmds.about(version=True)
    fake_maya.pretend_inside_maya = True
    assert fake_maya.cmds.about(version=True)
