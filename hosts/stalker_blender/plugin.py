"""Entry point ``blender``: the Blender host and its publish plugins, as a pluggy plugin.

Host detection (:func:`stalker_host_get`) answers only inside Blender:

* ``bpy`` must already be imported (inside Blender it always is); the plugin
  never imports ``bpy`` itself, so loading it in the CLI or on a farm worker
  costs nothing, and
* either ``bpy.app.binary_path`` is set (the Blender application, with or
  without UI), or the add-on is registered (its panel class
  ``STALKER_PT_context`` is in ``bpy.types``).

So a plain Python process that merely has the ``bpy`` module installed, or even
imported, keeps the standalone host unless it registers the add-on
(``stalker_blender.register()``), which is how a ``bpy``-module application
says "I am Blender".
"""

from __future__ import annotations

import sys
from typing import Any

from stalker_core.plugins.api import hookimpl

from .launch import stalker_launch_discover, stalker_launch_prepare
from .publish.collect import collect_blender_scene
from .publish.extract import extract_cache
from .publish.validate import (
    stalker_publish_overridden_checks,
    validate_cache_collection,
    validate_external_paths,
    validate_frame_range,
    validate_unsaved_changes,
)

#: the panel class whose registration marks the add-on as enabled
PANEL_IDNAME = "STALKER_PT_context"

__all__ = [
    "collect_blender_scene",
    "extract_cache",
    "running_in_blender",
    "stalker_host_get",
    "stalker_launch_discover",
    "stalker_launch_prepare",
    "stalker_publish_overridden_checks",
    "validate_cache_collection",
    "validate_external_paths",
    "validate_frame_range",
    "validate_unsaved_changes",
]


def running_in_blender() -> bool:
    """Whether this process is Blender (see the module docstring for the rule)."""
    bpy = sys.modules.get("bpy")
    if bpy is None:
        return False
    if getattr(getattr(bpy, "app", None), "binary_path", ""):
        return True
    return hasattr(getattr(bpy, "types", None), PANEL_IDNAME)


@hookimpl
def stalker_host_get(context: Any) -> Any:
    """Return a :class:`~stalker_blender.adapter.BlenderHost` inside Blender, else ``None``."""
    if not running_in_blender():
        return None
    from .adapter import BlenderHost

    return BlenderHost()
