"""Collector of the Nuke publish plugin (the only place that queries the database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import PublishItem, hookimpl, image_format_of

from . import PUBLISH_KNOB, RENDER, SCRIPT, is_nuke_host


def mark_for_publish(node: Any, on: bool = True) -> None:
    """Mark (or unmark) the Write node ``node`` to be rendered when publishing."""
    import nuke

    if node.Class() != "Write":
        raise ValueError(f"only Write nodes are rendered on publish, not {node.Class()} nodes")
    knob = node.knob(PUBLISH_KNOB)
    if knob is None:
        knob = nuke.Boolean_Knob(PUBLISH_KNOB, "publish")
        node.addKnob(knob)
    knob.setValue(bool(on))


def marked_writes() -> list[Any]:
    """The Write nodes marked for publishing, by name."""
    import nuke

    marked = [n for n in nuke.allNodes("Write") if n.knob(PUBLISH_KNOB) is not None]
    return sorted((n for n in marked if n[PUBLISH_KNOB].value()), key=lambda n: n.name())


def repository_roots(project: Any) -> list[str]:
    """The project's repository roots for this operating system (non-empty ones)."""
    if project is None:
        return []
    return [repo.path for repo in project.repositories if repo.path]


@hookimpl(specname="stalker_publish_collect")
def collect_nuke_script(host: Any, context: Any, version: Any) -> list[PublishItem] | None:
    """One ``nuke_script`` item and one ``nuke_render`` item per marked Write node."""
    if not is_nuke_host(host):
        return None
    roots = repository_roots(version.task.project)
    items = [
        PublishItem(
            name="nuke_script",
            kind=SCRIPT,
            version=version,
            path=Path(version.absolute_full_path),
            data={"repository_roots": roots, "format": image_format_of(version.task)},
        )
    ]
    for node in marked_writes():
        items.append(
            PublishItem(
                name=f"render:{node.name()}",
                kind=RENDER,
                version=version,
                data={"node": node.name(), "repository_roots": roots},
            )
        )
    return items
