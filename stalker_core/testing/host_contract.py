"""The host contract suite: the tests every host adapter runs against itself.

Subclass :class:`HostContract` in a test module of the adapter (the name of
the subclass must start with ``Test`` for pytest to collect it), declare the
capabilities the host has and provide a ``host`` fixture returning a fresh
adapter with an empty scene::

    import pytest
    from stalker_core.testing.host_contract import HostContract

    class TestMyHost(HostContract):
        capabilities = frozenset({"timeline", "references"})

        @pytest.fixture
        def host(self):
            return MyHost()

A host is tested for exactly what it claims: the tests of the required
:class:`~stalker_core.hosts.Host` protocol always run; one test checks that
:func:`~stalker_core.hosts.host_capabilities` of the host equals
:attr:`HostContract.capabilities` (so a host cannot have a capability by
accident, nor claim one it lacks); the tests of each capability run only
when it is claimed and are reported as skipped, naming the capability,
otherwise.

Override :meth:`HostContract.make_workfile` when a work file of the host
cannot be produced by ``new_file()`` + ``save_file()``, and
:meth:`HostContract.make_reference_file` when references need a special file.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from stalker_core.hosts import (
    CAPABILITIES,
    Container,
    ExportHost,
    Host,
    ReferenceHost,
    TimelineHost,
    UIHost,
    host_capabilities,
    missing_host_members,
)

F = TypeVar("F", bound=Callable[..., Any])


def claims(capability: str) -> Callable[[F], F]:
    """Run the decorated contract test only for hosts claiming ``capability``."""
    if capability not in CAPABILITIES:  # pragma: no cover - a typo in this module
        raise ValueError(f"unknown capability {capability!r}")

    def decorate(test: F) -> F:
        @functools.wraps(test)
        def run(self: HostContract, *args: Any, **kwargs: Any) -> Any:
            if capability not in self.capabilities:
                pytest.skip(f"the host does not claim the {capability!r} capability")
            return test(self, *args, **kwargs)

        return cast(F, run)

    return decorate


class HostContract:
    """Base class of a host adapter's contract tests (see the module docstring)."""

    #: the capabilities the host has (keys of :data:`~stalker_core.hosts.CAPABILITIES`)
    capabilities: frozenset[str] = frozenset()

    @pytest.fixture
    def host(self) -> Host:  # pragma: no cover - always overridden
        """A fresh host with an empty scene; subclasses must override."""
        raise NotImplementedError("a HostContract subclass must define a 'host' fixture")

    @pytest.fixture
    def workdir(self, tmp_path: Path) -> Path:
        """An empty folder for the files of one test."""
        d = tmp_path / "work"
        d.mkdir()
        return d

    # --- helpers a subclass may override ---------------------------------------

    def process_events(self, host: Host) -> None:
        """Let the host's event loop run once on the main thread (the ``ui`` tests call it).

        Override it for a host whose application loop is not running in the
        tests: e.g. call the pump that its timer would call. The default
        sleeps a moment, for hosts whose loop runs by itself.
        """
        time.sleep(0.01)

    def make_workfile(self, host: Host, directory: Path, name: str = "work") -> Path:
        """Save a new scene as a work file in ``directory`` and return its path."""
        host.new_file()
        path = directory / f"{name}{host.workfile_extensions[0]}"
        host.save_file(path)
        return path

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """Return a file the host can load as a reference (default: a work file)."""
        path = self.make_workfile(host, directory, name)
        host.new_file()
        return path

    def save_and_reopen(self, host: Host, directory: Path, name: str) -> Path:
        """Save the scene as a new work file ``name``, start a new scene, open it again."""
        path = directory / f"{name}{host.workfile_extensions[0]}"
        host.save_file(path)
        host.new_file()
        host.open_file(path)
        return path

    # --- identity and claims ------------------------------------------------------

    def test_implements_protocol(self, host: Host) -> None:
        assert missing_host_members(host) == []
        assert isinstance(host, Host)

    def test_claims_exactly_its_capabilities(self, host: Host) -> None:
        declared = frozenset(self.capabilities)
        assert declared <= set(CAPABILITIES), (
            f"unknown capabilities declared: {sorted(declared - set(CAPABILITIES))}"
        )
        found = host_capabilities(host)
        assert found == declared, (
            f"the host has the capabilities {sorted(found)}, the contract declares "
            f"{sorted(declared)}; set `capabilities` to what the host really has"
        )
        for name in declared:
            assert isinstance(host, CAPABILITIES[name]), name

    def test_name_is_short_lower_case(self, host: Host) -> None:
        assert isinstance(host.name, str) and host.name
        assert host.name == host.name.lower() and " " not in host.name

    def test_workfile_extensions(self, host: Host) -> None:
        exts = host.workfile_extensions
        assert isinstance(exts, tuple) and exts
        for ext in exts:
            assert isinstance(ext, str) and ext.startswith(".") and len(ext) > 1

    # --- files -------------------------------------------------------------------

    def test_new_scene_has_no_file(self, host: Host) -> None:
        host.new_file()
        assert host.current_file() is None

    def test_save_creates_file_and_sets_current(self, host: Host, workdir: Path) -> None:
        host.new_file()
        path = workdir / f"scene{host.workfile_extensions[0]}"
        host.save_file(path)
        assert path.is_file()
        assert Path(host.current_file() or "") == path
        assert host.has_unsaved_changes() in (False, None)

    def test_save_fills_a_reserved_placeholder(self, host: Host, workdir: Path) -> None:
        """The workflows reserve the name with an empty file first (O_EXCL)."""
        host.new_file()
        path = workdir / f"reserved{host.workfile_extensions[0]}"
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.close(fd)
        inode = path.stat().st_ino
        host.save_file(path)
        written = path.stat()
        assert written.st_size > 0 or written.st_ino != inode, "the placeholder was not replaced"
        assert Path(host.current_file() or "") == path

    def test_save_leaves_no_temporary_files(self, host: Host, workdir: Path) -> None:
        host.new_file()
        path = workdir / f"clean{host.workfile_extensions[0]}"
        host.save_file(path)
        leftovers = [p.name for p in workdir.iterdir() if p.name.startswith(".")]
        assert leftovers == []

    def test_save_into_missing_folder_raises(self, host: Host, workdir: Path) -> None:
        host.new_file()
        path = workdir / "missing" / f"scene{host.workfile_extensions[0]}"
        with pytest.raises(Exception):  # noqa: B017 - any error; the workflow wraps it
            host.save_file(path)
        assert not path.exists()

    def test_open_sets_current_and_clean(self, host: Host, workdir: Path) -> None:
        path = self.make_workfile(host, workdir)
        host.new_file()
        assert host.current_file() is None
        host.open_file(path)
        assert Path(host.current_file() or "") == path
        assert host.has_unsaved_changes() in (False, None)

    def test_open_missing_file_raises(self, host: Host, workdir: Path) -> None:
        with pytest.raises(Exception):  # noqa: B017
            host.open_file(workdir / f"nothing{host.workfile_extensions[0]}")

    def test_save_again_to_new_name_keeps_first(self, host: Host, workdir: Path) -> None:
        first = self.make_workfile(host, workdir, "v001")
        size = first.stat().st_size
        second = workdir / f"v002{host.workfile_extensions[0]}"
        host.save_file(second)
        assert first.is_file() and first.stat().st_size == size
        assert Path(host.current_file() or "") == second

    # --- unsaved changes ---------------------------------------------------------

    def test_metadata_change_marks_dirty_or_unknown(self, host: Host, workdir: Path) -> None:
        self.make_workfile(host, workdir)
        host.set_scene_metadata({"touch": "1"})
        assert host.has_unsaved_changes() in (True, None)

    # --- metadata ------------------------------------------------------------------

    def test_metadata_merges(self, host: Host) -> None:
        host.new_file()
        host.set_scene_metadata({"a": "1"})
        host.set_scene_metadata({"b": "2"})
        data = host.get_scene_metadata()
        assert data.get("a") == "1" and data.get("b") == "2"

    def test_metadata_survives_save_and_open(self, host: Host, workdir: Path) -> None:
        host.new_file()
        host.set_scene_metadata({"stalker_version_id": "42"})
        path = workdir / f"meta{host.workfile_extensions[0]}"
        host.save_file(path)
        host.new_file()
        assert host.get_scene_metadata().get("stalker_version_id") != "42"
        host.open_file(path)
        assert host.get_scene_metadata().get("stalker_version_id") == "42"

    def test_metadata_is_a_copy(self, host: Host) -> None:
        host.new_file()
        host.set_scene_metadata({"k": "v"})
        data = host.get_scene_metadata()
        data["k"] = "changed"
        assert host.get_scene_metadata()["k"] == "v"

    # --- capability "timeline" -------------------------------------------------------

    @claims("timeline")
    def test_frame_range_round_trip(self, host: Host, workdir: Path) -> None:
        timeline = cast(TimelineHost, host)
        self.make_workfile(host, workdir)
        timeline.set_frame_range(1001, 1048)
        assert tuple(timeline.get_frame_range()) == (1001, 1048)
        assert host.has_unsaved_changes() in (True, None)
        self.save_and_reopen(host, workdir, "range")
        assert tuple(timeline.get_frame_range()) == (1001, 1048)

    @claims("timeline")
    def test_fps_round_trip(self, host: Host, workdir: Path) -> None:
        timeline = cast(TimelineHost, host)
        self.make_workfile(host, workdir)
        fps = timeline.get_fps()
        assert isinstance(fps, (int, float)) and fps > 0
        timeline.set_fps(30)
        assert timeline.get_fps() == pytest.approx(30.0)
        assert host.has_unsaved_changes() in (True, None)
        timeline.set_fps(24000 / 1001)
        assert timeline.get_fps() == pytest.approx(24000 / 1001, abs=1e-3)  # float32 in some DCCs
        self.save_and_reopen(host, workdir, "rate")
        assert timeline.get_fps() == pytest.approx(24000 / 1001, abs=1e-3)

    # --- capability "references" -----------------------------------------------------

    @claims("references")
    def test_new_scene_has_no_references(self, host: Host) -> None:
        host.new_file()
        assert cast(ReferenceHost, host).list_references() == []

    @claims("references")
    def test_load_reference(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        ref = self.make_reference_file(host, workdir, "asset")
        host.new_file()
        container = refs.load_reference(ref, version_id=7)
        assert isinstance(container, Container)
        assert Path(container.path) == ref and container.version_id == 7
        listed = refs.list_references()
        assert [c.name for c in listed] == [container.name]
        assert listed[0].version_id == 7 and Path(listed[0].path) == ref
        assert listed[0].locked is False
        assert host.has_unsaved_changes() in (True, None)

    @claims("references")
    def test_replace_reference(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        ref1 = self.make_reference_file(host, workdir, "asset_v001")
        ref2 = self.make_reference_file(host, workdir, "asset_v002")
        host.new_file()
        container = refs.load_reference(ref1, version_id=1)
        new = refs.replace_reference(container, ref2, version_id=2)
        assert Path(new.path) == ref2 and new.version_id == 2
        listed = refs.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref2 and listed[0].version_id == 2

    @claims("references")
    def test_remove_reference(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        prop = self.make_reference_file(host, workdir, "prop")
        char = self.make_reference_file(host, workdir, "char")
        host.new_file()
        first = refs.load_reference(prop, version_id=1)
        second = refs.load_reference(char, version_id=2)
        self.save_and_reopen(host, workdir, "shot_v001")
        refs.remove_reference(first)
        assert host.has_unsaved_changes() in (True, None)
        listed = refs.list_references()
        assert [(c.name, Path(c.path), c.version_id) for c in listed] == [
            (second.name, char, 2)
        ]
        self.save_and_reopen(host, workdir, "shot_v002")
        assert [Path(c.path) for c in refs.list_references()] == [char]

    @claims("references")
    def test_lock_and_unlock_survive_save_and_open(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        ref = self.make_reference_file(host, workdir, "prop")
        self.make_workfile(host, workdir, "shot")
        container = refs.load_reference(ref, version_id=4)
        locked = refs.lock_reference(container)
        assert locked.locked is True and locked.version_id == 4
        assert host.has_unsaved_changes() in (True, None)
        self.save_and_reopen(host, workdir, "shot_v001")
        [listed] = refs.list_references()
        assert listed.locked is True and listed.version_id == 4 and Path(listed.path) == ref
        unlocked = refs.lock_reference(listed, False)
        assert unlocked.locked is False and unlocked.version_id == 4
        assert host.has_unsaved_changes() in (True, None)
        self.save_and_reopen(host, workdir, "shot_v002")
        [listed] = refs.list_references()
        assert listed.locked is False and listed.version_id == 4

    @claims("references")
    def test_references_survive_save_and_open(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        ref = self.make_reference_file(host, workdir, "prop")
        host.new_file()
        refs.load_reference(ref, version_id=3)
        self.save_and_reopen(host, workdir, "with_ref")
        listed = refs.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref and listed[0].version_id == 3

    @claims("references")
    def test_load_missing_reference_raises(self, host: Host, workdir: Path) -> None:
        refs = cast(ReferenceHost, host)
        host.new_file()
        with pytest.raises(Exception):  # noqa: B017
            refs.load_reference(workdir / f"missing{host.workfile_extensions[0]}")
        assert refs.list_references() == []

    # --- capability "export" ---------------------------------------------------------

    @claims("export")
    def test_export_workfile_leaves_the_scene_as_it_was(self, host: Host, workdir: Path) -> None:
        host.new_file()
        host.set_scene_metadata({"stalker_version_id": "5"})
        path = workdir / f"scene{host.workfile_extensions[0]}"
        host.save_file(path)
        before = path.read_bytes()
        elsewhere = workdir / "staging"
        elsewhere.mkdir()
        exported = elsewhere / path.name
        cast(ExportHost, host).export_workfile(exported)
        assert exported.is_file() and exported.stat().st_size > 0
        assert Path(host.current_file() or "") == path
        assert host.has_unsaved_changes() in (False, None)
        assert path.read_bytes() == before
        host.new_file()
        host.open_file(exported)
        assert host.get_scene_metadata().get("stalker_version_id") == "5"

    @claims("export")
    @claims("references")
    def test_exported_workfile_keeps_references_from_another_folder(
        self, host: Host, workdir: Path
    ) -> None:
        refs = cast(ReferenceHost, host)
        ref = self.make_reference_file(host, workdir, "prop")
        host.new_file()
        refs.load_reference(ref, version_id=3)
        scenes = workdir / "scenes"
        scenes.mkdir()
        path = scenes / f"shot{host.workfile_extensions[0]}"
        host.save_file(path)
        published = workdir / "elsewhere" / "deeper"
        published.mkdir(parents=True)
        exported = published / path.name
        cast(ExportHost, host).export_workfile(exported)
        listed = refs.list_references()
        assert [Path(c.path) for c in listed] == [ref]  # the open scene is untouched
        host.new_file()
        host.open_file(exported)
        listed = refs.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref and listed[0].version_id == 3

    # --- capability "ui" ---------------------------------------------------------------

    @claims("ui")
    def test_main_window_does_not_raise(self, host: Host) -> None:
        cast(UIHost, host).main_window()

    @claims("ui")
    def test_run_in_main_thread_returns_the_result(self, host: Host) -> None:
        seen: list[tuple[Any, ...]] = []

        def work(a: int, *, b: int) -> int:
            seen.append((a, b, threading.current_thread() is threading.main_thread()))
            return a + b

        assert cast(UIHost, host).run_in_main_thread(work, 2, b=3) == 5
        assert seen == [(2, 3, True)]

    @claims("ui")
    def test_run_in_main_thread_from_a_worker_runs_on_the_main_thread(self, host: Host) -> None:
        """The point of the capability: a worker thread's call lands on the main thread."""
        outcome: list[Any] = []

        def work() -> bool:
            return threading.current_thread() is threading.main_thread()

        def worker() -> None:
            try:
                outcome.append(cast(UIHost, host).run_in_main_thread(work))
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                outcome.append(exc)

        thread = threading.Thread(target=worker)
        thread.start()
        deadline = time.monotonic() + 20
        while thread.is_alive() and time.monotonic() < deadline:
            self.process_events(host)
            thread.join(0.01)
        assert not thread.is_alive(), "run_in_main_thread from a worker never returned"
        assert outcome == [True], f"the call did not run on the main thread: {outcome!r}"

    @claims("ui")
    def test_run_in_main_thread_raises_the_callables_error(self, host: Host) -> None:
        class Boom(Exception):
            pass

        def fail() -> None:
            raise Boom("from the main thread")

        with pytest.raises(Boom, match="from the main thread"):
            cast(UIHost, host).run_in_main_thread(fail)
