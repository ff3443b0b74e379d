"""Validators of the built-in publish plugin (one check each, no queries).

Each declares its check id with :func:`~stalker_core.plugins.check`, so a
host plugin that checks the same thing more specifically can take it over
(``stalker_publish_overridden_checks``) and the artist sees the problem once:

* ``scene_saved`` - :func:`validate_scene_saved`: the scene has a file;
* ``unsaved_changes`` - :func:`validate_unsaved_changes`: no unsaved changes;
* ``version_match`` - :func:`validate_version_match`: the scene records the id
  of the version being published;
* ``file_location`` - :func:`validate_file_location`: the open file is the
  version's file, at the version's path, and exists;
* ``frame_range`` - :func:`validate_frame_range`: the frame range is the
  shot's (repair sets it);
* ``fps`` - :func:`validate_fps`: the frame rate is the shot's (repair sets it);
* ``references`` - :func:`validate_references`: referenced versions are
  published and not outdated (repair updates them; locked outdated ones only
  warn).

The frame-range and fps checks need the host's ``"timeline"`` capability; for
a host without one (the standalone host) they report an ``"info"`` result
saying the check was not made, and the publish goes on. The references check
finds no reference in a host without the ``"references"`` capability.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import (
    VERSION_ID_KEY,
    PublishItem,
    ValidationResult,
    check,
    frame_range_result,
    hookimpl,
    host_supports,
    timeline_not_checked,
)
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
@check("scene_saved")
def validate_scene_saved(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene was saved at least once (it has a file)."""
    if item.kind != WORKFILE or host.current_file() is not None:
        return None
    return [ValidationResult(
        "Scene not saved", "the scene was never saved; save it as a version first",
        plugin=f"{PLUGIN}.scene_saved",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("unsaved_changes")
def validate_unsaved_changes(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The saved scene has no unsaved changes (hosts that cannot tell pass)."""
    if item.kind != WORKFILE or host.current_file() is None:
        return None
    if not host.has_unsaved_changes():
        return []
    return [ValidationResult(
        "Unsaved changes",
        "the scene has unsaved changes; save a new version and publish that one",
        plugin=f"{PLUGIN}.unsaved_changes",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("version_match")
def validate_version_match(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The saved scene records the id of the version being published."""
    if item.kind != WORKFILE or host.current_file() is None:
        return None
    version = item.version
    recorded = host.get_scene_metadata().get(VERSION_ID_KEY, "")
    if recorded == str(version.id):
        return []
    what = f"version id {recorded}" if recorded else "no version id"
    return [ValidationResult(
        "Not the version being published",
        f"the open scene records {what}, but version {version.id} "
        f"({version.filename}) is being published; open that version first",
        plugin=f"{PLUGIN}.version_match",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("file_location")
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
@check("frame_range")
def validate_frame_range(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene's frame range is the shot's cut range (not checked without a timeline)."""
    shot = item.data.get("shot")
    if item.kind != WORKFILE or shot is None:
        return None
    plugin = f"{PLUGIN}.frame_range"
    if not host_supports(host, "timeline"):
        return [timeline_not_checked(host, "Frame range", plugin=plugin)]
    result = frame_range_result(host, host.get_frame_range(), shot, plugin=plugin)
    return [result] if result is not None else []


@hookimpl(specname="stalker_publish_validate")
@check("fps")
def validate_fps(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The scene's frame rate is the shot's (not checked without a timeline)."""
    shot = item.data.get("shot")
    if item.kind != WORKFILE or shot is None:
        return None
    plugin = f"{PLUGIN}.fps"
    if not host_supports(host, "timeline"):
        return [timeline_not_checked(host, "Frame rate", plugin=plugin)]
    fps = float(host.get_fps())
    target = float(shot["fps"])
    if abs(fps - target) <= 1e-3:
        return []
    return [ValidationResult(
        "Frame rate",
        f"the scene runs at {fps:g} fps, shot {shot['name']} at {target:g} fps",
        plugin=plugin,
        repair=lambda: host.set_fps(target),
        repair_label=f"Set {target:g} fps",
    )]


@hookimpl(specname="stalker_publish_validate")
@check("references")
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
