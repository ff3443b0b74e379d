"""Publish plugins for Maya: collector, validators (with safe repairs) and the Alembic extractor.

They run only when the publishing host is a Maya host (:func:`is_maya_host`:
its name is ``"maya"``, it implements the host protocol with the
``timeline`` and ``references`` capabilities and has the ``cmds`` member);
elsewhere every hook returns ``None``. The hooks import ``maya.cmds`` when
they run (so mypy checks each call against the ``types-maya`` stubs), never at
module import, so the module loads in processes without Maya (the CLI loads
every entry point).

The generic checks of the built-in publish plugin run for Maya as they are:
the scene is saved and unchanged, the frame range and the fps are the shot's
(through the ``timeline`` capability, with their repairs), and referenced
versions are published and not outdated (through ``references``). This
plugin adds what only Maya can tell.

Items (kinds) this plugin collects:

* ``maya_scene``: the open scene, with the project's repository roots;
* ``maya_cache``: one per objectSet marked for export with
  :func:`~stalker_maya.publish.collect.mark_for_export` (a string attribute
  :data:`EXPORT_ATTR` = ``"abc"``).
"""

from __future__ import annotations

from typing import Any

#: item kinds
SCENE = "maya_scene"
CACHE = "maya_cache"
#: objectSet string attribute naming the cache format to export the set as
EXPORT_ATTR = "stalkerExport"
#: cache formats -> file extension
FORMATS: dict[str, str] = {"abc": ".abc"}
#: the host capabilities these plugins use
CAPABILITIES: frozenset[str] = frozenset({"timeline", "references"})


def is_maya_host(host: Any) -> bool:
    """True when ``host`` is a Maya host these plugins can publish from."""
    if getattr(host, "name", None) != "maya" or getattr(host, "cmds", None) is None:
        return False
    from stalker_core.hosts import host_capabilities, missing_host_members

    return not missing_host_members(host) and CAPABILITIES <= host_capabilities(host)
