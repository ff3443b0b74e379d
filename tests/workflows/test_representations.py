"""replacement_path: the file of a newer version that takes the place of a reference's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo

from stalker_core.models import File
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version
from stalker_core.workflows.representations import replacement_path


def version_with_outputs(session: Any, demo: Demo, pm: Any, names: list[str]) -> Any:
    """A new comp version whose publish registered ``names`` in its ``publish`` folder."""
    version = save_as_version(FakeHost(), demo.comp, session=session, pm=pm)
    folder = Path(version.absolute_path) / "publish"
    version.outputs.extend(File(full_path=(folder / n).as_posix()) for n in names)
    session.commit()
    return version


@pytest.fixture
def pair(session: Any, demo: Demo, pm: Any) -> tuple[Any, Any]:
    frames = [f"comp_v{{n:03d}}.{f}.exr" for f in (1001, 1002)]
    first = version_with_outputs(session, demo, pm, [
        *(name.format(n=1) for name in frames), "cam_v001.abc", "SH001_comp_Main_v001.fake",
        "matte.1001.png",
    ])
    second = version_with_outputs(session, demo, pm, [
        *(name.format(n=2) for name in frames), "cam_v002.abc", "SH001_comp_Main_v002.fake",
    ])
    return first, second


def publish_dir(version: Any) -> Path:
    return Path(version.absolute_path) / "publish"


def test_a_work_file_gives_the_newer_work_file(pair: tuple[Any, Any]) -> None:
    first, second = pair
    assert replacement_path(first.absolute_full_path, first, second) == Path(
        second.absolute_full_path
    )


@pytest.mark.parametrize(("old", "new"), [
    ("comp_v001.####.exr", "comp_v002.####.exr"),
    ("comp_v001.%04d.exr", "comp_v002.%04d.exr"),
    ("comp_v001.1002.exr", "comp_v002.1002.exr"),  # one frame: the same frame
    ("cam_v001.ABC", "cam_v002.abc"),
    ("SH001_comp_Main_v001.fake", "SH001_comp_Main_v002.fake"),  # the published scene
])
def test_an_output_gives_the_same_kind_of_output(
    pair: tuple[Any, Any], old: str, new: str
) -> None:
    first, second = pair
    assert replacement_path(publish_dir(first) / old, first, second) == publish_dir(second) / new


def test_an_output_the_newer_version_lacks_gives_none(pair: tuple[Any, Any]) -> None:
    first, second = pair
    assert replacement_path(publish_dir(first) / "matte.####.png", first, second) is None


def test_another_file_of_the_work_file_kind_gives_the_work_file(pair: tuple[Any, Any]) -> None:
    first, second = pair
    renamed = Path("/elsewhere/scene_from_first.fake")  # no output of that name: by extension
    assert replacement_path(renamed, first, second) == Path(second.absolute_full_path)
