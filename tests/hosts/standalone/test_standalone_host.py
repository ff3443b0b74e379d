"""The standalone host: contract suite, plain files of any extension, sidecar metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from stalker_standalone import StandaloneHost, sidecar_of
from wf_helpers import build_project, make_pm

from stalker_core.exceptions import WorkfileError
from stalker_core.hosts import host_capabilities
from stalker_core.testing.host_contract import HostContract


class TestStandaloneContract(HostContract):
    """A folder of files: the work file and no capability."""

    capabilities = frozenset()

    @pytest.fixture
    def host(self) -> StandaloneHost:
        return StandaloneHost()


def test_save_copies_the_current_file(tmp_path: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text("# shot notes")
    host = StandaloneHost()
    host.open_file(src)
    target = tmp_path / "out" / "v001.md"
    target.parent.mkdir()
    host.save_file(target)
    assert target.read_text() == "# shot notes" and src.read_text() == "# shot notes"
    assert host.current_file() == target
    assert not sidecar_of(target).exists()  # nothing to record yet


def test_save_never_overwrites_another_file(tmp_path: Path) -> None:
    precious = tmp_path / "v001.txt"
    precious.write_text("PRECIOUS WORK")
    src = tmp_path / "other.txt"
    src.write_text("other")
    host = StandaloneHost()
    host.open_file(src)
    with pytest.raises(WorkfileError, match="Refusing to save over the existing file"):
        host.save_file(precious)
    assert precious.read_text() == "PRECIOUS WORK" and host.current_file() == src
    host.save_file(src)  # the current file itself: saved again
    assert src.read_text() == "other" and host.current_file() == src


def test_metadata_sidecar_round_trip(tmp_path: Path) -> None:
    host = StandaloneHost()
    host.set_scene_metadata({"stalker_version_id": "5"})
    path = tmp_path / "a.exr"
    host.save_file(path)
    assert sidecar_of(path).is_file()
    other = StandaloneHost()
    other.open_file(path)
    assert other.get_scene_metadata() == {"stalker_version_id": "5"}


def test_broken_sidecar_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    sidecar_of(path).write_text("{not json")
    with pytest.raises(WorkfileError, match="cannot read"):
        StandaloneHost().open_file(path)


def test_claims_nothing_a_folder_of_files_cannot_do() -> None:
    host = StandaloneHost()
    assert host_capabilities(host) == frozenset()
    for member in ("get_frame_range", "set_fps", "list_references", "lock_reference",
                   "export_workfile", "main_window", "run_in_main_thread"):
        assert not hasattr(host, member), member


def test_broken_sidecar_metadata_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    sidecar_of(path).write_text('{"metadata": ["not", "a", "mapping"]}')
    host = StandaloneHost()
    with pytest.raises(WorkfileError, match="malformed scene data.*should be a mapping"):
        host.open_file(path)
    assert host.current_file() is None


def test_failed_save_keeps_the_scene(tmp_path: Path) -> None:
    host = StandaloneHost()
    host.set_scene_metadata({"k": "v"})
    with pytest.raises(WorkfileError, match="folder .* is missing"):
        host.save_file(tmp_path / "missing" / "a.txt")
    assert host.current_file() is None and host.has_unsaved_changes() is True
    assert host.get_scene_metadata() == {"k": "v"}


def test_source_deleted_before_save(tmp_path: Path) -> None:
    src = tmp_path / "gone.txt"
    src.write_text("x")
    host = StandaloneHost()
    host.open_file(src)
    src.unlink()
    with pytest.raises(WorkfileError, match="is gone"):
        host.save_file(tmp_path / "b.txt")


def test_save_publish_any_extension_through_workflows(session: Any, tmp_path: Path) -> None:
    from stalker_core.workflows import publish, save_as_version

    demo = build_project(session, tmp_path / "repo")
    pm = make_pm()
    src = tmp_path / "plate.exr"
    src.write_bytes(b"\x76\x2f\x31\x01fake exr")
    host = StandaloneHost()
    host.open_file(src)
    v = save_as_version(host, demo.comp, extension=".exr", session=session, pm=pm)
    path = Path(v.absolute_full_path)
    assert path.suffix == ".exr" and path.read_bytes() == src.read_bytes()
    assert v.created_with == "standalone"
    report = publish(host, v, session=session, pm=pm)
    assert report.published_paths[0].read_bytes() == src.read_bytes()
    # the comp task is in a shot: the timing checks say they were not made
    assert sorted((r.title, r.severity, r.plugin) for r in report.results) == [
        ("Frame range not checked", "info", "publish.frame_range"),
        ("Frame rate not checked", "info", "publish.fps"),
    ]
