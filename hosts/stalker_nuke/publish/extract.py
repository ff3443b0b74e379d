"""Extractor of the Nuke publish plugin: renders of the marked Write nodes.

:func:`extract_render` renders a marked Write node over the script's frame
range (``nuke.execute``) into the staging folder: the node's ``file`` knob
points there for the render and is set back right after, with the script's
modified state, so the open script is left as it was. Each frame file is one
representation named ``"render"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from stalker_core.exceptions import PublishError
from stalker_core.plugins.api import PublishItem, Representation, hookimpl

from . import RENDER, is_nuke_host

_PADDING = re.compile(r"#+|%0?\d*d")


@hookimpl(specname="stalker_publish_extract")
def extract_render(host: Any, item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """Render the item's Write node for the script's frame range into ``staging_dir``."""
    if item.kind != RENDER or not is_nuke_host(host):
        return None
    import nuke

    name = item.data["node"]
    node = nuke.toNode(name)
    if node is None:
        raise PublishError(f"Write node {name!r} no longer exists")
    original = str(node["file"].value())
    target_dir = Path(staging_dir) / "nuke" / name
    target_dir.mkdir(parents=True, exist_ok=True)
    pattern = Path(original).name
    if not _PADDING.search(pattern):
        raise PublishError(
            f"Write node {name!r} renders to {original}, which has no frame padding "
            f"(#### or %04d); every frame would overwrite the last"
        )
    first, last = host.get_frame_range()
    root = nuke.root()
    was_modified = bool(root.modified())
    node["file"].setValue((target_dir / pattern).as_posix())
    try:
        nuke.execute(node, first, last)
    except (RuntimeError, ValueError) as exc:
        raise PublishError(f"Nuke could not render {name!r} ({first}-{last}): {exc}") from exc
    finally:
        node["file"].setValue(original)
        root.setModified(was_modified)
    regex = re.compile(
        "^" + _PADDING.sub(lambda _: r"\d+", re.escape(pattern).replace(r"\#", "#")) + "$"
    )
    frames = sorted(p for p in target_dir.iterdir() if regex.match(p.name))
    if len(frames) != last - first + 1:
        raise PublishError(
            f"Nuke rendered {len(frames)} frame(s) of {name!r}, expected {last - first + 1}"
        )
    return [Representation("render", frame) for frame in frames]
