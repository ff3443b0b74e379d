"""The Loader's actions for Maya: the core's Reference and Maya's Import, on the FAKE ``maya``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from maya_project import build_production, plugin_manager
from stalker_maya.adapter import MayaHost

from stalker_core.controllers.registry import ui_actions
from stalker_core.exceptions import WorkfileError
from stalker_core.workflows import save_as_version


def prop_file(cmds: Any, path: Path) -> Path:
    """Save a scene holding a transform ``box`` in the set ``prop_set`` to ``path``."""
    cmds.file(new=True, force=True)
    box = cmds.createNode("transform", name="box")
    cmds.sets(box, name="prop_set")
    cmds.file(rename=path.as_posix())
    cmds.file(save=True, type="mayaAscii")
    cmds.file(new=True, force=True)
    return path


def test_maya_offers_reference_and_import(fake_maya: Any) -> None:
    actions = ui_actions(MayaHost(), "loader", plugin_manager())
    assert [(a.name, a.label) for a in actions] == [
        ("core.reference", "Reference"), ("maya.import", "Import")
    ]
    import_action = actions[1]
    assert import_action.accepts("a.ma") and import_action.accepts("b.MB")
    assert not import_action.accepts("c.abc")
    assert "not tracked" in import_action.description


def test_no_import_for_other_hosts(fake_maya: Any) -> None:
    from stalker_core.testing import FakeHost

    names = [a.name for a in ui_actions(FakeHost(), "loader", plugin_manager())]
    assert "maya.import" not in names and "core.reference" in names


def test_import_brings_the_nodes_and_records_nothing(
    fake_maya: Any, cmds: Any, session: Any, tmp_path: Path
) -> None:
    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    host = MayaHost()
    host.open_file(prop_file(cmds, tmp_path / "sketch.ma"))
    asset = save_as_version(host, prod.model, session=session, pm=pm)
    host.new_file()
    save_as_version(host, prod.anim, session=session, pm=pm)
    metadata = host.get_scene_metadata()
    [import_action] = [a for a in ui_actions(host, "loader", pm) if a.name == "maya.import"]
    path = Path(asset.absolute_full_path)
    assert import_action.run(host=host, version=asset, path=path) is None
    namespace = path.stem
    assert f"{namespace}:box" in cmds.ls(type="transform")
    assert cmds.sets(f"{namespace}:prop_set", query=True) == [f"{namespace}:box"]
    assert host.list_references() == []  # not a container: never listed, never updated
    assert host.get_scene_metadata() == metadata  # the scene is still the anim version
    assert host.has_unsaved_changes() is True
    again = save_as_version(host, prod.anim, session=session, pm=pm)
    text = Path(again.absolute_full_path).read_text()  # checked from outside
    assert f'createNode transform -n "{namespace}:box";' in text
    assert "file -r" not in text


def test_a_second_import_gets_its_own_namespace(cmds: Any, tmp_path: Path) -> None:
    path = prop_file(cmds, tmp_path / "prop.ma")
    host = MayaHost()
    first = host.import_file(path)
    second = host.import_file(path)
    assert first == ["prop:box", "prop:prop_set"]
    assert second == ["prop1:box", "prop1:prop_set"]


@pytest.mark.parametrize("name", ["missing.ma", "cache.abc"])
def test_import_refuses_what_it_cannot_read(cmds: Any, tmp_path: Path, name: str) -> None:
    with pytest.raises(WorkfileError, match="cannot import"):
        MayaHost().import_file(tmp_path / name)
    assert cmds.ls(type="transform") == []
