"""The built-in publish plugin, piece by piece: collector, validators, extractor, integrator."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from stalker_publish import collect, extract, integrate, validators

from stalker_core.context import Context
from stalker_core.exceptions import PublishError
from stalker_core.hosts import VERSION_ID_KEY, host_supports
from stalker_core.plugins.api import check_of
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import FileTransaction, save_as_version

sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
from wf_helpers import build_project, make_pm  # noqa: E402


@pytest.fixture
def setup(session: Any, tmp_path: Path) -> tuple[Any, FakeHost, Any, Context]:
    demo = build_project(session, tmp_path / "repo")
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=make_pm())
    return demo, host, v, Context.for_version(v, session=session)


def item_of(host: FakeHost, v: Any, ctx: Context) -> Any:
    [item] = collect.stalker_publish_collect(host=host, context=ctx, version=v)
    return item


def test_collector_gathers_db_facts(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    assert item.name == item.kind == "workfile" and item.version is v
    assert item.path == Path(v.absolute_full_path)
    assert item.data["shot"] == {"name": "SH001", "first": 1001, "last": 1050, "fps": 25.0}
    assert item.data["references"] == [] and item.data["version_id"] == v.id


def test_collector_no_shot_for_asset_tasks(setup: Any, session: Any) -> None:
    demo, host, v, ctx = setup
    mv = save_as_version(host, demo.model, session=session, pm=make_pm())
    item = item_of(host, mv, Context.for_version(mv, session=session))
    assert item.data["shot"] is None
    assert validators.validate_frame_range(host=host, item=item) is None
    assert validators.validate_fps(host=host, item=item) is None


def test_scene_validators(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    checks = (
        validators.validate_scene_saved,
        validators.validate_unsaved_changes,
        validators.validate_version_match,
    )

    def titles() -> list[str]:
        return [r.title for check in checks for r in (check(host=host, item=item) or [])]

    assert titles() == []
    host.edit()
    assert titles() == ["Unsaved changes"]
    host.metadata[VERSION_ID_KEY] = str(v.id + 1000)
    [r] = validators.validate_version_match(host=host, item=item)
    assert r.title == "Not the version being published" and f"version id {v.id + 1000}" in r.message
    assert titles() == ["Unsaved changes", "Not the version being published"]
    host.new_file()
    host.edit()
    assert titles() == ["Scene not saved"]  # reported once, not as unsaved/unknown version too


def test_unsaved_changes_unknown_passes(session: Any, tmp_path: Path) -> None:
    demo = build_project(session, tmp_path / "repo")
    host = FakeHost(knows_changes=False)
    v = save_as_version(host, demo.comp, session=session, pm=make_pm())
    item = item_of(host, v, Context.for_version(v, session=session))
    host.edit()
    assert validators.validate_unsaved_changes(host=host, item=item) == []


def test_file_location_validator(setup: Any, tmp_path: Path) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    assert validators.validate_file_location(host=host, item=item) == []
    host.save_file(tmp_path / "elsewhere.fake")
    [r] = validators.validate_file_location(host=host, item=item)
    assert r.title == "Wrong file" and "elsewhere.fake" in r.message
    Path(v.absolute_full_path).unlink()
    titles = [r.title for r in validators.validate_file_location(host=host, item=item)]
    assert titles == ["Version file missing", "Wrong file"]


def test_timing_validators_and_repairs(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    assert validators.validate_frame_range(host=host, item=item) == []
    assert validators.validate_fps(host=host, item=item) == []
    host.frame_range, host.fps = (1, 100), 30.0
    [frames] = validators.validate_frame_range(host=host, item=item)
    [rate] = validators.validate_fps(host=host, item=item)
    assert (frames.title, rate.title) == ("Frame range", "Frame rate")
    assert frames.message == "the scene runs 1-100, shot SH001 is 1001-1050"
    assert frames.plugin == "publish.frame_range" and frames.repair_label == "Set 1001-1050"
    assert "30 fps" in rate.message
    frames.repair()
    rate.repair()
    assert host.frame_range == (1001, 1050) and host.fps == 25.0


def test_timing_not_checked_without_timeline(session: Any, tmp_path: Path) -> None:
    """The fallback: no timeline, the timing checks say so (info) and never call the host."""
    demo = build_project(session, tmp_path / "repo")
    host = FakeHost(capabilities={"references", "export", "ui"})
    assert not host_supports(host, "timeline")
    v = save_as_version(host, demo.comp, session=session, pm=make_pm())
    item = item_of(host, v, Context.for_version(v, session=session))
    [frames] = validators.validate_frame_range(host=host, item=item)
    [rate] = validators.validate_fps(host=host, item=item)
    assert (frames.title, frames.severity, frames.plugin, frames.repair) == (
        "Frame range not checked", "info", "publish.frame_range", None
    )
    assert (rate.title, rate.severity, rate.plugin) == (
        "Frame rate not checked", "info", "publish.fps"
    )
    assert "host 'fake' has no timeline" in frames.message
    assert not frames.is_error and not rate.is_error


def test_no_references_without_the_capability(session: Any, tmp_path: Path) -> None:
    demo = build_project(session, tmp_path / "repo")
    host = FakeHost(capabilities={"timeline"})
    v = save_as_version(host, demo.comp, session=session, pm=make_pm())
    ctx = Context.for_version(v, session=session)
    item = item_of(host, v, ctx)
    assert item.data["references"] == []
    assert validators.validate_references(host=host, context=ctx, item=item) == []


def test_shot_timing_is_shared_with_the_core(setup: Any) -> None:
    from stalker_core.plugins.timing import shot_of, shot_timing

    demo, host, v, ctx = setup
    shot = shot_of(v.task)
    assert shot is not None and shot.name == "SH001"
    assert item_of(host, v, ctx).data["shot"] == shot_timing(shot)
    assert shot_of(demo.model) is None and shot_timing(None) is None


def test_validators_declare_their_checks() -> None:
    declared = {
        name: check_of(getattr(validators, name))
        for name in dir(validators)
        if name.startswith("validate_")
    }
    assert declared == {
        "validate_scene_saved": "scene_saved",
        "validate_unsaved_changes": "unsaved_changes",
        "validate_version_match": "version_match",
        "validate_file_location": "file_location",
        "validate_frame_range": "frame_range",
        "validate_fps": "fps",
        "validate_references": "references",
    }


def test_extractor_uses_the_hosts_export(setup: Any, tmp_path: Path) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    staging = tmp_path / "staging"
    staging.mkdir()
    [rep] = extract.extract_workfile(host=host, item=item, staging_dir=staging)
    assert rep.name == "workfile" and rep.path.is_relative_to(staging)
    assert rep.path.name == Path(v.absolute_full_path).name
    assert [c.args for c in host.called("export_workfile")] == [(rep.path,)]
    assert rep.path.read_bytes() == Path(v.absolute_full_path).read_bytes()
    assert host.current_file() == Path(v.absolute_full_path) and host.dirty is False


def test_extractor_export_that_writes_nothing_fails(setup: Any, tmp_path: Path) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    host.export_workfile = lambda path: None  # type: ignore[method-assign]
    with pytest.raises(PublishError, match="did not write the work file"):
        extract.extract_workfile(host=host, item=item, staging_dir=tmp_path)


def test_extractor_and_integrator(session: Any, tmp_path: Path) -> None:
    """Hosts without the export capability: the version's file is copied byte for byte."""
    demo = build_project(session, tmp_path / "repo")
    host = FakeHost(frame_range=(1001, 1050), capabilities={"timeline", "references", "ui"})
    v = save_as_version(host, demo.comp, session=session, pm=make_pm())
    item = item_of(host, v, Context.for_version(v, session=session))
    Path(v.absolute_full_path).write_bytes(b"exact bytes \x00\xff")
    staging = tmp_path / "staging"
    staging.mkdir()
    [rep] = extract.extract_workfile(host=host, item=item, staging_dir=staging)
    assert rep.name == "workfile" and host.called("export_workfile") == []
    assert rep.path.read_bytes() == Path(v.absolute_full_path).read_bytes()
    assert rep.path.is_relative_to(staging)
    tx = FileTransaction()
    integrate.integrate_to_publish_dir(item=item, representations=[rep], transaction=tx)
    assert tx.destinations == [Path(v.absolute_path) / "publish" / Path(v.absolute_full_path).name]
    assert integrate.publish_dir(v) == Path(v.absolute_path) / "publish"
