"""FakeHost: an in-memory DCC for testing workflows, plugins and UIs without an application.

The scene lives in memory (some text content, metadata, references, a frame
range and fps); saving writes it to a real file on disk as JSON, opening reads
it back, so workflow tests see real files under a temporary repository.
Every call is recorded in :attr:`FakeHost.calls`, unsaved changes are
simulated (:meth:`FakeHost.edit` makes the scene dirty, saving and opening
make it clean) and faults can be injected into any method::

    host = FakeHost()
    host.edit("add a cube")
    host.inject_fault("save_file", OSError(28, "No space left on device"), partial=True)

``partial=True`` on ``save_file`` writes half of the file to the target path
before raising, the way a crashing application leaves a truncated file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import OPTIONAL_HOST_MEMBERS, Container

#: marker key of the JSON files the FakeHost writes
SCENE_FORMAT = "stalker_fake_scene"


@dataclass
class Fault:
    """A fault waiting in :attr:`FakeHost.faults` for a method call."""

    method: str
    error: BaseException
    partial: bool = False
    #: calls of ``method`` to let through before failing
    skip: int = 0
    #: how many times to fail (``None``: every call from then on)
    times: int | None = 1


@dataclass
class Call:
    """One recorded call: method name, positional and keyword arguments."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


class FakeHost:
    """A host implementing :class:`stalker_core.hosts.Host` in memory.

    :param name: the host name (stored in ``Version.created_with``).
    :param extensions: the work-file extensions, the first being the default.
    :param knows_changes: ``False`` makes :meth:`has_unsaved_changes` answer
        ``None`` ("cannot tell"), as some applications do.
    :param frame_range: the initial frame range, or ``None`` for no timeline.
    :param fps: the initial frames per second.
    :param without: optional host capabilities (keys of
        :data:`~stalker_core.hosts.OPTIONAL_HOST_MEMBERS`, e.g.
        ``("export_workfile",)``) this host should not offer, to test the
        fallbacks of hosts that lack them.
    """

    def __init__(
        self,
        name: str = "fake",
        extensions: tuple[str, ...] = (".fake",),
        *,
        knows_changes: bool = True,
        frame_range: tuple[int, int] | None = (1001, 1100),
        fps: float | None = 25.0,
        without: tuple[str, ...] = (),
    ) -> None:
        for capability in without:
            if capability not in OPTIONAL_HOST_MEMBERS:
                raise ValidationError(
                    f"FakeHost(without=...) takes optional host capabilities "
                    f"({', '.join(sorted(OPTIONAL_HOST_MEMBERS))}), not {capability!r}"
                )
            setattr(self, capability, None)  # hides the method: host_supports() is False
        self.name = name
        self.workfile_extensions = tuple(extensions)
        self.knows_changes = knows_changes
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self._default_range = frame_range
        self._default_fps = fps
        self._reset_scene()

    # --- test helpers ---------------------------------------------------------

    def _reset_scene(self) -> None:
        self.path: Path | None = None
        self.content: str = ""
        self.metadata: dict[str, str] = {}
        self.references: list[Container] = []
        self.frame_range: tuple[int, int] | None = self._default_range
        self.fps: float | None = self._default_fps
        self.dirty = False

    def edit(self, text: str = "edit") -> None:
        """Change the scene (appends ``text`` to its content) and make it dirty."""
        self.content += text + "\n"
        self.dirty = True

    def inject_fault(
        self,
        method: str,
        error: BaseException | None = None,
        *,
        partial: bool = False,
        skip: int = 0,
        times: int | None = 1,
    ) -> Fault:
        """Make ``method`` raise ``error`` (default: a :class:`WorkfileError`).

        :param partial: for ``save_file``: write a truncated file first.
        :param skip: let this many calls through before failing.
        :param times: fail this many times (``None``: always).
        """
        if not hasattr(self, method):
            raise AttributeError(f"FakeHost has no method {method!r} to inject a fault into")
        fault = Fault(
            method,
            error if error is not None else WorkfileError(f"injected fault in {method}"),
            partial,
            skip,
            times,
        )
        self.faults.append(fault)
        return fault

    def called(self, method: str) -> list[Call]:
        """Return the recorded calls of ``method``."""
        return [c for c in self.calls if c.method == method]

    def _enter(self, method: str, *args: Any, **kwargs: Any) -> Fault | None:
        self.calls.append(Call(method, args, kwargs))
        for fault in self.faults:
            if fault.method != method:
                continue
            if fault.skip > 0:
                fault.skip -= 1
                continue
            if fault.times is not None:
                if fault.times <= 0:
                    continue
                fault.times -= 1
            return fault
        return None

    def _maybe_fail(self, method: str, *args: Any, **kwargs: Any) -> None:
        fault = self._enter(method, *args, **kwargs)
        if fault is not None:
            raise fault.error

    def _scene_dict(self) -> dict[str, Any]:
        return {
            SCENE_FORMAT: 1,
            "host": self.name,
            "content": self.content,
            "metadata": dict(self.metadata),
            "references": [
                {
                    "name": c.name,
                    "path": str(c.path),
                    "version_id": c.version_id,
                    "locked": c.locked,
                }
                for c in self.references
            ],
            "frame_range": list(self.frame_range) if self.frame_range else None,
            "fps": self.fps,
        }

    # --- the Host protocol ----------------------------------------------------

    def current_file(self) -> Path | None:
        """Return the open file, or ``None`` for a never-saved scene."""
        self._maybe_fail("current_file")
        return self.path

    def has_unsaved_changes(self) -> bool | None:
        """Return whether the scene changed since it was saved or opened."""
        self._maybe_fail("has_unsaved_changes")
        return self.dirty if self.knows_changes else None

    def _scene_bytes(self, op: str, path: Path, what: str) -> bytes:
        """The scene as file content for ``op``; raise an injected fault or a missing folder.

        A ``partial`` fault writes half of the content to ``path`` before raising.
        """
        fault = self._enter(op, path)
        data = json.dumps(self._scene_dict(), indent=1).encode()
        if fault is not None:
            if fault.partial:
                with open(path, "wb") as fh:
                    fh.write(data[: max(1, len(data) // 2)])
            raise fault.error
        if not path.parent.is_dir():
            raise WorkfileError(f"cannot {what}: folder {str(path.parent)!r} is missing")
        return data

    def save_file(self, path: Path) -> None:
        """Write the scene as JSON to ``path`` (temporary name, then ``os.replace``)."""
        path = Path(path)
        data = self._scene_bytes("save_file", path, f"save {str(path)!r}")
        tmp = path.with_name(f".{path.name}.fake-saving")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        self.path = path
        self.dirty = False

    def open_file(self, path: Path) -> None:
        """Read a scene written by :meth:`save_file`; any other file opens as plain content."""
        path = Path(path)
        self._maybe_fail("open_file", path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise WorkfileError(f"cannot open {str(path)!r}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        self._reset_scene()
        if isinstance(data, dict) and data.get(SCENE_FORMAT):
            self.content = str(data.get("content", ""))
            self.metadata = {str(k): str(v) for k, v in data.get("metadata", {}).items()}
            self.references = [
                Container(r["name"], Path(r["path"]), r.get("version_id"), bool(r.get("locked")))
                for r in data.get("references", [])
            ]
            fr = data.get("frame_range")
            self.frame_range = (int(fr[0]), int(fr[1])) if fr else None
            self.fps = data.get("fps")
        else:
            self.content = raw.decode("utf-8", "replace")
        self.path = path
        self.dirty = False

    def new_file(self) -> None:
        """Start an empty, never-saved scene."""
        self._maybe_fail("new_file")
        self._reset_scene()

    def get_frame_range(self) -> tuple[int, int] | None:
        """Return the frame range."""
        self._maybe_fail("get_frame_range")
        return self.frame_range

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the frame range (makes the scene dirty)."""
        self._maybe_fail("set_frame_range", first, last)
        if last < first:
            raise ValueError(f"frame range should have first <= last, not {first}..{last}")
        self.frame_range = (int(first), int(last))
        self.dirty = True

    def get_fps(self) -> float | None:
        """Return frames per second."""
        self._maybe_fail("get_fps")
        return self.fps

    def set_fps(self, fps: float) -> None:
        """Set frames per second (an optional host capability; makes the scene dirty)."""
        self._maybe_fail("set_fps", fps)
        self.fps = float(fps)
        self.dirty = True

    def export_workfile(self, path: Path) -> None:
        """Write the scene as a work file to ``path``, leaving the open scene as it is.

        The optional :class:`~stalker_core.hosts.SupportsExportWorkfile`
        capability: the file is what :meth:`save_file` would write (reference
        paths are absolute already), ``current_file()`` and the unsaved state
        do not change. ``partial=True`` faults write half of the file first.
        """
        path = Path(path)
        data = self._scene_bytes("export_workfile", path, f"export to {str(path)!r}")
        with open(path, "xb") as fh:
            fh.write(data)

    def get_scene_metadata(self) -> dict[str, str]:
        """Return a copy of the scene metadata."""
        self._maybe_fail("get_scene_metadata")
        return dict(self.metadata)

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the scene metadata (values become str; makes it dirty)."""
        self._maybe_fail("set_scene_metadata", dict(data))
        self.metadata.update({str(k): str(v) for k, v in data.items()})
        self.dirty = True

    def list_references(self) -> list[Container]:
        """Return the loaded references."""
        self._maybe_fail("list_references")
        return list(self.references)

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Add a reference to ``path`` (it must exist)."""
        path = Path(path)
        self._maybe_fail("load_reference", path, version_id=version_id)
        if not path.exists():
            raise WorkfileError(f"cannot reference {str(path)!r}: no such file")
        taken = {c.name for c in self.references}
        base = path.stem or "ref"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        container = Container(name, path, version_id)
        self.references.append(container)
        self.dirty = True
        return container

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Point the reference named like ``container`` at ``path``."""
        path = Path(path)
        self._maybe_fail("replace_reference", container, path, version_id=version_id)
        for i, c in enumerate(self.references):
            if c.name == container.name:
                if not path.exists():
                    raise WorkfileError(f"cannot reference {str(path)!r}: no such file")
                new = replace(c, path=path, version_id=version_id)
                self.references[i] = new
                self.dirty = True
                return new
        raise WorkfileError(f"no reference named {container.name!r} in the scene")

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Set the lock flag of a reference (test helper; hosts store it in the scene)."""
        for i, c in enumerate(self.references):
            if c.name == container.name:
                self.references[i] = replace(c, locked=locked)
                self.dirty = True
                return self.references[i]
        raise WorkfileError(f"no reference named {container.name!r} in the scene")

    def main_window(self) -> Any:
        """No window: returns ``None``."""
        self._maybe_fail("main_window")
        return None

    def __repr__(self) -> str:
        return f"<FakeHost {self.name!r} file={str(self.path) if self.path else None!r}>"
