"""The Blender host adapter: the :class:`~stalker_core.hosts.Host` protocol with ``bpy``.

:class:`BlenderHost` implements the required work-file protocol and the
capabilities (:data:`~stalker_core.hosts.CAPABILITIES`) ``timeline`` (frame
range, fps), ``references`` (linked libraries), ``export`` (the published copy
of the ``.blend``) and ``ui``:

* ``main_window()`` is ``None``: Blender is not a Qt application, there is no
  Qt window to parent dialogs to (its own dialogs are operators);
* ``run_in_main_thread()`` calls directly on the main thread and, from
  another thread, has a Blender timer run the call (:mod:`.mainthread`); where
  no Blender event loop runs (``bpy`` as a Python module) such a call raises
  :class:`~stalker_core.exceptions.HostError` after
  :attr:`BlenderHost.main_thread_timeout` seconds instead of hanging.

Blender-only extras, outside the protocols: :meth:`BlenderHost.override_reference`
(library overrides), ``replace_reference(..., force=True)`` (replace a locked
reference), and the members the Blender publish plugins use,
:attr:`BlenderHost.scene` and :attr:`BlenderHost.tracker`.

:class:`BlenderHost` holds no Blender data itself: every method looks up
``bpy.context.scene`` (and libraries by name) when called, because opening a
file frees every datablock the process held (using a stale one raises
``ReferenceError: StructRNA ... has been removed``). Code that caches Blender
data registers a callback with :meth:`BlenderHost.on_load` to re-fetch it.

Unsaved changes are tracked by :mod:`stalker_blender.tracking`; references are
linked libraries (:mod:`stalker_blender.references`); scene metadata is kept in
the scene's custom properties, in one group property named ``"stalker"``
(visible under Scene > Custom Properties and saved with the file).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import bpy

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import Container, check_fps, check_frame_range, check_metadata
from stalker_core.workfiles import reserve_workfile

from . import mainthread, references
from .tracking import ChangeTracker, get_tracker

T = TypeVar("T")

#: name of the scene custom property (a group) holding the pipeline metadata
METADATA_PROPERTY = "stalker"
#: longest key Blender accepts for a custom property
MAX_KEY_LENGTH = 63


def _operator_error(action: str, path: Path | str, exc: BaseException) -> WorkfileError:
    message = str(exc).strip().replace("\n", " ")
    return WorkfileError(f"Blender could not {action} {str(path)!r}: {message}")


class BlenderHost:
    """The host adapter for Blender (application or ``bpy`` module).

    Create it on Blender's main thread: it installs the unsaved-changes
    tracker's handlers and the timer that runs other threads' calls.

    :param tracker: the unsaved-changes tracker; the process-wide one by default.
    :param main_thread_timeout: seconds :meth:`run_in_main_thread` waits, from
        another thread, for Blender to run the call.
    """

    name = "blender"
    workfile_extensions: tuple[str, ...] = (".blend",)

    def __init__(
        self,
        tracker: ChangeTracker | None = None,
        *,
        main_thread_timeout: float = mainthread.DEFAULT_TIMEOUT,
    ) -> None:
        if (
            isinstance(main_thread_timeout, bool)
            or not isinstance(main_thread_timeout, int | float)
            or main_thread_timeout <= 0
        ):
            raise ValidationError(
                f"BlenderHost: main_thread_timeout must be a positive number of seconds, "
                f"not {main_thread_timeout!r}"
            )
        self.main_thread_timeout = float(main_thread_timeout)
        self._tracker = tracker if tracker is not None else get_tracker()
        if not self._tracker.installed:
            self._tracker.install()
        mainthread.install_pump()

    def __repr__(self) -> str:
        return f"<BlenderHost {bpy.app.version_string} file={self.current_file()}>"

    # -- helpers -------------------------------------------------------------------------

    @property
    def tracker(self) -> ChangeTracker:
        """The unsaved-changes tracker this host uses."""
        return self._tracker

    @property
    def scene(self) -> Any:
        """The current scene, looked up on every access (never cached)."""
        scene = bpy.context.scene
        if scene is None:  # no window context: fall back to the first scene
            scene = bpy.data.scenes[0]
        return scene

    def on_load(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` after every file load (to re-fetch cached Blender data)."""
        return self._tracker.on_load(callback)

    def _check_workfile_path(self, path: Path) -> Path:
        path = Path(path)
        if not path.is_absolute():
            raise WorkfileError(f"Work file paths must be absolute, got {str(path)!r}.")
        if path.suffix.lower() not in self.workfile_extensions:
            raise WorkfileError(
                f"Blender saves work files as {', '.join(self.workfile_extensions)}; "
                f"got {str(path)!r}."
            )
        return path

    # -- files ---------------------------------------------------------------------------

    def current_file(self) -> Path | None:
        """Return the open ``.blend`` file, or ``None`` for a never-saved scene."""
        filepath = bpy.data.filepath
        return Path(os.path.normpath(filepath)) if filepath else None

    def has_unsaved_changes(self) -> bool:
        """Return whether the scene changed since it was opened or last saved."""
        return self._tracker.is_dirty()

    def save_file(self, path: Path) -> None:
        """Save the scene as ``path``; never over an existing work file.

        ``path`` must not exist, or be the empty placeholder a workflow reserved
        (``O_CREAT | O_EXCL``); its folder must exist. When it does not exist
        yet, this method reserves it the same way, so two sessions saving the
        same name cannot overwrite each other. Blender writes ``<path>@`` and
        renames it onto ``path``; its ``.blend1`` backup is turned off for the
        save so no stray backup of the placeholder is left behind.
        """
        path = self._check_workfile_path(path)
        reserved_here = reserve_workfile(path)
        filepaths = bpy.context.preferences.filepaths
        backups = filepaths.save_version
        filepaths.save_version = 0
        try:
            result = bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
        except RuntimeError as exc:
            if reserved_here:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise _operator_error("save", path, exc) from exc
        finally:
            filepaths.save_version = backups
        if "FINISHED" not in result:
            if reserved_here:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise WorkfileError(f"Blender did not save {str(path)!r} (operator returned {result}).")
        self._tracker.mark_clean()

    def open_file(self, path: Path) -> None:
        """Open ``path``, discarding the current scene (the caller has checked)."""
        path = self._check_workfile_path(path)
        if not path.is_file():
            raise WorkfileError(f"Cannot open {str(path)!r}: the file does not exist.")
        try:
            result = bpy.ops.wm.open_mainfile(filepath=str(path))
        except RuntimeError as exc:
            raise _operator_error("open", path, exc) from exc
        if "FINISHED" not in result:
            raise WorkfileError(f"Blender did not open {str(path)!r} (operator returned {result}).")
        self._tracker.mark_clean()

    def export_workfile(self, path: Path) -> None:
        """Write a copy of the open scene to ``path`` that opens correctly from any folder.

        The ``export`` capability (:class:`~stalker_core.hosts.ExportHost`),
        used by the publish extractor. Blender stores external
        paths relative to the ``.blend`` (``//``); a copy placed in another
        folder would miss its libraries, images, sounds ... So every external
        path is made absolute for the duration of the write
        (``save_as_mainfile(copy=True, relative_remap=False)``) and restored
        right after: the open file, its paths and its unsaved-changes state
        are left as they were.

        :raises WorkfileError: ``path`` exists, its folder is missing, or
            Blender could not write it.
        """
        from .publish.paths import absolute_paths

        path = self._check_workfile_path(path)
        if path.exists():
            raise WorkfileError(f"Refusing to export over the existing file {str(path)!r}.")
        if not path.parent.is_dir():
            raise WorkfileError(
                f"Cannot export {str(path)!r}: the folder {str(path.parent)!r} does not exist."
            )
        try:
            with self._tracker.suspended(), absolute_paths():
                result = bpy.ops.wm.save_as_mainfile(
                    filepath=str(path), copy=True, relative_remap=False, check_existing=False
                )
        except RuntimeError as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            raise _operator_error("export", path, exc) from exc
        if "FINISHED" not in result or not path.is_file():
            raise WorkfileError(
                f"Blender did not export {str(path)!r} (operator returned {result})."
            )

    def new_file(self) -> None:
        """Start a new empty scene (keeps preferences and registered add-ons)."""
        bpy.ops.wm.read_homefile(use_empty=True)
        self._tracker.mark_clean()

    # -- timeline ------------------------------------------------------------------------

    def get_frame_range(self) -> tuple[int, int]:
        """Return the scene's ``(frame_start, frame_end)``."""
        scene = self.scene
        return int(scene.frame_start), int(scene.frame_end)

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the scene's frame range; ``first`` must not be after ``last``."""
        check_frame_range("BlenderHost.set_frame_range", first, last)
        scene = self.scene
        # set the end first when moving the range up, so Blender does not clamp
        before = scene.frame_start, scene.frame_end
        if first > scene.frame_end:
            scene.frame_end, scene.frame_start = last, first
        else:
            scene.frame_start, scene.frame_end = first, last
        if (scene.frame_start, scene.frame_end) != (first, last):
            # Blender clamps silently (frames run from 0 to 1048574): refuse instead
            scene.frame_start, scene.frame_end = before
            raise ValidationError(
                f"BlenderHost.set_frame_range: Blender cannot use the range {first}-{last} "
                f"(frames must lie between 0 and 1048574)"
            )
        self._tracker.mark_dirty()

    def get_fps(self) -> float:
        """Return frames per second (``render.fps / render.fps_base``)."""
        render = self.scene.render
        return float(render.fps) / float(render.fps_base)

    def set_fps(self, fps: float) -> None:
        """Set frames per second; fractional rates (23.976) use ``fps_base``."""
        fps = check_fps("BlenderHost.set_fps", fps)
        render = self.scene.render
        rounded = round(fps)
        if abs(fps - rounded) < 1e-9:
            render.fps, render.fps_base = int(rounded), 1.0
        else:
            whole = int(-(-fps // 1))  # NTSC style: 24 / 1.001 = 23.976
            render.fps, render.fps_base = whole, whole / fps
        self._tracker.mark_dirty()

    # -- metadata ------------------------------------------------------------------------

    def get_scene_metadata(self) -> dict[str, str]:
        """Return the pipeline metadata stored in the scene."""
        group = self.scene.get(METADATA_PROPERTY)
        if group is None or not hasattr(group, "keys"):
            return {}
        return {str(key): str(group[key]) for key in group.keys()}

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the scene metadata (stored as scene custom properties).

        Values are stored as strings (``str(value)``), as the protocol's
        ``dict[str, str]`` says; keys must be non-empty strings of at most
        63 characters (Blender's limit for custom property names).
        """
        values = check_metadata("BlenderHost.set_scene_metadata", data)
        for key in values:
            if len(key) > MAX_KEY_LENGTH:
                raise ValidationError(
                    f"BlenderHost.set_scene_metadata: key {key!r} is longer than "
                    f"{MAX_KEY_LENGTH} characters (Blender's custom property limit)"
                )
        scene = self.scene
        if not hasattr(scene.get(METADATA_PROPERTY), "keys"):
            scene[METADATA_PROPERTY] = {}
        group = scene[METADATA_PROPERTY]
        for key, value in values.items():
            group[key] = value
        self._tracker.mark_dirty()

    # -- references ----------------------------------------------------------------------

    def list_references(self) -> list[Container]:
        """Return the linked libraries of the open file, by name."""
        return [references.container_of(lib) for lib in references.direct_libraries()]

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Link ``path`` and instance its root collections in the scene."""
        container = references.link_library(self.scene, Path(path), version_id)
        self._tracker.mark_dirty()
        return container

    def replace_reference(
        self,
        container: Container,
        path: Path,
        *,
        version_id: int | None = None,
        force: bool = False,
    ) -> Container:
        """Point ``container``'s library at ``path`` (``library.filepath`` + reload).

        :param force: replace even a locked reference.
        :raises stalker_blender.references.LockedReferenceError: the reference is locked.
        """
        updated = references.relink_library(container, Path(path), version_id, force=force)
        self._tracker.mark_dirty()
        return updated

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Lock (or unlock) a reference so "update to latest" leaves it alone."""
        updated = references.set_locked(container, locked)
        self._tracker.mark_dirty()
        return updated

    def override_reference(self, container: Container) -> list[str]:
        """Make the reference's instances editable (library overrides); returns their names.

        A Blender extra, outside the ``references`` capability (other hosts
        have no library overrides). Local edits of overridden objects survive
        :meth:`replace_reference`.
        """
        names = references.override_library(self.scene, bpy.context.view_layer, container)
        self._tracker.mark_dirty()
        return names

    def remove_reference(self, container: Container) -> None:
        """Remove a reference and its instances from the scene."""
        references.unlink_library(container)
        self._tracker.mark_dirty()

    # -- UI ------------------------------------------------------------------------------

    def main_window(self) -> None:
        """Blender has no Qt main window; dialogs are Blender operators and panels."""
        return None

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Return ``func(*args, **kwargs)``, computed on Blender's main thread.

        On the main thread ``func`` is called directly. From another thread
        the call is handed to a Blender timer and waited for; whatever
        ``func`` raises is raised here.

        :raises HostError: no Blender event loop ran the call within
            :attr:`main_thread_timeout` seconds (``bpy`` as a Python module,
            or a main thread that is busy, e.g. waiting for this thread).
        """
        return mainthread.run_in_main_thread(func, args, kwargs, self.main_thread_timeout)
