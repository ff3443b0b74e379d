"""Entry point ``nuke``: the Nuke host and its publish plugins (:mod:`.publish`), for pluggy.

:func:`stalker_host_get` answers only inside Nuke: the ``nuke`` module must
already be imported (inside Nuke, GUI or ``nuke -t``, it always is) and carry
``nuke.env["NukeVersionString"]``. The plugin never imports ``nuke`` itself,
so loading it in the CLI or on a farm worker without Nuke costs nothing and
keeps the standalone host.

Loader actions (:func:`stalker_ui_actions`). There is no separate "Read node"
action: the core's "Reference" (offered to every host with references)
already makes a Read node for images and movies and a ReadGeo2 node for
geometry (:meth:`NukeHost.load_reference <stalker_nuke.adapter.NukeHost.load_reference>`
picks the class by extension) and records the version, so a second button
would do the same. Nuke adds "Camera" for ``.abc`` and ``.fbx`` files: a
Camera2 node reading its camera from the file (what "Reference" cannot
guess: the same file also loads as geometry), recording the version too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import Container, UIAction, hookimpl

from .launch import stalker_launch_discover, stalker_launch_prepare
from .publish.collect import collect_nuke_script
from .publish.extract import extract_render
from .publish.validate import validate_format, validate_missing_files, validate_write_paths

__all__ = [
    "collect_nuke_script",
    "extract_render",
    "running_in_nuke",
    "stalker_host_get",
    "stalker_launch_discover",
    "stalker_launch_prepare",
    "stalker_ui_actions",
    "validate_format",
    "validate_missing_files",
    "validate_write_paths",
]


def running_in_nuke() -> bool:
    """Whether this process is Nuke (see the module docstring for the rule)."""
    nuke = sys.modules.get("nuke")
    if nuke is None:
        return False
    try:
        return bool(nuke.env["NukeVersionString"])
    except (AttributeError, KeyError, TypeError):
        return False


@hookimpl
def stalker_host_get(context: Any) -> Any:
    """Return a :class:`~stalker_nuke.adapter.NukeHost` inside Nuke, else ``None``."""
    if not running_in_nuke():
        return None
    from .adapter import NukeHost

    return NukeHost()


#: the files a Camera2 node reads a camera from
CAMERA_EXTENSIONS: tuple[str, ...] = (".abc", ".fbx")


def _camera(host: Any, version: Any, path: Path) -> Container:
    return host.load_reference(Path(path), version_id=version.id, node_class="Camera2")


@hookimpl
def stalker_ui_actions(host: Any, location: str) -> list[UIAction] | None:
    """The Loader's "Camera" (a Camera2 node) for a Nuke host; nothing elsewhere."""
    if location != "loader" or getattr(host, "name", None) != "nuke":
        return None
    return [
        UIAction(
            "nuke.camera", "Camera", "loader", _camera,
            extensions=CAMERA_EXTENSIONS,
            description=(
                "Load the camera of the file as a Camera2 node that records its version "
                "(Reference loads the same file as geometry, with ReadGeo2)"
            ),
            order=20,
        )
    ]
