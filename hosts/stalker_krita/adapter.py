"""The Krita host adapter: the host protocol on Krita's ``krita`` Python API.

:class:`KritaHost` works on the active document of the running Krita and
claims ``timeline``, ``references`` and ``ui`` (not ``export``: a ``.kra``
names its file layers by absolute path, so the publish plugin's byte copy
opens from any folder).

* current file: ``activeDocument().fileName()`` (empty for a new document);
* unsaved changes: ``Document.modified()``;
* save: ``Document.saveAs(path)`` onto the name the workflow reserved (an
  empty placeholder; anything else is refused). Krita then points the
  document at that name. The backup Krita makes of the file it overwrites
  (``name.kra~``, here the empty placeholder) is removed. On failure the
  document keeps its old name and the placeholder made here is removed;
* open: ``Krita.openDocument`` shown in the active window, then the previous
  document is closed (the workflows have checked it for changes first);
* new: a 1920x1080 RGBA document, the previous one closed;
* metadata, container data and the exact frame rate: the ``stalker``
  annotation of the document (:mod:`stalker_krita.document`);
* timeline: the document's full clip range, and its frame rate: Krita keeps
  an integer; a fractional rate (23.976) is set to the nearest integer in
  Krita and kept exactly in the annotation, which :meth:`KritaHost.get_fps`
  returns while Krita's rate is still that integer;
* references: file layers (:mod:`stalker_krita.references`);
* ui: Krita's main window (``Window.qwindow()``) and a main-thread queue
  pumped by a Qt timer (:mod:`stalker_core.mainthread`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from krita import Krita

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.hosts import Container, check_fps, check_frame_range, check_metadata
from stalker_core.mainthread import MainThreadQueue, on_main_thread
from stalker_core.workfiles import reserve_workfile

from . import document as pipeline_data
from . import references

T = TypeVar("T")

#: the size and colour space of a new document
NEW_DOCUMENT = {"width": 1920, "height": 1080, "model": "RGBA", "depth": "U8",
                "resolution": 72.0}
#: seconds a call from another thread waits for Krita's main thread, by default
MAIN_THREAD_TIMEOUT = 30.0


def krita() -> Any:
    """The running Krita (``Krita.instance()``)."""
    return Krita.instance()


class KritaHost:
    """The host adapter for the running Krita (see the module docstring)."""

    name = "krita"
    workfile_extensions: tuple[str, ...] = (".kra",)

    _queue = MainThreadQueue("Krita")
    _pump: Any = None

    def __init__(self) -> None:
        if on_main_thread():
            self._install_pump()

    def __repr__(self) -> str:
        return f"<KritaHost file={self.current_file()}>"

    # -- documents -------------------------------------------------------------------------

    def document(self) -> Any:
        """The active document, made when there is none (Krita always has a scene here)."""
        doc = krita().activeDocument()
        if doc is None:
            doc = self._create()
        return doc

    def _create(self) -> Any:
        n = NEW_DOCUMENT
        doc = krita().createDocument(n["width"], n["height"], "Untitled", n["model"],
                                     n["depth"], "", n["resolution"])
        self._show(doc)
        doc.setModified(False)
        return doc

    def _show(self, doc: Any) -> None:
        window = krita().activeWindow()
        if window is not None:
            window.addView(doc)
        krita().setActiveDocument(doc)

    @staticmethod
    def _close(doc: Any) -> None:
        doc.setBatchmode(True)
        doc.setModified(False)
        doc.close()

    def _check_workfile_path(self, path: Path) -> Path:
        path = Path(path)
        if not path.is_absolute():
            raise WorkfileError(f"Work file paths must be absolute, got {str(path)!r}.")
        if path.suffix.lower() not in self.workfile_extensions:
            raise WorkfileError(f"Krita saves work files as .kra; got {str(path)!r}.")
        return path

    # -- files -----------------------------------------------------------------------------

    def current_file(self) -> Path | None:
        """The active document's file, or ``None`` for a document never saved."""
        doc = krita().activeDocument()
        name = doc.fileName() if doc is not None else ""
        return Path(name) if name else None

    def has_unsaved_changes(self) -> bool:
        """Whether the active document has changes since it was opened or saved."""
        doc = krita().activeDocument()
        return bool(doc is not None and doc.modified())

    def save_file(self, path: Path) -> None:
        """Save the active document as ``path`` (missing, or the empty reserved placeholder).

        :raises WorkfileError: the folder is missing or not writable, ``path``
            has content, or Krita could not write it.
        """
        path = self._check_workfile_path(path)
        reserved_here = reserve_workfile(path)
        backup = path.with_name(path.name + "~")
        had_backup = backup.exists()
        doc = self.document()
        old_name = doc.fileName()
        doc.setBatchmode(True)
        try:
            saved = doc.saveAs(str(path))
        finally:
            doc.setBatchmode(False)
            if not had_backup:
                with contextlib.suppress(OSError):
                    backup.unlink()
        if not saved or not path.is_file() or path.stat().st_size == 0:
            doc.setFileName(old_name)
            if reserved_here:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise WorkfileError(f"Krita could not save {str(path)!r}; see Krita's log.")
        doc.setModified(False)

    def open_file(self, path: Path) -> None:
        """Open ``path`` in the active window and close the previous document.

        :raises WorkfileError: the file is missing or Krita cannot read it
            (the previous document is kept then).
        """
        path = self._check_workfile_path(path)
        if not path.is_file():
            raise WorkfileError(f"Cannot open {str(path)!r}: the file does not exist.")
        previous = krita().activeDocument()
        doc = krita().openDocument(str(path))
        if doc is None:
            raise WorkfileError(f"Krita could not open {str(path)!r}; see Krita's log.")
        self._show(doc)
        if previous is not None:
            self._close(previous)
        doc.setModified(False)

    def new_file(self) -> None:
        """Start a new, unsaved document and close the previous one."""
        previous = krita().activeDocument()
        self._create()
        if previous is not None:
            self._close(previous)

    # -- metadata ----------------------------------------------------------------------------

    def get_scene_metadata(self) -> dict[str, str]:
        """The pipeline metadata stored in the document."""
        return {str(k): str(v) for k, v in pipeline_data.read(self.document())["metadata"].items()}

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the document's metadata (values stored as strings)."""
        values = check_metadata("KritaHost.set_scene_metadata", data)
        doc = self.document()
        stored = pipeline_data.read(doc)
        stored["metadata"].update(values)
        pipeline_data.write(doc, stored)

    # -- timeline ------------------------------------------------------------------------------

    def get_frame_range(self) -> tuple[int, int]:
        """The document's full clip range ``(first, last)``."""
        doc = self.document()
        return int(doc.fullClipRangeStartTime()), int(doc.fullClipRangeEndTime())

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the document's full clip range; ``first`` must not be after ``last``."""
        check_frame_range("KritaHost.set_frame_range", first, last)
        doc = self.document()
        doc.setFullClipRangeStartTime(first)
        doc.setFullClipRangeEndTime(last)
        doc.setModified(True)

    def get_fps(self) -> float:
        """The frame rate: the exact one set through the pipeline while Krita's is its integer."""
        doc = self.document()
        krita_fps = int(doc.framesPerSecond())
        exact = pipeline_data.read(doc).get("fps")
        if isinstance(exact, int | float) and round(exact) == krita_fps:
            return float(exact)
        return float(krita_fps)

    def set_fps(self, fps: float) -> None:
        """Set the frame rate (Krita's is the nearest integer; the exact one is kept)."""
        exact = check_fps("KritaHost.set_fps", fps)
        doc = self.document()
        doc.setFramesPerSecond(max(1, round(exact)))
        stored = pipeline_data.read(doc)
        stored["fps"] = exact
        pipeline_data.write(doc, stored)

    # -- references ----------------------------------------------------------------------------

    def list_references(self) -> list[Container]:
        """The file layers of the document, as containers."""
        return references.list_references(self.document())

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Add a file layer showing ``path`` on top of the layer stack."""
        return references.load(self.document(), Path(path), version_id)

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Point the file layer at ``path``, keeping its place in the layer stack."""
        return references.replace(self.document(), container, Path(path), version_id)

    def remove_reference(self, container: Container) -> None:
        """Remove the file layer."""
        references.remove(self.document(), container)

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Lock or unlock the file layer (Krita's layer lock; kept in the ``.kra``)."""
        return references.lock(self.document(), container, locked)

    # -- ui ------------------------------------------------------------------------------------

    def main_window(self) -> Any:
        """Krita's main window (a QMainWindow), or ``None`` before it exists."""
        window = krita().activeWindow()
        return window.qwindow() if window is not None else None

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``func`` on Krita's main thread (queued from other threads, pumped by a timer).

        :raises HostError: nothing ran the call within the timeout (Krita's
            event loop is not running or the main thread is blocked).
        """
        if on_main_thread():
            return func(*args, **kwargs)
        if type(self)._pump is None:
            raise HostError("Krita's main-thread pump is not installed; create the KritaHost "
                            "on Krita's main thread first")
        return self._queue.call(func, args, kwargs, timeout=MAIN_THREAD_TIMEOUT)

    @classmethod
    def _install_pump(cls) -> None:
        if cls._pump is not None:
            return
        from Qt import QtCore

        timer = QtCore.QTimer()
        timer.setInterval(20)
        timer.timeout.connect(cls._queue.pump)
        timer.start()
        cls._pump = timer

    @classmethod
    def pump(cls) -> int:
        """Run the queued calls now (tests, or code that blocks the event loop)."""
        return cls._queue.pump()
