"""The "Stalker" menu of the Nuke GUI (FAKE nuke module in GUI mode) and Version Up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stalker_core.controllers.menu import NO_VERSION, MenuController


@pytest.fixture
def gui(fake_nuke: Any) -> Any:
    fake_nuke._reset(gui=True)
    return fake_nuke


def commands(menu: Any) -> list[Any]:
    """The menu's commands (separators left out)."""
    return [item for item in menu.items() if not item._separator]


def test_menu_without_a_context(gui: Any, session: Any) -> None:
    from nuke_project import plugin_manager
    from stalker_nuke.adapter import NukeHost
    from stalker_nuke.startup import install_menu

    controller = MenuController(NukeHost(), session=session, plugin_manager=plugin_manager())
    menu = install_menu(gui, controller)
    assert gui.menu("Nuke").findItem("Stalker") is menu
    label, version_up = commands(menu)[:2]
    assert label.name() == NO_VERSION and not label._is_enabled()
    assert version_up.name() == "Version Up"
    version_up.invoke()
    [message] = gui.messages
    assert "Version Up failed" in message and "Save As Version" in message


def test_version_up_saves_the_next_version(gui: Any, session: Any, tmp_path: Path) -> None:
    from nuke_project import build, plugin_manager
    from stalker_nuke.adapter import NukeHost
    from stalker_nuke.startup import install_menu

    from stalker_core.workflows import save_as_version

    prod = build(session, tmp_path / "repo")
    pm = plugin_manager()
    host = NukeHost()
    first = save_as_version(host, prod.comp, "Main", session=session, pm=pm, user=prod.user)
    menu = install_menu(gui, MenuController(host, session=session, plugin_manager=pm))
    label, version_up = commands(menu)[:2]
    assert label.name() == "SH001 \u2215 comp"  # a "/" would make a sub-menu in Nuke
    assert [i.name() for i in menu.items() if isinstance(i, gui.Menu)] == []
    version_up.invoke()
    assert gui.messages == []
    current = host.current_file()
    assert current is not None and current.name == "SH001_comp_Main_v002.nk"
    assert Path(first.absolute_full_path).is_file() and current.is_file()
    assert commands(menu)[0].name() == "SH001 \u2215 comp"  # rebuilt after the command


def test_fake_menu_makes_sub_menus_of_slashes(gui: Any) -> None:
    """The fake models Nuke's rule that the menu labels above escape."""
    menu = gui.menu("Nuke").addMenu("Stalker")
    menu.addCommand("A/B", lambda: None)
    [sub] = menu.items()
    assert sub.name() == "A" and [i.name() for i in sub.items()] == ["B"]


def test_the_menu_lists_every_panel_and_menu_action(
    gui: Any, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui_probe
    from nuke_project import plugin_manager
    from stalker_nuke import startup
    from stalker_nuke.adapter import NukeHost

    from stalker_core.controllers.registry import panel_specs

    ui_probe.CALLS.clear()
    shown: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(startup, "show_panel", lambda name, **kw: shown.append((name, kw)))
    pm = plugin_manager(ui_probe.probe_plugin())
    host = NukeHost()
    menu = startup.install_menu(gui, MenuController(host, session=session, plugin_manager=pm))
    titles = [spec.title for spec in panel_specs(pm)]
    assert "Work Files" in titles and "Scene Inventory" in titles
    names = ["---" if item._separator else item.name() for item in menu.items()]
    assert names == [NO_VERSION, "---", "Version Up", "---", *titles, "---", "Say hello"]
    menu.findItem("Work Files").invoke()
    [(name, kwargs)] = shown
    assert name == "workfiles" and kwargs["host"] is host and kwargs["plugin_manager"] is pm
    assert kwargs["session"] is session
    menu.findItem("Say hello").invoke()
    assert ui_probe.CALLS == [("action", {"host": host})]
    assert menu.findItem("Say hello")._tooltip == "Say hello"
    assert gui.messages == []


def test_hosts_import_no_qt_until_a_panel_opens() -> None:
    """Building the menus needs no Qt: a DCC without the ui extra still gets its menu."""
    import subprocess
    import sys

    code = (
        "import sys, stalker_nuke.startup, stalker_nuke.plugin, stalker_maya.startup, "
        "stalker_maya.plugin, stalker_core.controllers.menu; "
        "assert not {'Qt', 'PySide6'} & set(sys.modules), sorted(sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
