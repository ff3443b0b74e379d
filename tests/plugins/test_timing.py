"""The shared shot-timing helpers every host's publish checks use."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
from wf_helpers import Demo, build_project  # noqa: E402

from stalker_core.plugins.timing import (  # noqa: E402
    ShotTiming,
    frame_range_result,
    shot_of,
    shot_timing,
    timeline_not_checked,
)
from stalker_core.testing.fake_host import FakeHost  # noqa: E402

SHOT = ShotTiming(name="SH010", first=1001, last=1048, fps=24.0)


@pytest.fixture
def demo(session: Any, tmp_path: Path) -> Demo:
    return build_project(session, tmp_path / "repo")


def test_frame_range_result_only_for_a_different_range() -> None:
    host = FakeHost()
    assert frame_range_result(host, (1001, 1048), SHOT, plugin="x.frame_range") is None
    result = frame_range_result(
        host, (1, 250), SHOT, plugin="blender.frame_range", scene="the Blender scene 'Scene'"
    )
    assert result is not None and result.is_error
    assert (result.title, result.plugin, result.repair_label) == (
        "Frame range", "blender.frame_range", "Set 1001-1048"
    )
    assert result.message == "the Blender scene 'Scene' runs 1-250, shot SH010 is 1001-1048"
    assert result.repair is not None
    result.repair()
    assert host.get_frame_range() == (1001, 1048) and host.dirty


def test_timeline_not_checked_is_information() -> None:
    result = timeline_not_checked(FakeHost("plain"), "Frame rate", plugin="publish.fps")
    assert (result.title, result.severity, result.plugin, result.repair) == (
        "Frame rate not checked", "info", "publish.fps", None
    )
    assert result.message == (
        "host 'plain' has no timeline; the frame rate of the shot was not checked"
    )


def test_shot_of_walks_up_to_the_shot(demo: Demo) -> None:
    assert shot_of(demo.comp) is demo.shot and shot_of(demo.shot) is demo.shot
    assert shot_of(demo.model) is None and shot_of(None) is None
    timing: Any = shot_timing(demo.shot)
    assert timing == {"name": "SH001", "first": 1001, "last": 1050, "fps": 25.0}
