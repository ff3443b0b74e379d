"""Shot timing for publish checks: the shot of a task, its cut range and fps, the results.

Every host's publish plugin checks a scene's timing against the same facts
and reports a wrong frame range the same way, so both live here, once:

* :func:`shot_of` - the shot a task belongs to (collectors; no query beyond
  the task's parents);
* :func:`shot_timing` - a shot's name, cut range and fps as plain data
  (:class:`ShotTiming`), what a collector puts in ``item.data["shot"]``;
* :func:`frame_range_result` - the "Frame range" error a validator reports
  when a scene's range is not the shot's, with the repair that sets it;
* :func:`timeline_not_checked` - the ``"info"`` result a timing check reports
  for a host without the ``"timeline"`` capability (the documented fallback);
* :func:`image_format_of` - the shot's, else the project's, image format as
  plain data (:class:`ImageFormatData`), for resolution checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict, cast

from stalker_core.hosts import TimelineHost
from stalker_core.plugins.types import ValidationResult

if TYPE_CHECKING:
    from stalker_core.models import Shot


class ShotTiming(TypedDict):
    """A shot's timing as plain data (what validators read, so they never query)."""

    #: the shot's name
    name: str
    #: first frame of the cut
    first: int
    #: last frame of the cut
    last: int
    #: frames per second (the shot's, else the project's)
    fps: float


class ImageFormatData(TypedDict):
    """An image format as plain data (what validators read, so they never query)."""

    #: the format's name
    name: str
    #: width in pixels
    width: int
    #: height in pixels
    height: int
    #: pixel aspect ratio
    pixel_aspect: float


def image_format_of(task: Any) -> ImageFormatData | None:
    """The image format of ``task``'s shot, else of its project, as plain data; or ``None``."""
    shot = shot_of(task)
    fmt = shot.image_format if shot is not None else None
    if fmt is None and task is not None and task.project is not None:
        fmt = task.project.image_format
    if fmt is None:
        return None
    return ImageFormatData(name=fmt.name, width=int(fmt.width), height=int(fmt.height),
                           pixel_aspect=float(fmt.pixel_aspect))


def shot_of(task: Any) -> Shot | None:
    """The task itself when it is a Shot, else its nearest Shot ancestor, else ``None``."""
    from stalker_core.models import Shot

    node, seen = task, set()
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        if isinstance(node, Shot):
            return node
        node = node.parent
    return None


def shot_timing(shot: Shot | None) -> ShotTiming | None:
    """The timing of ``shot`` (``None`` for no shot); fps falls back to the project's."""
    if shot is None:
        return None
    return ShotTiming(
        name=shot.name, first=int(shot.cut_in), last=int(shot.cut_out), fps=float(shot.fps)
    )


def frame_range_result(
    host: Any,
    frame_range: tuple[int, int],
    shot: Mapping[str, Any],
    *,
    plugin: str,
    scene: str = "the scene",
) -> ValidationResult | None:
    """The "Frame range" error when ``frame_range`` is not the shot's cut range, else ``None``.

    :param host: the host (with the ``"timeline"`` capability); the repair
        calls its ``set_frame_range`` with the shot's range.
    :param frame_range: the scene's ``(first, last)`` as the validator read it.
    :param shot: the shot's timing (:class:`ShotTiming`).
    :param plugin: the reporting plugin and check, e.g. ``"publish.frame_range"``.
    :param scene: how the message names the scene, e.g. ``"the Blender scene 'Scene'"``.
    """
    first, last = int(shot["first"]), int(shot["last"])
    if (int(frame_range[0]), int(frame_range[1])) == (first, last):
        return None

    def repair() -> None:
        cast(TimelineHost, host).set_frame_range(first, last)

    return ValidationResult(
        "Frame range",
        f"{scene} runs {frame_range[0]}-{frame_range[1]}, shot {shot['name']} is {first}-{last}",
        plugin=plugin,
        repair=repair,
        repair_label=f"Set {first}-{last}",
    )


def timeline_not_checked(host: Any, what: str, *, plugin: str) -> ValidationResult:
    """The ``"info"`` result of a timing check skipped because ``host`` has no timeline.

    :param what: what was not checked, e.g. ``"Frame range"``.
    :param plugin: the reporting plugin and check, e.g. ``"publish.fps"``.
    """
    name = getattr(host, "name", type(host).__name__)
    return ValidationResult(
        f"{what} not checked",
        f"host {name!r} has no timeline; the {what.lower()} of the shot was not checked",
        severity="info",
        plugin=plugin,
    )
