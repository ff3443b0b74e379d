"""Publish plugins for Blender: collector, validators (with repairs) and extractors.

They run only when the publishing host is the Blender host; elsewhere every
hook returns ``None``. ``bpy`` is imported inside the hooks, so the plugin
module loads in processes without Blender (the CLI loads every entry point).

Items (kinds) this plugin collects:

* ``blender_scene``: the open ``.blend`` with the facts validators need that
  come from the database (the shot's cut range, the repository roots);
* ``blender_cache``: one per collection marked for export with
  :func:`~stalker_blender.publish.collect.mark_for_export` (a collection custom
  property ``stalker_export`` = ``"abc"`` or ``"usd"``).
"""

from __future__ import annotations

import sys
from typing import Any

#: item kinds
SCENE = "blender_scene"
CACHE = "blender_cache"
#: collection custom property naming the cache format to export it as
EXPORT_KEY = "stalker_export"
#: cache formats -> file extension
FORMATS: dict[str, str] = {"abc": ".abc", "usd": ".usd"}


def is_blender_host(host: Any) -> bool:
    """True when ``host`` is the Blender adapter of this process."""
    if getattr(host, "name", None) != "blender" or "bpy" not in sys.modules:
        return False
    from ..adapter import BlenderHost

    return isinstance(host, BlenderHost)
