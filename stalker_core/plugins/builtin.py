"""The core's built-in plugin: default implementations a studio may block.

Registered by :func:`~stalker_core.plugins.get_plugin_manager` under its
module name ``stalker_core.plugins.builtin`` (block it with that name).

* ``stalker_workfile_after_open``: reports outdated references of the opened
  scene as a :class:`~stalker_core.workflows.results.SceneCheck` whose fix
  updates them to the latest published versions (locked ones are kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins import hookimpl


@hookimpl(trylast=True)
def stalker_workfile_after_open(host: Any, context: Any, version: Any, path: Path) -> Any:
    """One warning when references are outdated; the fix updates the unlocked ones."""
    from stalker_core.workflows.references import find_outdated, update_references
    from stalker_core.workflows.results import SceneCheck

    outdated = find_outdated(host, session=context.session)
    if not outdated:
        return None
    names = ", ".join(
        f"{s.container.name} (v{s.current.version_number:03d} -> v{s.latest.version_number:03d})"
        for s in outdated
        if s.current is not None and s.latest is not None
    )
    locked = sum(1 for s in outdated if s.container.locked)
    note = f"; {locked} of them locked" if locked else ""
    return [
        SceneCheck(
            title="Outdated references",
            message=f"{len(outdated)} reference(s) are outdated: {names}{note}",
            severity="warning",
            fix=lambda: update_references(host, context=context, session=context.session),
            fix_label="Update to latest",
        )
    ]
