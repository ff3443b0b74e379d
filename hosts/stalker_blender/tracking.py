"""Unsaved-changes tracking and load notifications for the Blender host.

Blender only maintains ``bpy.data.is_dirty`` properly inside the Blender
application; as a Python module (``pip install bpy``) it is always ``True``.
:class:`ChangeTracker` therefore keeps its own flag, driven by persistent
application handlers:

* ``load_post`` (an opened file, a new or factory scene) and ``save_post`` of
  the current file make the scene *clean*; a ``save_post`` for another path
  (a copy written with ``copy=True``) leaves the flag alone;
* ``depsgraph_update_post`` with at least one updated datablock, ``undo_post``
  and ``redo_post`` make it *dirty* (only where Blender's own flag cannot be
  trusted, see below);
* the adapter calls :meth:`ChangeTracker.mark_dirty` after its own edits
  (frame range, metadata, references), because plain RNA assignments do not
  reach the dependency graph until the next evaluation.

Inside the Blender application (``bpy.app.binary_path`` is set) Blender's own
flag is reliable for edits made in the UI, so :meth:`ChangeTracker.is_dirty`
returns ``explicit edits or bpy.data.is_dirty`` there and ignores depsgraph
updates (those also fire when a freshly opened file is first evaluated).

Blender state is global per process, so there is one tracker per process
(:func:`get_tracker`); its handlers are tagged with the module name, so re-installing (or reloading
the module) replaces the old handlers, while a second copy of the package
imported under another name (a Blender extension lives in
``bl_ext.<repo>.stalker_blender``) keeps its own, equally correct, tracker.

:meth:`ChangeTracker.on_load` registers callbacks run after every file load:
a load frees every ``bpy.types.ID`` the process holds, so anything caching
scene data must drop or re-fetch it there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import bpy

log = logging.getLogger(__name__)

#: attribute set on our handler functions to recognise them across re-imports
HANDLER_TAG = "_stalker_blender_handler"

#: handler list name -> tracker method name
_HANDLERS: dict[str, str] = {
    "load_post": "_on_load_post",
    "save_post": "_on_save_post",
    "depsgraph_update_post": "_on_depsgraph_update",
    "undo_post": "_on_undo_redo",
    "redo_post": "_on_undo_redo",
}


def running_in_blender_app() -> bool:
    """Return ``True`` inside the Blender application (GUI or ``blender -b``).

    In module mode (``import bpy`` from a plain Python) ``bpy.app.binary_path``
    is empty.
    """
    return bool(bpy.app.binary_path)


def _same_path(a: str, b: str) -> bool:
    import os

    if not a or not b:
        return False
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


class ChangeTracker:
    """Tracks whether the open scene has changes that are not saved yet.

    :param trust_blender_flag: combine with ``bpy.data.is_dirty`` instead of
        listening to depsgraph updates; defaults to :func:`running_in_blender_app`.
    """

    def __init__(self, *, trust_blender_flag: bool | None = None) -> None:
        self._dirty = False
        self._suspended = 0
        self._installed = False
        self._trust_blender_flag = trust_blender_flag
        self._load_callbacks: list[Callable[[], None]] = []
        self._handlers: dict[str, Callable[..., None]] = {}

    # -- state ---------------------------------------------------------------------------

    @property
    def trusts_blender_flag(self) -> bool:
        """Whether Blender's own ``is_dirty`` flag is consulted."""
        if self._trust_blender_flag is None:
            return running_in_blender_app()
        return self._trust_blender_flag

    @property
    def installed(self) -> bool:
        """Whether the handlers are installed."""
        return self._installed

    def is_dirty(self) -> bool:
        """Return whether the current scene has unsaved changes."""
        if self.trusts_blender_flag:
            return self._dirty or bool(bpy.data.is_dirty)
        return self._dirty

    def mark_dirty(self) -> None:
        """Record an edit made to the scene."""
        if not self._suspended:
            self._dirty = True

    def mark_clean(self) -> None:
        """Record that the scene matches the file on disk."""
        self._dirty = False

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Ignore edits while the block runs (for writes that do not change the scene)."""
        self._suspended += 1
        try:
            yield
        finally:
            self._suspended -= 1

    # -- load callbacks ------------------------------------------------------------------

    def on_load(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` after every file load; returns it (usable as decorator)."""
        if callback not in self._load_callbacks:
            self._load_callbacks.append(callback)
        return callback

    def remove_on_load(self, callback: Callable[[], None]) -> None:
        """Forget a callback registered with :meth:`on_load` (no error when unknown)."""
        if callback in self._load_callbacks:
            self._load_callbacks.remove(callback)

    # -- handlers ------------------------------------------------------------------------

    def _on_load_post(self, *_args: Any) -> None:
        self._dirty = False
        for callback in list(self._load_callbacks):
            try:
                callback()
            except Exception:  # a broken listener must not break file loading
                log.exception("stalker_blender: load callback %r failed", callback)

    def _on_save_post(self, filepath: Any = "", *_args: Any) -> None:
        # save_post receives the written path; a copy (save_as_mainfile(copy=True))
        # leaves the current file, and its state, unchanged.
        if not filepath or _same_path(str(filepath), bpy.data.filepath):
            self._dirty = False

    def _on_depsgraph_update(self, _scene: Any = None, depsgraph: Any = None, *_a: Any) -> None:
        if self.trusts_blender_flag or self._suspended:
            return
        if depsgraph is None or len(depsgraph.updates):
            self._dirty = True

    def _on_undo_redo(self, *_args: Any) -> None:
        self.mark_dirty()

    def install(self) -> None:
        """Add the persistent handlers, replacing any earlier tracker's handlers."""
        remove_tagged_handlers()
        for list_name, method_name in _HANDLERS.items():
            handler = _make_handler(getattr(self, method_name))
            self._handlers[list_name] = handler
            getattr(bpy.app.handlers, list_name).append(handler)
        self._installed = True

    def uninstall(self) -> None:
        """Remove this tracker's handlers (leaves other handlers alone)."""
        for list_name, handler in self._handlers.items():
            handlers = getattr(bpy.app.handlers, list_name)
            if handler in handlers:
                handlers.remove(handler)
        self._handlers.clear()
        self._installed = False


def _make_handler(method: Callable[..., None]) -> Callable[..., None]:
    def handler(*args: Any) -> None:
        method(*args)

    setattr(handler, HANDLER_TAG, __name__)
    handler.__name__ = f"stalker_blender_{method.__name__.lstrip('_')}"
    return bpy.app.handlers.persistent(handler)


def remove_tagged_handlers() -> int:
    """Remove the handlers installed by trackers of this module (also of an earlier load of it).

    The tag is the module's import name, so a reloaded module cleans up after
    its previous incarnation while a copy imported under another name (the
    extension's ``bl_ext.<repo>.stalker_blender``) keeps its own handlers.

    :returns: how many handlers were removed.
    """
    removed = 0
    for list_name in set(_HANDLERS):
        handlers = getattr(bpy.app.handlers, list_name)
        for handler in list(handlers):
            if getattr(handler, HANDLER_TAG, None) == __name__:
                handlers.remove(handler)
                removed += 1
    return removed


_TRACKER: ChangeTracker | None = None


def get_tracker() -> ChangeTracker:
    """Return the process-wide tracker, installing its handlers on first use."""
    global _TRACKER
    if _TRACKER is None:
        _TRACKER = ChangeTracker()
    if not _TRACKER.installed:
        _TRACKER.install()
    return _TRACKER
