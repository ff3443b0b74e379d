"""stalker_blender: the Blender host of stalker_core (adapter, add-on, publish plugins).

This package is three things at once:

* a pluggy plugin (``stalker_blender.plugin``, entry point ``blender`` in the
  ``stalker_core`` group) offering :class:`~stalker_blender.adapter.BlenderHost`
  when running inside Blender, plus the Blender publish plugins;
* a Blender extension (``blender_manifest.toml`` next to this file) and a
  legacy add-on (:data:`bl_info` below): :func:`register` adds the
  ``VIEW3D`` sidebar panel "Stalker" and its operators;
* a library: ``from stalker_blender.adapter import BlenderHost``.

Importing the package does not import ``bpy``; :func:`register` does. All
intra-package imports are relative, so the package also works when Blender
imports it as ``bl_ext.<repository>.stalker_blender``.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: legacy add-on information (Blender < 4.2, or installed as a plain add-on)
bl_info = {
    "name": "Stalker Pipeline",
    "author": "stalker_core contributors",
    "version": (0, 1, 0),
    "blender": (4, 2, 0),
    "location": "3D Viewport > Sidebar > Stalker",
    "description": "Save versions, open, publish and update references with stalker_core",
    "category": "Pipeline",
    "support": "COMMUNITY",
}


def register() -> None:
    """Register the add-on's operators and panel (called by Blender)."""
    from . import addon

    addon.register()


def unregister() -> None:
    """Unregister everything :func:`register` added (called by Blender)."""
    from . import addon

    addon.unregister()
