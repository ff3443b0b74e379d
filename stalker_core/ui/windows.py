"""Opening panels: one instance per process, parented to the host's main window."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from Qt import QtCompat, QtCore, QtWidgets

from stalker_core.controllers.registry import panel_spec
from stalker_core.exceptions import PluginError
from stalker_core.hosts import host_main_window
from stalker_core.plugins.api import PanelSpec

if TYPE_CHECKING:
    import pluggy

__all__ = ["application", "close_panels", "create_panel", "grab_to", "open_panels", "show"]

#: panel name -> the open instance of this process
_OPEN: dict[str, QtWidgets.QWidget] = {}


def application() -> QtWidgets.QApplication:
    """The running QApplication, created when there is none (the standalone host)."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication([])
    return app  # type: ignore[return-value]


def _factory(spec: PanelSpec) -> Any:
    module_name, _, attr = spec.view.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise PluginError(
            f"the view {spec.view!r} of panel {spec.name!r} (plugin {spec.plugin!r}) cannot be "
            f"loaded: {type(exc).__name__}: {exc}"
        ) from exc


def create_panel(
    name: str,
    *,
    host: Any = None,
    session: Any = None,
    plugin_manager: pluggy.PluginManager | None = None,
    parent: QtWidgets.QWidget | None = None,
) -> QtWidgets.QWidget:
    """Build a new instance of the panel ``name`` (not shown, not remembered)."""
    spec = panel_spec(name, plugin_manager)
    widget = _factory(spec)(
        host=host, parent=parent, session=session, plugin_manager=plugin_manager
    )
    if not isinstance(widget, QtWidgets.QWidget):
        raise PluginError(
            f"the view {spec.view!r} of panel {spec.name!r} returned {widget!r}, not a QWidget"
        )
    widget.setWindowTitle(f"Stalker - {spec.title}")
    widget.setObjectName(f"stalker_panel_{spec.name}")
    return widget


def open_panels() -> dict[str, QtWidgets.QWidget]:
    """The panels open in this process, by name."""
    for name in [n for n, w in _OPEN.items() if not QtCompat.isValid(w)]:
        del _OPEN[name]
    return dict(_OPEN)


def close_panels() -> None:
    """Close and delete every open panel (a host shutting down, tests)."""
    for name, widget in list(_OPEN.items()):
        del _OPEN[name]
        if QtCompat.isValid(widget):
            widget.close()
            widget.deleteLater()


def show(
    name: str,
    *,
    host: Any = None,
    session: Any = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> QtWidgets.QWidget:
    """Show the panel ``name`` and return it.

    The first call builds it as a window parented to the host's main window
    (:func:`~stalker_core.hosts.host_main_window`; none for hosts without
    the ``ui`` capability); later calls raise and activate that same
    instance, even after the artist closed it.

    :raises PluginError: no panel is called ``name``, or its view cannot be loaded.
    """
    application()
    widget = open_panels().get(name)
    if widget is None:
        parent = host_main_window(host)
        widget = create_panel(
            name, host=host, session=session, plugin_manager=plugin_manager, parent=parent
        )
        widget.setWindowFlags(widget.windowFlags() | QtCore.Qt.WindowType.Window)
        _OPEN[name] = widget
        widget.destroyed.connect(lambda *_: _OPEN.pop(name, None))
    widget.show()
    widget.raise_()
    widget.activateWindow()
    return widget


def grab_to(widget: QtWidgets.QWidget, path: Path, size: tuple[int, int] = (1280, 800),
            *, delete: bool = False) -> None:
    """Render ``widget`` at ``size`` to the PNG ``path``, then close it.

    :param delete: also delete it now, so that Qt never destroys it after
        the QApplication is gone (a window not kept by :func:`show`).
    :raises OSError: the PNG could not be written.
    """
    app = application()
    widget.resize(*size)
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = widget.grab().save(str(path))
    widget.close()
    if delete:
        widget.deleteLater()
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    if not ok:
        raise OSError(f"could not write the screenshot {path}")
