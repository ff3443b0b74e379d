"""The Nuke tests' production: wf_helpers' project at 24 fps in HD 1080 (shot SH001 with comp)
and a plugin manager with the Nuke plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wf_helpers import Demo, build_project, make_pm

#: the HD 1080 format as a Nuke format knob value
HD = "1920 1080 0 0 1920 1080 1 HD_1080"


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


def shot_script(host: Any, nuke: Any, prod: Any, write_to: Path | None) -> Any:
    """A script with the shot's range, fps and format and, if asked, a marked Write node."""
    from stalker_nuke.publish.collect import mark_for_publish

    host.set_frame_range(prod.shot.cut_in, prod.shot.cut_out)
    host.set_fps(prod.shot.fps)
    nuke.root()["format"].setValue(HD)
    if write_to is None:
        return None
    write = nuke.createNode("Write", inpanel=False)
    write["file"].setValue(write_to.as_posix())
    mark_for_publish(write)
    return write
