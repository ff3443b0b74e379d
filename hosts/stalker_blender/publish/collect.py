"""Collector of the Blender publish plugin (the only place that queries the database).

The shot's timing comes from the core's shared helpers
(:func:`~stalker_core.plugins.timing.shot_of`,
:func:`~stalker_core.plugins.timing.shot_timing`), as in the built-in
publish plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import ValidationError
from stalker_core.plugins.api import PublishItem, hookimpl, shot_of, shot_timing

from . import CACHE, EXPORT_KEY, FORMATS, SCENE, is_blender_host


def mark_for_export(collection: Any, fmt: str | None = "abc") -> None:
    """Mark a local collection to be exported as ``fmt`` (``"abc"``/``"usd"``) when publishing.

    ``fmt=None`` removes the mark.
    """
    if fmt is None:
        if EXPORT_KEY in collection:
            del collection[EXPORT_KEY]
        return
    if fmt not in FORMATS:
        raise ValidationError(
            f"cache format should be one of {', '.join(sorted(FORMATS))}, not {fmt!r}"
        )
    collection[EXPORT_KEY] = fmt


def repository_roots(project: Any) -> list[str]:
    """The project's repository roots for this operating system (non-empty ones)."""
    if project is None:
        return []
    return [repo.path for repo in project.repositories if repo.path]


@hookimpl(specname="stalker_publish_collect")
def collect_blender_scene(host: Any, context: Any, version: Any) -> list[PublishItem] | None:
    """One ``blender_scene`` item, and one ``blender_cache`` item per marked collection."""
    if not is_blender_host(host):
        return None
    import bpy

    scene_item = PublishItem(
        name="blender_scene",
        kind=SCENE,
        version=version,
        path=Path(version.absolute_full_path),
        data={
            "shot": shot_timing(shot_of(version.task)),
            "repository_roots": repository_roots(version.task.project),
        },
    )
    items = [scene_item]
    for collection in bpy.data.collections:
        fmt = collection.get(EXPORT_KEY) if collection.library is None else None
        if fmt is None:
            continue
        items.append(
            PublishItem(
                name=f"cache:{collection.name}",
                kind=CACHE,
                version=version,
                data={"collection": collection.name, "format": str(fmt)},
            )
        )
    return items
