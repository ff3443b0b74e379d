"""Extractors of the Blender publish plugin: the .blend itself and collection caches.

* :func:`extract_blend` writes a copy of the scene with Blender
  (``save_as_mainfile(copy=True)``) in which every external path is absolute,
  so the published file reads the same files from whatever folder it is
  placed in (a plain file copy keeps Blender's ``//`` relative paths, which
  break when the copy lives in another folder). The open file, its paths and
  its unsaved-changes state are left as they were.
* :func:`extract_cache` exports a marked collection as Alembic
  (``wm.alembic_export``) or USD (``wm.usd_export``) over the scene's frame range.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import PublishError
from stalker_core.plugins import hookimpl
from stalker_core.workflows.publish import PublishItem, Representation

from . import CACHE, FORMATS, SCENE, is_blender_host

#: suffix of the published .blend (the generic work-file copy keeps the plain name)
BLEND_SUFFIX = "_absolute"


@hookimpl(specname="stalker_publish_extract")
def extract_blend(host: Any, item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """Write the scene as ``<version stem>_absolute.blend`` with absolute external paths."""
    if item.kind != SCENE or not is_blender_host(host):
        return None
    import bpy

    from .paths import absolute_paths

    stem = Path(item.path).stem if item.path is not None else host.scene.name
    target = Path(staging_dir) / "blender" / f"{stem}{BLEND_SUFFIX}.blend"
    target.parent.mkdir(parents=True, exist_ok=True)
    with host.tracker.suspended(), absolute_paths():
        result = bpy.ops.wm.save_as_mainfile(
            filepath=str(target), copy=True, relative_remap=False, check_existing=False
        )
    if "FINISHED" not in result:
        raise PublishError(f"Blender did not write {str(target)!r} (operator returned {result})")
    return [Representation("blend", target)]


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
