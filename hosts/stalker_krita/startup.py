"""What the Stalker plugin does inside Krita: the "Stalker" menu and start-up jobs.

:func:`install` (called by the ``stalker_krita_plugin`` Python plugin) adds a
Krita ``Extension`` that

* puts a "Stalker" menu in each Krita window's menu bar, rebuilt every time
  it opens from :class:`~stalker_core.controllers.menu.MenuController`: the
  scene's context label, Version Up, the panels (opened with
  :func:`stalker_core.ui.show`, parented to Krita's window, on Krita's
  PyQt5 through Qt.py) and the plugins' menu actions;
* once Krita's window is up: saves the new document as the task's first
  version when the launcher asked for it (``STALKER_LAUNCH_SAVE_NEW``), and
  runs the Python file named by ``STALKER_KRITA_SCRIPT`` (batch jobs, tests).

Errors of a menu item are shown in a message box, never raised into Krita.
"""

from __future__ import annotations

import runpy
import traceback
from typing import Any

from krita import Extension, Krita

from stalker_core.config import env_flag, env_value

#: milliseconds after the window appears before the start-up jobs run
STARTUP_DELAY_MS = 500

_host: Any = None


def host() -> Any:
    """The process's :class:`~stalker_krita.adapter.KritaHost` (made on first use)."""
    global _host
    if _host is None:
        from .adapter import KritaHost

        _host = KritaHost()
    return _host


def _controller() -> Any:
    from stalker_core.controllers.menu import MenuController

    return MenuController(host())


#: the message boxes shown, kept alive until closed
_messages: list[Any] = []


def _report(title: str, exc: BaseException) -> None:
    """Show the error in a message box that does not block Krita (and print its traceback)."""
    from Qt import QtCore, QtWidgets

    traceback.print_exc()
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, f"Stalker - {title}",
                                str(exc) or type(exc).__name__,
                                QtWidgets.QMessageBox.StandardButton.Ok, host().main_window())
    box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result, b=box: _messages.remove(b))
    _messages.append(box)
    box.open()


def _open_panel(name: str) -> None:
    from stalker_core.ui import show

    show(name, host=host())


def _fill(menu: Any) -> None:
    menu.clear()
    for entry in _controller().entries(_open_panel):
        if entry.divider:
            menu.addSeparator()
            continue
        action = menu.addAction(entry.label)
        action.setToolTip(entry.tooltip)
        action.setEnabled(entry.enabled)
        if entry.run is not None:
            action.triggered.connect(lambda _checked=False, e=entry: _run(e))


def _run(entry: Any) -> None:
    try:
        entry.run()
    except Exception as exc:  # noqa: BLE001 - a menu item never raises into Krita
        _report(entry.label, exc)


def save_new_document() -> None:
    """Save the new document as the first version of the launcher's task."""
    from stalker_core.context import Context
    from stalker_core.controllers.menu import connect_default_session
    from stalker_core.orm.session import DBSession
    from stalker_core.workflows import save_as_version

    if host().current_file() is not None:
        return
    session = connect_default_session(DBSession)
    context = Context.from_env(session=session)
    if context is None or context.task is None:
        return
    save_as_version(host(), context.task, "Main", "New document from the launcher",
                    session=session)


def _startup_jobs() -> None:
    if env_flag("STALKER_LAUNCH_SAVE_NEW"):
        try:
            save_new_document()
        except Exception as exc:  # noqa: BLE001
            _report("Save As Version", exc)
    script = env_value("STALKER_KRITA_SCRIPT")
    if script:
        runpy.run_path(script, run_name="__stalker_krita_script__")


_started = False


def _window_created() -> None:
    global _started
    if _started:
        return
    _started = True
    from Qt import QtCore

    QtCore.QTimer.singleShot(STARTUP_DELAY_MS, _startup_jobs)


class StalkerExtension(Extension):  # type: ignore[misc]
    """The Krita extension of the pipeline (see the module docstring)."""

    def setup(self) -> None:
        host()  # on Krita's main thread: installs the main-thread pump
        Krita.instance().notifier().windowCreated.connect(_window_created)

    def createActions(self, window: Any) -> None:  # noqa: N802 - Krita's name
        qwindow = window.qwindow()
        menu = qwindow.menuBar().addMenu("Stalker")
        menu.setObjectName("stalker_menu")
        menu.aboutToShow.connect(lambda m=menu: _fill(m))


def install() -> StalkerExtension:
    """Add the extension to Krita (once per process)."""
    app = Krita.instance()
    extension = StalkerExtension(app)
    app.addExtension(extension)
    return extension
