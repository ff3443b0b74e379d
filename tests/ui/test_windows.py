"""Opening panels by name: one instance per process, parented to the host's window."""

from __future__ import annotations

import types
from typing import Any

import pytest
from Qt import QtCore, QtWidgets

from stalker_core.exceptions import PluginError
from stalker_core.plugins import get_plugin_manager
from stalker_core.plugins.api import PanelSpec, hookimpl
from stalker_core.testing import FakeHost
from stalker_core.ui import show as show_panel
from stalker_core.ui.windows import close_panels, create_panel, open_panels

BUILT: list[dict[str, Any]] = []


def make_probe(**kwargs: Any) -> QtWidgets.QWidget:
    """The view factory of the test panel: records how it was called."""
    BUILT.append(kwargs)
    return QtWidgets.QLabel("probe", kwargs["parent"])


def not_a_widget(**kwargs: Any) -> object:
    return object()


def _pm() -> Any:
    plugin = types.ModuleType("probe_plugin")
    plugin.stalker_ui_panels = hookimpl(lambda: [  # type: ignore[attr-defined]
        PanelSpec("probe", "Probe", f"{__name__}:make_probe"),
        PanelSpec("broken", "Broken", f"{__name__}:not_a_widget"),
        PanelSpec("missing", "Missing", "no_such_module_xyz:View"),
    ])
    return get_plugin_manager({}, load_entrypoints=False, use_env=False, plugins=[plugin])


@pytest.fixture(autouse=True)
def _close_panels(qapp: QtWidgets.QApplication) -> Any:
    BUILT.clear()
    yield
    close_panels()
    assert open_panels() == {}
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


def test_second_show_raises_the_same_instance(qtbot: Any) -> None:
    pm = _pm()
    first = show_panel("probe", host=FakeHost(), plugin_manager=pm)
    first.close()
    second = show_panel("probe", host=FakeHost(), plugin_manager=pm)
    assert second is first and second.isVisible()
    assert len(BUILT) == 1
    assert second.windowTitle() == "Stalker - Probe"
    assert open_panels() == {"probe": first}


def test_parented_to_the_host_main_window(qtbot: Any) -> None:
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    host = FakeHost()
    host.main_window = lambda: window  # type: ignore[method-assign]
    widget = show_panel("probe", host=host, plugin_manager=_pm())
    assert widget.parent() is window
    assert widget.isWindow()


def test_host_without_ui_gets_a_top_level_window(qtbot: Any) -> None:
    widget = show_panel("probe", host=FakeHost(capabilities=set()), plugin_manager=_pm())
    assert widget.parent() is None


def test_deleted_panel_is_built_again(qtbot: Any, qapp: QtWidgets.QApplication) -> None:
    pm = _pm()
    first = show_panel("probe", host=FakeHost(), plugin_manager=pm)
    first.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert "probe" not in open_panels()
    show_panel("probe", host=FakeHost(), plugin_manager=pm)
    assert len(BUILT) == 2


def test_a_view_that_is_not_a_widget_is_refused(qtbot: Any) -> None:
    with pytest.raises(PluginError, match="returned <object.*not a QWidget"):
        create_panel("broken", plugin_manager=_pm())


def test_a_view_that_cannot_be_imported_names_the_panel(qtbot: Any) -> None:
    with pytest.raises(PluginError, match="panel 'missing' .*probe_plugin.*cannot be loaded"):
        create_panel("missing", plugin_manager=_pm())
