"""The FakeHost passes the host contract suite, and its test helpers work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import (
    OPTIONAL_HOST_MEMBERS,
    SupportsExportWorkfile,
    SupportsSetFps,
    host_supports,
)
from stalker_core.testing.fake_host import FakeHost
from stalker_core.testing.host_contract import HostContract


class TestFakeHostContract(HostContract):
    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost()


class TestFakeHostUnknownChanges(HostContract):
    """A host that cannot tell whether the scene changed answers None."""

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost(knows_changes=False)


class TestFakeHostWithoutCapabilities(HostContract):
    """A host without the optional capabilities still passes the contract."""

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost(without=tuple(OPTIONAL_HOST_MEMBERS))


def test_without_hides_optional_capabilities() -> None:
    assert all(host_supports(FakeHost(), name) for name in OPTIONAL_HOST_MEMBERS)
    bare = FakeHost(without=("export_workfile",))
    assert not host_supports(bare, "export_workfile") and host_supports(bare, "set_fps")
    assert FakeHost(without=("set_fps",)).set_fps is None
    assert isinstance(FakeHost(), SupportsSetFps)
    assert isinstance(FakeHost(), SupportsExportWorkfile)
    with pytest.raises(ValidationError, match="export_workfile, set_fps"):
        FakeHost(without=("save_file",))
    with pytest.raises(ValidationError, match="unknown host capability 'teleport'"):
        host_supports(FakeHost(), "teleport")


def test_export_workfile_faults_and_refuses_existing(tmp_path: Path) -> None:
    host = FakeHost()
    host.save_file(tmp_path / "a.fake")
    host.inject_fault("export_workfile", partial=True)
    with pytest.raises(WorkfileError, match="injected fault in export_workfile"):
        host.export_workfile(tmp_path / "b.fake")
    assert 0 < (tmp_path / "b.fake").stat().st_size < (tmp_path / "a.fake").stat().st_size
    with pytest.raises(FileExistsError):
        host.export_workfile(tmp_path / "b.fake")
    with pytest.raises(WorkfileError, match="is missing"):
        host.export_workfile(tmp_path / "missing" / "c.fake")
    host.export_workfile(tmp_path / "c.fake")
    assert (tmp_path / "c.fake").read_bytes() == (tmp_path / "a.fake").read_bytes()


def test_records_calls(tmp_path: Path) -> None:
    host = FakeHost()
    host.save_file(tmp_path / "a.fake")
    host.get_fps()
    assert [c.method for c in host.calls] == ["save_file", "get_fps"]
    assert host.called("save_file")[0].args == (tmp_path / "a.fake",)


def test_edit_makes_dirty_and_save_cleans(tmp_path: Path) -> None:
    host = FakeHost()
    assert host.has_unsaved_changes() is False
    host.edit("cube")
    assert host.has_unsaved_changes() is True
    host.save_file(tmp_path / "a.fake")
    assert host.has_unsaved_changes() is False
    assert "cube" in json.loads((tmp_path / "a.fake").read_text())["content"]


def test_injected_fault_fires_once(tmp_path: Path) -> None:
    host = FakeHost()
    host.inject_fault("save_file", OSError(28, "No space left on device"))
    with pytest.raises(OSError, match="No space"):
        host.save_file(tmp_path / "a.fake")
    assert not (tmp_path / "a.fake").exists()
    host.save_file(tmp_path / "a.fake")
    assert (tmp_path / "a.fake").exists()


def test_partial_save_leaves_truncated_file(tmp_path: Path) -> None:
    host = FakeHost()
    host.edit("x" * 100)
    host.inject_fault("save_file", partial=True)
    with pytest.raises(WorkfileError):
        host.save_file(tmp_path / "a.fake")
    text = (tmp_path / "a.fake").read_text()
    with pytest.raises(ValueError):
        json.loads(text)
    assert host.current_file() is None


def test_fault_skip_and_always(tmp_path: Path) -> None:
    host = FakeHost()
    host.inject_fault("get_fps", skip=1, times=None)
    assert host.get_fps() == 25.0
    for _ in range(3):
        with pytest.raises(WorkfileError):
            host.get_fps()


def test_unknown_method_fault_refused() -> None:
    with pytest.raises(AttributeError, match="no method 'nope'"):
        FakeHost().inject_fault("nope")


def test_open_plain_file_as_content(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("hello")
    host = FakeHost()
    host.open_file(p)
    assert host.content == "hello" and host.current_file() == p


def test_lock_reference(tmp_path: Path) -> None:
    host = FakeHost()
    ref = tmp_path / "r.fake"
    host.save_file(ref)
    host.new_file()
    c = host.load_reference(ref, version_id=1)
    locked = host.lock_reference(c)
    assert locked.locked and host.list_references()[0].locked
