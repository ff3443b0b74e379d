"""Updating an outdated Read on the FAKE nuke: it moves to the newer version's renders.

A Read reads published frames, not a script: "update to latest" must point it
at the newer version's frames of the same render (same name once the version
is left out, same extension), never at the newer ``.nk``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nuke_project import shot_script

from stalker_core.workflows import publish, save_as_version, update_references


def publish_render(host: Any, nuke: Any, prod: Any, kw: dict[str, Any], number: int,
                   extra: str | None = None) -> Any:
    """Save and publish anim v<number> rendering ``SH001_anim_Main_v<number>.####.exr``."""
    host.new_file()
    renders = prod.root / "NP" / "SH001" / "renders"
    shot_script(host, nuke, prod, renders / f"SH001_anim_Main_v{number:03d}.####.exr")
    if extra is not None:
        from stalker_nuke.publish.collect import mark_for_publish

        matte = nuke.createNode("Write", inpanel=False)
        matte["file"].setValue((renders / extra).as_posix())
        mark_for_publish(matte)
    version = save_as_version(host, prod.anim, "Main", **kw)
    assert version.version_number == number
    publish(host, version, **kw)
    return version


@pytest.fixture
def versions(host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any]) -> tuple[Any, Any]:
    first = publish_render(host, fake_nuke, prod, kw, 1, extra="matte_v001.####.png")
    second = publish_render(host, fake_nuke, prod, kw, 2)
    return first, second


def test_a_read_of_renders_moves_to_the_newer_renders(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any], versions: tuple[Any, Any]
) -> None:
    first, second = versions
    publish_dir = Path(first.absolute_path) / "publish"
    host.new_file()
    read = host.load_reference(publish_dir / "SH001_anim_Main_v001.%04d.exr", version_id=first.id)
    report = update_references(host, session=kw["session"], pm=kw["pm"])
    assert [(c.name, old.id, new.id) for c, old, new in report.updated] == [
        (read.name, first.id, second.id)
    ]
    node = fake_nuke.toNode(read.name)
    assert node.Class() == "Read"
    assert node["file"].value() == (publish_dir / "SH001_anim_Main_v002.%04d.exr").as_posix()
    [listed] = host.list_references()
    assert listed.version_id == second.id
    assert listed.path.suffix == ".exr"


def test_a_read_of_a_render_the_newer_version_lacks_stays(
    host: Any, fake_nuke: Any, prod: Any, kw: dict[str, Any], versions: tuple[Any, Any]
) -> None:
    first, second = versions
    matte = Path(first.absolute_path) / "publish" / "matte_v001.####.png"
    host.new_file()
    read = host.load_reference(matte, version_id=first.id)
    report = update_references(host, session=kw["session"], pm=kw["pm"])
    assert report.updated == []
    [(container, why)] = report.unmatched
    assert container.name == read.name
    assert "v002 has no file like matte_v001.####.png" in why
    assert fake_nuke.toNode(read.name)["file"].value() == matte.as_posix()
    assert host.list_references()[0].version_id == first.id
