"""Collector of the built-in publish plugin: the work file of the version.

It gathers, in one place and with bulk queries, the database facts the
validators need (the shot's cut range and fps from
:func:`~stalker_core.plugins.timing.shot_timing`, the referenced versions
and their newest published versions), so validators never query.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import PublishItem, hookimpl, shot_of, shot_timing
from stalker_core.workflows.references import reference_status, scene_references

#: the item name and kind of the work file
WORKFILE = "workfile"


def collect_references(host: Any, session: Any) -> list[Any]:
    """Reference statuses of the scene (two queries in all; none without references)."""
    return reference_status(scene_references(host), "latest_published", session=session)


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
