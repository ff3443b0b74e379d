"""The built-in publish plugin, piece by piece: collector, validators, extractor, integrator."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from stalker_publish import collect, extract, integrate, validators

from stalker_core.context import Context
from stalker_core.hosts import VERSION_ID_KEY
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
    assert validators.validate_timing(host=host, item=item) is None


def test_scene_saved_validator(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    assert validators.validate_scene_saved(host=host, item=item) == []
    host.edit()
    assert [r.title for r in validators.validate_scene_saved(host=host, item=item)] == [
        "Unsaved changes"]
    host.metadata[VERSION_ID_KEY] = str(v.id + 1000)
    [_, r] = validators.validate_scene_saved(host=host, item=item)
    assert r.title == "Not the version being published" and f"version id {v.id + 1000}" in r.message
    host.new_file()
    [r] = validators.validate_scene_saved(host=host, item=item)
    assert r.title == "Scene not saved"


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


def test_timing_validator_and_repairs(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    assert validators.validate_timing(host=host, item=item) == []
    host.frame_range, host.fps = (1, 100), 30.0
    results = validators.validate_timing(host=host, item=item)
    assert [r.title for r in results] == ["Frame range", "Frame rate"]
    for r in results:
        r.repair()
    assert host.frame_range == (1001, 1050) and host.fps == 25.0


def test_timing_skipped_without_timeline(setup: Any) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    host.frame_range, host.fps = None, None
    assert validators.validate_timing(host=host, item=item) == []


def test_extractor_and_integrator(setup: Any, tmp_path: Path) -> None:
    demo, host, v, ctx = setup
    item = item_of(host, v, ctx)
    staging = tmp_path / "staging"
    staging.mkdir()
    [rep] = extract.extract_workfile(item=item, staging_dir=staging)
    assert rep.name == "workfile"
    assert rep.path.read_bytes() == Path(v.absolute_full_path).read_bytes()
    assert rep.path.is_relative_to(staging)
    tx = FileTransaction()
    integrate.integrate_to_publish_dir(item=item, representations=[rep], transaction=tx)
    assert tx.destinations == [Path(v.absolute_path) / "publish" / Path(v.absolute_full_path).name]
    assert integrate.publish_dir(v) == Path(v.absolute_path) / "publish"
