"""Extractor of the built-in publish plugin: a copy of the work file."""

from __future__ import annotations

import shutil
from pathlib import Path

from stalker_core.plugins import hookimpl
from stalker_core.workflows.publish import PublishItem, Representation
from stalker_publish.collect import WORKFILE


@hookimpl(specname="stalker_publish_extract")
def extract_workfile(item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """Copy the version's file into ``staging_dir`` under its own name."""
    if item.kind != WORKFILE or item.path is None:
        return None
    target = Path(staging_dir) / WORKFILE / Path(item.path).name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(item.path, target)
    return [Representation(WORKFILE, target)]


