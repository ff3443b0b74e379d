"""Validators of the Blender publish plugin, each with a repair where one makes sense.

They read the scene through ``bpy`` at validation time (so a repair followed
by a new validation sees the repaired scene) and take database facts only
from the item's data (validators never query).

Each declares its check id (``@check``). In Blender the plugin takes over the
built-in publish plugin's ``frame_range`` and ``unsaved_changes`` checks
(:func:`stalker_publish_overridden_checks`), so each problem is reported
once, by the Blender validator; with any other host the built-in checks run.

* :func:`validate_frame_range` - the scene's frame range is the shot's cut
  range (the core's shared "Frame range" result,
  :func:`~stalker_core.plugins.timing.frame_range_result`), a preview range
  (if on) does not differ from it, the frame step is 1;
* :func:`validate_unsaved_changes` - no unsaved changes in the scene (no
  repair: the version's file is never saved over; save a new version), and
  no image edited in Blender (texture paint) left unsaved (repair: save the
  image files, pack generated ones);
* :func:`validate_external_paths` - no file the scene reads lies outside the
  project's repositories;
* :func:`validate_cache_collection` - a collection marked for export exists,
  holds objects and names a known format.
"""

from __future__ import annotations

from typing import Any

from stalker_core.plugins.api import (
    PublishItem,
    ValidationResult,
    check,
    frame_range_result,
    hookimpl,
)

from . import CACHE, FORMATS, SCENE, is_blender_host

PLUGIN = "blender"

#: generic checks of the built-in publish plugin these validators perform themselves
OVERRIDDEN_CHECKS: tuple[str, ...] = ("frame_range", "unsaved_changes")


@hookimpl
def stalker_publish_overridden_checks(host: Any) -> list[str] | None:
    """Take the generic frame-range and unsaved-changes checks over when publishing from Blender.

    :func:`validate_frame_range` checks the range with the preview range and
    the frame step, :func:`validate_unsaved_changes` the scene together with
    painted images; without this the artist would see each problem twice.
    """
    return list(OVERRIDDEN_CHECKS) if is_blender_host(host) else None


@hookimpl(specname="stalker_publish_validate")
@check("frame_range")
def validate_frame_range(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene plays the shot's cut range: range, preview range and step."""
    if item.kind != SCENE or not is_blender_host(host):
        return None
    shot = item.data.get("shot")
    if shot is None:
        return None
    scene = host.scene
    first, last = int(shot["first"]), int(shot["last"])
    results = []
    wrong_range = frame_range_result(
        host,
        host.get_frame_range(),
        shot,
        plugin=f"{PLUGIN}.frame_range",
        scene=f"the Blender scene {scene.name!r}",
    )
    if wrong_range is not None:
        results.append(wrong_range)
    if scene.use_preview_range and (
        scene.frame_preview_start,
        scene.frame_preview_end,
    ) != (first, last):

        def drop_preview() -> None:
            host.scene.use_preview_range = False
            host.tracker.mark_dirty()

        results.append(
            ValidationResult(
                "Preview range",
                f"a preview range {scene.frame_preview_start}-{scene.frame_preview_end} is on; "
                f"shot {shot['name']} is {first}-{last}",
                plugin=f"{PLUGIN}.frame_range",
                repair=drop_preview,
                repair_label="Turn the preview range off",
            )
        )
    if scene.frame_step != 1:

        def step_one() -> None:
            host.scene.frame_step = 1
            host.tracker.mark_dirty()

        results.append(
            ValidationResult(
                "Frame step",
                f"the scene renders every {scene.frame_step} frames; every frame is expected",
                severity="warning",
                plugin=f"{PLUGIN}.frame_range",
                repair=step_one,
                repair_label="Set the frame step to 1",
            )
        )
    return results


@hookimpl(specname="stalker_publish_validate")
@check("unsaved_changes")
def validate_unsaved_changes(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """No unsaved scene changes and no image edited in Blender but not saved."""
    if item.kind != SCENE or not is_blender_host(host):
        return None
    import bpy

    results = []
    if host.current_file() is not None and host.has_unsaved_changes():
        # a never-saved scene is reported by the built-in "scene_saved" check;
        # no repair: saving over the version's file would change a saved version;
        # the pipeline saves a new version instead
        results.append(
            ValidationResult(
                "Unsaved changes",
                "the Blender scene has changes that are not in the version's file; "
                "save a new version and publish that one",
                plugin=f"{PLUGIN}.unsaved_changes",
            )
        )
    edited = sorted(image.name for image in bpy.data.images if image.is_dirty)
    if edited:

        def keep_images() -> None:
            for name in edited:
                image = bpy.data.images.get(name)
                if image is None or not image.is_dirty:
                    continue
                if image.source == "FILE" and image.filepath and image.packed_file is None:
                    image.save()  # writes the image file; the .blend is unchanged
                else:
                    image.pack()  # generated or packed images live in the .blend
                    host.tracker.mark_dirty()

        results.append(
            ValidationResult(
                "Unsaved images",
                f"image(s) edited in Blender and not saved: {', '.join(edited)}",
                plugin=f"{PLUGIN}.unsaved_changes",
                repair=keep_images,
                repair_label="Save or pack the images",
            )
        )
    return results


@hookimpl(specname="stalker_publish_validate")
@check("blender.external_paths")
def validate_external_paths(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """Every file the scene reads is inside one of the project's repositories."""
    if item.kind != SCENE or not is_blender_host(host):
        return None
    from .paths import outside_repositories, pack

    roots = list(item.data.get("repository_roots") or [])
    outside = outside_repositories(roots)
    if not outside:
        return None
    results = []
    packable = [f for f in outside if f.packable]
    if packable:

        def pack_them() -> None:
            pack(packable)
            host.tracker.mark_dirty()

        results.append(
            ValidationResult(
                "Files outside the repositories",
                "; ".join(f"{f.kind} {f.name!r} reads {f.path}" for f in packable)
                + " (outside every repository of the project)",
                plugin=f"{PLUGIN}.external_paths",
                repair=pack_them,
                repair_label="Pack them into the .blend",
            )
        )
    fixed_only_by_hand = [f for f in outside if not f.packable]
    if fixed_only_by_hand:
        results.append(
            ValidationResult(
                "Files outside the repositories",
                "; ".join(f"{f.kind} {f.name!r} reads {f.path}" for f in fixed_only_by_hand)
                + " (outside every repository; reference a published version or move the file "
                "into a repository)",
                plugin=f"{PLUGIN}.external_paths",
            )
        )
    return results


@hookimpl(specname="stalker_publish_validate")
@check("blender.cache")
def validate_cache_collection(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The collection to export exists, holds objects, and the format is known."""
    if item.kind != CACHE or not is_blender_host(host):
        return None
    import bpy

    name, fmt = item.data["collection"], item.data["format"]
    if fmt not in FORMATS:
        return [
            ValidationResult(
                "Cache format",
                f"collection {name!r} asks for format {fmt!r}; "
                f"known formats: {', '.join(sorted(FORMATS))}",
                plugin=f"{PLUGIN}.cache",
            )
        ]
    collection = bpy.data.collections.get(name)
    if collection is None:
        return [
            ValidationResult(
                "Cache collection",
                f"collection {name!r} no longer exists",
                plugin=f"{PLUGIN}.cache",
            )
        ]
    if not collection.all_objects:
        return [
            ValidationResult(
                "Cache collection",
                f"collection {name!r} holds no objects; there is nothing to export",
                plugin=f"{PLUGIN}.cache",
            )
        ]
    return None
