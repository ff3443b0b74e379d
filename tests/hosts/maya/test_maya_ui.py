"""The ``ui`` capability of MayaHost and its panels, with Qt offscreen, on the FAKE ``maya``."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import ui_probe
from maya_project import plugin_manager
from Qt import QtWidgets
from stalker_maya import startup
from stalker_maya.adapter import MayaHost
from ui_probe import panels_closed  # noqa: F401 - the fixture

from stalker_core.controllers.menu import MenuController
from stalker_core.exceptions import HostError

pytestmark = [pytest.mark.qt, pytest.mark.usefixtures("panels_closed")]


def test_main_window_is_maya_window(fake_maya: Any) -> None:
    window = MayaHost().main_window()
    assert isinstance(window, QtWidgets.QWidget)
    assert window.objectName() == "MayaWindow"
    assert MayaHost().main_window() is window  # the same C++ object, wrapped again


def test_no_main_window_in_batch_mode(fake_maya: Any) -> None:
    fake_maya.cmds._batch = True
    assert MayaHost().main_window() is None


def run_in_worker(host: MayaHost, func: Any) -> list[Any]:
    """Call ``host.run_in_main_thread(func)`` from a worker while the main thread idles."""
    import maya.utils

    outcome: list[Any] = []

    def worker() -> None:
        try:
            outcome.append(host.run_in_main_thread(func))
        except BaseException as exc:  # noqa: BLE001 - checked by the caller
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        maya.utils.processIdleEvents()
        thread.join(0.01)
    return outcome


def test_an_error_on_the_main_thread_reaches_the_worker(fake_maya: Any) -> None:
    def fail() -> None:
        assert threading.current_thread() is threading.main_thread()
        raise KeyError("no such node")

    [error] = run_in_worker(MayaHost(), fail)
    assert isinstance(error, KeyError) and "no such node" in str(error)


def test_the_fake_gives_up_when_maya_never_idles(
    fake_maya: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Maya would wait forever; the FAKE stops a test that forgot to process the queue."""
    monkeypatch.setattr(fake_maya.utils, "WAIT_LIMIT", 0.05)
    outcome: list[Any] = []
    thread = threading.Thread(
        target=lambda: outcome.append(pytest.raises(HostError, MayaHost().run_in_main_thread, int))
    )
    thread.start()
    thread.join(10)
    [raised] = outcome
    assert "FAKE Maya" in str(raised.value)


def test_a_panel_from_the_menu_is_parented_to_maya_window(
    fake_maya: Any, session: Any, qtbot: Any
) -> None:
    """The whole path: menu item -> stalker_core.ui.show -> the probe's QLabel under MayaWindow."""
    ui_probe.CALLS.clear()
    host = MayaHost()
    pm = plugin_manager(ui_probe.probe_plugin())
    startup.create_menu(MenuController(host, session=session, plugin_manager=pm))
    [probe] = [i for i in fake_maya.cmds._open_menu(startup.MENU_NAME) if i["label"] == "Probe"]
    probe["command"](False)
    assert fake_maya.cmds._warnings == []
    [(kind, kwargs)] = ui_probe.CALLS
    assert kind == "view" and kwargs["host"] is host and kwargs["session"] is session
    panel = kwargs["parent"].findChild(QtWidgets.QLabel)
    assert kwargs["parent"] is host.main_window()
    assert panel is not None and panel.isVisible() and panel.windowTitle() == "Stalker - Probe"
    probe["command"](False)  # a second click raises the same window
    assert len(ui_probe.CALLS) == 1
