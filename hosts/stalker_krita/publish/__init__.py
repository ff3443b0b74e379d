"""Publish plugins for Krita: a collector, validators and the flattened-image extractor.

They run only when the publishing host is a Krita host (:func:`is_krita_host`);
elsewhere every hook returns ``None``. ``krita`` is imported inside the
hooks, so the plugin module loads in processes without Krita.

The built-in publish plugin already copies the ``.kra`` and checks, for
every host with the ``references`` capability, the file layers for outdated
or unpublished versions. This plugin adds:

* the item ``krita_document`` (collector: the document's size, colour
  space and layers, and the shot's or project's image format from the
  database, so the validators never query);
* checks ``krita.size`` (the document against the image format),
  ``krita.color_profile`` (8- or 16-bit RGBA in sRGB) and ``krita.layers``
  (layers still named as Krita named them, with a safe repair that renames
  them; hidden layers, which the flattened image leaves out);
* the representation ``image`` (a flattened PNG of the document; also an
  EXR when the document is floating point).
"""

from __future__ import annotations

from typing import Any

#: the item kind
DOCUMENT = "krita_document"
#: the host capabilities these plugins use
CAPABILITIES: frozenset[str] = frozenset({"references"})


def is_krita_host(host: Any) -> bool:
    """True when ``host`` is a Krita host (by name and protocol, never by class)."""
    if getattr(host, "name", None) != "krita":
        return False
    from stalker_core.hosts import host_capabilities, missing_host_members

    return not missing_host_members(host) and CAPABILITIES <= host_capabilities(host)
