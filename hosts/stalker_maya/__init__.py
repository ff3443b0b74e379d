"""Maya host for stalker_core: the work file, timeline and references on ``maya.cmds``.

Importing this package imports nothing from Maya; :mod:`stalker_maya.adapter`
imports ``maya.cmds`` when a :class:`~stalker_maya.adapter.MayaHost` is made.
Installed as a Maya module (``stalker.mod``), ``userSetup.py`` calls
:func:`stalker_maya.startup.install` at start-up.
"""

from __future__ import annotations

__all__: list[str] = []
