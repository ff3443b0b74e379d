"""Publish plugins for Blender: collector, validators (with repairs) and extractors.

They run only when the publishing host is a Blender host
(:func:`is_blender_host`); elsewhere every hook returns ``None``. ``bpy`` is
imported inside the hooks, so the plugin module loads in processes without
Blender (the CLI loads every entry point).

A Blender host is recognised by what it is - its name ``"blender"``, the host
protocol and the capabilities and Blender members these plugins use - never
by the import path of its class: installed as a Blender extension the package
runs as ``bl_ext.<repository>.stalker_blender``, a second copy of the classes
next to the ``stalker_blender`` of the installed distribution, and both
copies' hosts must be published with the Blender checks and caches.

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


#: the host capabilities these plugins use (frame range: checks and caches)
CAPABILITIES: frozenset[str] = frozenset({"timeline"})
#: the Blender-only members of :class:`~stalker_blender.adapter.BlenderHost` they
#: use: ``scene`` (the current ``bpy.types.Scene``) and ``tracker`` (the
#: unsaved-changes tracker, to mark repairs and suspend it during exports)
BLENDER_MEMBERS: tuple[str, ...] = ("scene", "tracker")


def is_blender_host(host: Any) -> bool:
    """True when ``host`` is a Blender host these plugins can publish from.

    That is: ``bpy`` is loaded, ``host.name == "blender"``, ``host`` implements
    the :class:`~stalker_core.hosts.Host` protocol with the capabilities
    :data:`CAPABILITIES`, and it has the Blender members :data:`BLENDER_MEMBERS`.
    Whichever copy of this package made the host does not matter.
    """
    if getattr(host, "name", None) != "blender" or "bpy" not in sys.modules:
        return False
    from stalker_core.hosts import host_capabilities, missing_host_members

    if missing_host_members(host) or not CAPABILITIES <= host_capabilities(host):
        return False
    return all(hasattr(host, member) for member in BLENDER_MEMBERS)
