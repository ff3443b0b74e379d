"""Maya start-up: the "Stalker" menu, created after Maya has finished starting.

:func:`install` is what the module's ``userSetup.py`` calls. In batch mode
(``about -batch``: ``mayapy``, render nodes) it does nothing; with a user
interface it queues :func:`create_menu` with ``maya.utils.executeDeferred``,
because ``MayaWindow`` does not exist yet while ``userSetup.py`` runs, and
registers the scene callbacks of :mod:`stalker_maya.callbacks` (save check,
after-open notice).

The menu's items are those of
:class:`~stalker_core.controllers.menu.MenuController`: a disabled label
naming the scene's context ("SH010 / anim"), "Version Up", one item per panel
(Work Files, Publisher, Loader, Scene Inventory and those of plugins), which
opens it with ``stalker_core.ui.show`` (Qt is imported when an item is picked,
never at start-up), and the plugins' ``"menu"`` actions. The items are made
again each time the artist opens the menu (``menu -postMenuCommand``), so the
label follows the open scene. A menu command never raises into Maya:
failures are shown with ``cmds.warning``.
"""

from __future__ import annotations

import functools
import importlib
import logging
from typing import Any

from stalker_core.controllers.menu import MenuController, MenuEntry

log = logging.getLogger(__name__)

#: the object name of the menu in ``MayaWindow``
MENU_NAME = "stalkerMenu"
#: the window Maya's main menus belong to
MAIN_WINDOW = "MayaWindow"
#: the ids of the scene callbacks :func:`install` registered (once per session)
_callback_ids: list[int] = []


def _cmds() -> Any:
    return importlib.import_module("maya.cmds")


def show_panel(name: str, **kwargs: Any) -> Any:
    """Open the panel ``name`` with :func:`stalker_core.ui.show` (Qt is imported now)."""
    from stalker_core.ui import show

    return show(name, **kwargs)


def run_entry(entry: MenuEntry, *_args: Any) -> None:
    """Run a menu entry's command; a failure becomes a ``cmds.warning`` (Maya passes a flag)."""
    if entry.run is None:
        return
    try:
        result = entry.run()
    except Exception as exc:  # noqa: BLE001 - shown to the artist, never raised into Maya
        _cmds().warning(f"Stalker: {entry.label} failed: {exc}")
        return
    log.info("stalker_maya: %s: %r", entry.label, result)


def fill_menu(menu: str, controller: MenuController) -> None:
    """Replace the items of ``menu`` with the controller's entries."""
    cmds = _cmds()
    cmds.menu(menu, edit=True, deleteAllItems=True)
    for entry in controller.entries(show_panel):
        if entry.divider:
            cmds.menuItem(divider=True, parent=menu)
        elif entry.run is None:
            cmds.menuItem(label=entry.label, enable=False, parent=menu)
        else:
            cmds.menuItem(
                label=entry.label, annotation=entry.tooltip, parent=menu,
                command=functools.partial(run_entry, entry),
            )


def create_menu(controller: MenuController | None = None) -> str:
    """(Re)build the "Stalker" menu in ``MayaWindow`` and return its name.

    :param controller: what the menu shows (default: one over a new
        :class:`~stalker_maya.adapter.MayaHost`, the default session and plugins).
    """
    from .adapter import MayaHost

    cmds = _cmds()
    controller = controller if controller is not None else MenuController(MayaHost())
    if cmds.menu(MENU_NAME, exists=True):
        cmds.deleteUI(MENU_NAME)
    menu = str(cmds.menu(
        MENU_NAME, label="Stalker", parent=MAIN_WINDOW, tearOff=True,
        postMenuCommand=lambda *_: fill_menu(MENU_NAME, controller),
    ))
    fill_menu(MENU_NAME, controller)
    return menu


def install() -> bool:
    """Set Stalker up in this Maya; return whether it did (not in batch mode).

    Registers the scene callbacks (:mod:`stalker_maya.callbacks`) once and
    queues :func:`create_menu`.
    """
    cmds = _cmds()
    if cmds.about(batch=True):
        return False
    from .callbacks import install_callbacks

    global _callback_ids
    if not _callback_ids:
        _callback_ids = install_callbacks()
    utils = importlib.import_module("maya.utils")
    utils.executeDeferred(create_menu)
    return True
