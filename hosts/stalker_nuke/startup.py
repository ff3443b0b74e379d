"""What Nuke's start-up files run: :func:`initialize` (``init.py``) and the menu (``menu.py``).

Nothing here runs on import. ``init.py`` calls :func:`initialize` in every
Nuke session (GUI, ``nuke -t``, render nodes); ``menu.py`` calls
:func:`install_menu` in the GUI only. Both files catch every error, so a
broken environment never stops Nuke from starting (see their docstrings).

The "Stalker" menu (in Nuke's main menu bar) lists the entries of
:class:`~stalker_core.controllers.menu.MenuController`:

* a disabled label naming the open script's context, e.g. ``"SH010 / comp"``;
* "Version Up": save the script as the next version of its task and take;
* one command per panel (Work Files, Publisher, Loader, Scene Inventory and
  those of plugins), which opens it with ``stalker_core.ui.show`` - Qt is
  imported when the command runs, never at start-up;
* the plugins' ``"menu"`` actions.

Nuke reads a ``/`` in a command's name as a sub-menu, so the labels show it as
``∕`` (:func:`nuke_label`). The menu is made again after each of its commands
(the context may have changed). Failures are shown with ``nuke.message``,
never raised into Nuke. The database session and the plugin manager are
created on first use, not at start-up.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from stalker_core.controllers.menu import MenuController, MenuEntry

log = logging.getLogger(__name__)

#: the name of the menu in Nuke's menu bar
MENU_NAME = "Stalker"


def initialize() -> None:
    """Run by ``init.py`` in every Nuke session: check that the pipeline can be imported.

    Imports the core and this host's plugin (both cheap, no database); the
    host is found later through the ``stalker_host_get`` hook.
    """
    import stalker_core  # noqa: F401 - fails here, caught by init.py, if the install is broken

    from . import plugin  # noqa: F401

    log.info("Stalker: the Nuke host is available")


def nuke_label(text: str) -> str:
    """``text`` as a menu item name: ``/`` and ``\\`` would make sub-menus in Nuke."""
    return text.replace("/", "\u2215").replace("\\", "\u2216")


def show_panel(name: str, **kwargs: Any) -> Any:
    """Open the panel ``name`` with :func:`stalker_core.ui.show` (Qt is imported now)."""
    from stalker_core.ui import show

    return show(name, **kwargs)


def install_menu(nuke_module: Any = None, controller: MenuController | None = None) -> Any:
    """Build the "Stalker" menu in Nuke's menu bar; returns it.

    :param nuke_module: the ``nuke`` module (imported when not given).
    :param controller: what the menu shows (default: one over a new
        :class:`~stalker_nuke.adapter.NukeHost`, the default session and plugins).
    """
    nuke = nuke_module if nuke_module is not None else importlib.import_module("nuke")
    if controller is None:
        from .adapter import NukeHost

        controller = MenuController(NukeHost())
    menu = nuke.menu("Nuke").addMenu(MENU_NAME)

    def refresh() -> None:
        menu.clearMenu()
        for entry in controller.entries(show_panel):
            if entry.divider:
                menu.addSeparator()
            elif entry.run is None:
                menu.addCommand(nuke_label(entry.label), lambda: None).setEnabled(False)
            else:
                menu.addCommand(
                    nuke_label(entry.label), lambda entry=entry: run(entry),
                    tooltip=entry.tooltip,
                )

    def run(entry: MenuEntry) -> None:
        assert entry.run is not None
        try:
            result = entry.run()
        except Exception as exc:  # noqa: BLE001 - shown to the artist, not raised into Nuke
            nuke.message(f"Stalker: {entry.label} failed: {exc}")
        else:
            log.info("Stalker: %s: %r", entry.label, result)
        finally:
            refresh()

    refresh()
    return menu
