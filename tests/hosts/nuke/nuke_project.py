"""The Nuke tests' production: wf_helpers' project at 24 fps in HD 1080 (shot SH001 with comp)
and a plugin manager with the Nuke plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wf_helpers import Demo, build_project, make_pm


def build(session: Any, root: Path) -> Demo:
    """Project NP (24 fps, HD 1080) on a repository at ``root``; shot SH001 with task comp."""
    from stalker_core.models import ImageFormat

    demo = build_project(session, root, code="NP")
    demo.project.fps = 24
    demo.project.image_format = ImageFormat(name="HD 1080", width=1920, height=1080)
    session.commit()
    return demo


def plugin_manager(*extra: object) -> Any:
    """Built-in, standalone, publish and Nuke plugins, plus ``extra`` (no autoload, no env)."""
    import stalker_nuke.plugin

    return make_pm(stalker_nuke.plugin, *extra)
