"""The Maya tests' production: wf_helpers' project (shot SH001 1001-1050 with anim, asset Hero
with model) and a plugin manager with the Maya plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wf_helpers import Demo, build_project, make_pm


def build_production(session: Any, root: Path) -> Demo:
    """The test project (code ``MP``) on a repository at ``root``."""
    return build_project(session, root, code="MP")


def plugin_manager(*extra: object) -> Any:
    """Built-in, standalone, publish and Maya plugins, plus ``extra`` (no autoload, no env)."""
    import stalker_maya.plugin

    return make_pm(stalker_maya.plugin, *extra)
