"""The add-on's operators: thin buttons over :mod:`stalker_core.workflows`.

Each operator resolves what it needs through :data:`stalker_blender.runtime.runtime`,
calls one workflow and reports the outcome the Blender way: ``self.report``
with ``INFO``/``WARNING``/``ERROR``. An error report makes the operator
return ``{"CANCELLED"}``; when called from Python (``bpy.ops.stalker.*``)
Blender turns the error report into a ``RuntimeError`` carrying the message.

All operators work in background mode with their properties given as
keyword arguments; ``invoke`` only adds the dialogs an artist needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty, StringProperty

from stalker_core.exceptions import StalkerError, UnsavedChangesError

from . import loader
from .runtime import runtime

log = logging.getLogger(__name__)


def _run(operator: Any, action: str, work: Callable[[], str | None]) -> set[str]:
    """Run ``work``; report its message, or the error, on ``operator``."""
    try:
        message = work()
    except UnsavedChangesError as exc:
        operator.report({"ERROR"}, f"{exc} (in Blender: tick 'Discard Changes')")
        return {"CANCELLED"}
    except StalkerError as exc:
        operator.report({"ERROR"}, f"{action} failed: {exc}")
        return {"CANCELLED"}
    except Exception as exc:  # noqa: BLE001 - Blender shows the message, the log the trace
        log.exception("stalker_blender: %s failed", action)
        _rollback()
        operator.report({"ERROR"}, f"{action} failed: {type(exc).__name__}: {exc}")
        return {"CANCELLED"}
    finally:
        runtime.invalidate()
        loader.forget()
    if message:
        operator.report({"INFO"}, message)
    return {"FINISHED"}


def _rollback() -> None:
    """Leave the session usable after an unexpected error (workflows roll back their own)."""
    try:
        runtime.session().rollback()
    except Exception:  # noqa: BLE001 - the original error is what the artist needs to see
        log.debug("stalker_blender: rollback after an error failed", exc_info=True)


def _task(task_id: int) -> Any:
    from stalker_core.models.task.model import Task

    if task_id:
        task = runtime.session().get(Task, task_id)
        if task is None:
            raise StalkerError(f"There is no task with id {task_id}.")
        return task
    task = runtime.scene_task()
    if task is None:
        raise StalkerError(
            "The scene belongs to no task: give a task id, open a version, "
            "or start Blender for a task (STALKER_TASK_ID)."
        )
    return task


def _version(version_id: int) -> Any:
    from stalker_core.models.version.model import Version

    version = runtime.session().get(Version, version_id) if version_id else None
    if version is None:
        raise StalkerError(f"There is no version with id {version_id}.")
    return version


# -- save as version -------------------------------------------------------------------------


class STALKER_OT_save_as_version(bpy.types.Operator):
    """Save the scene as the next version of its task"""

    bl_idname = "stalker.save_as_version"
    bl_label = "Save As Version"
    bl_options = {"REGISTER"}

    task_id: IntProperty(  # type: ignore[valid-type]
        name="Task ID", description="Task to save a version of (0: the scene's task)", min=0
    )
    take_name: StringProperty(  # type: ignore[valid-type]
        name="Take", description="Take of the version (empty: the scene's take, else Main)"
    )
    description: StringProperty(name="Description")  # type: ignore[valid-type]

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)  # type: ignore[no-any-return]

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from stalker_core.workflows import save_as_version

            task = _task(self.task_id)
            take = self.take_name
            if not take:
                current = runtime.scene_version()
                take = current.take_name if current is not None and current.task == task else "Main"
            version = save_as_version(
                runtime.host(),
                task,
                take,
                self.description,
                session=runtime.session(),
                pm=runtime.plugin_manager(),
            )
            return f"Saved {task.name} {version.take_name} v{version.version_number:03d}"

        return _run(self, "Save As Version", work)


# -- open --------------------------------------------------------------------------------------

#: Blender keeps only pointers to dynamic enum strings: hold them here
_VERSION_ITEMS: list[tuple[str, str, str]] = []


def _version_items(_self: Any, _context: Any) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from stalker_core.models.version.model import Version

    _VERSION_ITEMS.clear()
    try:
        task = runtime.scene_task()
        if task is not None:
            versions = runtime.session().scalars(
                select(Version)
                .where(Version.task_id == task.id)
                .order_by(Version.take_name, Version.version_number.desc())
            )
            for v in versions:
                mark = " (published)" if v.is_published else ""
                label = f"{v.take_name} v{v.version_number:03d}{mark}"
                _VERSION_ITEMS.append((str(v.id), label, v.description or ""))
    except Exception:  # noqa: BLE001 - an enum callback must not raise
        log.debug("stalker_blender: listing versions failed", exc_info=True)
    if not _VERSION_ITEMS:
        _VERSION_ITEMS.append(("0", "No versions", "The scene's task has no versions"))
    return _VERSION_ITEMS


class STALKER_OT_open_version(bpy.types.Operator):
    """Open a version of the scene's task"""

    bl_idname = "stalker.open_version"
    bl_label = "Open Version"
    bl_options = {"REGISTER"}

    version_id: IntProperty(  # type: ignore[valid-type]
        name="Version ID", description="Version to open (0: the one picked in the list)", min=0
    )
    version: EnumProperty(name="Version", items=_version_items)  # type: ignore[valid-type]
    force: BoolProperty(  # type: ignore[valid-type]
        name="Discard Changes", description="Open even if the scene has unsaved changes"
    )

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)  # type: ignore[no-any-return]

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from stalker_core.workflows import open_version

            version_id = self.version_id or int(self.version or 0)
            result = open_version(
                runtime.host(),
                _version(version_id),
                force=self.force,
                session=runtime.session(),
                pm=runtime.plugin_manager(),
            )
            for check in result.problems:
                self.report({"WARNING"}, f"{check.title}: {check.message}")
            return f"Opened {result.path.name}"

        return _run(self, "Open", work)


