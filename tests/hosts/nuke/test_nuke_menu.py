"""The "Stalker" menu of the Nuke GUI (FAKE nuke module in GUI mode) and Version Up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def gui(fake_nuke: Any) -> Any:
    fake_nuke._reset(gui=True)
    return fake_nuke


def test_menu_without_a_context(gui: Any, session: Any) -> None:
    from stalker_nuke.startup import NO_CONTEXT, MenuRuntime, install_menu

    menu = install_menu(gui, MenuRuntime(session=session, pm=object()))
    assert gui.menu("Nuke").findItem("Stalker") is menu
    label, version_up = menu.items()
    assert label.name() == NO_CONTEXT and not label._is_enabled()
    assert version_up.name() == "Version Up"
    messages: list[str] = []
    gui.message = messages.append
    version_up.invoke()
    assert messages and "Version Up failed" in messages[0] and "Save As Version" in messages[0]


def test_version_up_saves_the_next_version(gui: Any, session: Any, tmp_path: Path) -> None:
    from nuke_project import build, plugin_manager
    from stalker_nuke.adapter import NukeHost
    from stalker_nuke.startup import MenuRuntime, install_menu

    from stalker_core.workflows import save_as_version

    prod = build(session, tmp_path / "repo")
    pm = plugin_manager()
    host = NukeHost()
    first = save_as_version(host, prod.comp, "Main", session=session, pm=pm, user=prod.user)
    menu = install_menu(gui, MenuRuntime(session=session, pm=pm))
    label, version_up = menu.items()
    assert label.name() == "SH010 / comp"
    version_up.invoke()
    current = host.current_file()
    assert current is not None and current.name == "SH010_comp_Main_v002.nk"
    assert Path(first.absolute_full_path).is_file() and current.is_file()
    assert [i.name() for i in menu.items()] == ["SH010 / comp", "Version Up"]
