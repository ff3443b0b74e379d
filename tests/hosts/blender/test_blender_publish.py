"""The Blender publish plugins: collector, validators (and their repairs), extractors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

from blender_project import build_character, build_production  # noqa: E402
from stalker_blender.adapter import BlenderHost  # noqa: E402
from stalker_blender.publish import CACHE, EXPORT_KEY, SCENE, is_blender_host  # noqa: E402
from stalker_blender.publish.collect import collect_blender_scene, mark_for_export  # noqa: E402
from stalker_blender.publish.extract import extract_cache  # noqa: E402
from stalker_blender.publish.paths import absolute_paths, external_files  # noqa: E402
from stalker_blender.publish.validate import (  # noqa: E402
    stalker_publish_overridden_checks,
    validate_cache_collection,
    validate_external_paths,
    validate_frame_range,
    validate_unsaved_changes,
)

from stalker_core.exceptions import ValidationError, WorkfileError  # noqa: E402
from stalker_core.plugins.api import PublishItem, check_of  # noqa: E402
from stalker_core.testing.fake_host import FakeHost  # noqa: E402

pytestmark = pytest.mark.blender


def scene_item(path: Path | None = None, **data: Any) -> PublishItem:
    version = SimpleNamespace(absolute_full_path=str(path or "/nowhere/scene_v001.blend"))
    return PublishItem("blender_scene", SCENE, version, path=path, data=data)  # type: ignore[arg-type]


def cache_item(collection: str, fmt: str, stem: str = "scene_v001") -> PublishItem:
    version = SimpleNamespace(absolute_full_path=f"/nowhere/{stem}.blend")
    return PublishItem(
        f"cache:{collection}",
        CACHE,
        version,  # type: ignore[arg-type]
        data={"collection": collection, "format": fmt},
    )


def write_png(path: Path) -> Path:
    image = bpy.data.images.new(path.stem, 4, 4)
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save()
    bpy.data.images.remove(image)
    return path


SHOT = {"name": "SH010", "first": 1001, "last": 1048}


# -- only for Blender --------------------------------------------------------------------------


def test_hooks_ignore_other_hosts(tmp_path: Path) -> None:
    fake = FakeHost()
    item = scene_item(shot=SHOT, repository_roots=[])
    for validator in (validate_frame_range, validate_unsaved_changes, validate_external_paths):
        assert validator(fake, item) is None
    assert extract_cache(fake, cache_item("hero", "abc"), tmp_path) is None
    assert collect_blender_scene(fake, None, SimpleNamespace()) is None
    assert stalker_publish_overridden_checks(fake) is None


def second_copy_of(cls: type) -> type:
    """A class like ``cls`` but not ``cls``: what importing the package a second time makes.

    (Installed as a Blender extension, the add-on is ``bl_ext.<repo>.stalker_blender``
    next to the distribution's ``stalker_blender``.)
    """
    namespace = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    return type(cls.__name__, (), namespace)


def test_a_blender_host_is_recognised_by_what_it_is_not_by_its_class(
    host: BlenderHost, tmp_path: Path
) -> None:
    other = second_copy_of(BlenderHost)()
    assert not isinstance(other, BlenderHost)
    assert is_blender_host(host) and is_blender_host(other)
    assert stalker_publish_overridden_checks(other) == ["frame_range", "unsaved_changes"]
    other.set_frame_range(1, 100)
    (result,) = validate_frame_range(other, scene_item(shot=SHOT))
    assert result.plugin == "blender.frame_range"
    build_character("hero")
    (rep,) = extract_cache(other, cache_item("hero", "usd"), tmp_path)
    assert rep.path.is_file()
    # the name alone is not enough: the protocol and the Blender members are needed too
    assert not is_blender_host(FakeHost(name="blender", extensions=(".blend",)))
    assert not is_blender_host(SimpleNamespace(name="blender"))


def test_blender_takes_the_generic_checks_over(host: BlenderHost) -> None:
    assert stalker_publish_overridden_checks(host) == ["frame_range", "unsaved_changes"]
    assert check_of(validate_frame_range) == "frame_range"
    assert check_of(validate_unsaved_changes) == "unsaved_changes"
    assert check_of(validate_external_paths) == "blender.external_paths"
    assert check_of(validate_cache_collection) == "blender.cache"


# -- frame range -------------------------------------------------------------------------------


def test_frame_range_validator_and_repairs(host: BlenderHost) -> None:
    host.set_frame_range(1, 100)
    scene = bpy.context.scene
    scene.use_preview_range = True
    scene.frame_preview_start, scene.frame_preview_end = 5, 6
    scene.frame_step = 2
    results = validate_frame_range(host, scene_item(shot=SHOT))
    assert [(r.title, r.severity) for r in results] == [
        ("Frame range", "error"),
        ("Preview range", "error"),
        ("Frame step", "warning"),
    ]
    assert "1-100" in results[0].message and "1001-1048" in results[0].message
    for result in results:
        result.repair()
    assert validate_frame_range(host, scene_item(shot=SHOT)) == []
    assert host.get_frame_range() == (1001, 1048)


def test_frame_range_validator_without_shot(host: BlenderHost) -> None:
    assert validate_frame_range(host, scene_item(shot=None)) is None


def test_matching_preview_range_passes(host: BlenderHost) -> None:
    host.set_frame_range(1001, 1048)
    scene = bpy.context.scene
    scene.use_preview_range = True
    scene.frame_preview_start, scene.frame_preview_end = 1001, 1048
    assert validate_frame_range(host, scene_item(shot=SHOT)) == []


# -- unsaved changes ---------------------------------------------------------------------------


def test_unsaved_scene_changes(host: BlenderHost, tmp_path: Path) -> None:
    path = tmp_path / "a_v001.blend"
    host.save_file(path)
    assert validate_unsaved_changes(host, scene_item(path)) == []
    bpy.ops.mesh.primitive_cube_add()
    (result,) = validate_unsaved_changes(host, scene_item(path))
    assert result.title == "Unsaved changes" and result.repair is None
    assert "save a new version" in result.message


def test_edited_images_are_saved_or_packed(host: BlenderHost, tmp_path: Path) -> None:
    on_disk = bpy.data.images.load(str(write_png(tmp_path / "tex" / "paint.png")))
    generated = bpy.data.images.new("generated", 4, 4)
    on_disk.pixels[0] = 0.25
    generated.pixels[0] = 0.5
    path = tmp_path / "a.blend"
    host.save_file(path)
    (result,) = validate_unsaved_changes(host, scene_item(path))
    assert result.title == "Unsaved images"
    assert "generated" in result.message and "paint.png" in result.message
    result.repair()
    assert not on_disk.is_dirty and on_disk.packed_file is None  # written back to its file
    assert generated.packed_file is not None  # lives in the .blend now
    assert host.has_unsaved_changes() is True  # packing changed the .blend
    assert [r.title for r in validate_unsaved_changes(host, scene_item(path))] == [
        "Unsaved changes"
    ]


# -- external paths ----------------------------------------------------------------------------


def test_files_outside_repositories(host: BlenderHost, tmp_path: Path, make_asset: Any) -> None:
    repo = tmp_path / "repo"
    outside_lib = make_asset("prop_v001", collection="prop")  # tmp_path/assets: outside
    inside_png = write_png(repo / "tex" / "ok.png")
    outside_png = write_png(tmp_path / "downloads" / "bad.png")
    host.load_reference(outside_lib)
    bpy.data.images.load(str(inside_png))
    bpy.data.images.load(str(outside_png))
    bpy.data.images.new("generated", 2, 2)  # no file: ignored
    item = scene_item(repository_roots=[str(repo)])
    results = validate_external_paths(host, item)
    assert [(r.title, r.repair is not None) for r in results] == [
        ("Files outside the repositories", True),
        ("Files outside the repositories", False),
    ]
    assert "bad.png" in results[0].message and "ok.png" not in results[0].message
    assert "prop_v001.blend" in results[1].message
    results[0].repair()
    assert bpy.data.images["bad.png"].packed_file is not None
    (remaining,) = validate_external_paths(host, item)
    assert remaining.repair is None and "prop_v001.blend" in remaining.message


def test_relative_path_resolving_outside_is_caught(host: BlenderHost, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    work = repo / "shots" / "a_v001.blend"
    work.parent.mkdir(parents=True)
    write_png(tmp_path / "elsewhere.png")
    host.save_file(work)
    image = bpy.data.images.load(str(tmp_path / "elsewhere.png"))
    image.filepath = "//../../elsewhere.png"
    (result,) = validate_external_paths(host, scene_item(work, repository_roots=[str(repo)]))
    assert str(tmp_path / "elsewhere.png") in result.message
    assert validate_external_paths(host, scene_item(work, repository_roots=[str(tmp_path)])) is None


# -- collections to export ---------------------------------------------------------------------


def test_mark_for_export() -> None:
    collection = bpy.data.collections.new("hero")
    mark_for_export(collection, "usd")
    assert collection[EXPORT_KEY] == "usd"
    mark_for_export(collection, None)
    assert EXPORT_KEY not in collection
    with pytest.raises(ValidationError, match="abc, usd"):
        mark_for_export(collection, "fbx")


@pytest.mark.parametrize(
    ("fmt", "suffix", "magic"), [("abc", ".abc", b"Ogawa"), ("usd", ".usd", b"PXR-USDC")]
)
def test_extract_cache(
    host: BlenderHost, tmp_path: Path, fmt: str, suffix: str, magic: bytes
) -> None:
    build_character("hero")
    host.set_frame_range(1, 3)
    host.tracker.mark_clean()
    reps = extract_cache(host, cache_item("hero", fmt), tmp_path / "staging")
    (rep,) = reps
    assert rep.name == fmt and rep.path.name == f"scene_v001_hero{suffix}"
    assert rep.path.is_file() and rep.path.read_bytes()[:16].find(magic) >= 0
    assert host.has_unsaved_changes() is False


def test_cache_collection_validator(host: BlenderHost) -> None:
    build_character("hero")
    bpy.data.collections.new("empty")
    assert validate_cache_collection(host, cache_item("hero", "abc")) is None
    assert "no objects" in validate_cache_collection(host, cache_item("empty", "abc"))[0].message
    assert (
        "no longer exists" in validate_cache_collection(host, cache_item("gone", "usd"))[0].message
    )
    assert "known formats" in validate_cache_collection(host, cache_item("hero", "fbx"))[0].message


# -- the published .blend (BlenderHost.export_workfile) ---------------------------------------


def test_export_workfile_writes_absolute_paths_and_keeps_scene(
    host: BlenderHost, tmp_path: Path, make_asset: Callable[..., Path]
) -> None:
    prop = make_asset("prop_v001", collection="prop")
    png = write_png(tmp_path / "work" / "tex" / "wood.png")
    work = tmp_path / "work" / "shot_v001.blend"
    host.load_reference(prop)
    bpy.data.images.load(str(png)).use_fake_user = True  # kept in the file without users
    host.save_file(work)  # saving makes the paths relative ("//../assets/...", "//tex/...")
    lib, image = bpy.data.libraries[0], bpy.data.images["wood.png"]
    relative = lib.filepath, image.filepath
    assert all(p.startswith("//") for p in relative)
    target = tmp_path / "staging" / "deep" / "shot_v001.blend"
    target.parent.mkdir(parents=True)
    host.export_workfile(target)
    assert (lib.filepath, image.filepath) == relative  # the open scene is untouched
    assert host.current_file() == work and host.has_unsaved_changes() is False
    assert not list(target.parent.glob("*.blend1"))
    host.open_file(target)
    assert bpy.data.libraries[0].filepath == str(prop)
    assert bpy.data.images["wood.png"].filepath == str(png)
    assert bpy.data.collections["prop"].library is not None
    assert bpy.data.images["wood.png"].has_data or bpy.data.images["wood.png"].size[0] == 4


def test_export_workfile_refuses_bad_targets(host: BlenderHost, tmp_path: Path) -> None:
    host.save_file(tmp_path / "a.blend")
    with pytest.raises(WorkfileError, match="existing file"):
        host.export_workfile(tmp_path / "a.blend")
    with pytest.raises(WorkfileError, match="does not exist"):
        host.export_workfile(tmp_path / "missing" / "b.blend")
    with pytest.raises(WorkfileError, match=r"\.blend"):
        host.export_workfile(tmp_path / "b.txt")
    assert host.current_file() == tmp_path / "a.blend"


def test_absolute_paths_restores_on_error(host: BlenderHost, tmp_path: Path) -> None:
    work = tmp_path / "a.blend"
    host.save_file(work)
    write_png(tmp_path / "t.png")
    image = bpy.data.images.load(str(tmp_path / "t.png"))
    image.filepath = "//t.png"
    image.pixels[0] = 0.75  # painted, not saved: must not be reloaded from disk
    with pytest.raises(RuntimeError), absolute_paths() as changed:
        assert changed == 1 and image.filepath == str(tmp_path / "t.png")
        raise RuntimeError("boom")
    assert image.filepath == "//t.png"
    assert image.is_dirty and image.pixels[0] == pytest.approx(0.75, abs=1e-2)
    assert [f.path for f in external_files()] == [str(tmp_path / "t.png")]


# -- the collector (database) ------------------------------------------------------------------


def test_collector_items(session: Any, tmp_path: Path, host: BlenderHost) -> None:
    from stalker_core.models import Version

    prod = build_production(session, tmp_path / "repo")
    build_character("hero")
    mark_for_export(bpy.data.collections["hero"], "abc")
    version = Version(task=prod.layout)
    session.add(version)
    session.flush()
    items = collect_blender_scene(host, None, version)
    assert [(i.name, i.kind) for i in items] == [("blender_scene", SCENE), ("cache:hero", CACHE)]
    assert items[0].data["shot"] == {"name": "SH010", "first": 1001, "last": 1048, "fps": 25.0}
    assert items[0].data["repository_roots"] == [str(tmp_path / "repo")]
    assert items[1].data == {"collection": "hero", "format": "abc"}
    asset_version = Version(task=prod.model)
    session.add(asset_version)
    session.flush()
    assert collect_blender_scene(host, None, asset_version)[0].data["shot"] is None
