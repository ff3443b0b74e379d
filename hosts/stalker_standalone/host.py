"""The standalone host: work files are ordinary files on disk, of any extension.

There is no application: the "scene" is the file last opened or saved. Saving
copies that file to the new path (through a temporary name in the target
folder and ``os.replace``, so a reader never sees half a file); a new scene
saves as an empty file. Pipeline metadata lives in a sidecar JSON file next
to the work file (``<file>.stalker.json``), written with the file, so it
survives a save and a reopen. It is the default host of the command line and
the launcher.

It has exactly the required :class:`~stalker_core.hosts.Host` protocol (the
work-file part is :class:`~stalker_core.workfiles.FileBackedHost`, shared
with the test FakeHost) and claims no capability, because a folder of files
has none of them for real:

* no ``"timeline"``: a file has no frame range or frame rate;
* no ``"references"``: nothing in a plain file loads another file;
* no ``"export"``: the published copy of a plain file is the file itself,
  which is exactly what the generic fallback (a byte-for-byte copy) makes;
* no ``"ui"``: there is no window to parent dialogs to and no event loop of
  its own; its "main thread" is whichever thread calls it, which is exactly
  the fallback (a callable runs in the calling thread).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stalker_core.exceptions import WorkfileError
from stalker_core.workfiles import METADATA, FileBackedHost, write_atomic

SIDECAR_SUFFIX = ".stalker.json"


def sidecar_of(path: Path) -> Path:
    """The sidecar file holding the metadata of ``path``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


class StandaloneHost(FileBackedHost):
    """A :class:`~stalker_core.hosts.Host` for plain files.

    :param extensions: work-file extensions offered first (any extension may
        be saved with ``save_as_version(..., extension=...)``).
    """

    name = "standalone"

    def __init__(self, extensions: tuple[str, ...] = (".txt",)) -> None:
        super().__init__(extensions)

    def _write_workfile(self, path: Path, record: dict[str, Any]) -> None:
        """Copy the current file (or an empty one) to ``path``; metadata to its sidecar."""
        source = self.path
        if source is not None and not source.is_file():
            raise WorkfileError(f"cannot save: the current file {str(source)!r} is gone")

        def write(tmp: Path) -> None:
            if source is not None:
                shutil.copyfile(source, tmp)
            else:
                tmp.write_bytes(b"")

        write_atomic(path, write)
        if record[METADATA]:
            text = json.dumps({METADATA: record[METADATA]}, indent=1)
            write_atomic(sidecar_of(path), lambda tmp: tmp.write_text(text))

    def _read_workfile(self, path: Path) -> Mapping[str, Any]:
        """The sidecar of ``path`` (``{}`` when there is none)."""
        side = sidecar_of(path)
        if not side.is_file():
            return {}
        try:
            data = json.loads(side.read_text())
        except (OSError, ValueError) as exc:
            raise WorkfileError(f"cannot read {str(side)!r}: {exc}") from exc
        if not isinstance(data, dict):
            raise WorkfileError(f"cannot read {str(side)!r}: expected a JSON object")
        return data

    def __repr__(self) -> str:
        return f"<StandaloneHost file={str(self.path) if self.path else None!r}>"
