"""Collector of the built-in publish plugin: the work file of the version.

It gathers, in one place and with bulk queries, the database facts the
validators need (the shot's cut range and fps, the referenced versions and
their newest published versions), so validators never query.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins import hookimpl
from stalker_core.workflows.publish import PublishItem
from stalker_core.workflows.references import reference_status

#: the item name and kind of the work file
WORKFILE = "workfile"


def shot_of(task: Any) -> Any:
    """The task itself when it is a Shot, else its nearest Shot ancestor, else ``None``."""
    node, seen = task, set()
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        if type(node).__name__ == "Shot":
            return node
        node = node.parent
    return None


def shot_timing(shot: Any) -> dict[str, Any] | None:
    """``{"name", "first", "last", "fps"}`` of a shot (fps falls back to the project's)."""
    if shot is None:
        return None
    fps = getattr(shot, "fps", None)
    if fps is None:
        fps = shot.shot_fps if shot.shot_fps is not None else shot.project.fps
    return {"name": shot.name, "first": shot.cut_in, "last": shot.cut_out, "fps": float(fps)}


def collect_references(host: Any, session: Any) -> list[Any]:
    """Reference statuses of the scene (two queries in all)."""
    return reference_status(host.list_references(), "latest_published", session=session)


@hookimpl(tryfirst=True)
def stalker_publish_collect(host: Any, context: Any, version: Any) -> list[PublishItem]:
    """The work file item, with the facts the built-in validators check."""
    current = host.current_file()
    item = PublishItem(
        name=WORKFILE,
        kind=WORKFILE,
        version=version,
        path=Path(version.absolute_full_path),
        data={
            "current_file": Path(current) if current is not None else None,
            "expected_path": Path(version.absolute_full_path),
            "version_id": version.id,
            "shot": shot_timing(shot_of(version.task)),
            "references": collect_references(host, context.session),
        },
    )
    return [item]
