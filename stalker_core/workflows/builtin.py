"""The core's default plugin: default implementations a studio may block.

Listed in :data:`stalker_core.plugins.DEFAULT_PLUGINS` by its module name,
``stalker_core.workflows.builtin``; :func:`~stalker_core.plugins.get_plugin_manager`
imports and registers it under that name (block it with that name). It lives
with the workflows because it uses them; the plugin layer below names it only
by that string.

* ``stalker_workfile_after_open``: reports outdated references of the opened
  scene as a :class:`~stalker_core.plugins.api.SceneCheck` whose fix
  updates them to the latest published versions (locked ones are kept).
* ``stalker_ui_panels``: the four built-in panels (Work Files, Publisher,
  Loader, Scene Inventory), named by the dotted paths of their views in
  :mod:`stalker_core.ui` (nothing of Qt is imported here).
* ``stalker_ui_actions``: "Reference" in the Loader for every host with the
  ``references`` capability; the reference records the version id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.plugins.api import (
    Container,
    Context,
    Host,
    PanelSpec,
    ReferenceHost,
    SceneCheck,
    UIAction,
    Version,
    hookimpl,
    host_supports,
)
from stalker_core.workflows.references import find_outdated, update_references


@hookimpl(trylast=True)
def stalker_workfile_after_open(
    host: Host, context: Context, version: Version, path: Path
) -> list[SceneCheck] | None:
    """One warning when references are outdated; the fix updates the unlocked ones."""
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

    def fix() -> Any:
        return update_references(host, context=context, session=context.session)

    return [
        SceneCheck(
            title="Outdated references",
            message=f"{len(outdated)} reference(s) are outdated: {names}{note}",
            severity="warning",
            fix=fix,
            fix_label="Update to latest",
        )
    ]


#: the built-in panels: the one list (menus, ``stalker ui`` and the docs derive from it)
BUILTIN_PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("workfiles", "Work Files", "stalker_core.ui.workfiles:WorkFilesPanel", order=10),
    PanelSpec("publish", "Publisher", "stalker_core.ui.publisher:PublisherPanel", order=20),
    PanelSpec("loader", "Loader", "stalker_core.ui.loader:LoaderPanel", order=30),
    PanelSpec("inventory", "Scene Inventory", "stalker_core.ui.inventory:InventoryPanel",
              order=40),
)


@hookimpl
def stalker_ui_panels() -> list[PanelSpec]:
    """The four built-in panels."""
    return list(BUILTIN_PANELS)


def _reference(host: ReferenceHost, version: Version, path: Path) -> Container:
    return host.load_reference(Path(path), version_id=version.id)


@hookimpl(trylast=True)
def stalker_ui_actions(host: Host, location: str) -> list[UIAction] | None:
    """"Reference" in the Loader, for hosts with the ``references`` capability."""
    if location != "loader" or not host_supports(host, "references"):
        return None
    return [
        UIAction(
            "core.reference", "Reference", "loader", _reference,
            description="Load the published file as a reference that records its version",
            order=10,
        )
    ]
