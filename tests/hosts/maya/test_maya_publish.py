"""Publishing from Maya end to end on the FAKE ``maya.cmds`` (its AbcExport writes a fake cache)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from maya_project import build_production, plugin_manager
from stalker_maya.adapter import MayaHost
from stalker_maya.publish.collect import mark_for_export

from stalker_core.exceptions import PublishValidationError, ValidationError
from stalker_core.workflows import find_outdated, publish, save_as_version, validate


def _crate(cmds: Any) -> str:
    body = cmds.createNode("transform", name="crate_geo")
    return str(cmds.sets(body, name="crate_cache"))


def _titles(exc: PublishValidationError) -> list[str]:
    return [r.title for r in exc.results if r.is_error]


def test_model_then_shot_with_cache_and_outdated_reference(
    session: Any, tmp_path: Path, cmds: Any
) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    mark_for_export(_crate(cmds), "abc")
    model_v1 = save_as_version(host, prod.model, **kw)
    report = publish(host, model_v1, **kw)
    stem = Path(model_v1.absolute_full_path).stem
    assert sorted(p.name for p in report.published_paths) == [
        f"{stem}.ma", f"{stem}_crate_cache.abc",
    ]
    cache = next(p for p in report.published_paths if p.suffix == ".abc")
    assert cache.read_text().splitlines()[1:] == ["frameRange 1 120", "roots crate_geo"]
    published_scene = next(p for p in report.published_paths if p.suffix == ".ma")
    assert f'fileInfo "stalker_version_id" "{model_v1.id}";' in published_scene.read_text()

    host.new_file()
    host.load_reference(Path(model_v1.absolute_full_path), version_id=model_v1.id)
    host.set_frame_range(prod.shot.cut_in, prod.shot.cut_out)
    host.set_fps(prod.shot.fps)
    anim_v1 = save_as_version(host, prod.anim, **kw)
    assert publish(host, anim_v1, **kw).published

    host.open_file(Path(model_v1.absolute_full_path))
    model_v2 = save_as_version(host, prod.model, **kw)
    publish(host, model_v2, **kw)
    host.open_file(Path(anim_v1.absolute_full_path))
    anim_v2 = save_as_version(host, prod.anim, **kw)
    assert [s.latest and s.latest.id for s in find_outdated(host, session=session)] == [model_v2.id]
    with pytest.raises(PublishValidationError) as caught:
        publish(host, anim_v2, **kw)
    assert _titles(caught.value) == ["Outdated reference"]


def test_unsaved_scene_cannot_publish(session: Any, tmp_path: Path, cmds: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    version = save_as_version(host, prod.model, **kw)
    host.new_file()
    with pytest.raises(PublishValidationError) as caught:
        publish(host, version, **kw)
    assert caught.value.results and not version.is_published
    assert not (Path(version.absolute_path) / "publish").exists()


def test_wrong_fps_and_range_are_repaired(session: Any, tmp_path: Path, cmds: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    cmds.createNode("unknown", name="oldPluginNode")
    version = save_as_version(host, prod.anim, **kw)
    results = validate(host, version, session=session, pm=kw["pm"]).results
    errors = sorted(r.title for r in results if r.is_error)
    assert errors == ["Frame range", "Frame rate", "Unknown nodes"]
    for result in results:
        if result.is_error and result.repair is not None:
            result.repair()
    assert host.get_frame_range() == (1001, 1050) and host.get_fps() == prod.shot.fps
    assert cmds.ls(type="unknown") == []


def test_missing_and_outside_references(session: Any, tmp_path: Path, cmds: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    outside = tmp_path / "elsewhere" / "rock.ma"
    outside.parent.mkdir()
    host.save_file(outside)
    gone = tmp_path / "elsewhere" / "tree.ma"
    host.save_file(gone)
    host.new_file()
    host.load_reference(outside)
    host.load_reference(gone)
    gone.unlink()
    host.set_frame_range(1001, 1050)
    version = save_as_version(host, prod.anim, **kw)
    with pytest.raises(PublishValidationError) as caught:
        publish(host, version, **kw)
    messages = [r.message for r in caught.value.results if r.plugin == "maya.reference_files"]
    assert len(messages) == 2
    assert "rock.ma, outside every repository" in messages[0]
    assert "tree.ma, which does not exist" in messages[1]
    assert not version.is_published


def test_empty_cache_set_is_reported(session: Any, tmp_path: Path, cmds: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    mark_for_export(cmds.sets(name="nothing", empty=True))
    version = save_as_version(host, prod.model, **kw)
    with pytest.raises(PublishValidationError) as caught:
        publish(host, version, **kw)
    assert _titles(caught.value) == ["Cache set"]


def test_mark_for_export_refuses_bad_input(cmds: Any) -> None:
    with pytest.raises(ValidationError, match="format"):
        mark_for_export("x", "fbx")
    with pytest.raises(ValidationError, match="no objectSet"):
        mark_for_export("missing")


def test_shot_fps_with_no_maya_unit(session: Any, tmp_path: Path, cmds: Any) -> None:
    prod = build_production(session, tmp_path / "repo")
    prod.shot.fps = 23.5
    session.commit()
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    host.set_frame_range(1001, 1050)
    version = save_as_version(host, prod.anim, **kw)
    [result] = [r for r in validate(host, version, session=session, pm=kw["pm"]).results
                if r.is_error]
    assert result.title == "Frame rate" and result.repair is not None
    with pytest.raises(ValidationError, match="Maya has no time unit for 23.5 fps"):
        result.repair()
    assert host.has_unsaved_changes() is False  # nothing changed
