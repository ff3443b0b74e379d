"""Validators of the Nuke publish plugin.

They read the script through ``nuke`` at validation time (so a repair
followed by a new validation sees the repaired script) and take database
facts only from the item's data.

* :func:`validate_write_paths` - a marked Write node renders into one of the
  project's repositories (no repair: the artist chooses where);
* :func:`validate_format` - the Root format is the shot's image format
  (repair: set it);
* :func:`validate_missing_files` - every Read, ReadGeo2 and Camera2 node reads
  a file that exists (no repair).
"""

from __future__ import annotations

import os
from typing import Any

from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl, path_inside

from . import RENDER, SCRIPT, is_nuke_host

PLUGIN = "nuke"


@hookimpl(specname="stalker_publish_validate")
@check("nuke.write_paths")
def validate_write_paths(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The marked Write node renders to a path inside one of the project's repositories."""
    if item.kind != RENDER or not is_nuke_host(host):
        return None
    import nuke

    name = item.data["node"]
    node = nuke.toNode(name)
    plugin = f"{PLUGIN}.write_paths"
    if node is None:
        message = f"Write node {name!r} no longer exists"
        return [ValidationResult("Write node", message, plugin=plugin)]
    target = str(node["file"].value())
    roots = list(item.data.get("repository_roots") or [])
    if not target:
        return [ValidationResult(
            "Write path", f"Write node {name!r} has no file to render to", plugin=plugin
        )]
    if not os.path.isabs(target) or not path_inside(target, roots):
        return [ValidationResult(
            "Write path outside the repositories",
            f"Write node {name!r} renders to {target}, outside every repository of the "
            f"project ({', '.join(roots) or 'none'}); point its file knob into the "
            f"project's repository",
            plugin=plugin,
        )]
    return []


def _format_text(fmt: dict[str, Any]) -> str:
    w, h = fmt["width"], fmt["height"]
    name = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in str(fmt["name"]))
    return f"{w} {h} 0 0 {w} {h} {fmt['pixel_aspect']:g} {name or 'stalker'}"


@hookimpl(specname="stalker_publish_validate")
@check("nuke.format")
def validate_format(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The Root format has the shot's (or project's) width, height and pixel aspect."""
    if item.kind != SCRIPT or not is_nuke_host(host):
        return None
    import nuke

    expected = item.data.get("format")
    if expected is None:
        return None
    fmt = nuke.root()["format"].value()
    have = (int(fmt.width()), int(fmt.height()), float(fmt.pixelAspect()))
    want = (expected["width"], expected["height"], expected["pixel_aspect"])
    if have[:2] == want[:2] and abs(have[2] - want[2]) < 1e-6:
        return []

    def set_format() -> None:
        nuke.root()["format"].setValue(_format_text(expected))

    return [ValidationResult(
        "Image format",
        f"the script's format is {have[0]}x{have[1]} (pixel aspect {have[2]:g}); "
        f"the shot's is {want[0]}x{want[1]} (pixel aspect {want[2]:g}, {expected['name']})",
        plugin=f"{PLUGIN}.format",
        repair=set_format,
        repair_label=f"Set the format to {want[0]}x{want[1]}",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("nuke.missing_files")
def validate_missing_files(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """Every Read, ReadGeo2 and Camera2 node reads a file (or frames) that exist."""
    if item.kind != SCRIPT or not is_nuke_host(host):
        return None
    from ..references import frames_exist

    missing = [c for c in host.list_references() if not frames_exist(c.path)]
    return [
        ValidationResult(
            "Missing file",
            f"node {c.name!r} reads {c.path}, which does not exist; point it at an existing "
            f"file or remove the node",
            plugin=f"{PLUGIN}.missing_files",
        )
        for c in missing
    ]
