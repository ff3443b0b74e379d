"""Scene checks and severities, under their former import path.

They are defined in :mod:`stalker_core.plugins.api`, the module plugin
authors import from (``from stalker_core.plugins.api import SceneCheck``);
this module only re-exports them so that older imports keep working.
"""

from __future__ import annotations

from stalker_core.plugins.types import SEVERITIES, SceneCheck, Severity, check_severity

__all__ = ["SEVERITIES", "SceneCheck", "Severity", "check_severity"]
