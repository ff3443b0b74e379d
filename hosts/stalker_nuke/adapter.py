"""The Nuke host adapter: the :class:`~stalker_core.hosts.Host` protocol with ``nuke``.

:class:`NukeHost` implements the work-file protocol and the capabilities
``timeline`` (Root ``first_frame``/``last_frame``/``fps``) and ``references``
(:mod:`stalker_nuke.references`). It does not claim:

* ``export``: a ``.nk`` names its files by absolute path (the ``file`` knobs),
  so the byte copy the publish plugin makes already opens from any folder;

It claims ``ui``:

* :meth:`NukeHost.main_window`: in the GUI, the top-level widget whose Qt
  class is Nuke's main window (:data:`MAIN_WINDOW_CLASS`), else the active
  window; ``None`` in terminal mode (``nuke -t``) or without a
  ``QApplication``. Qt is imported inside the method only;
* :meth:`NukeHost.run_in_main_thread`: on the main thread the callable runs
  at once; from another thread in the GUI through
  ``nuke.executeInMainThreadWithResult`` (which Nuke documents for this;
  called on the main thread it would wait for itself). Nuke's function
  returns ``None`` when the callable raises, so the adapter carries the
  exception over itself (:func:`~stalker_core.mainthread.outcome_of`). In
  ``nuke -t`` no event loop runs such calls, so the call waits in a queue
  that the script's main thread runs with :meth:`NukeHost.process_events`, and
  gives up with a ``HostError`` after :attr:`NukeHost.main_thread_timeout`
  seconds instead of hanging.

The work file:

* current file: ``nuke.root().name()``; an unsaved script is named ``"Root"``;
* unsaved changes: ``nuke.root().modified()``;
* save: ``nuke.scriptSaveAs(tmp, overwrite=0)`` onto a temporary name next to
  the target, then ``os.replace`` onto the name the workflow reserved, and the
  Root ``name`` knob set to it. ``overwrite=0`` means Nuke never replaces a
  file; the reserved name already exists (an empty placeholder), so it cannot
  be given to ``scriptSaveAs`` directly. The adapter itself checks that the
  placeholder is empty before replacing it, and refuses any other file. If the
  save raises, the script keeps its old name and modified state, and neither
  the temporary file nor a placeholder this method made is left behind.
  The Root ``name`` written inside the file is the temporary name; Nuke uses
  the path a script is opened from, and :meth:`NukeHost.open_file` does too;
* open in the same session: ``nuke.scriptClear()`` + ``nuke.scriptReadFile()``,
  then the Root ``name`` knob set to the path (never ``nuke.scriptOpen``: in the
  GUI it starts a second Nuke for a script when one is already open);
* metadata: JSON in the ``stalker_metadata`` String_Knob on the Root node.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import nuke

from stalker_core.exceptions import WorkfileError
from stalker_core.hosts import Container, check_fps, check_frame_range, check_metadata
from stalker_core.mainthread import MainThreadQueue, on_main_thread, outcome_of
from stalker_core.workfiles import reserve_workfile

from . import references

#: the Root user knob holding the pipeline metadata (JSON object of strings)
METADATA_KNOB = "stalker_metadata"
#: the name Nuke gives a script that was never saved
UNSAVED_NAME = "Root"
#: the Qt class name of Nuke's main window
MAIN_WINDOW_CLASS = "Foundry::UI::DockMainWindow"

T = TypeVar("T")


def _nuke_error(action: str, path: Path | str, exc: BaseException) -> WorkfileError:
    message = str(exc).strip().replace("\n", " ")
    return WorkfileError(f"Nuke could not {action} {str(path)!r}: {message}")


#: calls other threads hand to the main thread of ``nuke -t`` (no event loop runs them)
_terminal_calls = MainThreadQueue("Nuke in terminal mode (nuke -t)")


class NukeHost:
    """The host adapter for Nuke (GUI or ``nuke -t``)."""

    name = "nuke"
    workfile_extensions: tuple[str, ...] = (".nk",)
    #: seconds a call from another thread waits in ``nuke -t`` (:meth:`run_in_main_thread`)
    main_thread_timeout: float = 30.0

    def __repr__(self) -> str:
        return f"<NukeHost file={self.current_file()}>"

    def _check_workfile_path(self, path: Path) -> Path:
        path = Path(path)
        if not path.is_absolute():
            raise WorkfileError(f"Work file paths must be absolute, got {str(path)!r}.")
        if path.suffix.lower() not in self.workfile_extensions:
            raise WorkfileError(f"Nuke saves work files as .nk; got {str(path)!r}.")
        return path

    # -- files ---------------------------------------------------------------------------

    def current_file(self) -> Path | None:
        """Return the open script, or ``None`` when it was never saved (named ``"Root"``)."""
        name = nuke.root().name()
        return Path(os.path.normpath(name)) if name and name != UNSAVED_NAME else None

    def has_unsaved_changes(self) -> bool:
        """Return ``nuke.root().modified()``."""
        return bool(nuke.root().modified())

    def save_file(self, path: Path) -> None:
        """Save the script as ``path`` (missing, or the empty placeholder a workflow reserved).

        See the module docstring for how ``scriptSaveAs(..., overwrite=0)``
        and the reserved name fit together.

        :raises WorkfileError: the folder is missing or not writable, ``path``
            is a non-empty file, or Nuke could not write the script.
        """
        path = self._check_workfile_path(path)
        reserved_here = reserve_workfile(path)
        root = nuke.root()
        old_name, was_modified = root.name(), bool(root.modified())
        temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
        try:
            nuke.scriptSaveAs(str(temporary), overwrite=0)
            os.replace(temporary, path)
        except (RuntimeError, OSError) as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            if reserved_here:
                with contextlib.suppress(OSError):
                    path.unlink()
            root["name"].setValue(old_name)
            root.setModified(was_modified)
            raise _nuke_error("save", path, exc) from exc
        root["name"].setValue(str(path))
        root.setModified(False)

    def open_file(self, path: Path) -> None:
        """Open ``path`` in this session (``scriptClear`` + ``scriptReadFile``).

        :raises WorkfileError: the file is missing or Nuke cannot read it; the
            session is then left with an empty, unsaved script.
        """
        path = self._check_workfile_path(path)
        if not path.is_file():
            raise WorkfileError(f"Cannot open {str(path)!r}: the file does not exist.")
        nuke.scriptClear()
        try:
            nuke.scriptReadFile(str(path))
        except RuntimeError as exc:
            nuke.scriptClear()
            raise _nuke_error("open", path, exc) from exc
        root = nuke.root()
        root["name"].setValue(str(path))
        root.setModified(False)

    def new_file(self) -> None:
        """Start an empty script (``nuke.scriptClear()``)."""
        nuke.scriptClear()

    # -- timeline ------------------------------------------------------------------------

    def get_frame_range(self) -> tuple[int, int]:
        """Return the Root ``(first_frame, last_frame)``."""
        root = nuke.root()
        return int(root["first_frame"].value()), int(root["last_frame"].value())

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the Root frame range; ``first`` must not be after ``last``."""
        check_frame_range("NukeHost.set_frame_range", first, last)
        root = nuke.root()
        root["first_frame"].setValue(first)
        root["last_frame"].setValue(last)

    def get_fps(self) -> float:
        """Return the Root ``fps``."""
        return float(nuke.root()["fps"].value())

    def set_fps(self, fps: float) -> None:
        """Set the Root ``fps`` (a positive number)."""
        nuke.root()["fps"].setValue(check_fps("NukeHost.set_fps", fps))

    # -- metadata ------------------------------------------------------------------------

    def get_scene_metadata(self) -> dict[str, str]:
        """Return the pipeline metadata stored on the Root node."""
        knob = nuke.root().knob(METADATA_KNOB)
        text = str(knob.value()) if knob is not None else ""
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the metadata on the Root node (values stored as strings)."""
        values = check_metadata("NukeHost.set_scene_metadata", data)
        merged = self.get_scene_metadata()
        merged.update(values)
        root = nuke.root()
        knob = root.knob(METADATA_KNOB)
        if knob is None:
            knob = nuke.String_Knob(METADATA_KNOB, "Stalker metadata")
            root.addKnob(knob)
        knob.setValue(json.dumps(merged, sort_keys=True))

    # -- references ----------------------------------------------------------------------

    def list_references(self) -> list[Container]:
        """Return the Read, ReadGeo2 and Camera2 nodes reading a file, by node name."""
        return [references.container_of(node) for node in references.reference_nodes()]

    def load_reference(
        self, path: Path, *, version_id: int | None = None, node_class: str | None = None
    ) -> Container:
        """Create a node reading ``path`` and return its container.

        :param node_class: ``"Read"``, ``"ReadGeo2"`` or ``"Camera2"``; by default
            ReadGeo2 for geometry files and Read for images and movies.
        """
        return references.load(path, version_id, node_class)

    def replace_reference(
        self,
        container: Container,
        path: Path,
        *,
        version_id: int | None = None,
        force: bool = False,
    ) -> Container:
        """Point the node at ``path`` (file knob and version id in one undo group).

        :param force: replace even when the reference is locked.
        """
        return references.relink(container, path, version_id, force)

    def remove_reference(self, container: Container) -> None:
        """Delete the node of ``container``."""
        references.remove(container)

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Lock (or unlock) ``container``."""
        return references.set_locked(container, locked)

    # -- capability "ui" -----------------------------------------------------------------

    def main_window(self) -> Any:
        """Nuke's main window (see the module docstring); ``None`` in ``nuke -t``."""
        if not nuke.env["gui"]:
            return None
        from Qt import QtWidgets

        app = QtWidgets.QApplication.instance()
        if not isinstance(app, QtWidgets.QApplication):
            return None
        for widget in app.topLevelWidgets():
            if widget.metaObject().className() == MAIN_WINDOW_CLASS:
                return widget
        return app.activeWindow()

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Return ``func(*args, **kwargs)`` computed on Nuke's main thread.

        Whatever ``func`` raises is raised here (see the module docstring).
        In ``nuke -t`` the call waits for :meth:`process_events` on the main
        thread.

        :raises HostError: in ``nuke -t``, the main thread did not run
            :meth:`process_events` within :attr:`main_thread_timeout` seconds.
        """
        if on_main_thread():
            return func(*args, **kwargs)
        if not nuke.env["gui"]:
            return _terminal_calls.call(func, args, kwargs, timeout=self.main_thread_timeout)
        outcome: Future[T] = nuke.executeInMainThreadWithResult(outcome_of, (func, args, kwargs))
        return outcome.result()

    def process_events(self) -> int:
        """In ``nuke -t``: run the calls other threads handed to the main thread; how many ran.

        A script that runs workers in ``nuke -t`` calls it from its main
        thread while it waits for them (the GUI's event loop does this itself).
        """
        return _terminal_calls.pump()
