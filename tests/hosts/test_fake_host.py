"""The FakeHost passes the host contract suite, and its test helpers work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import (
    CAPABILITIES,
    Host,
    ReferenceHost,
    TimelineHost,
    host_capabilities,
    host_supports,
)
from stalker_core.testing.fake_host import FakeHost
from stalker_core.testing.host_contract import HostContract


class TestFakeHostContract(HostContract):
    capabilities = frozenset(CAPABILITIES)

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost()

    def process_events(self, host: Host) -> None:
        cast(FakeHost, host).process_events()


class TestFakeHostUnknownChanges(HostContract):
    """A host that cannot tell whether the scene changed answers None."""

    capabilities = frozenset(CAPABILITIES)

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost(knows_changes=False)

    def process_events(self, host: Host) -> None:
        cast(FakeHost, host).process_events()


class TestFakeHostWorkfileOnly(HostContract):
    """A host with no capability at all still passes the contract (the rest skipped)."""

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost(capabilities=())


class TestFakeHostTimelineAndReferences(HostContract):
    capabilities = frozenset({"timeline", "references"})

    @pytest.fixture
    def host(self) -> FakeHost:
        return FakeHost(capabilities=self.capabilities)


def test_capabilities_choose_what_the_host_has() -> None:
    assert host_capabilities(FakeHost()) == set(CAPABILITIES)
    timeline_only = FakeHost(capabilities={"timeline"})
    assert host_capabilities(timeline_only) == {"timeline"}
    assert host_supports(timeline_only, "timeline")
    assert not host_supports(timeline_only, "references")
    assert timeline_only.load_reference is None and timeline_only.run_in_main_thread is None
    assert isinstance(FakeHost(), TimelineHost) and isinstance(FakeHost(), ReferenceHost)
    with pytest.raises(ValidationError, match="timeline, references, export, ui.*'save_file'"):
        FakeHost(capabilities={"save_file"})
    timeline_only.inject_fault("get_fps")
    with pytest.raises(AttributeError, match="no method 'load_reference'"):
        timeline_only.inject_fault("load_reference")


def test_remove_and_lock_unknown_reference_refused(tmp_path: Path) -> None:
    from stalker_core.hosts import Container

    host = FakeHost()
    ghost = Container("ghost", tmp_path / "ghost.fake")
    with pytest.raises(WorkfileError, match="no reference named 'ghost'"):
        host.remove_reference(ghost)
    with pytest.raises(WorkfileError, match="no reference named 'ghost'"):
        host.lock_reference(ghost)


def test_run_in_main_thread_is_recorded_and_can_fail() -> None:
    host = FakeHost()
    assert host.run_in_main_thread(max, 1, 5) == 5
    assert host.called("run_in_main_thread")[0].args == (max, 1, 5)
    host.inject_fault("run_in_main_thread")
    with pytest.raises(WorkfileError, match="injected fault in run_in_main_thread"):
        host.run_in_main_thread(max, 1, 5)


def test_broken_scene_file_is_a_clear_error_and_leaves_an_empty_scene(tmp_path: Path) -> None:
    path = tmp_path / "broken.fake"
    path.write_text(json.dumps({"stalker_fake_scene": 1, "frame_range": "oops"}))
    host = FakeHost()
    host.edit("kept?")
    with pytest.raises(WorkfileError, match="cannot open .*malformed scene data"):
        host.open_file(path)
    assert host.current_file() is None and host.content == ""


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


def test_lock_and_unlock_reference(tmp_path: Path) -> None:
    host = FakeHost()
    ref = tmp_path / "r.fake"
    host.save_file(ref)
    host.new_file()
    c = host.load_reference(ref, version_id=1)
    locked = host.lock_reference(c)
    assert locked.locked and host.list_references()[0].locked
    assert host.called("lock_reference")[0].args == (c, True)
    assert not host.lock_reference(locked, False).locked
    assert host.list_references() == [c]


def test_contract_refuses_a_wrong_claim_and_skips_unclaimed_tests(tmp_path: Path) -> None:
    class ClaimsTooMuch(HostContract):
        capabilities = frozenset({"timeline", "ui"})

    class ClaimsUnknown(HostContract):
        capabilities = frozenset({"teleport"})

    contract = ClaimsTooMuch()
    host = FakeHost(capabilities={"timeline"})
    with pytest.raises(AssertionError):
        contract.test_claims_exactly_its_capabilities(host)
    with pytest.raises(AssertionError, match="unknown capabilities declared: \\['teleport'\\]"):
        ClaimsUnknown().test_claims_exactly_its_capabilities(host)
    with pytest.raises(pytest.skip.Exception, match="does not claim the 'references' capability"):
        contract.test_remove_reference(host, tmp_path)
    # a claimed capability the host lacks fails its tests instead of passing silently
    with pytest.raises(TypeError):
        contract.test_run_in_main_thread_returns_the_result(host)


def test_a_call_from_a_worker_waits_for_the_event_loop_then_gives_up() -> None:
    """Without process_events() the worker's call times out and never runs later."""
    import threading

    from stalker_core.exceptions import HostError

    host = FakeHost()
    host.main_thread_timeout = 0.05
    ran: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            host.run_in_main_thread(ran.append, 1)
        except HostError as exc:
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    assert len(errors) == 1 and "did not run" in str(errors[0])
    assert host.process_events() == 0 and ran == []
