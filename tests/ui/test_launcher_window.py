"""The launcher window over the real controller (offscreen), with a FAKE DCC as Nuke."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from Qt import QtWidgets

from stalker_core.controllers.launcher import LauncherController
from stalker_core.ui.launcher import LauncherWindow


@pytest.fixture
def window(qtbot: Any, session: Any, demo: Any, pm: Any, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> LauncherWindow:
    from launch_helpers import fake_nuke_studio

    from stalker_core import config as config_module

    fake_nuke_studio(tmp_path, monkeypatch)
    demo.anim.resources.append(demo.user)
    session.commit()
    controller = LauncherController(session=session, plugin_manager=pm, user=demo.user.login,
                                    recent_file=tmp_path / "recent.json")
    widget = LauncherWindow(controller=controller)
    qtbot.addWidget(widget)
    yield widget
    config_module.reset()


def _button(window: LauncherWindow, app_label: str) -> QtWidgets.QPushButton:
    layout = window.apps_layout
    for row in range(layout.rowCount()):
        label = layout.itemAtPosition(row, 0)
        if label is not None and app_label in label.widget().text():
            return layout.itemAtPosition(row, 2).widget()
    raise AssertionError(f"no row for {app_label}")


def test_my_task_and_the_installed_applications(window: LauncherWindow, demo: Any) -> None:
    assert window.tasks.topLevelItemCount() == 1
    assert window.tasks.topLevelItem(0).text(0).endswith("anim")
    assert _button(window, "Nuke").isEnabled()
    maya = _button(window, "Maya")
    assert not maya.isEnabled()


def test_launching_shows_running_then_finished_and_the_recent_row(
    window: LauncherWindow, qtbot: Any, demo: Any, tmp_path: Path
) -> None:
    _button(window, "Nuke").click()
    assert window.notices.count() == 1
    assert window.notices.item(0).text().startswith("RUNNING: Nuke 15.1v1")
    qtbot.waitUntil(lambda: window.notices.item(0).text().startswith("FINISHED"), timeout=20000)
    assert json.loads((tmp_path / "record.json").read_text())["env"]["STALKER_TASK_ID"] == str(
        demo.anim.id)
    assert window.open_log.isEnabled()
    assert window.selected_record().log_path.is_file()
    texts = [window.recent_row.itemAt(i).widget().text() for i in range(window.recent_row.count())
             if window.recent_row.itemAt(i).widget() is not None]
    assert any("nuke" in t and "anim" in t for t in texts)


def test_a_launch_error_goes_to_the_banner(window: LauncherWindow, demo: Any) -> None:
    window._start(demo.shot.id, "nuke", None)
    assert window.banner.isVisible() or not window.banner.isHidden()
    assert "has child tasks" in window.banner.label.text()
    assert window.notices.count() == 0
