"""File-backed work files: one implementation of the work-file part of the host protocol.

For hosts whose "scene" lives in this Python process and is written to plain
files: the standalone host (a file on disk plus a JSON sidecar) and the
:class:`~stalker_core.testing.FakeHost` of the tests (the scene as JSON).
:class:`FileBackedHost` keeps the state every work file has (the current
path, the scene metadata, the unsaved flag) and implements the members of
:class:`~stalker_core.hosts.Host` on it, with the same checks and errors for
every such host. A subclass says only how its scene is written and read:

* :meth:`FileBackedHost._write_workfile` writes the scene to a path, given
  the scene's *record* (a JSON-able dict: ``{"metadata": {...}}`` plus what
  the subclass adds in :meth:`FileBackedHost._scene_record`);
* :meth:`FileBackedHost._read_workfile` reads a path back into a record,
  which :meth:`FileBackedHost._restore_scene` applies to a fresh scene;
* :meth:`FileBackedHost._reset_scene` empties the subclass's own state.

:func:`write_atomic` writes through a temporary name in the target's folder
and ``os.replace``, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from stalker_core.exceptions import StalkerError, WorkfileError

#: the record key of the scene metadata
METADATA = "metadata"


def path_inside(path: str, roots: list[str]) -> bool:
    """Whether the native ``path`` is one of ``roots`` or inside one (case-folded on Windows)."""
    norm = os.path.normcase(os.path.normpath(path))
    for root in roots:
        base = os.path.normcase(os.path.normpath(root))
        if norm == base or norm.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


def reserve_workfile(path: Path) -> bool:
    """Make sure a host may write its work file to ``path`` without overwriting anything.

    ``path`` must be free, or be the empty placeholder a workflow reserved
    (``O_CREAT | O_EXCL``). When it is free, it is reserved here the same way,
    so two sessions saving one name cannot overwrite each other.

    :returns: whether this call made the placeholder (the caller removes it
        when its save fails).
    :raises WorkfileError: the folder is missing or not writable, or ``path``
        is a file with content.
    """
    if not path.parent.is_dir():
        raise WorkfileError(
            f"Cannot save {str(path)!r}: the folder {str(path.parent)!r} does not exist."
        )
    try:
        with open(path, "xb"):
            return True
    except FileExistsError:
        if not path.is_file() or path.stat().st_size > 0:
            raise WorkfileError(
                f"Refusing to save over the existing file {str(path)!r}; "
                f"save as a new version instead."
            ) from None
        return False
    except OSError as exc:
        raise WorkfileError(
            f"Cannot save {str(path)!r}: the folder {str(path.parent)!r} is not writable "
            f"({exc.strerror}); check its permissions or choose another location."
        ) from exc


def write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Create or replace ``target`` with what ``write(tmp)`` writes to a temporary path.

    The temporary file is a hidden name in ``target``'s folder, renamed onto
    ``target`` with ``os.replace`` once written and removed on any failure.
    """
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.saving")
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def metadata_of(record: Mapping[str, Any]) -> dict[str, str]:
    """The scene metadata of a record, as ``dict[str, str]`` (``{}`` when it has none).

    :raises WorkfileError: when the record's metadata is not a mapping.
    """
    data = record.get(METADATA) or {}
    if not isinstance(data, Mapping):
        raise WorkfileError(f"scene metadata should be a mapping, not {type(data).__name__}")
    return {str(k): str(v) for k, v in data.items()}


