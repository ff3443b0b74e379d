"""Maya start-up: the "Stalker" menu, created after Maya has finished starting.

:func:`install` is what the module's ``userSetup.py`` calls. In batch mode
(``about -batch``: ``mayapy``, render nodes) it does nothing; with a user
interface it queues :func:`create_menu` with ``maya.utils.executeDeferred``,
because ``MayaWindow`` does not exist yet while ``userSetup.py`` runs.

The menu's first item is a disabled label naming the scene's context
("SH010 / anim"), then "Version Up" (save the scene as the next version of
its task and take). A menu command never raises into Maya: failures are shown
with ``cmds.warning``. With a user interface, :func:`install` also registers
the scene callbacks of :mod:`stalker_maya.callbacks` (save check, after-open
notice).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from stalker_core.hosts import VERSION_ID_KEY

log = logging.getLogger(__name__)

#: the object name of the menu in ``MayaWindow``
MENU_NAME = "stalkerMenu"
#: the window Maya's main menus belong to
MAIN_WINDOW = "MayaWindow"
#: the ids of the scene callbacks :func:`install` registered (once per session)
_callback_ids: list[int] = []


def _cmds() -> Any:
    return importlib.import_module("maya.cmds")


def _session() -> Any:
    """``DBSession``, connected to the configured database when it is not yet."""
    from stalker_core.orm.session import DBSession

    factory = getattr(DBSession, "session_factory", None)
    if factory is not None and factory.kw.get("bind") is None:
        from stalker_core import db

        db.setup()
        db.init()
    return DBSession


def scene_version(host: Any, session: Any = None) -> Any:
    """The Version recorded in the open scene's metadata, or ``None``.

    The database is not touched for a scene without a version id.
    """
    from stalker_core.models.version.model import Version

    raw = host.get_scene_metadata().get(VERSION_ID_KEY, "")
    if not raw.isdigit():
        return None
    return (session if session is not None else _session()).get(Version, int(raw))


def context_label(host: Any, session: Any = None) -> str:
    """The menu's context label: ``"<parent or project> / <task>"`` of the scene's version.

    Never raises: a scene that is not a version, or a database that cannot be
    reached, gives a label saying so.
    """
    try:
        version = scene_version(host, session)
    except Exception as exc:  # noqa: BLE001 - the menu must be built whatever happens
        log.debug("stalker_maya: context lookup failed", exc_info=True)
        return f"Stalker: {type(exc).__name__}: {exc}"
    if version is None:
        return "Not a Stalker version"
    task = version.task
    owner = task.parent.name if task.parent is not None else task.project.name
    return f"{owner} / {task.name}"


def version_up(host: Any, session: Any = None, pm: Any = None) -> Any:
    """Save the scene as the next version of its version's task and take.

    :raises WorkfileError: when the open scene is not a Stalker version.
    """
    from stalker_core.exceptions import WorkfileError
    from stalker_core.workflows import save_as_version

    version = scene_version(host, session)
    if version is None:
        raise WorkfileError(
            "this scene is not a Stalker version: save it with Save As Version first"
        )
    session = session if session is not None else _session()
    return save_as_version(
        host, version.task, version.take_name, session=session, pm=pm, parent=version
    )


def _run_version_up(*_args: Any) -> None:
    from .adapter import MayaHost

    cmds = _cmds()
    try:
        version = version_up(MayaHost())
    except Exception as exc:  # noqa: BLE001 - shown to the artist, never raised into Maya
        cmds.warning(f"Stalker: Version Up failed: {exc}")
        return
    log.info("stalker_maya: saved %s", version.absolute_full_path)
    create_menu()


def create_menu(session: Any = None) -> str:
    """(Re)build the "Stalker" menu in ``MayaWindow`` and return its name."""
    from .adapter import MayaHost

    cmds = _cmds()
    if cmds.menu(MENU_NAME, exists=True):
        cmds.deleteUI(MENU_NAME)
    menu = cmds.menu(MENU_NAME, label="Stalker", parent=MAIN_WINDOW, tearOff=True)
    cmds.menuItem(label=context_label(MayaHost(), session), enable=False, parent=menu)
    cmds.menuItem(divider=True, parent=menu)
    cmds.menuItem(label="Version Up", command=_run_version_up, parent=menu)
    return str(menu)


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
