"""Publishing from Nuke end to end through the FAKE nuke module: renders, checks, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nuke_project import shot_script

from stalker_core.exceptions import PublishValidationError


def titles(excinfo: pytest.ExceptionInfo[PublishValidationError]) -> set[str]:
    return {r.title for r in excinfo.value.results if r.severity == "error"}


def test_publish_renders_the_marked_write(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any]
) -> None:
    from stalker_core.workflows import publish, save_as_version

    renders = prod.root / "NP" / "SH001" / "renders"
    write = shot_script(host, fake_nuke, prod, renders / "comp.####.exr")
    version = save_as_version(host, prod.comp, "Main", **kw)
    report = publish(host, version, **kw)
    assert report.published and version.is_published
    stem = Path(version.absolute_full_path).stem
    names = sorted(p.name for p in report.published_paths)
    assert names == sorted([f"{stem}.nk"] + [f"comp.{f:04d}.exr" for f in range(1001, 1051)])
    publish_dir = Path(version.absolute_path) / "publish"
    assert (publish_dir / "comp.1001.exr").read_bytes() == b"FAKE FRAME 1001\n"
    text = (publish_dir / f"{stem}.nk").read_text()  # the published script, read from outside
    assert " first_frame 1001\n last_frame 1050\n fps 24\n" in text
    assert f" file {(renders / 'comp.####.exr').as_posix()}\n" in text
    assert " addUserKnob {6 stalker_publish}\n stalker_publish true\n" in text
    # the open script is as it was: same Write path, nothing to save
    assert write["file"].value() == (renders / "comp.####.exr").as_posix()
    assert host.has_unsaved_changes() is False


def test_checks_block_a_bad_script(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any], tmp_path: Path
) -> None:
    from stalker_core.workflows import publish, save_as_version

    shot_script(host, fake_nuke, prod, tmp_path / "elsewhere" / "comp.####.exr")
    host.set_frame_range(1, 10)
    host.set_fps(30)
    fake_nuke.root()["format"].setValue("2048 1556 0 0 2048 1556 1 2K")
    plate = prod.root / "plates" / "plate.####.exr"
    plate.parent.mkdir(parents=True)
    (plate.parent / "plate.0001.exr").write_bytes(b"x")
    read = fake_nuke.toNode(host.load_reference(plate).name)
    read["file"].setValue((prod.root / "plates" / "gone.####.exr").as_posix())
    version = save_as_version(host, prod.comp, "Main", **kw)
    with pytest.raises(PublishValidationError) as excinfo:
        publish(host, version, **kw)
    assert {
        "Write path outside the repositories", "Image format", "Frame range", "Frame rate",
        "Missing file",
    } <= titles(excinfo)
    messages = " ".join(r.message for r in excinfo.value.results)
    assert "renders to " + (tmp_path / "elsewhere").as_posix() in messages
    assert "outside every repository of the project" in messages
    assert not version.is_published
    assert not (Path(version.absolute_path) / "publish").exists()
    assert not (tmp_path / "elsewhere").exists()


def test_format_repair(host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any]) -> None:
    from stalker_core.workflows import publish, save_as_version

    shot_script(host, fake_nuke, prod, None)
    fake_nuke.root()["format"].setValue("2048 1556 0 0 2048 1556 1 2K")
    version = save_as_version(host, prod.comp, "Main", **kw)
    with pytest.raises(PublishValidationError) as excinfo:
        publish(host, version, **kw)
    [result] = [r for r in excinfo.value.results if r.title == "Image format"]
    assert result.repair is not None
    result.repair()
    fmt = fake_nuke.root()["format"].value()
    assert (fmt.width(), fmt.height()) == (1920, 1080)


def test_outdated_read_is_reported(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any]
) -> None:
    from stalker_core.workflows import publish, save_as_version

    shot_script(host, fake_nuke, prod, None)
    v1 = save_as_version(host, prod.comp, "Main", **kw)
    publish(host, v1, **kw)
    v2 = save_as_version(host, prod.comp, "Main", **kw)
    publish(host, v2, **kw)
    host.new_file()
    shot_script(host, fake_nuke, prod, None)
    plate = prod.root / "plate.exr"
    plate.write_bytes(b"x")
    host.load_reference(plate, version_id=v1.id)
    v3 = save_as_version(host, prod.comp, "Main", **kw)
    with pytest.raises(PublishValidationError) as excinfo:
        publish(host, v3, **kw)
    assert "Outdated reference" in titles(excinfo)


def test_unsaved_script_is_not_published(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any]
) -> None:
    from stalker_core.workflows import publish, save_as_version

    shot_script(host, fake_nuke, prod, None)
    version = save_as_version(host, prod.comp, "Main", **kw)
    host.new_file()
    assert fake_nuke.root().name() == "Root"
    with pytest.raises(PublishValidationError) as excinfo:
        publish(host, version, **kw)
    assert "Scene not saved" in titles(excinfo)
    assert not version.is_published
    assert not (Path(version.absolute_path) / "publish").exists()


def test_hooks_ignore_other_hosts(fake_nuke: Any) -> None:
    from stalker_nuke.plugin import stalker_host_get
    from stalker_nuke.publish import RENDER, is_nuke_host
    from stalker_nuke.publish.validate import validate_write_paths

    from stalker_core.plugins.api import PublishItem
    from stalker_core.testing import FakeHost

    write = fake_nuke.createNode("Write", inpanel=False)
    item = PublishItem(name="render:Write1", kind=RENDER, version=None, data={"node": "Write1"})
    other = FakeHost()
    assert not is_nuke_host(other)
    assert validate_write_paths(host=other, item=item) is None
    nuke_host = stalker_host_get(context=None)
    assert is_nuke_host(nuke_host)
    [result] = validate_write_paths(host=nuke_host, item=item) or []
    assert result.message == f"Write node {write.name()!r} has no file to render to"
