"""Validators of the built-in publish plugin (one function each, no queries).

* :func:`validate_scene_saved` - the scene has no unsaved changes and is the
  version being published (its recorded version id);
* :func:`validate_file_location` - the open file is the version's file, at
  the version's path, and exists;
* :func:`validate_timing` - frame range and fps match the shot (repair sets
  the frame range, and the fps when the host can);
* :func:`validate_references` - referenced versions are published and not
  outdated (repair updates them; locked outdated ones only warn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.hosts import VERSION_ID_KEY
from stalker_core.plugins import hookimpl
from stalker_core.workflows.publish import PublishItem, ValidationResult
from stalker_publish.collect import WORKFILE, collect_references

PLUGIN = "publish"


def _same(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return Path(a).absolute() == Path(b).absolute()


@hookimpl(specname="stalker_publish_validate")
def validate_scene_saved(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene is saved, and it is the version being published."""
    if item.kind != WORKFILE:
        return None
    results = []
    version = item.version
    dirty = host.has_unsaved_changes()
    if host.current_file() is None:
        results.append(ValidationResult(
            "Scene not saved", "the scene was never saved; save it as a version first",
            plugin=f"{PLUGIN}.scene_saved",
        ))
        return results
    if dirty:
        results.append(ValidationResult(
            "Unsaved changes",
            "the scene has unsaved changes; save a new version and publish that one",
            plugin=f"{PLUGIN}.scene_saved",
        ))
    recorded = host.get_scene_metadata().get(VERSION_ID_KEY, "")
    if recorded != str(version.id):
        what = f"version id {recorded}" if recorded else "no version id"
        results.append(ValidationResult(
            "Not the version being published",
            f"the open scene records {what}, but version {version.id} "
            f"({version.filename}) is being published; open that version first",
            plugin=f"{PLUGIN}.scene_saved",
        ))
    return results


@hookimpl(specname="stalker_publish_validate")
def validate_file_location(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The open file is the version's file, and it exists at the version's path."""
    if item.kind != WORKFILE:
        return None
    expected = item.data["expected_path"]
    current = host.current_file()
    results = []
    if not Path(expected).is_file():
        results.append(ValidationResult(
            "Version file missing",
            f"the version's file {str(expected)!r} does not exist",
            plugin=f"{PLUGIN}.file_location",
        ))
    if current is not None and not _same(current, expected):
        results.append(ValidationResult(
            "Wrong file",
            f"the open file is {str(current)!r}, not the version's file {str(expected)!r}",
            plugin=f"{PLUGIN}.file_location",
        ))
    return results


@hookimpl(specname="stalker_publish_validate")
def validate_timing(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """Frame range and fps of the scene match the shot (hosts without timeline pass)."""
    shot = item.data.get("shot")
    if item.kind != WORKFILE or shot is None:
        return None
    results = []
    frame_range = host.get_frame_range()
    if frame_range is not None and tuple(frame_range) != (shot["first"], shot["last"]):
        first, last = shot["first"], shot["last"]
        results.append(ValidationResult(
            "Frame range",
            f"the scene's frame range is {frame_range[0]}-{frame_range[1]}, "
            f"shot {shot['name']} is {first}-{last}",
            plugin=f"{PLUGIN}.timing",
            repair=lambda: host.set_frame_range(first, last),
            repair_label=f"Set {first}-{last}",
        ))
    fps = host.get_fps()
    if fps is not None and abs(float(fps) - shot["fps"]) > 1e-3:
        target = shot["fps"]
        set_fps = getattr(host, "set_fps", None)
        results.append(ValidationResult(
            "Frame rate",
            f"the scene runs at {fps:g} fps, shot {shot['name']} at {target:g} fps",
            plugin=f"{PLUGIN}.timing",
            repair=(lambda: set_fps(target)) if callable(set_fps) else None,
            repair_label=f"Set {target:g} fps",
        ))
    return results


@hookimpl(specname="stalker_publish_validate")
def validate_references(
    host: Any, context: Any, item: PublishItem
) -> list[ValidationResult] | None:
    """Referenced versions are published and none is outdated."""
    if item.kind != WORKFILE:
        return None
    results = []

    def update() -> None:
        from stalker_core.workflows.references import update_references

        update_references(host, context=context, session=context.session)
        item.data["references"] = collect_references(host, context.session)

    for status in item.data.get("references", []):
        c = status.container
        if status.current is None:
            results.append(ValidationResult(
                "Unknown reference",
                f"reference {c.name!r} ({c.path}) belongs to no version",
                severity="warning", plugin=f"{PLUGIN}.references",
            ))
            continue
        if not status.current.is_published:
            results.append(ValidationResult(
                "Unpublished reference",
                f"reference {c.name!r} uses version {status.current.id} "
                f"({status.current.filename}), which is not published",
                plugin=f"{PLUGIN}.references",
                repair=update if status.latest is not None else None,
                repair_label="Update to latest published",
            ))
        elif status.is_outdated:
            latest = status.latest
            assert latest is not None
            results.append(ValidationResult(
                "Outdated reference",
                f"reference {c.name!r} uses v{status.current.version_number:03d}, "
                f"v{latest.version_number:03d} is published"
                + (" (locked: kept on purpose)" if c.locked else ""),
                severity="warning" if c.locked else "error",
                plugin=f"{PLUGIN}.references",
                repair=None if c.locked else update,
                repair_label="Update to latest published",
            ))
    return results
