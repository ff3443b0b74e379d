"""Scene callbacks of the Maya host (Maya Python API 2.0 scene messages).

* :func:`save_check` (``kBeforeSaveCheck``): a plain save (Ctrl+S) over the
  file of a saved version is refused - the file is a version's, published or
  not, and a version's file never changes. The artist is told to use
  Stalker > Version Up (Save As Version). The pipeline's own saves are not
  affected: :meth:`MayaHost.save_file <stalker_maya.adapter.MayaHost.save_file>`
  writes to a new temporary name first.
* :func:`after_open` (``kAfterOpen``): a non-blocking warning when the scene's
  references are outdated (:func:`~stalker_core.workflows.find_outdated`).

:func:`install_callbacks` registers both and returns their ids.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from stalker_core.hosts import VERSION_ID_KEY

log = logging.getLogger(__name__)


def _cmds() -> Any:
    return importlib.import_module("maya.cmds")


def save_check(client_data: Any = None) -> bool:
    """``kBeforeSaveCheck``: ``False`` (refuse) when the save would overwrite a version's file.

    Never raises into Maya: an unexpected error lets the save go on.
    """
    cmds = _cmds()
    try:
        name = cmds.file(query=True, sceneName=True)
        if not name or not Path(name).is_file():
            return True
        version_id = cmds.fileInfo(VERSION_ID_KEY, query=True)
        if not version_id or not version_id[0]:
            return True
    except Exception:  # noqa: BLE001 - a check callback must not break saving
        log.debug("stalker_maya: save check failed", exc_info=True)
        return True
    cmds.warning(
        f"Stalker: {Path(name).name} is the file of version {version_id[0]} and is not "
        "saved over; use Stalker > Version Up (Save As Version) to save a new version"
    )
    return False


def outdated_message(host: Any, session: Any = None) -> str | None:
    """The notice to show when references are outdated, or ``None``."""
    if not host.list_references():
        return None
    from stalker_core.controllers.menu import connect_default_session
    from stalker_core.workflows import find_outdated
    from stalker_core.workflows.common import session_or_default

    outdated = find_outdated(
        host, session=connect_default_session(session_or_default(session))
    )
    if not outdated:
        return None
    names = ", ".join(status.container.name for status in outdated)
    return f"Stalker: {len(outdated)} outdated reference(s): {names}; update them from Stalker"


def after_open(client_data: Any = None) -> None:
    """``kAfterOpen``: warn (without blocking) when the scene's references are outdated."""
    from .adapter import MayaHost

    cmds = _cmds()
    try:
        message = outdated_message(MayaHost(), client_data)
    except Exception:  # noqa: BLE001 - opening a scene must never fail because of us
        log.debug("stalker_maya: outdated check failed", exc_info=True)
        return
    if message:
        cmds.warning(message)


def install_callbacks() -> list[int]:
    """Register :func:`save_check` and :func:`after_open`; return the callback ids."""
    om = importlib.import_module("maya.api.OpenMaya")
    scene = om.MSceneMessage
    return [
        scene.addCheckCallback(scene.kBeforeSaveCheck, save_check),
        scene.addCallback(scene.kAfterOpen, after_open),
    ]


def remove_callbacks(ids: list[int]) -> None:
    """Remove callbacks registered by :func:`install_callbacks`."""
    om = importlib.import_module("maya.api.OpenMaya")
    for callback_id in ids:
        om.MMessage.removeCallback(callback_id)
