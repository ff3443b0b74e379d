"""Each documented fallback of a host without a capability, through the workflows."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from wf_helpers import Demo

from stalker_core.hosts import host_main_window, host_run_in_main_thread
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import (
    find_outdated,
    open_version,
    publish,
    save_as_version,
    update_references,
    validate,
)

#: the cut range of the test project's shot
SH001 = (1001, 1050)
#: every capability but one
ALL_BUT = {
    "timeline": {"references", "export", "ui"},
    "references": {"timeline", "export", "ui"},
    "export": {"timeline", "references", "ui"},
    "ui": {"timeline", "references", "export"},
}


def test_without_timeline_a_shot_publishes_and_says_the_timing_was_not_checked(
    session: Any, demo: Demo, pm: Any
) -> None:
    host = FakeHost(capabilities=ALL_BUT["timeline"])
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    report = publish(host, v, session=session, pm=pm)
    assert report.published and report.errors == []
    assert sorted((r.check, r.title, r.severity) for r in report.results) == [
        ("fps", "Frame rate not checked", "info"),
        ("frame_range", "Frame range not checked", "info"),
    ]
    assert host.called("get_frame_range") == []  # hidden members are never called


def test_with_a_timeline_the_timing_is_checked(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost(frame_range=SH001, fps=25.0, capabilities=ALL_BUT["export"])
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert validate(host, v, session=session, pm=pm).results == []
    assert len(host.called("get_frame_range")) == 1 and len(host.called("get_fps")) == 1


def test_without_references_update_says_so_and_nothing_is_outdated(
    session: Any, demo: Demo, pm: Any
) -> None:
    host = FakeHost(frame_range=SH001, capabilities=ALL_BUT["references"])
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    report = update_references(host, session=session, pm=pm)
    assert report.skipped == "host 'fake' has no references"
    assert (report.updated, report.locked, report.vetoed, report.up_to_date) == ([], [], [], [])
    assert find_outdated(host, session=session) == []
    host.new_file()
    result = open_version(host, v, session=session, pm=pm)
    assert result.checks == []  # the built-in outdated-references check finds nothing
    assert publish(host, v, session=session, pm=pm).published


def test_with_references_update_is_not_skipped(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost()
    save_as_version(host, demo.comp, session=session, pm=pm)
    assert update_references(host, session=session, pm=pm).skipped is None


def test_without_export_the_published_file_is_the_version_file_byte_for_byte(
    session: Any, demo: Demo, pm: Any
) -> None:
    host = FakeHost(frame_range=SH001, capabilities=ALL_BUT["export"])
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    Path(v.absolute_full_path).write_bytes(b"\x00exact\xffbytes")
    host.open_file(Path(v.absolute_full_path))
    host.set_scene_metadata({"stalker_version_id": str(v.id)})  # the plain file lost it
    host.dirty = False
    report = publish(host, v, session=session, pm=pm)
    [published] = report.published_paths
    assert published.read_bytes() == b"\x00exact\xffbytes"


def test_with_export_the_host_writes_the_published_file(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost(frame_range=SH001)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    report = publish(host, v, session=session, pm=pm)
    assert len(host.called("export_workfile")) == 1
    assert report.published_paths[0].read_bytes() == Path(v.absolute_full_path).read_bytes()


def test_without_ui_no_parent_window_and_callables_run_in_the_calling_thread() -> None:
    host = FakeHost(capabilities=ALL_BUT["ui"])
    assert host_main_window(host) is None
    ran_in: list[threading.Thread] = []

    def work(x: int) -> int:
        ran_in.append(threading.current_thread())
        return x + 1

    out: list[int] = []
    worker = threading.Thread(target=lambda: out.append(host_run_in_main_thread(host, work, 1)))
    worker.start()
    worker.join()
    assert out == [2] and ran_in == [worker]