class FileBackedHost:
    """The work-file part of a host whose scene is held here and saved to files.

    Subclasses set :attr:`name` and implement :meth:`_write_workfile` and
    :meth:`_read_workfile` (see the module docstring).

    :param extensions: the work-file extensions, the first being the default.
    """

    #: the host's short lower-case name (set by the subclass)
    name: str

    def __init__(self, extensions: Iterable[str]) -> None:
        self.workfile_extensions: tuple[str, ...] = tuple(extensions)
        #: the open work file, ``None`` for a never-saved scene
        self.path: Path | None = None
        #: the scene's pipeline metadata
        self.metadata: dict[str, str] = {}
        #: whether the scene changed since it was saved or opened
        self.dirty = False
        self._reset_scene()

    # --- what a subclass provides ---------------------------------------------------

    def _reset_scene(self) -> None:
        """Empty the subclass's own scene state (a new scene; before an open)."""

    def _scene_record(self) -> dict[str, Any]:
        """The scene state saved with the file; a subclass adds its own keys."""
        return {METADATA: dict(self.metadata)}

    def _restore_scene(self, record: Mapping[str, Any]) -> None:
        """Apply a record read back by :meth:`_read_workfile` to the empty scene."""
        self.metadata = metadata_of(record)

    def _write_workfile(self, path: Path, record: dict[str, Any]) -> None:
        """Write the scene to ``path`` (its folder exists; use :func:`write_atomic`)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _write_workfile")

    def _read_workfile(self, path: Path) -> Mapping[str, Any]:
        """Read the existing file ``path`` back into a record."""
        raise NotImplementedError(f"{type(self).__name__} must implement _read_workfile")

    # --- the Host protocol ------------------------------------------------------------

    def current_file(self) -> Path | None:
        """The file last opened or saved, or ``None`` for a never-saved scene."""
        return self.path

    def has_unsaved_changes(self) -> bool | None:
        """Whether the scene changed since it was saved or opened."""
        return self.dirty

    def save_file(self, path: Path) -> None:
        """Write the scene to ``path`` and make it the current file.

        An existing file is never overwritten, except the current file (a
        save of the open scene) and the empty placeholder a workflow reserved
        (:func:`reserve_workfile`, as the DCC adapters do).

        :raises WorkfileError: the folder is missing, ``path`` is another
            file with content, or writing failed.
        """
        path = Path(path)
        if not path.parent.is_dir():
            raise WorkfileError(
                f"cannot save {str(path)!r}: folder {str(path.parent)!r} is missing"
            )
        made = False if self._is_current(path) else reserve_workfile(path)
        try:
            self._write_workfile(path, self._scene_record())
        except BaseException as exc:
            if made:
                path.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise WorkfileError(
                    f"cannot save {str(path)!r}: {exc.strerror or exc}"
                ) from exc
            raise
        self.path = path
        self.dirty = False

    def _is_current(self, path: Path) -> bool:
        """Whether ``path`` is the current file (the open scene's own file)."""
        if self.path is None:
            return False
        if path == self.path:
            return True
        try:
            return os.path.samefile(path, self.path)
        except OSError:
            return False

    def open_file(self, path: Path) -> None:
        """Read the scene saved in ``path`` and make it the current file.

        A file that cannot be read leaves the open scene as it was; a record
        that cannot be applied leaves an empty scene.

        :raises WorkfileError: the file is missing or cannot be read.
        """
        path = Path(path)
        if not path.is_file():
            raise WorkfileError(f"cannot open {str(path)!r}: no such file")
        try:
            record = self._read_workfile(path)
        except OSError as exc:
            raise WorkfileError(f"cannot open {str(path)!r}: {exc.strerror or exc}") from exc
        self._clear()
        try:
            self._restore_scene(record)
        except (StalkerError, ValueError, TypeError, KeyError, IndexError) as exc:
            self._clear()
            raise WorkfileError(f"cannot open {str(path)!r}: malformed scene data: {exc}") from exc
        self.path = path
        self.dirty = False

    def new_file(self) -> None:
        """Start an empty, never-saved scene."""
        self._clear()

    def get_scene_metadata(self) -> dict[str, str]:
        """A copy of the scene metadata."""
        return dict(self.metadata)

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the scene metadata (values become str; the scene changes)."""
        self.metadata.update({str(k): str(v) for k, v in data.items()})
        self.dirty = True

    def _clear(self) -> None:
        self.path = None
        self.metadata = {}
        self.dirty = False
        self._reset_scene()
