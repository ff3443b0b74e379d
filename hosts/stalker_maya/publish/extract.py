"""Extractor of the Maya publish plugin: Alembic caches of marked sets (``AbcExport``).

The published scene itself is the built-in publish plugin's byte copy of the
version's file (Maya writes absolute reference paths, so it opens from the
publish folder as it is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import PublishError
from stalker_core.plugins.api import PublishItem, Representation, hookimpl

from . import CACHE, FORMATS, is_maya_host

#: the Maya plug-in that provides the ``AbcExport`` command
ABC_PLUGIN = "AbcExport"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "/").replace('"', '\\"') + '"'


def abc_job(roots: list[str], first: int, last: int, target: Path) -> str:
    """The ``AbcExport -j`` job string for ``roots`` over ``first``..``last``."""
    parts = [f"-frameRange {first} {last}", "-uvWrite", "-worldSpace", "-dataFormat ogawa"]
    parts += [f"-root {_quote(root)}" for root in roots]
    parts.append(f"-file {_quote(target.as_posix())}")
    return " ".join(parts)


@hookimpl(specname="stalker_publish_extract")
def extract_cache(host: Any, item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """Cache the item's set as Alembic over the scene's frame range into ``staging_dir``."""
    if item.kind != CACHE or not is_maya_host(host):
        return None
    from maya import cmds

    name = item.data["set"]
    stem = Path(item.version.absolute_full_path).stem
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    target = Path(staging_dir) / "maya" / f"{stem}_{safe}{FORMATS['abc']}"
    target.parent.mkdir(parents=True, exist_ok=True)
    first, last = host.get_frame_range()
    # `sets -q SET` (the members) has no overload in types-maya 0.6.1
    roots = list(cmds.sets(name, query=True) or [])  # type: ignore[call-overload]
    try:
        if not cmds.pluginInfo(ABC_PLUGIN, query=True, loaded=True):
            cmds.loadPlugin(ABC_PLUGIN, quiet=True)
        # a plug-in command: not in the stubs of maya.cmds (they list Maya's own commands)
        cmds.AbcExport(jobArg=abc_job(roots, first, last, target))  # type: ignore[attr-defined]
    except (RuntimeError, AttributeError) as exc:
        raise PublishError(f"Maya could not cache set {name!r} as Alembic: {exc}") from exc
    if not target.is_file():
        raise PublishError(f"Maya did not write the Alembic cache of set {name!r} to {target}")
    return [Representation("abc", target)]
