"""What Nuke's start-up files run: :func:`initialize` (``init.py``) and the menu (``menu.py``).

Nothing here runs on import. ``init.py`` calls :func:`initialize` in every
Nuke session (GUI, ``nuke -t``, render nodes); ``menu.py`` calls
:func:`install_menu` in the GUI only. Both files catch every error, so a
broken environment never stops Nuke from starting (see their docstrings).

The "Stalker" menu (in Nuke's main menu bar) holds:

* a disabled label naming the open script's context, e.g. ``"SH010 / comp"``
  (:func:`context_label`; refreshed after each menu command);
* "Version Up": save the script as the next version of its task
  (:func:`version_up`, through :func:`~stalker_core.workflows.save_as_version`).

The database session and the plugin manager are created on first use
(:class:`MenuRuntime`), not at start-up, so Nuke starts as fast with the menu as
without it. The panels of the Qt panels issue are not in the menu yet.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from stalker_core.hosts import VERSION_ID_KEY

log = logging.getLogger(__name__)

#: the name of the menu in Nuke's menu bar
MENU_NAME = "Stalker"
#: the label shown when the script belongs to no known task
NO_CONTEXT = "No Stalker context"


class MenuRuntime:
    """The database session and plugin manager the menu works with (created on first use)."""

    def __init__(self, session: Any = None, pm: Any = None) -> None:
        self._session = session
        self._pm = pm

    def session(self) -> Any:
        """The given session, else ``DBSession`` connected to the configured database."""
        if self._session is None:
            from stalker_core import db
            from stalker_core.orm.session import DBSession

            if DBSession.session_factory.kw.get("bind") is None:
                db.setup()
                db.init()
            self._session = DBSession
        return self._session

    def plugin_manager(self) -> Any:
        """The given plugin manager, else one with every installed plugin."""
        if self._pm is None:
            from stalker_core.plugins import get_plugin_manager

            self._pm = get_plugin_manager()
        return self._pm


def initialize() -> None:
    """Run by ``init.py`` in every Nuke session: check that the pipeline can be imported.

    Imports the core and this host's plugin (both cheap, no database); the
    host is found later through the ``stalker_host_get`` hook.
    """
    import stalker_core  # noqa: F401 - fails here, caught by init.py, if the install is broken

    from . import plugin  # noqa: F401

    log.info("Stalker: the Nuke host is available")


def _version_of(host: Any, session: Any) -> Any:
    from stalker_core.models.version.model import Version

    raw = host.get_scene_metadata().get(VERSION_ID_KEY, "")
    return session.get(Version, int(raw)) if raw.isdigit() else None


def context_label(host: Any, session: Any) -> str:
    """``"<parent> / <task>"`` of the script's version (``"SH010 / comp"``), else NO_CONTEXT."""
    version = _version_of(host, session)
    if version is None or version.task is None:
        return NO_CONTEXT
    task = version.task
    owner = task.parent.name if task.parent is not None else task.project.name
    return f"{owner} / {task.name}"


def version_up(host: Any, session: Any, pm: Any) -> Any:
    """Save the script as the next version of its task (same take); returns the Version.

    :raises ContextError: the script was not saved as a version of a known task.
    """
    from stalker_core.context import ContextError
    from stalker_core.workflows import save_as_version

    version = _version_of(host, session)
    if version is None:
        raise ContextError(
            "Version Up needs a script saved as a version of a task; this script is not "
            "(open one, or save it with Save As Version first)"
        )
    return save_as_version(host, version.task, version.take_name, session=session, pm=pm)


def install_menu(nuke_module: Any = None, runtime: MenuRuntime | None = None) -> Any:
    """Build the "Stalker" menu in Nuke's menu bar; returns it.

    :param nuke_module: the ``nuke`` module (imported when not given).
    :param runtime: the session and plugin manager (created on first use by default).
    """
    nuke = nuke_module if nuke_module is not None else importlib.import_module("nuke")
    runtime = runtime if runtime is not None else MenuRuntime()

    from .adapter import NukeHost

    host = NukeHost()
    menu = nuke.menu("Nuke").addMenu(MENU_NAME)

    def label() -> str:
        try:
            return context_label(host, runtime.session())
        except Exception as exc:  # noqa: BLE001 - the label must not break the menu
            log.warning("Stalker: no context for the menu: %s", exc)
            return NO_CONTEXT

    def refresh() -> None:
        menu.clearMenu()
        menu.addCommand(label(), lambda: None).setEnabled(False)
        menu.addCommand("Version Up", run_version_up)

    def run_version_up() -> None:
        try:
            version = version_up(host, runtime.session(), runtime.plugin_manager())
        except Exception as exc:  # noqa: BLE001 - shown to the artist, not raised into Nuke
            nuke.message(f"Stalker: Version Up failed: {exc}")
            return
        finally:
            refresh()
        log.info("Stalker: saved version %s", version.version_number)

    refresh()
    return menu
