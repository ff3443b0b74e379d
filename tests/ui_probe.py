"""A probe plugin for the host menu tests: one panel (a QLabel) and one menu action.

The view factory imports Qt when called, so a test module that only lists the
menu imports no Qt. Everything the probe is asked to do is recorded in
:data:`CALLS`. :func:`panels_closed` is a fixture for the tests that really
open panels.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import pytest

from stalker_core.plugins.api import PanelSpec, UIAction, hookimpl

#: ("view", kwargs) for each panel built, ("action", kwargs) for each action run
CALLS: list[tuple[str, dict[str, Any]]] = []


def probe_view(**kwargs: Any) -> Any:
    """The probe panel's view: a QLabel under ``parent``."""
    from Qt import QtWidgets

    CALLS.append(("view", kwargs))
    return QtWidgets.QLabel("probe", kwargs["parent"])


def _hello(**kwargs: Any) -> str:
    CALLS.append(("action", kwargs))
    return "hello"


def probe_plugin(*, broken_panels: bool = False) -> types.ModuleType:
    """A plugin module offering the "probe" panel and the "Say hello" menu action.

    :param broken_panels: its ``stalker_ui_panels`` answers something that is
        not a list of PanelSpec (the menu must still be built).
    """
    plugin = types.ModuleType("ui_probe_plugin")

    def stalker_ui_panels() -> Any:
        if broken_panels:
            return "not a list"
        return [PanelSpec("probe", "Probe", f"{__name__}:probe_view", order=1)]

    def stalker_ui_actions(host: Any, location: str) -> list[UIAction] | None:
        if location != "menu":
            return None
        return [UIAction("probe.hello", "Say hello", "menu", _hello, description="Say hello")]

    plugin.stalker_ui_panels = hookimpl(stalker_ui_panels)  # type: ignore[attr-defined]
    plugin.stalker_ui_actions = hookimpl(stalker_ui_actions)  # type: ignore[attr-defined]
    return plugin


@pytest.fixture
def panels_closed(qapp: Any) -> Iterator[None]:
    """Close and delete every panel the test opened (use it with ``usefixtures``)."""
    from Qt import QtCore

    from stalker_core.ui.windows import close_panels

    yield
    close_panels()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
