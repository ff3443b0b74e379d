"""The Scene Inventory panel over the real controller (pytest-qt, offscreen, both DBs)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from inventory_scene import DatabaseDown, Scene, build_scene, put, veto
from Qt import QtCore, QtGui, QtWidgets
from wf_helpers import Demo

from stalker_core.plugins.api import UIAction, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.ui import inventory as inventory_view
from stalker_core.ui.inventory import InventoryPanel, demo_state
from stalker_core.ui.inventory_model import COLUMNS, ROW_ROLE

STATE, NAME, LOCK, NOTE = (COLUMNS.index(c) for c in ("State", "Name", "Lock", "Note"))


@pytest.fixture
def scene(session: Any, demo: Demo, pm: Any) -> Scene:
    return build_scene(session, demo, pm)


@pytest.fixture
def panel(qtbot: Any, scene: Scene, session: Any, pm: Any) -> InventoryPanel:
    widget = InventoryPanel(scene.host, session=session, plugin_manager=pm)
    qtbot.addWidget(widget)
    return widget


def cells(panel: InventoryPanel, column: int) -> dict[str, Any]:
    """name -> the text of ``column`` of each row shown."""
    model = panel.table.model()
    return {model.index(r, NAME).data(): model.index(r, column).data()
            for r in range(model.rowCount())}


def test_states_are_told_by_words_icons_and_tints(panel: InventoryPanel) -> None:
    states = cells(panel, STATE)
    assert states == {
        "fresh": "Up to date", "old": "Outdated: v002 available",
        "older": "Outdated: v002 available", "held": "Outdated: v002 available",
        "plate": "Untracked", "ghost": "Missing version",
    }
    assert cells(panel, LOCK) == {n: ("Locked" if n == "held" else "") for n in states}
    model = panel.table.model()
    for r in range(model.rowCount()):
        index = model.index(r, STATE)
        row = index.data(ROW_ROLE)
        icon = index.data(QtCore.Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QtGui.QIcon) and not icon.isNull()
        tint = index.data(QtCore.Qt.ItemDataRole.BackgroundRole)
        assert (tint is None) == (row.state == "up_to_date")
        lock = model.index(r, LOCK).data(QtCore.Qt.ItemDataRole.DecorationRole)
        assert (lock is not None) == row.locked
    assert "locked: updates keep v001" == cells(panel, NOTE)["held"]
    assert panel.summary_label.text().startswith("6 containers \u00b7 3 outdated (1 locked)")
    assert panel.update_all_button.text() == "Update all outdated (2)"


def test_buttons_follow_the_selection(panel: InventoryPanel) -> None:
    panel.select(["held"])
    assert not panel.update_button.isEnabled() and panel.unlock_button.isEnabled()
    assert not panel.lock_button.isEnabled() and not panel.set_version_button.isEnabled()
    panel.select(["old", "plate"])
    assert panel.update_button.isEnabled() and panel.lock_button.isEnabled()
    assert not panel.set_version_button.isEnabled()  # one container at a time
    panel.select(["plate"])
    assert not panel.set_version_button.isEnabled() and panel.remove_button.isEnabled()


def test_update_all_shows_progress_and_a_veto_keeps_one(
    qtbot: Any, panel: InventoryPanel, scene: Scene, pm: Any
) -> None:
    pm.register(veto("older", "approved look, keep it"), name="keep")
    seen: list[tuple[int, int]] = []
    panel.progress.valueChanged.connect(lambda v: seen.append((v, panel.progress.maximum())))
    with qtbot.waitSignal(panel.update_finished, timeout=10_000) as finished:
        panel.update_all_button.click()
        assert panel.progress_row.isVisibleTo(panel) and not panel.refresh_button.isEnabled()
    summary = finished.args[0]
    assert summary.updated == ["old"] and summary.vetoed == [("older", "approved look, keep it")]
    assert seen[-1] == (2, 2)
    assert not panel.progress_row.isVisibleTo(panel)
    assert "1 kept by a plugin (older: approved look, keep it)" in panel.result_label.text()
    notes = cells(panel, NOTE)
    assert notes["old"] == "updated to v002"
    assert notes["older"] == "kept by a plugin: approved look, keep it"
    assert cells(panel, STATE)["old"] == "Up to date"
    assert panel.update_all_button.text() == "Update all outdated (1)"


def add_crowd(panel: InventoryPanel, scene: Scene, n: int, monkeypatch: Any) -> None:
    """``n`` more outdated containers, updated one per slice of the event loop."""
    for i in range(n):
        put(scene.host, f"crowd{i:02d}", scene.v1)
    panel.refresh()
    monkeypatch.setattr(inventory_view, "SLICE_SECONDS", 0.0)


def test_cancel_stops_between_containers(
    qtbot: Any, panel: InventoryPanel, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_crowd(panel, scene, 20, monkeypatch)
    # the artist clicks Cancel once the bar shows two references done
    panel.progress.valueChanged.connect(lambda v: v == 2 and panel.cancel_button.click())
    with qtbot.waitSignal(panel.update_finished, timeout=10_000) as finished:
        panel.update_all()
    summary = finished.args[0]
    assert len(summary.updated) == 2 and len(summary.cancelled) == 20
    assert len(summary.updated) + len(summary.cancelled) == 22
    assert "not done (cancelled)" in panel.result_label.text()
    outdated = [r for r in panel.state.rows if r.can_update]
    assert {r.name for r in outdated} == set(summary.cancelled)


def test_closing_the_panel_stops_the_update(
    qtbot: Any, panel: InventoryPanel, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_crowd(panel, scene, 10, monkeypatch)
    panel.show()
    panel.progress.valueChanged.connect(lambda v: v == 1 and panel.close())
    with qtbot.waitSignal(panel.update_finished, timeout=10_000) as finished:
        panel.update_all()
    assert len(finished.args[0].updated) == 1 and len(finished.args[0].cancelled) == 11


def test_update_selected_set_version_lock_and_remove(
    panel: InventoryPanel, scene: Scene
) -> None:
    panel.select(["older"])
    panel.update_selected()
    while panel.job is not None:
        QtWidgets.QApplication.processEvents()
    assert cells(panel, STATE)["older"] == "Up to date"
    assert cells(panel, STATE)["old"].startswith("Outdated")

    offered: list[Any] = []
    panel.choose_version = lambda row, choices: offered.append(choices) or scene.v3.id
    panel.select(["fresh"])
    panel.set_version_button.click()
    assert [c.number for c in offered[0]] == [3, 2, 1]
    assert cells(panel, COLUMNS.index("Loaded"))["fresh"] == "v003 (not published)"
    assert panel.result_label.text() == "fresh: set to v003"

    panel.select(["old"])
    panel.lock_button.click()
    assert cells(panel, LOCK)["old"] == "Locked"
    assert [r.name for r in panel.selected_rows()] == ["old"]  # kept across the refresh
    panel.unlock_button.click()
    assert cells(panel, LOCK)["old"] == ""

    asked: list[str] = []
    panel.confirm = lambda title, text: asked.append(text) is None and False
    panel.select(["ghost", "plate"])
    panel.remove_button.click()
    assert asked == ["Remove 2 container(s) from the scene: plate, ghost?"]
    assert "ghost" in cells(panel, NAME)
    panel.confirm = lambda title, text: True
    panel.remove_button.click()
    assert set(cells(panel, NAME)) == {"fresh", "old", "older", "held"}


def test_set_version_veto_shows_the_message(panel: InventoryPanel, scene: Scene, pm: Any) -> None:
    pm.register(veto("old", "frozen for review"), name="keep")
    panel.choose_version = lambda row, choices: scene.v2.id
    panel.select(["old"])
    panel.set_version()
    assert panel.banner.isVisibleTo(panel) and "frozen for review" in panel.banner.label.text()
    assert not panel.banner.retry_button.isVisibleTo(panel)
    assert cells(panel, COLUMNS.index("Loaded"))["old"] == "v001"


def test_context_menu_offers_the_plugins_actions(
    panel: InventoryPanel, scene: Scene, pm: Any
) -> None:
    got: list[list[str]] = []
    plugin = types.ModuleType("studio_inventory")
    plugin.stalker_ui_actions = hookimpl(  # type: ignore[attr-defined]
        lambda host, location: [
            UIAction("studio.select", "Select in scene", "inventory",
                     lambda host, containers: got.append([c.name for c in containers]))
        ] if location == "inventory" else None
    )
    pm.register(plugin)
    panel.select(["old", "held"])
    menu = panel.context_menu()
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels == ["Update selected", "Set version\u2026", "Lock", "Unlock", "Remove",
                      "Select in scene"]
    [plugin_action] = [a for a in menu.actions() if a.text() == "Select in scene"]
    plugin_action.trigger()
    assert got == [["old", "held"]]


def test_the_scene_is_watched_while_visible(
    qtbot: Any, panel: InventoryPanel, scene: Scene
) -> None:
    assert not panel.check_scene()  # hidden: not polled
    panel.watch_timer.setInterval(10)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.watch_timer.isActive()
    put(scene.host, "late", scene.v2)
    qtbot.waitUntil(lambda: "late" in cells(panel, NAME), timeout=5000)
    scene.host.lock_reference(scene.host.references[0])
    qtbot.waitUntil(lambda: cells(panel, LOCK)["fresh"] == "Locked", timeout=5000)
    panel.hide()
    assert not panel.watch_timer.isActive()


def test_database_unreachable_shows_banner_and_retry(
    qtbot: Any, scene: Scene, session: Any, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = DatabaseDown(session, monkeypatch, "could not connect to server")
    panel = InventoryPanel(scene.host, session=session, plugin_manager=pm)
    qtbot.addWidget(panel)
    assert panel.banner.isVisibleTo(panel)
    assert "could not connect to server" in panel.banner.label.text()
    assert panel.banner.retry_button.isVisibleTo(panel)
    assert panel.model.rowCount() == 0 and not panel.update_all_button.isEnabled()
    db.down = False
    panel.banner.retry_button.click()
    assert not panel.banner.isVisibleTo(panel) and panel.model.rowCount() == 6
    assert scene.host.called("replace_reference") == []


def test_host_without_references_says_so(qtbot: Any, session: Any, pm: Any) -> None:
    panel = InventoryPanel(FakeHost(capabilities=()), session=session, plugin_manager=pm)
    qtbot.addWidget(panel)
    assert panel.pages.currentIndex() == 1
    assert panel.notice_title.text() == "No references to list in this host"
    assert "has no 'references' capability" in panel.notice.text()
    assert not panel.update_all_button.isVisibleTo(panel)


def test_cli_screenshot_in_the_standalone_host(
    qtbot: Any, session: Any, tmp_path: Path
) -> None:
    from stalker_core.cli.main import main
    from stalker_core.ui.windows import close_panels, open_panels

    png = tmp_path / "inventory.png"
    url = session.get_bind().url.render_as_string(hide_password=False)
    try:
        assert main(["--db", url, "ui", "inventory", "--screenshot", str(png)]) == 0
        widget = open_panels()["inventory"]
        assert isinstance(widget, InventoryPanel)
        assert widget.controller.host.name == "standalone"
        assert "'standalone' host cannot load references" in widget.notice.text()
    finally:
        close_panels()
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)


def test_demo_state_shows_every_state(
    qtbot: Any, session: Any, pm: Any, tmp_path: Path
) -> None:
    from stalker_standalone.host import StandaloneHost

    from stalker_core.cli.demo_cmd import build_demo

    build_demo(session, tmp_path / "demo")
    panel = InventoryPanel(StandaloneHost(), session=session, plugin_manager=pm)
    qtbot.addWidget(panel)
    assert panel.pages.currentIndex() == 1
    demo_state(panel)
    assert panel.pages.currentIndex() == 0
    assert {r.state for r in panel.state.rows} == {
        "up_to_date", "outdated", "untracked", "missing"}
    assert any(r.locked and r.is_outdated for r in panel.state.rows)
    assert panel.selected_names() == ["hero_crowd"]
    panel.resize(1280, 800)
    assert not panel.grab().isNull()
    demo_state(panel)  # again: the studio already has what it needs
    assert len(panel.state.rows) == 6


def test_demo_state_without_the_demo_studio(qtbot: Any, session: Any, pm: Any) -> None:
    panel = InventoryPanel(FakeHost(capabilities=()), session=session, plugin_manager=pm)
    qtbot.addWidget(panel)
    demo_state(panel)
    assert "run 'stalker demo' first" in panel.banner.label.text()
