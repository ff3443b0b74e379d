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
