"""FakeHost: an in-memory DCC for testing workflows, plugins and UIs without an application.

The scene lives in memory (some text content, metadata, references, a frame
range and fps); saving writes it to a real file on disk as JSON, opening reads
it back, so workflow tests see real files under a temporary repository. The
work-file part is :class:`~stalker_core.workfiles.FileBackedHost`, the same
code as the standalone host's; this module adds only what a fake needs.

By default the FakeHost has every capability (``timeline``, ``references``,
``export``, ``ui``); ``FakeHost(capabilities={"timeline"})`` has only the
ones named, so a test can check each fallback of the workflows. Every call
is recorded in :attr:`FakeHost.calls`, unsaved changes are simulated
(:meth:`FakeHost.edit` makes the scene dirty, saving and opening make it
clean) and faults can be injected into any method::

    host = FakeHost()
    host.edit("add a cube")
    host.inject_fault("save_file", OSError(28, "No space left on device"), partial=True)

``partial=True`` on ``save_file`` writes half of the file to the target path
before raising, the way a crashing application leaves a truncated file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import CAPABILITIES, Container, protocol_members
from stalker_core.mainthread import MainThreadQueue
from stalker_core.workfiles import FileBackedHost, write_atomic

#: marker key of the JSON files the FakeHost writes
SCENE_FORMAT = "stalker_fake_scene"

T = TypeVar("T")


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


def _container_record(c: Container) -> dict[str, Any]:
    return {"name": c.name, "path": str(c.path), "version_id": c.version_id, "locked": c.locked}


def _container_of(r: Mapping[str, Any]) -> Container:
    version_id = r.get("version_id")
    return Container(
        str(r["name"]),
        Path(r["path"]),
        int(version_id) if version_id is not None else None,
        bool(r.get("locked")),
    )


class FakeHost(FileBackedHost):
    """A host with the :class:`~stalker_core.hosts.Host` protocol and chosen capabilities.

    :param name: the host name (stored in ``Version.created_with``).
    :param extensions: the work-file extensions, the first being the default.
    :param knows_changes: ``False`` makes :meth:`has_unsaved_changes` answer
        ``None`` ("cannot tell"), as some applications do.
    :param frame_range: the frame range of a new scene.
    :param fps: the frames per second of a new scene.
    :param capabilities: the capabilities (keys of
        :data:`~stalker_core.hosts.CAPABILITIES`) this host has; ``None``
        (the default) means all of them. The members of the others are
        ``None``, so :func:`~stalker_core.hosts.host_supports` says no.
    """

    def __init__(
        self,
        name: str = "fake",
        extensions: tuple[str, ...] = (".fake",),
        *,
        knows_changes: bool = True,
        frame_range: tuple[int, int] = (1001, 1100),
        fps: float = 25.0,
        capabilities: Iterable[str] | None = None,
    ) -> None:
        kept = frozenset(CAPABILITIES if capabilities is None else capabilities)
        unknown = sorted(kept - set(CAPABILITIES))
        if unknown:
            raise ValidationError(
                f"FakeHost(capabilities=...) takes host capabilities "
                f"({', '.join(CAPABILITIES)}), not {', '.join(map(repr, unknown))}"
            )
        for capability, protocol in CAPABILITIES.items():
            if capability not in kept:
                for member in protocol_members(protocol):
                    setattr(self, member, None)  # hides the method: host_supports() is False
        self.name = name
        self.knows_changes = knows_changes
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self._default_range = (int(frame_range[0]), int(frame_range[1]))
        self._default_fps = float(fps)
        #: seconds a call from another thread waits for :meth:`process_events`
        self.main_thread_timeout = 5.0
        self._main_thread = MainThreadQueue(f"FakeHost {name!r}")
        super().__init__(extensions)

    # --- test helpers ---------------------------------------------------------

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

        :param partial: for ``save_file`` and ``export_workfile``: write a
            truncated file first.
        :param skip: let this many calls through before failing.
        :param times: fail this many times (``None``: always).
        """
        if not callable(getattr(self, method, None)):
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

    def _maybe_fail_writing(self, method: str, path: Path) -> None:
        """Raise an injected fault of ``method``; a ``partial`` one writes half a file first."""
        fault = self._enter(method, path)
        if fault is None:
            return
        if fault.partial:
            data = self._scene_bytes()
            with open(path, "wb") as fh:
                fh.write(data[: max(1, len(data) // 2)])
        raise fault.error

    def _find(self, container: Container) -> int:
        for i, c in enumerate(self.references):
            if c.name == container.name:
                return i
        raise WorkfileError(f"no reference named {container.name!r} in the scene")

    # --- the scene on disk (FileBackedHost) ---------------------------------------

    def _reset_scene(self) -> None:
        self.content: str = ""
        self.references: list[Container] = []
        self.frame_range: tuple[int, int] = self._default_range
        self.fps: float = self._default_fps

    def _scene_record(self) -> dict[str, Any]:
        record = super()._scene_record()
        record.update({
            SCENE_FORMAT: 1,
            "host": self.name,
            "content": self.content,
            "references": [_container_record(c) for c in self.references],
            "frame_range": list(self.frame_range),
            "fps": self.fps,
        })
        return record

    def _scene_bytes(self) -> bytes:
        return json.dumps(self._scene_record(), indent=1).encode()

    def _write_workfile(self, path: Path, record: dict[str, Any]) -> None:
        data = json.dumps(record, indent=1).encode()
        write_atomic(path, lambda tmp: tmp.write_bytes(data))

    def _read_workfile(self, path: Path) -> Mapping[str, Any]:
        """A scene this class wrote; any other file opens as plain content."""
        raw = path.read_bytes()
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get(SCENE_FORMAT):
            return data
        return {"content": raw.decode("utf-8", "replace")}

    def _restore_scene(self, record: Mapping[str, Any]) -> None:
        super()._restore_scene(record)
        self.content = str(record.get("content", ""))
        self.references = [_container_of(r) for r in record.get("references", [])]
        first, last = record.get("frame_range") or self._default_range
        self.frame_range = (int(first), int(last))
        self.fps = float(record.get("fps") or self._default_fps)

    # --- the Host protocol ----------------------------------------------------

    def current_file(self) -> Path | None:
        """Return the open file, or ``None`` for a never-saved scene."""
        self._maybe_fail("current_file")
        return super().current_file()

    def has_unsaved_changes(self) -> bool | None:
        """Return whether the scene changed since it was saved or opened."""
        self._maybe_fail("has_unsaved_changes")
        return self.dirty if self.knows_changes else None

    def save_file(self, path: Path) -> None:
        """Write the scene as JSON to ``path`` (temporary name, then ``os.replace``)."""
        path = Path(path)
        self._maybe_fail_writing("save_file", path)
        super().save_file(path)

    def open_file(self, path: Path) -> None:
        """Read a scene written by :meth:`save_file`; any other file opens as plain content."""
        path = Path(path)
        self._maybe_fail("open_file", path)
        super().open_file(path)

    def new_file(self) -> None:
        """Start an empty, never-saved scene."""
        self._maybe_fail("new_file")
        super().new_file()

    def get_scene_metadata(self) -> dict[str, str]:
        """Return a copy of the scene metadata."""
        self._maybe_fail("get_scene_metadata")
        return super().get_scene_metadata()

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the scene metadata (values become str; makes it dirty)."""
        self._maybe_fail("set_scene_metadata", dict(data))
        super().set_scene_metadata(data)

    # --- capability "timeline" ------------------------------------------------

    def get_frame_range(self) -> tuple[int, int]:
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

    def get_fps(self) -> float:
        """Return frames per second."""
        self._maybe_fail("get_fps")
        return self.fps

    def set_fps(self, fps: float) -> None:
        """Set frames per second (makes the scene dirty)."""
        self._maybe_fail("set_fps", fps)
        if not fps > 0:
            raise ValueError(f"fps should be a positive number, not {fps!r}")
        self.fps = float(fps)
        self.dirty = True

    # --- capability "references" ----------------------------------------------

    def list_references(self) -> list[Container]:
        """Return the loaded references."""
        self._maybe_fail("list_references")
        return list(self.references)

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Add a reference to ``path`` (it must exist), named after its stem."""
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
        i = self._find(container)
        if not path.exists():
            raise WorkfileError(f"cannot reference {str(path)!r}: no such file")
        self.references[i] = replace(self.references[i], path=path, version_id=version_id)
        self.dirty = True
        return self.references[i]

    def remove_reference(self, container: Container) -> None:
        """Remove the reference named like ``container``."""
        self._maybe_fail("remove_reference", container)
        del self.references[self._find(container)]
        self.dirty = True

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Lock (``locked=False``: unlock) the reference named like ``container``."""
        self._maybe_fail("lock_reference", container, locked)
        i = self._find(container)
        self.references[i] = replace(self.references[i], locked=bool(locked))
        self.dirty = True
        return self.references[i]

    # --- capability "export" --------------------------------------------------

    def export_workfile(self, path: Path) -> None:
        """Write the scene as a work file to ``path``, leaving the open scene as it is.

        The file is what :meth:`save_file` would write (reference paths are
        absolute already); ``current_file()`` and the unsaved state do not
        change. ``partial=True`` faults write half of the file first.
        """
        path = Path(path)
        self._maybe_fail_writing("export_workfile", path)
        if not path.parent.is_dir():
            raise WorkfileError(
                f"cannot export to {str(path)!r}: folder {str(path.parent)!r} is missing"
            )
        with open(path, "xb") as fh:
            fh.write(self._scene_bytes())

    # --- capability "ui" ------------------------------------------------------

    def main_window(self) -> Any:
        """No window: returns ``None``."""
        self._maybe_fail("main_window")
        return None

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``func(*args, **kwargs)`` on the main thread, like a DCC.

        On the main thread the call runs at once; from another thread it waits
        until the main thread calls :meth:`process_events` (the fake's event
        loop), and raises :class:`~stalker_core.exceptions.HostError` after
        :attr:`main_thread_timeout` seconds when nothing does.
        """
        self._maybe_fail("run_in_main_thread", func, *args, **kwargs)
        return self._main_thread.call(func, args, kwargs, timeout=self.main_thread_timeout)

    def process_events(self) -> int:
        """Test helper, the fake's event loop: run the calls other threads queued.

        Call it on the main thread; returns how many calls ran.
        """
        return self._main_thread.pump()

    def __repr__(self) -> str:
        return f"<FakeHost {self.name!r} file={str(self.path) if self.path else None!r}>"