# -- update references ---------------------------------------------------------------------------


class STALKER_OT_update_references(bpy.types.Operator):
    """Point every outdated, unlocked reference at the latest published version"""

    bl_idname = "stalker.update_references"
    bl_label = "Update References"
    # no UNDO: undoing would restore library paths without reloading the libraries
    bl_options = {"REGISTER"}

    to: EnumProperty(  # type: ignore[valid-type]
        name="To",
        items=[
            ("latest_published", "Latest Published", "The newest published version"),
            ("latest", "Latest", "The newest version, published or not"),
        ],
        default="latest_published",
    )

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from stalker_core.context import Context
            from stalker_core.workflows import update_references

            version = runtime.scene_version()
            scene_context = (
                Context.for_version(version, session=runtime.session()) if version else None
            )
            report = update_references(
                runtime.host(),
                self.to,
                context=scene_context,
                session=runtime.session(),
                pm=runtime.plugin_manager(),
            )
            for container, reason in report.vetoed:
                self.report({"WARNING"}, f"{container.name} kept: {reason}")
            message, untracked = loader.update_summary(report)
            for warning in untracked:
                self.report({"WARNING"}, warning)
            return message

        return _run(self, "Update References", work)


# -- load published -------------------------------------------------------------------------------


def _published_items(_self: Any, _context: Any) -> list[tuple[str, str, str]]:
    return loader.published_items()


class STALKER_OT_load_published(bpy.types.Operator):
    """Link a published version so that Update References follows it"""

    bl_idname = "stalker.load_published"
    bl_label = "Load Published"
    # no UNDO: undo would drop the library but keep the reference's record in the report
    bl_options = {"REGISTER"}
    bl_property = "version"

    version_id: IntProperty(  # type: ignore[valid-type]
        name="Version ID", description="Published version to load (0: the one picked)", min=0
    )
    version: EnumProperty(  # type: ignore[valid-type]
        name="Version", description="Published versions with a .blend file",
        items=_published_items,
    )
    path: StringProperty(  # type: ignore[valid-type]
        name="File", description="One of the version's files (empty: its published .blend)"
    )
    action: StringProperty(  # type: ignore[valid-type]
        name="Action", description="Loader action (empty: the first that takes the file)"
    )

    def invoke(self, context: Any, event: Any) -> set[str]:
        loader.forget()
        context.window_manager.invoke_search_popup(self)
        return {"RUNNING_MODAL"}

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            version_id = self.version_id or int(self.version or 0)
            if not version_id:
                raise StalkerError("Pick a published version to load.")
            result = loader.load_published(version_id, self.path, self.action)
            if not result.ok:
                raise StalkerError(result.message)
            for warning in result.warnings:
                self.report({"WARNING"}, warning)
            return result.message

        return _run(self, "Load Published", work)


# -- publish -------------------------------------------------------------------------------------


