"""Entry point ``maya``: the Maya host and its publish plugins (:mod:`stalker_maya.publish`).

Host detection (:func:`stalker_host_get`) answers only inside Maya:

* ``maya.cmds`` must already be imported - inside Maya (GUI, batch or an
  initialised ``mayapy``) it always is; the plugin never imports Maya itself,
  so loading it in the CLI or on a farm worker costs nothing, and
* ``maya.cmds.about(version=True)`` must answer. In a ``mayapy`` that has not
  run ``maya.standalone.initialize()`` the commands are not there yet, and the
  test fake of ``tests/fakes`` refuses unless a test sets
  ``maya.pretend_inside_maya``.
"""

from __future__ import annotations

import sys
from typing import Any

from stalker_core.plugins.api import hookimpl

from .publish.collect import collect_maya_scene
from .publish.extract import extract_cache
from .publish.validate import validate_cache_set, validate_reference_files, validate_unknown_nodes

__all__ = [
    "collect_maya_scene",
    "extract_cache",
    "running_in_maya",
    "stalker_host_get",
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
