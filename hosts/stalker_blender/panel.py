"""The sidebar panel: 3D Viewport > Sidebar (N) > Stalker."""

from __future__ import annotations

from typing import Any

import bpy

from . import loader
from .publish import EXPORT_KEY
from .runtime import runtime

#: how many validation results the panel lists
MAX_RESULTS = 8


class _Sidebar:
    """Where the add-on's panels live: 3D Viewport > Sidebar (N) > Stalker."""

    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Stalker"


class STALKER_PT_context(_Sidebar, bpy.types.Panel):
    """The scene's pipeline context and the pipeline buttons."""

    bl_idname = "STALKER_PT_context"
    bl_label = "Stalker"

    def draw(self, context: Any) -> None:
        layout = self.layout
        info = runtime.scene_context()
        col = layout.column(align=True)
        col.label(text=f"Project: {info.project or '-'}", icon="FILE_FOLDER")
        col.label(text=f"Task: {info.task or '-'}", icon="CHECKMARK")
        version = info.version or "-"
        if info.published:
            version += " (published)"
        col.label(text=f"Version: {version}", icon="FILE_BLEND")
        if info.problem:
            col.label(text=info.problem, icon="INFO")
        if runtime.host().has_unsaved_changes():
            col.label(text="Unsaved changes", icon="ERROR")

        buttons = layout.column(align=True)
        buttons.operator("stalker.save_as_version", icon="FILE_TICK")
        buttons.operator("stalker.open_version", icon="FILEBROWSER")
        buttons.operator("stalker.publish", icon="EXPORT")
        buttons.operator("stalker.update_references", icon="FILE_REFRESH")

        exports = layout.column(align=True)
        marked = [
            (c.name, str(c[EXPORT_KEY]))
            for c in bpy.data.collections
            if c.library is None and EXPORT_KEY in c
        ]
        for name, fmt in marked:
            exports.label(text=f"Exports {name} as {fmt}", icon="OUTLINER_COLLECTION")
        exports.operator("stalker.mark_export", icon="OUTLINER_COLLECTION")

        results = runtime.last_results
        if results:
            box = layout.box()
            box.label(text="Last publish checks")
            for result in results[:MAX_RESULTS]:
                icon = "CANCEL" if result.is_error else "INFO"
                box.label(text=f"{result.title}: {result.message}", icon=icon)
            if len(results) > MAX_RESULTS:
                box.label(text=f"... and {len(results) - MAX_RESULTS} more")
            box.operator("stalker.repair", icon="TOOL_SETTINGS")


class STALKER_PT_references(_Sidebar, bpy.types.Panel):
    """The scene's references with their state, and Load Published.

    A library linked with File > Link has no version: it is listed as
    untracked, never as up to date.
    """

    bl_idname = "STALKER_PT_references"
    bl_label = "References"
    bl_parent_id = "STALKER_PT_context"

    def draw(self, context: Any) -> None:
        layout = self.layout
        layout.operator("stalker.load_published", icon="LINK_BLEND")
        try:
            rows = loader.reference_rows()
        except Exception as exc:  # noqa: BLE001 - a panel must draw whatever happens
            layout.label(text=f"References unknown: {type(exc).__name__}: {exc}", icon="ERROR")
            return
        if not rows:
            layout.label(text="No linked libraries")
            return
        col = layout.column(align=True)
        for row in rows:
            col.label(text=row.text, icon=row.icon)
        untracked = sum(1 for row in rows if not row.tracked)
        if untracked:
            col.label(text=f"{untracked} untracked: relink them with Load Published", icon="INFO")


CLASSES: tuple[type, ...] = (STALKER_PT_context, STALKER_PT_references)
