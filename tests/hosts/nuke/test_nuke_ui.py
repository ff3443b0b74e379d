"""The ``ui`` capability of NukeHost and its panels, with Qt offscreen, on the FAKE ``nuke``."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import ui_probe
from Qt import QtWidgets
from ui_probe import panels_closed  # noqa: F401 - the fixture

from stalker_core.controllers.menu import MenuController

pytestmark = [pytest.mark.qt, pytest.mark.usefixtures("panels_closed")]


@pytest.fixture
def gui(fake_nuke: Any) -> Any:
    """The fake in GUI mode; its main window is deleted afterwards (Nuke has one)."""
    fake_nuke._reset(gui=True)
    yield fake_nuke
    for window in fake_nuke._main_windows:
        window.deleteLater()


def test_main_window_is_nukes(gui: Any, host: Any) -> None:
    other = QtWidgets.QMainWindow()  # another top-level window: not Nuke's
    other.show()
    window = gui._open_main_window()
    assert host.main_window() is window
    other.close()


def test_no_main_window_in_terminal_mode(fake_nuke: Any, host: Any) -> None:
    window = fake_nuke._open_main_window()  # even with a window around: nuke -t has no GUI
    assert host.main_window() is None
    window.deleteLater()


def in_worker(func: Any, pump: Any) -> list[Any]:
    """Call ``func()`` in a worker thread, running ``pump()`` here until it is done."""
    outcome: list[Any] = []

    def worker() -> None:
        try:
            outcome.append(func())
        except BaseException as exc:  # noqa: BLE001 - checked by the caller
            outcome.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        pump()
        thread.join(0.01)
    return outcome


def fail() -> None:
    assert threading.current_thread() is threading.main_thread()
    raise KeyError("no such node")


def test_an_error_on_the_main_thread_reaches_the_worker(gui: Any, host: Any) -> None:
    """In the GUI: Nuke's executeInMainThreadWithResult gives None for an error; not the host."""
    [error] = in_worker(lambda: host.run_in_main_thread(fail), gui._process_events)
    assert isinstance(error, KeyError) and "no such node" in str(error)


def test_in_terminal_mode_the_script_runs_the_calls(fake_nuke: Any, host: Any) -> None:
    """``nuke -t`` has no event loop: the script's main thread runs ``process_events``."""
    [error] = in_worker(lambda: host.run_in_main_thread(fail), host.process_events)
    assert isinstance(error, KeyError) and "no such node" in str(error)
    [value] = in_worker(lambda: host.run_in_main_thread(str.upper, "ok"), host.process_events)
    assert value == "OK"


def test_in_terminal_mode_a_call_nobody_runs_gives_up(fake_nuke: Any, host: Any) -> None:
    from stalker_core.exceptions import HostError

    host.main_thread_timeout = 0.05
    [error] = in_worker(lambda: host.run_in_main_thread(int), lambda: None)
    assert isinstance(error, HostError) and "nuke -t" in str(error)
    assert host.process_events() == 0  # withdrawn: it never runs later


def test_the_fake_loses_errors_like_nuke(fake_nuke: Any) -> None:
    """What the adapter works around: the raw call gives None, and refuses the main thread."""
    result: list[Any] = []
    thread = threading.Thread(
        target=lambda: result.append(fake_nuke.executeInMainThreadWithResult(lambda: 1 / 0))
    )
    thread.start()
    while thread.is_alive():
        fake_nuke._process_events()
        thread.join(0.01)
    assert result == [None]
    with pytest.raises(RuntimeError, match="would wait for itself"):
        fake_nuke.executeInMainThreadWithResult(int)


def test_a_panel_from_the_menu_is_parented_to_nukes_window(
    gui: Any, host: Any, session: Any
) -> None:
    from nuke_project import plugin_manager
    from stalker_nuke.startup import install_menu

    ui_probe.CALLS.clear()
    window = gui._open_main_window()
    pm = plugin_manager(ui_probe.probe_plugin())
    menu = install_menu(gui, MenuController(host, session=session, plugin_manager=pm))
    menu.findItem("Probe").invoke()
    assert gui.messages == []
    [(kind, kwargs)] = ui_probe.CALLS
    assert kind == "view" and kwargs["host"] is host and kwargs["parent"] is window
    panel = window.findChild(QtWidgets.QLabel)
    assert panel is not None and panel.isVisible() and panel.windowTitle() == "Stalker - Probe"
