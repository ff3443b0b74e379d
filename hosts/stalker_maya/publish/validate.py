"""Validators of the Maya publish plugin, with a repair where it is safe.

They read the scene through ``maya.cmds`` at validation time (so a repair
followed by a new validation sees the repaired scene) and take database
facts only from the item's data.

* :func:`validate_unknown_nodes` - no ``unknown`` nodes (left by plug-ins
  that are not loaded); repair: delete them (they hold no data Maya can use);
* :func:`validate_reference_files` - every referenced file exists (no repair:
  the artist chooses what to reference instead) and lies inside one of the
  project's repositories (no repair: reference a published version);
* :func:`validate_cache_set` - a set marked for export exists, holds nodes
  and names a known format.

Frame range, fps and outdated references are the built-in publish plugin's
generic checks (see :mod:`stalker_maya.publish`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import (
    PublishItem,
    ValidationResult,
    check,
    hookimpl,
    path_inside,
)

from . import CACHE, FORMATS, SCENE, is_maya_host

PLUGIN = "maya"
#: the node types of nodes Maya could not recognise when it read the scene
UNKNOWN_TYPES = ["unknown", "unknownDag", "unknownTransform"]


@hookimpl(specname="stalker_publish_validate")
@check("maya.unknown_nodes")
def validate_unknown_nodes(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene has no unknown nodes."""
    if item.kind != SCENE or not is_maya_host(host):
        return None
    from maya import cmds

    unknown = cmds.ls(type=UNKNOWN_TYPES)
    if not unknown:
        return []

    def delete_unknown() -> None:
        left = cmds.ls(type=UNKNOWN_TYPES)
        if left:
            cmds.delete(*left)

    return [ValidationResult(
        "Unknown nodes",
        f"node(s) of plug-ins that are not loaded: {', '.join(sorted(unknown))}",
        plugin=f"{PLUGIN}.unknown_nodes",
        repair=delete_unknown,
        repair_label="Delete the unknown nodes",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("maya.reference_files")
def validate_reference_files(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """Every referenced file exists and lies inside the project's repositories."""
    if item.kind != SCENE or not is_maya_host(host):
        return None
    from maya import cmds

    roots = list(item.data.get("repository_roots") or [])
    results = []
    # types-maya 0.6.1: `file -q -reference` is typed bool (Maya: the paths, list[str]) and
    # `referenceQuery` list[str] for every flag (Maya: one string for these two)
    loaded: list[str] = cmds.file(query=True, reference=True) or []  # type: ignore[assignment]
    for raw in loaded:
        node: str = cmds.referenceQuery(raw, referenceNode=True)  # type: ignore[assignment]
        filename: str = cmds.referenceQuery(  # type: ignore[assignment]
            node, filename=True, withoutCopyNumber=True
        )
        path = Path(filename)
        if not path.is_file():
            results.append(ValidationResult(
                "Missing referenced file",
                f"reference {node} reads {path}, which does not exist; "
                "replace or remove the reference",
                plugin=f"{PLUGIN}.reference_files",
            ))
        elif not path_inside(str(path), roots):
            results.append(ValidationResult(
                "Reference outside the repositories",
                f"reference {node} reads {path}, outside every repository of the project; "
                "reference a published version instead",
                plugin=f"{PLUGIN}.reference_files",
            ))
    return results


@hookimpl(specname="stalker_publish_validate")
@check("maya.cache")
def validate_cache_set(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The set to cache exists, holds nodes, and the format is known."""
    if item.kind != CACHE or not is_maya_host(host):
        return None
    from maya import cmds

    name, fmt = item.data["set"], item.data["format"]
    problem = None
    if fmt not in FORMATS:
        problem = f"set {name!r} asks for format {fmt!r}; known: {', '.join(sorted(FORMATS))}"
    elif name not in cmds.ls(type="objectSet"):
        problem = f"set {name!r} no longer exists"
    elif not cmds.sets(name, query=True):  # type: ignore[call-overload]  # `sets -q SET`: no stub
        problem = f"set {name!r} holds no nodes; there is nothing to cache"
    if problem is None:
        return []
    return [ValidationResult("Cache set", problem, plugin=f"{PLUGIN}.cache")]