class STALKER_OT_publish(bpy.types.Operator):
    """Validate and publish the version open in this scene"""

    bl_idname = "stalker.publish"
    bl_label = "Publish"
    bl_options = {"REGISTER"}

    auto_repair: BoolProperty(  # type: ignore[valid-type]
        name="Repair", description="Run the repairs of failed checks, then validate again"
    )

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from stalker_core.exceptions import PublishValidationError
            from stalker_core.workflows import publish

            version = runtime.scene_version()
            if version is None:
                raise StalkerError("The scene is not a saved version; Save As Version first.")
            try:
                report = publish(
                    runtime.host(),
                    version,
                    session=runtime.session(),
                    pm=runtime.plugin_manager(),
                    auto_repair=self.auto_repair,
                )
            except PublishValidationError as exc:
                runtime.last_results = list(getattr(exc, "results", []))
                for result in runtime.last_results:
                    if result.is_error:
                        self.report({"WARNING"}, str(result))
                raise
            runtime.last_results = [r for r in report.results if not r.is_error]
            for warning in report.warnings:
                self.report({"WARNING"}, warning)
            return (
                f"Published {version.take_name} v{version.version_number:03d}: "
                f"{len(report.published_paths)} file(s)"
            )

        return _run(self, "Publish", work)


class STALKER_OT_repair(bpy.types.Operator):
    """Run the repairs offered by the last publish's failed checks"""

    bl_idname = "stalker.repair"
    bl_label = "Repair"
    # no UNDO: a repair may reload libraries (updating references), which undo cannot revert
    bl_options = {"REGISTER"}

    @classmethod
    def poll(cls, context: Any) -> bool:
        return any(r.repair is not None for r in runtime.last_results)

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from stalker_core.workflows.publish import repair

            tried = [r for r in runtime.last_results if r.is_error and r.repair is not None]
            failed = repair(runtime.last_results)
            for result, error in failed:
                self.report({"WARNING"}, f"{result.title}: {error}")
            runtime.last_results = [r for r, _ in failed]
            return f"{len(tried) - len(failed)} repair(s) done, {len(failed)} failed"

        return _run(self, "Repair", work)


# -- collections to export ----------------------------------------------------------------------


class STALKER_OT_mark_export(bpy.types.Operator):
    """Choose a collection to export as a cache when publishing (or stop exporting it)"""

    bl_idname = "stalker.mark_export"
    bl_label = "Export Collection on Publish"
    bl_options = {"REGISTER", "UNDO"}

    collection: StringProperty(  # type: ignore[valid-type]
        name="Collection", description="Collection to export (empty: the active collection)"
    )
    format: EnumProperty(  # type: ignore[valid-type]
        name="Format",
        items=[
            ("abc", "Alembic", "Export an Alembic (.abc) cache"),
            ("usd", "USD", "Export a USD (.usd) file"),
            ("NONE", "Do Not Export", "Stop exporting this collection"),
        ],
        default="abc",
    )

    def invoke(self, context: Any, event: Any) -> set[str]:
        return context.window_manager.invoke_props_dialog(self)  # type: ignore[no-any-return]

    def execute(self, context: Any) -> set[str]:
        def work() -> str:
            from .publish.collect import mark_for_export

            if self.collection:
                collection = bpy.data.collections.get(self.collection)
            else:
                layer = getattr(context, "view_layer", None)
                active = layer.active_layer_collection if layer is not None else None
                collection = active.collection if active is not None else None
            if collection is None or collection.library is not None:
                raise StalkerError(
                    f"No local collection {self.collection!r} to export"
                    if self.collection
                    else "No active local collection to export"
                )
            if collection == context.scene.collection:
                raise StalkerError("The scene's master collection cannot be exported alone")
            fmt = None if self.format == "NONE" else self.format
            mark_for_export(collection, fmt)
            runtime.host().tracker.mark_dirty()
            if fmt is None:
                return f"{collection.name} will not be exported"
            return f"{collection.name} will be exported as {fmt} when publishing"

        return _run(self, "Export Collection", work)


#: every operator class of the add-on, in registration order
CLASSES: tuple[type, ...] = (
    STALKER_OT_save_as_version,
    STALKER_OT_open_version,
    STALKER_OT_publish,
    STALKER_OT_repair,
    STALKER_OT_update_references,
    STALKER_OT_load_published,
    STALKER_OT_mark_export,
)
