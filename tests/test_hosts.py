"""The host protocol: members derived from the protocols, capabilities, fallbacks."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Protocol

import pytest

from stalker_core.exceptions import (
    HostCapabilityError,
    HostError,
    StalkerTypeError,
    ValidationError,
)
from stalker_core.hosts import (
    CAPABILITIES,
    HOST_MEMBERS,
    ExportHost,
    Host,
    ReferenceHost,
    TimelineHost,
    UIHost,
    host_capabilities,
    host_main_window,
    host_run_in_main_thread,
    host_supports,
    missing_host_members,
    protocol_members,
    require_capability,
)
from stalker_core.testing.fake_host import FakeHost


def test_members_are_derived_from_the_protocols() -> None:
    assert HOST_MEMBERS == (
        "name", "workfile_extensions", "current_file", "has_unsaved_changes",
        "save_file", "open_file", "new_file", "get_scene_metadata", "set_scene_metadata",
    )
    assert protocol_members(TimelineHost) == (
        "get_frame_range", "set_frame_range", "get_fps", "set_fps"
    )
    assert protocol_members(ReferenceHost) == (
        "list_references", "load_reference", "replace_reference", "remove_reference",
        "lock_reference",
    )
    assert protocol_members(ExportHost) == ("export_workfile",)
    assert protocol_members(UIHost) == ("main_window", "run_in_main_thread")
    assert dict(CAPABILITIES) == {
        "timeline": TimelineHost, "references": ReferenceHost, "export": ExportHost, "ui": UIHost,
    }


def test_protocol_members_of_a_new_protocol_follow_it() -> None:
    class Base(Protocol):
        size: int

        def grow(self) -> None: ...

    class Extended(Base, Protocol):
        label: str

        def shrink(self) -> None: ...

        @property
        def area(self) -> int: ...

        def _private(self) -> None: ...

    assert protocol_members(Base) == ("size", "grow")
    assert protocol_members(Extended) == ("size", "label", "grow", "shrink", "area")
    with pytest.raises(StalkerTypeError, match="should be a Protocol class"):
        protocol_members(FakeHost)


class WorkfileOnly:
    """The required protocol and nothing else."""

    name = "plain"
    workfile_extensions = (".txt",)

    def current_file(self) -> Path | None:
        return None

    def has_unsaved_changes(self) -> bool | None:
        return None

    def save_file(self, path: Path) -> None:
        pass

    def open_file(self, path: Path) -> None:
        pass

    def new_file(self) -> None:
        pass

    def get_scene_metadata(self) -> dict[str, str]:
        return {}

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        pass


class HalfTimeline(WorkfileOnly):
    """Has part of the timeline: that is no timeline."""

    def get_frame_range(self) -> tuple[int, int]:
        return (1, 2)

    def get_fps(self) -> float:
        return 24.0

    set_fps = "not callable"


def test_a_host_needs_every_required_member() -> None:
    assert missing_host_members(WorkfileOnly()) == []
    assert isinstance(WorkfileOnly(), Host)

    class NoSave(WorkfileOnly):
        save_file = None  # type: ignore[assignment]

    assert missing_host_members(NoSave()) == ["save_file"]
    assert missing_host_members(object()) == list(HOST_MEMBERS)


def test_a_capability_counts_only_with_all_its_members_callable() -> None:
    assert host_capabilities(WorkfileOnly()) == frozenset()
    half = HalfTimeline()
    assert host_capabilities(half) == frozenset()
    assert not host_supports(half, "timeline")
    with pytest.raises(HostCapabilityError) as info:
        require_capability(half, "timeline")
    err = info.value
    assert isinstance(err, HostError)
    assert err.host is half and err.capability == "timeline"
    assert str(err) == (
        "host 'plain' does not have the 'timeline' capability: it lacks set_frame_range, set_fps"
    )
    require_capability(FakeHost(), "timeline")


def test_unknown_capability_names_the_known_ones() -> None:
    for call in (host_supports, require_capability):
        with pytest.raises(
            ValidationError,
            match="unknown host capability 'teleport'; expected one of "
            "timeline, references, export, ui",
        ):
            call(FakeHost(), "teleport")


def test_recognised_by_protocol_not_by_class() -> None:
    """Any object with the members is a host with those capabilities, whatever its class."""
    attrs: dict[str, Any] = {m: getattr(WorkfileOnly, m) for m in HOST_MEMBERS}
    attrs["export_workfile"] = lambda self, path: None
    Elsewhere = type("BlenderHost", (), attrs)  # e.g. imported as bl_ext....adapter
    host = Elsewhere()
    assert missing_host_members(host) == []
    assert host_capabilities(host) == {"export"}


def test_ui_fallbacks_without_the_ui_capability() -> None:
    host = FakeHost(capabilities={"timeline"})
    assert host_main_window(host) is None
    threads: list[threading.Thread] = []

    def work(a: int, b: int = 0) -> int:
        threads.append(threading.current_thread())
        return a * b

    assert host_run_in_main_thread(host, work, 6, b=7) == 42
    assert host.called("run_in_main_thread") == []

    def run_from_worker() -> None:
        assert host_run_in_main_thread(host, work, 1, b=1) == 1

    worker = threading.Thread(target=run_from_worker)
    worker.start()
    worker.join()
    # no main thread to go to: the callable ran in the calling thread each time
    assert threads == [threading.main_thread(), worker]
    with pytest.raises(ZeroDivisionError):
        host_run_in_main_thread(host, lambda: 1 / 0)


def test_ui_host_is_asked() -> None:
    host = FakeHost()
    window = object()
    host.main_window = lambda: window  # type: ignore[method-assign]
    assert host_main_window(host) is window
    assert host_run_in_main_thread(host, str, 5) == "5"
    assert [c.args for c in host.called("run_in_main_thread")] == [(str, 5)]
