"""stalker_krita: the Krita host of stalker_core (adapter, Python plugin, publish plugins).

* a pluggy plugin (``stalker_krita.plugin``, entry point ``krita`` in the
  ``stalker_core`` group) offering :class:`~stalker_krita.adapter.KritaHost`
  when running inside Krita, the Krita publish plugins, and the launcher's
  discovery and start-up of Krita;
* a Krita Python plugin (``pykrita/`` next to this file: the ``.desktop``
  file and the ``stalker_krita_plugin`` bootstrap package), found by Krita
  through ``XDG_DATA_DIRS`` when ``stalker launch krita`` starts it; it
  installs the "Stalker" menu (:mod:`stalker_krita.startup`);
* a library: ``from stalker_krita.adapter import KritaHost`` (inside Krita).

Importing the package imports neither ``krita`` nor Qt; the adapter does.
"""

from __future__ import annotations

__version__ = "0.1.0"
