"""Publish plugins for Nuke: collector, validators and the Write-node render extractor.

They run only when the publishing host is a Nuke host (:func:`is_nuke_host`:
its name is ``"nuke"`` and it has the host protocol with the ``timeline``
and ``references`` capabilities); elsewhere every hook returns ``None``.
``nuke`` is imported inside the hooks, so the plugin module loads in
processes without Nuke.

The built-in publish plugin already checks, for every host with those
capabilities, the frame range and fps against the shot and the references
(here: Read, ReadGeo2, Camera2 nodes) for outdated or unpublished versions,
and copies the ``.nk`` (its paths are absolute, so the copy is right). This
plugin adds what is particular to Nuke.

Items (kinds) this plugin collects:

* ``nuke_script``: the open script, with the facts its validators need from
  the database (repository roots, the shot's image format);
* ``nuke_render``: one per Write node marked for publishing
  (:func:`~stalker_nuke.publish.collect.mark_for_publish`: a Boolean user knob
  ``stalker_publish`` that is on).
"""

from __future__ import annotations

from typing import Any

#: item kinds
SCRIPT = "nuke_script"
RENDER = "nuke_render"
#: the Write node user knob that marks it for publishing
PUBLISH_KNOB = "stalker_publish"
#: the host capabilities these plugins use
CAPABILITIES: frozenset[str] = frozenset({"timeline", "references"})


def is_nuke_host(host: Any) -> bool:
    """True when ``host`` is a Nuke host (by name and protocol, never by class)."""
    if getattr(host, "name", None) != "nuke":
        return False
    from stalker_core.hosts import host_capabilities, missing_host_members

    return not missing_host_members(host) and CAPABILITIES <= host_capabilities(host)
