"""Entry point ``maya``: the Maya host and its publish plugins (:mod:`stalker_maya.publish`).

Host detection (:func:`stalker_host_get`) answers only inside Maya:

* ``maya.cmds`` must already be imported - inside Maya (GUI, batch or an
  initialised ``mayapy``) it always is; the plugin never imports Maya itself,
  so loading it in the CLI or on a farm worker costs nothing, and
* ``maya.cmds.about(version=True)`` must answer. In a ``mayapy`` that has not
  run ``maya.standalone.initialize()`` the commands are not there yet, and the
  test fake of ``tests/fakes`` refuses unless a test sets
  ``maya.pretend_inside_maya``.

Loader actions (:func:`stalker_ui_actions`): "Import" for Maya files, next to
the core's "Reference" (which every host with references has). Import copies
the file's nodes into the scene under a new namespace; it records nothing, so
imported nodes are not tracked: they are not containers, the Scene Inventory
does not list them and "update" never touches them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import UIAction, hookimpl

from .launch import stalker_launch_discover, stalker_launch_prepare
from .publish.collect import collect_maya_scene
from .publish.extract import extract_cache
from .publish.validate import validate_cache_set, validate_reference_files, validate_unknown_nodes

__all__ = [
    "collect_maya_scene",
    "extract_cache",
    "running_in_maya",
    "stalker_host_get",
    "stalker_launch_discover",
    "stalker_launch_prepare",
    "stalker_ui_actions",
    "validate_cache_set",
    "validate_reference_files",
    "validate_unknown_nodes",
]


def running_in_maya() -> bool:
    """Whether this process is a running Maya (see the module docstring for the rule)."""
    cmds = sys.modules.get("maya.cmds")
    if cmds is None:
        return False
    try:
        return bool(cmds.about(version=True))
    except Exception:  # noqa: BLE001 - any failure means "not a usable Maya"
        return False


@hookimpl
def stalker_host_get(context: Any) -> Any:
    """Return a :class:`~stalker_maya.adapter.MayaHost` inside Maya, else ``None``."""
    if not running_in_maya():
        return None
    from .adapter import MayaHost

    return MayaHost()


def _import(host: Any, version: Any, path: Path) -> None:
    host.import_file(Path(path))


@hookimpl
def stalker_ui_actions(host: Any, location: str) -> list[UIAction] | None:
    """The Loader's "Import" (``file -i``) for a Maya host; nothing elsewhere."""
    if location != "loader" or getattr(host, "name", None) != "maya" or not callable(
        getattr(host, "import_file", None)
    ):
        return None
    from .adapter import FILE_TYPES

    return [
        UIAction(
            "maya.import", "Import", "loader", _import,
            extensions=tuple(FILE_TYPES),
            description=(
                "Import the file's nodes into the scene under a new namespace; imported "
                "nodes are not tracked (no version is recorded, they are never updated)"
            ),
            order=20,
        )
    ]
