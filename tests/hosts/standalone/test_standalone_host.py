"""The standalone host: contract suite, plain files of any extension, sidecar metadata."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from stalker_standalone import StandaloneHost, sidecar_of

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.testing.host_contract import HostContract

sys.path.insert(0, str(Path(__file__).parents[2] / "workflows"))
from wf_helpers import build_project, make_pm  # noqa: E402


class TestStandaloneContract(HostContract):
    supports_timeline = False

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


def test_no_timeline(tmp_path: Path) -> None:
    host = StandaloneHost()
    assert host.get_frame_range() is None and host.get_fps() is None
    with pytest.raises(HostError, match="no timeline"):
        host.set_frame_range(1, 2)


def test_source_deleted_before_save(tmp_path: Path) -> None:
    src = tmp_path / "gone.txt"
    src.write_text("x")
    host = StandaloneHost()
    host.open_file(src)
    src.unlink()
    with pytest.raises(WorkfileError, match="is gone"):
        host.save_file(tmp_path / "b.txt")


def test_reference_lock(tmp_path: Path) -> None:
    ref = tmp_path / "r.txt"
    ref.write_text("r")
    host = StandaloneHost()
    c = host.load_reference(ref, version_id=1)
    assert host.set_reference_lock(c).locked


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
