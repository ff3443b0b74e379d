"""The "Stalker" menu of Maya on the FAKE ``maya`` package: panels and plugin menu actions.

No Qt here: opening a panel is checked with ``startup.show_panel`` (which calls
``stalker_core.ui.show``) replaced; ``test_maya_ui.py`` really opens one.
"""

from __future__ import annotations

from typing import Any

import pytest
import ui_probe
from maya_project import plugin_manager
from stalker_maya import startup
from stalker_maya.adapter import MayaHost

from stalker_core.controllers.menu import MenuController
from stalker_core.controllers.registry import panel_specs


def open_menu(fake_maya: Any, pm: Any, session: Any) -> tuple[MayaHost, list[dict[str, Any]]]:
    host = MayaHost()
    startup.create_menu(MenuController(host, session=session, plugin_manager=pm))
    return host, fake_maya.cmds._open_menu(startup.MENU_NAME)


def labels(items: list[dict[str, Any]]) -> list[str]:
    return ["---" if i["divider"] else i["label"] for i in items]


def test_the_menu_lists_every_panel_after_version_up(fake_maya: Any, session: Any) -> None:
    pm = plugin_manager(ui_probe.probe_plugin())
    _, items = open_menu(fake_maya, pm, session)
    titles = [spec.title for spec in panel_specs(pm)]
    assert "Work Files" in titles and "Probe" in titles
    assert labels(items) == [
        "Not a Stalker version", "---", "Version Up", "---", *titles, "---", "Say hello"
    ]
    assert all(i["enable"] and callable(i["command"]) for i in items[4:-2])


def test_a_panel_item_calls_show(
    fake_maya: Any, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(startup, "show_panel", lambda name, **kw: shown.append((name, kw)))
    pm = plugin_manager()
    host, items = open_menu(fake_maya, pm, session)
    [work_files] = [i for i in items if i["label"] == "Work Files"]
    work_files["command"](False)
    [(name, kwargs)] = shown
    assert name == "workfiles"
    assert kwargs["host"] is host and kwargs["plugin_manager"] is pm
    assert kwargs["session"] is session
    assert fake_maya.cmds._warnings == []


def test_a_menu_action_runs_with_the_host(fake_maya: Any, session: Any) -> None:
    ui_probe.CALLS.clear()
    host, items = open_menu(fake_maya, plugin_manager(ui_probe.probe_plugin()), session)
    [hello] = [i for i in items if i["label"] == "Say hello"]
    assert hello["annotation"] == "Say hello"
    hello["command"](False)
    assert ui_probe.CALLS == [("action", {"host": host})]


def test_a_failing_panel_is_a_warning(
    fake_maya: Any, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(name: str, **kwargs: Any) -> None:
        raise RuntimeError("no Qt here")

    monkeypatch.setattr(startup, "show_panel", fail)
    _, items = open_menu(fake_maya, plugin_manager(), session)
    [loader] = [i for i in items if i["label"] == "Loader"]
    loader["command"](False)
    assert fake_maya.cmds._warnings == ["Stalker: Loader failed: no Qt here"]


def test_a_bad_plugin_does_not_lose_the_menu(fake_maya: Any, session: Any) -> None:
    _, items = open_menu(fake_maya, plugin_manager(ui_probe.probe_plugin(broken_panels=True)),
                         session)
    assert labels(items)[:3] == ["Not a Stalker version", "---", "Version Up"]
    [broken] = [i for i in items if i["label"].startswith("Panels unavailable")]
    assert broken["enable"] is False and "not a list" in broken["label"]


def test_the_label_follows_the_open_scene(
    fake_maya: Any, session: Any, tmp_path: Any
) -> None:
    from maya_project import build_production

    from stalker_core.workflows import save_as_version

    prod = build_production(session, tmp_path / "repo")
    pm = plugin_manager()
    host, items = open_menu(fake_maya, pm, session)
    assert items[0]["label"] == "Not a Stalker version"
    save_as_version(host, prod.model, session=session, pm=pm)
    items = fake_maya.cmds._open_menu(startup.MENU_NAME)  # postMenuCommand refills it
    assert items[0]["label"] == "Hero / model"
