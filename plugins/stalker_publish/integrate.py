"""Integrator of the built-in publish plugin: where published files go.

Every representation of a version goes to ``<version folder>/publish/`` under
its own file name (the version's file name for the work file), so published
files sit next to the work files they come from and never replace anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import PublishItem, Representation, hookimpl

#: sub-folder of a version's folder holding its published files
PUBLISH_DIR = "publish"


def publish_dir(version: Any) -> Path:
    """The folder published files of ``version`` go to."""
    return Path(version.absolute_path) / PUBLISH_DIR


@hookimpl(specname="stalker_publish_integrate")
def integrate_to_publish_dir(
    item: PublishItem, representations: list[Representation], transaction: Any
) -> None:
    """Plan each representation into the version's publish folder."""
    target = publish_dir(item.version)
    for rep in representations:
        transaction.add(rep.path, target / Path(rep.path).name)
