"""The Qt panels INSIDE the real Krita, on Krita's PyQt5 through Qt.py (run INSIDE Krita).

Each panel is opened from Krita's "Stalker" menu (as an artist would), must
be parented to Krita's main window, is put in its demo state through its
controller and grabbed to ``$KRITA_SCREENSHOTS/krita_<panel>.png``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest
import Qt
from Qt import QtWidgets

PANELS = {"workfiles": "Work Files", "publish": "Publisher", "loader": "Loader",
          "inventory": "Scene Inventory"}


def _stalker_menu(window: Any) -> Any:
    for action in window.menuBar().actions():
        if action.text() == "Stalker":
            return action.menu()
    raise AssertionError("Krita's window has no Stalker menu")


def test_qt_py_runs_on_kritas_pyqt5() -> None:
    assert Qt.__binding__ == "PyQt5"
    import sys

    assert "PySide6" not in sys.modules and "PySide2" not in sys.modules


@pytest.mark.parametrize("name", list(PANELS))
def test_panel_opens_from_the_menu_parented_to_krita(name: str, krita_host: Any,
                                                     session: Any) -> None:
    from stalker_core.ui.windows import open_panels

    window = krita_host.main_window()
    menu = _stalker_menu(window)
    menu.aboutToShow.emit()  # the menu is filled when it opens
    if not menu.actions():  # a slot's error is only printed by Qt: raise it here
        from stalker_krita.startup import _fill

        _fill(menu)
    titles = {a.text(): a for a in menu.actions()}
    assert {"Version Up", *PANELS.values()} <= set(titles), sorted(titles)
    titles[PANELS[name]].trigger()
    if name not in open_panels():  # the menu showed the error in a box: raise it here
        from stalker_krita.startup import _open_panel

        _open_panel(name)
    panel = open_panels()[name]
    assert panel.parent() is window and panel.isWindow() and panel.isVisible()
    module = importlib.import_module(type(panel).__module__)
    getattr(module, "demo_state", lambda widget: None)(panel)
    panel.resize(1280, 800)
    QtWidgets.QApplication.processEvents()
    out = Path(os.environ["KRITA_SCREENSHOTS"]) / f"krita_{name}.png"
    assert panel.grab().save(str(out))
    titles[PANELS[name]].trigger()  # a second click raises the same window
    assert open_panels()[name] is panel
    panel.close()
