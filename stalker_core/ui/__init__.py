"""The artist's panels in Qt (through Qt.py): Work Files, Publisher, Loader, Scene Inventory.

Importing this package imports no Qt; the modules below do, and are loaded
when a panel is shown. Each panel is a view over a Qt-free controller of
:mod:`stalker_core.controllers`.

* :func:`show` (from :mod:`~stalker_core.ui.windows`) opens a panel by name,
  one instance per process, parented to the host's main window;
* :mod:`~stalker_core.ui.widgets`: the widgets the panels share (the error
  banner with Retry);
* :mod:`~stalker_core.ui.command`: ``stalker ui NAME`` for the standalone host.
"""

from __future__ import annotations

from typing import Any

__all__ = ["show"]


def show(name: str, **kwargs: Any) -> Any:
    """Show the panel ``name``; see :func:`stalker_core.ui.windows.show`."""
    from stalker_core.ui.windows import show as _show

    return _show(name, **kwargs)
