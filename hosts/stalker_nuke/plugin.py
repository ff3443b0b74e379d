"""Entry point ``nuke``: the Nuke host and its publish plugins (:mod:`.publish`), for pluggy.

:func:`stalker_host_get` answers only inside Nuke: the ``nuke`` module must
already be imported (inside Nuke, GUI or ``nuke -t``, it always is) and carry
``nuke.env["NukeVersionString"]``. The plugin never imports ``nuke`` itself,
so loading it in the CLI or on a farm worker without Nuke costs nothing and
keeps the standalone host.
"""

from __future__ import annotations

import sys
from typing import Any

from stalker_core.plugins.api import hookimpl

from .publish.collect import collect_nuke_script
from .publish.extract import extract_render
from .publish.validate import validate_format, validate_missing_files, validate_write_paths

__all__ = [
    "collect_nuke_script",
    "extract_render",
    "running_in_nuke",
    "stalker_host_get",
    "validate_format",
    "validate_missing_files",
    "validate_write_paths",
]


def running_in_nuke() -> bool:
    """Whether this process is Nuke (see the module docstring for the rule)."""
    nuke = sys.modules.get("nuke")
    if nuke is None:
        return False
    try:
        return bool(nuke.env["NukeVersionString"])
    except (AttributeError, KeyError, TypeError):
        return False


@hookimpl
def stalker_host_get(context: Any) -> Any:
    """Return a :class:`~stalker_nuke.adapter.NukeHost` inside Nuke, else ``None``."""
    if not running_in_nuke():
        return None
    from .adapter import NukeHost

    return NukeHost()
