"""The host contract suite: the tests every host adapter runs against itself.

Subclass :class:`HostContract` in a test module of the adapter (the name of
the subclass must start with ``Test`` for pytest to collect it) and provide
a ``host`` fixture returning a fresh adapter with an empty scene::

    import pytest
    from stalker_core.testing.host_contract import HostContract

    class TestMyHost(HostContract):
        @pytest.fixture
        def host(self):
            return MyHost()

Override :meth:`HostContract.make_workfile` when a work file of the host
cannot be produced by ``new_file()`` + ``save_file()``, and
:meth:`HostContract.make_reference_file` when references need a special
file. Set :attr:`HostContract.supports_references` or
:attr:`HostContract.supports_timeline` to ``False`` for hosts without
references or without a timeline; those checks are then skipped (reported
as skips, never silently passed). The optional capabilities
(:data:`~stalker_core.hosts.OPTIONAL_HOST_MEMBERS`: ``set_fps``,
``export_workfile``) are tested when the host has them and skipped otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stalker_core.hosts import (
    OPTIONAL_HOST_MEMBERS,
    Container,
    Host,
    host_supports,
    missing_host_members,
)


class HostContract:
    """Base class of a host adapter's contract tests (see the module docstring)."""

    #: set to False for hosts that cannot load references
    supports_references: bool = True
    #: set to False for hosts without a timeline (frame range / fps)
    supports_timeline: bool = True

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

    # --- identity ---------------------------------------------------------------

    def test_implements_protocol(self, host: Host) -> None:
        assert missing_host_members(host) == []
        assert isinstance(host, Host)

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

    # --- timeline --------------------------------------------------------------------

    def test_frame_range_round_trip(self, host: Host, workdir: Path) -> None:
        if not self.supports_timeline:
            pytest.skip("host has no timeline")
        host.new_file()
        host.set_frame_range(1001, 1048)
        assert tuple(host.get_frame_range() or ()) == (1001, 1048)
        path = workdir / f"range{host.workfile_extensions[0]}"
        host.save_file(path)
        host.new_file()
        host.open_file(path)
        assert tuple(host.get_frame_range() or ()) == (1001, 1048)

    def test_fps_is_positive_number(self, host: Host) -> None:
        if not self.supports_timeline:
            pytest.skip("host has no timeline")
        host.new_file()
        fps = host.get_fps()
        assert isinstance(fps, (int, float)) and fps > 0

    def test_no_timeline_answers_none(self, host: Host) -> None:
        if self.supports_timeline:
            pytest.skip("host has a timeline")
        host.new_file()
        assert host.get_frame_range() is None
        assert host.get_fps() is None

    # --- references ------------------------------------------------------------------

    def test_new_scene_has_no_references(self, host: Host) -> None:
        host.new_file()
        assert host.list_references() == []

    def test_load_reference(self, host: Host, workdir: Path) -> None:
        if not self.supports_references:
            pytest.skip("host has no references")
        ref = self.make_reference_file(host, workdir, "asset")
        host.new_file()
        container = host.load_reference(ref, version_id=7)
        assert isinstance(container, Container)
        assert Path(container.path) == ref and container.version_id == 7
        listed = host.list_references()
        assert [c.name for c in listed] == [container.name]
        assert listed[0].version_id == 7 and Path(listed[0].path) == ref
        assert listed[0].locked is False

    def test_replace_reference(self, host: Host, workdir: Path) -> None:
        if not self.supports_references:
            pytest.skip("host has no references")
        ref1 = self.make_reference_file(host, workdir, "asset_v001")
        ref2 = self.make_reference_file(host, workdir, "asset_v002")
        host.new_file()
        container = host.load_reference(ref1, version_id=1)
        new = host.replace_reference(container, ref2, version_id=2)
        assert Path(new.path) == ref2 and new.version_id == 2
        listed = host.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref2 and listed[0].version_id == 2

    def test_references_survive_save_and_open(self, host: Host, workdir: Path) -> None:
        if not self.supports_references:
            pytest.skip("host has no references")
        ref = self.make_reference_file(host, workdir, "prop")
        host.new_file()
        host.load_reference(ref, version_id=3)
        path = workdir / f"with_ref{host.workfile_extensions[0]}"
        host.save_file(path)
        host.new_file()
        host.open_file(path)
        listed = host.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref and listed[0].version_id == 3

    def test_load_missing_reference_raises(self, host: Host, workdir: Path) -> None:
        if not self.supports_references:
            pytest.skip("host has no references")
        host.new_file()
        with pytest.raises(Exception):  # noqa: B017
            host.load_reference(workdir / f"missing{host.workfile_extensions[0]}")
        assert host.list_references() == []

    # --- optional capabilities (stalker_core.hosts.OPTIONAL_HOST_MEMBERS) ----------------

    def test_optional_capabilities_match_their_protocols(self, host: Host) -> None:
        for name, protocol in OPTIONAL_HOST_MEMBERS.items():
            member = getattr(host, name, None)
            if member is None:
                assert not host_supports(host, name)
                continue
            assert callable(member), f"{name} should be a method"
            assert isinstance(host, protocol) and host_supports(host, name)

    def test_set_fps(self, host: Host, workdir: Path) -> None:
        if not host_supports(host, "set_fps"):
            pytest.skip("host has no set_fps")
        if not self.supports_timeline:
            pytest.skip("host has no timeline")
        self.make_workfile(host, workdir)
        host.set_fps(30)  # type: ignore[attr-defined]
        assert host.get_fps() == pytest.approx(30.0)
        assert host.has_unsaved_changes() in (True, None)
        host.set_fps(24000 / 1001)  # type: ignore[attr-defined]
        assert host.get_fps() == pytest.approx(24000 / 1001, abs=1e-3)  # float32 in some DCCs

    def test_export_workfile_leaves_the_scene_as_it_was(self, host: Host, workdir: Path) -> None:
        if not host_supports(host, "export_workfile"):
            pytest.skip("host has no export_workfile")
        host.new_file()
        host.set_scene_metadata({"stalker_version_id": "5"})
        path = workdir / f"scene{host.workfile_extensions[0]}"
        host.save_file(path)
        before = path.read_bytes()
        elsewhere = workdir / "staging"
        elsewhere.mkdir()
        exported = elsewhere / path.name
        host.export_workfile(exported)  # type: ignore[attr-defined]
        assert exported.is_file() and exported.stat().st_size > 0
        assert Path(host.current_file() or "") == path
        assert host.has_unsaved_changes() in (False, None)
        assert path.read_bytes() == before
        host.new_file()
        host.open_file(exported)
        assert host.get_scene_metadata().get("stalker_version_id") == "5"

    def test_exported_workfile_keeps_references_from_another_folder(
        self, host: Host, workdir: Path
    ) -> None:
        if not host_supports(host, "export_workfile"):
            pytest.skip("host has no export_workfile")
        if not self.supports_references:
            pytest.skip("host has no references")
        ref = self.make_reference_file(host, workdir, "prop")
        host.new_file()
        host.load_reference(ref, version_id=3)
        scenes = workdir / "scenes"
        scenes.mkdir()
        path = scenes / f"shot{host.workfile_extensions[0]}"
        host.save_file(path)
        published = workdir / "elsewhere" / "deeper"
        published.mkdir(parents=True)
        exported = published / path.name
        host.export_workfile(exported)  # type: ignore[attr-defined]
        listed = host.list_references()
        assert [Path(c.path) for c in listed] == [ref]  # the open scene is untouched
        host.new_file()
        host.open_file(exported)
        listed = host.list_references()
        assert len(listed) == 1
        assert Path(listed[0].path) == ref and listed[0].version_id == 3

    # --- UI ------------------------------------------------------------------------------

    def test_main_window_does_not_raise(self, host: Host) -> None:
        host.main_window()
