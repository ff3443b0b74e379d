"""Collector of the Maya publish plugin (the only place that queries the database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import ValidationError
from stalker_core.plugins.api import PublishItem, hookimpl

from . import CACHE, EXPORT_ATTR, FORMATS, SCENE, is_maya_host


def mark_for_export(object_set: str, fmt: str | None = "abc") -> None:
    """Mark the objectSet ``object_set`` to be cached as ``fmt`` when publishing.

    ``fmt=None`` clears the mark.

    :raises ValidationError: for an unknown format or a missing set.
    """
    from maya import cmds

    if fmt is not None and fmt not in FORMATS:
        raise ValidationError(
            f"cache format should be one of {', '.join(sorted(FORMATS))}, not {fmt!r}"
        )
    if object_set not in cmds.ls(type="objectSet"):
        raise ValidationError(f"there is no objectSet {object_set!r} in the Maya scene")
    if not cmds.attributeQuery(EXPORT_ATTR, node=object_set, exists=True):
        cmds.addAttr(object_set, longName=EXPORT_ATTR, dataType="string")
    cmds.setAttr(f"{object_set}.{EXPORT_ATTR}", fmt or "", type="string")


def marked_sets() -> dict[str, str]:
    """The objectSets marked for export: name -> format."""
    from maya import cmds

    marked = {}
    for name in cmds.ls(type="objectSet"):
        if cmds.objExists(f"{name}.{EXPORT_ATTR}"):
            fmt = cmds.getAttr(f"{name}.{EXPORT_ATTR}")
            if fmt:
                marked[name] = fmt
    return marked


def repository_roots(project: Any) -> list[str]:
    """The project's repository roots for this operating system (non-empty ones)."""
    if project is None:
        return []
    return [repo.path for repo in project.repositories if repo.path]


@hookimpl(specname="stalker_publish_collect")
def collect_maya_scene(host: Any, context: Any, version: Any) -> list[PublishItem] | None:
    """One ``maya_scene`` item, and one ``maya_cache`` item per marked objectSet."""
    if not is_maya_host(host):
        return None
    items = [PublishItem(
        name="maya_scene",
        kind=SCENE,
        version=version,
        path=Path(version.absolute_full_path),
        data={"repository_roots": repository_roots(version.task.project)},
    )]
    for name, fmt in marked_sets().items():
        items.append(PublishItem(
            name=f"cache:{name}", kind=CACHE, version=version, data={"set": name, "format": fmt}
        ))
    return items
