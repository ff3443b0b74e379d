"""The standalone host: work files are ordinary files on disk, of any extension.

There is no application: the "scene" is the file last opened or saved. Saving
copies that file to the new path (through a temporary name in the target
folder and ``os.replace``, so a reader never sees half a file); a new scene
saves as an empty file. Pipeline metadata and references live in a sidecar
JSON file next to the work file (``<file>.stalker.json``), written with the
file, so they survive a save and a reopen. The standalone host has no
timeline. It is the default host of the command line and the launcher.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.hosts import Container

SIDECAR_SUFFIX = ".stalker.json"


def sidecar_of(path: Path) -> Path:
    """The sidecar file holding the metadata and references of ``path``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _write_atomic(target: Path, write: Any) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.saving")
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class StandaloneHost:
    """A :class:`~stalker_core.hosts.Host` for plain files.

    :param extensions: work-file extensions offered first (any extension may
        be saved with ``save_as_version(..., extension=...)``).
    """

    name = "standalone"

    def __init__(self, extensions: tuple[str, ...] = (".txt",)) -> None:
        self.workfile_extensions = tuple(extensions)
        self._path: Path | None = None
        self._meta: dict[str, str] = {}
        self._refs: list[Container] = []
        self._dirty = False

    # --- files ---------------------------------------------------------------

    def current_file(self) -> Path | None:
        """The file last opened or saved, or ``None``."""
        return self._path

    def has_unsaved_changes(self) -> bool | None:
        """True when metadata or references changed since the last save or open."""
        return self._dirty

    def save_file(self, path: Path) -> None:
        """Copy the current file (or an empty one) to ``path`` with its sidecar."""
        path = Path(path)
        if not path.parent.is_dir():
            raise WorkfileError(
                f"cannot save {str(path)!r}: folder {str(path.parent)!r} is missing"
            )
        source = self._path
        if source is not None and not source.is_file():
            raise WorkfileError(f"cannot save: the current file {str(source)!r} is gone")

        def write(tmp: Path) -> None:
            if source is not None:
                shutil.copyfile(source, tmp)
            else:
                tmp.write_bytes(b"")

        try:
            _write_atomic(path, write)
            self._write_sidecar(path)
        except OSError as exc:
            raise WorkfileError(f"cannot save {str(path)!r}: {exc.strerror or exc}") from exc
        self._path = path
        self._dirty = False

    def _write_sidecar(self, path: Path) -> None:
        side = sidecar_of(path)
        if not self._meta and not self._refs:
            return
        data = {
            "metadata": self._meta,
            "references": [
                {"name": c.name, "path": str(c.path), "version_id": c.version_id,
                 "locked": c.locked}
                for c in self._refs
            ],
        }
        _write_atomic(side, lambda tmp: tmp.write_text(json.dumps(data, indent=1)))

    def open_file(self, path: Path) -> None:
        """Make ``path`` the current file and read its sidecar, if any."""
        path = Path(path)
        if not path.is_file():
            raise WorkfileError(f"cannot open {str(path)!r}: no such file")
        meta: dict[str, str] = {}
        refs: list[Container] = []
        side = sidecar_of(path)
        if side.is_file():
            try:
                data = json.loads(side.read_text())
                meta = {str(k): str(v) for k, v in data.get("metadata", {}).items()}
                refs = [
                    Container(r["name"], Path(r["path"]), r.get("version_id"),
                              bool(r.get("locked")))
                    for r in data.get("references", [])
                ]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise WorkfileError(f"cannot read {str(side)!r}: {exc}") from exc
        self._path, self._meta, self._refs, self._dirty = path, meta, refs, False

    def new_file(self) -> None:
        """Forget the current file: the next save writes an empty file."""
        self._path, self._meta, self._refs, self._dirty = None, {}, [], False

    # --- timeline: none --------------------------------------------------------------

    def get_frame_range(self) -> tuple[int, int] | None:
        """``None``: plain files have no timeline."""
        return None

    def set_frame_range(self, first: int, last: int) -> None:
        """Refused: plain files have no timeline."""
        raise HostError("the standalone host has no timeline to set a frame range on")

    def get_fps(self) -> float | None:
        """``None``: plain files have no timeline."""
        return None

    # --- metadata and references ---------------------------------------------------------

    def get_scene_metadata(self) -> dict[str, str]:
        """A copy of the metadata."""
        return dict(self._meta)

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` (saved with the next save)."""
        self._meta.update({str(k): str(v) for k, v in data.items()})
        self._dirty = True

    def list_references(self) -> list[Container]:
        """The recorded references."""
        return list(self._refs)

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Record a reference to an existing file."""
        path = Path(path)
        if not path.exists():
            raise WorkfileError(f"cannot reference {str(path)!r}: no such file")
        taken = {c.name for c in self._refs}
        name, n = path.stem or "ref", 1
        while name in taken:
            n += 1
            name = f"{path.stem}{n}"
        container = Container(name, path, version_id)
        self._refs.append(container)
        self._dirty = True
        return container

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Point the reference named like ``container`` at ``path``."""
        path = Path(path)
        if not path.exists():
            raise WorkfileError(f"cannot reference {str(path)!r}: no such file")
        for i, c in enumerate(self._refs):
            if c.name == container.name:
                self._refs[i] = replace(c, path=path, version_id=version_id)
                self._dirty = True
                return self._refs[i]
        raise WorkfileError(f"no reference named {container.name!r}")

    def set_reference_lock(self, container: Container, locked: bool = True) -> Container:
        """Lock (or unlock) a reference so "update to latest" leaves it alone."""
        for i, c in enumerate(self._refs):
            if c.name == container.name:
                self._refs[i] = replace(c, locked=locked)
                self._dirty = True
                return self._refs[i]
        raise WorkfileError(f"no reference named {container.name!r}")

    def main_window(self) -> Any:
        """No window."""
        return None

    def __repr__(self) -> str:
        return f"<StandaloneHost file={str(self._path) if self._path else None!r}>"
