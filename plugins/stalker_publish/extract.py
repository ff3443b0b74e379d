"""Extractor of the built-in publish plugin: the published copy of the work file.

A publish yields one published work file, written into the staging folder
under the version's file name:

* by the host itself when it has the ``"export"`` capability
  (:class:`~stalker_core.hosts.ExportHost`), so a host whose files hold
  paths relative to their own folder (Blender's ``//``) writes a copy that
  opens correctly from the publish folder;
* otherwise (the documented fallback) as a byte-for-byte copy of the
  version's file.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import (
    PublishError,
    PublishItem,
    Representation,
    hookimpl,
    host_supports,
)
from stalker_publish.collect import WORKFILE


@hookimpl(specname="stalker_publish_extract")
def extract_workfile(
    host: Any, item: PublishItem, staging_dir: Path
) -> list[Representation] | None:
    """Write the version's work file into ``staging_dir`` under its own name."""
    if item.kind != WORKFILE or item.path is None:
        return None
    target = Path(staging_dir) / WORKFILE / Path(item.path).name
    target.parent.mkdir(parents=True, exist_ok=True)
    if host_supports(host, "export"):
        host.export_workfile(target)
        if not target.is_file():
            raise PublishError(
                f"host {getattr(host, 'name', host)!r} did not write the work file "
                f"{str(target)!r} in export_workfile()"
            )
    else:
        shutil.copy2(item.path, target)
    return [Representation(WORKFILE, target)]
