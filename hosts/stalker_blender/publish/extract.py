"""Extractor of the Blender publish plugin: collection caches.

The published ``.blend`` itself is written by the built-in publish plugin's
work-file extractor through :meth:`BlenderHost.export_workfile
<stalker_blender.adapter.BlenderHost.export_workfile>` (every external path
made absolute, so the copy opens correctly from the publish folder); this
plugin does not extract it a second time.

* :func:`extract_cache` exports a marked collection as Alembic
  (``wm.alembic_export``) or USD (``wm.usd_export``) over the scene's frame range.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import PublishError
from stalker_core.plugins.api import PublishItem, Representation, hookimpl

from . import CACHE, FORMATS, is_blender_host


@hookimpl(specname="stalker_publish_extract")
def extract_cache(host: Any, item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """Export the item's collection as Alembic or USD into ``staging_dir``."""
    if item.kind != CACHE or not is_blender_host(host):
        return None
    import bpy

    name, fmt = item.data["collection"], item.data["format"]
    stem = Path(item.version.absolute_full_path).stem
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    target = Path(staging_dir) / "blender" / f"{stem}_{safe}{FORMATS[fmt]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    scene = host.scene
    try:
        with host.tracker.suspended():
            if fmt == "abc":
                result = bpy.ops.wm.alembic_export(
                    filepath=str(target),
                    collection=name,
                    start=scene.frame_start,
                    end=scene.frame_end,
                    as_background_job=False,
                    check_existing=False,
                )
            else:
                result = bpy.ops.wm.usd_export(
                    filepath=str(target),
                    collection=name,
                    export_animation=scene.frame_end > scene.frame_start,
                    check_existing=False,
                )
    except RuntimeError as exc:
        raise PublishError(f"Blender could not export collection {name!r} as {fmt}: {exc}") from exc
    if "FINISHED" not in result or not target.is_file():
        raise PublishError(f"Blender did not export collection {name!r} to {str(target)!r}")
    return [Representation(fmt, target)]
