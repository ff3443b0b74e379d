"""Host detection, the module files and the "Stalker" menu, on the FAKE ``maya`` package."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import pytest
from maya_project import build_production, plugin_manager
from stalker_maya import plugin, startup
from stalker_maya.adapter import MayaHost

from stalker_core.controllers.menu import MenuController
from stalker_core.workflows import save_as_version

MODULE = Path(startup.__file__).parent / "module"


def test_no_host_outside_maya(fake_maya: Any) -> None:
    assert plugin.stalker_host_get(None) is None  # the fake is not a running Maya


def test_no_host_without_maya_cmds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "maya.cmds")
    assert plugin.running_in_maya() is False


def test_host_inside_maya(fake_maya: Any) -> None:
    fake_maya.pretend_inside_maya = True
    host = plugin.stalker_host_get(None)
    assert isinstance(host, MayaHost) and host.name == "maya"


def test_install_queues_the_menu(fake_maya: Any) -> None:
    fake_maya.pretend_inside_maya = True
    assert startup.install() is True
    assert fake_maya.cmds._menus == {}  # not before Maya is idle
    assert len(fake_maya.utils._deferred) == 1
    fake_maya.utils.processIdleEvents()
    [(name, menu)] = fake_maya.cmds._menus.items()
    assert name == "MayaWindow|stalkerMenu" and menu["label"] == "Stalker"
    first, divider, version_up = menu["items"][:3]
    assert first["enable"] is False and first["label"] == "Not a Stalker version"
    assert divider["divider"] is True
    assert version_up["label"] == "Version Up" and callable(version_up["command"])


def test_no_menu_in_batch_mode(fake_maya: Any) -> None:
    fake_maya.pretend_inside_maya = True
    fake_maya.cmds._batch = True
    assert startup.install() is False
    assert fake_maya.utils._deferred == []


def test_menu_is_rebuilt_not_doubled(fake_maya: Any) -> None:
    fake_maya.pretend_inside_maya = True
    startup.create_menu()
    startup.create_menu()
    assert list(fake_maya.cmds._menus) == ["MayaWindow|stalkerMenu"]


def test_user_setup_installs_and_never_raises(
    fake_maya: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_maya.pretend_inside_maya = True
    runpy.run_path(str(MODULE / "scripts" / "userSetup.py"))
    assert len(fake_maya.utils._deferred) == 1
    fake_maya.utils._deferred.clear()
    monkeypatch.setattr(startup, "install", lambda: 1 / 0)
    runpy.run_path(str(MODULE / "scripts" / "userSetup.py"))
    assert "could not install" in capsys.readouterr().out


def test_module_file_points_at_the_package() -> None:
    lines = (MODULE / "stalker.mod").read_text().splitlines()
    assert lines[0].split()[:2] == ["+", "stalker"]
    [pythonpath] = [line for line in lines if line.startswith("PYTHONPATH")]
    relative = pythonpath.split("+:=")[1].strip()
    assert ((MODULE / relative).resolve() / "stalker_maya" / "startup.py").is_file()


def test_version_up_from_the_menu(session: Any, tmp_path: Path, fake_maya: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    host = MayaHost()
    pm = plugin_manager()
    first = save_as_version(host, prod.anim, session=session, pm=pm)
    startup.create_menu(MenuController(host, session=session, plugin_manager=pm))
    items = fake_maya.cmds._open_menu(startup.MENU_NAME)
    assert items[0]["label"] == "SH001 / anim" and items[0]["enable"] is False
    [version_up] = [i for i in items if i["label"] == "Version Up"]
    version_up["command"](False)  # Maya passes the item's checked state
    assert fake_maya.cmds._warnings == []
    second = MenuController(host, session=session).scene_version()
    assert second is not None and second.version_number == first.version_number + 1
    assert second.parent is first
    assert host.current_file() == Path(second.absolute_full_path)
    assert Path(second.absolute_full_path).read_text().startswith("//Maya ASCII")


def test_version_up_of_an_unsaved_scene_is_a_warning(session: Any, fake_maya: Any) -> None:
    pm = plugin_manager()
    startup.create_menu(MenuController(MayaHost(), session=session, plugin_manager=pm))
    [version_up] = [i for i in fake_maya.cmds._open_menu("stalkerMenu")
                    if i["label"] == "Version Up"]
    version_up["command"](False)
    [warning] = fake_maya.cmds._warnings
    assert warning.startswith("Stalker: Version Up failed:") and "Save As Version first" in warning
