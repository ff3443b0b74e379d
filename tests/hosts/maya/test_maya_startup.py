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
    assert fake_maya.utils._run_deferred() == 1
    [(name, menu)] = fake_maya.cmds._menus.items()
    assert name == "MayaWindow|stalkerMenu" and menu["label"] == "Stalker"
    first, divider, version_up = menu["items"]
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


def test_context_label_and_version_up(session: Any, tmp_path: Path, fake_maya: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    host = MayaHost()
    pm = plugin_manager()
    first = save_as_version(host, prod.anim, session=session, pm=pm)
    assert startup.context_label(host, session) == "SH010 / anim"
    second = startup.version_up(host, session, pm)
    assert second.version_number == first.version_number + 1
    assert second.parent is first
    assert host.current_file() == Path(second.absolute_full_path)
    assert Path(second.absolute_full_path).read_text().startswith("//Maya ASCII")


def test_version_up_of_an_unsaved_scene(session: Any, fake_maya: Any) -> None:
    from stalker_core.exceptions import WorkfileError

    with pytest.raises(WorkfileError, match="Save As Version first"):
        startup.version_up(MayaHost(), session)


def test_menu_command_failure_is_a_warning(fake_maya: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_maya.pretend_inside_maya = True

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database down")

    monkeypatch.setattr(startup, "version_up", fail)
    startup._run_version_up(False)
    assert fake_maya.cmds._warnings == ["Stalker: Version Up failed: database down"]
