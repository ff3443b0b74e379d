"""References as linked libraries: link, list, replace, lock, remove, survive save+reopen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

from stalker_blender.adapter import BlenderHost  # noqa: E402
from stalker_blender.references import INSTANCE_OF_KEY, LockedReferenceError  # noqa: E402

from stalker_core.exceptions import HostError, WorkfileError  # noqa: E402

pytestmark = pytest.mark.blender

MakeAsset = Callable[..., Path]


def _instances(name: str) -> list[str]:
    return sorted(
        o.name for o in bpy.data.objects if o.library is None and o.get(INSTANCE_OF_KEY) == name
    )


def test_link_instances_root_collections(host: BlenderHost, make_asset: MakeAsset) -> None:
    ref = make_asset("char_v001", objects=2)
    container = host.load_reference(ref, version_id=11)
    assert container.name == "char_v001.blend" and container.path == ref
    lib = bpy.data.libraries[container.name]
    assert lib["stalker_version_id"] == 11
    # one instancing empty for the root collection, not for its child collection
    empties = [o for o in bpy.data.objects if o.library is None]
    assert [(o.instance_type, o.instance_collection.name) for o in empties] == [
        ("COLLECTION", "character")
    ]
    assert bpy.data.collections["character"].library == lib
    assert "character_rig" in bpy.data.collections["character"].children
    assert host.has_unsaved_changes() is True


def test_linking_same_file_twice_adds_an_instance(host: BlenderHost, make_asset: MakeAsset) -> None:
    ref = make_asset("char_v001")
    first = host.load_reference(ref, version_id=1)
    second = host.load_reference(ref)
    assert second == first
    assert len(host.list_references()) == 1
    assert len(_instances(first.name)) == 2


def test_file_without_collections_gets_a_holder(host: BlenderHost, tmp_path: Path) -> None:
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "prop.blend"))
    host.new_file()
    container = host.load_reference(tmp_path / "prop.blend")
    holder = bpy.data.collections["prop"]
    assert holder.library is None and holder[INSTANCE_OF_KEY] == container.name
    assert [o.name for o in holder.objects] == ["Cube"]
    assert bpy.data.objects["Cube"].library is not None
    assert container.version_id is None


def test_link_refuses_bad_paths(host: BlenderHost, tmp_path: Path) -> None:
    with pytest.raises(WorkfileError, match="does not exist"):
        host.load_reference(tmp_path / "none.blend")
    with pytest.raises(WorkfileError, match="absolute"):
        host.load_reference(Path("rel.blend"))
    (tmp_path / "a.abc").write_text("x")
    with pytest.raises(WorkfileError, match="only link .blend"):
        host.load_reference(tmp_path / "a.abc")
    empty = tmp_path / "empty.blend"
    host.save_file(empty)
    host.new_file()
    with pytest.raises(WorkfileError, match="neither collections nor objects"):
        host.load_reference(empty)
    assert host.list_references() == []


def test_replace_points_library_at_other_version(host: BlenderHost, make_asset: MakeAsset) -> None:
    v1 = make_asset("char_v001", x=0.0)
    v2 = make_asset("char_v002", x=5.0)
    container = host.load_reference(v1, version_id=1)
    empties_before = _instances(container.name)
    new = host.replace_reference(container, v2, version_id=2)
    assert new.name == "char_v002.blend" and new.path == v2 and new.version_id == 2
    assert bpy.data.objects["character_body0"].location.x == 5.0
    # the instancing empties follow (same objects, bookkeeping renamed)
    assert _instances(new.name) == empties_before
    assert [c.name for c in host.list_references()] == ["char_v002.blend"]


def test_replace_honours_the_lock(host: BlenderHost, make_asset: MakeAsset) -> None:
    v1, v2 = make_asset("char_v001"), make_asset("char_v002", x=2.0)
    container = host.lock_reference(host.load_reference(v1, version_id=1))
    assert container.locked is True and host.list_references()[0].locked is True
    with pytest.raises(LockedReferenceError, match="locked"):
        host.replace_reference(container, v2, version_id=2)
    assert host.list_references()[0].path == v1
    forced = host.replace_reference(container, v2, version_id=2, force=True)
    assert forced.path == v2 and forced.locked is True
    unlocked = host.lock_reference(forced, False)
    assert unlocked.locked is False


def test_replace_with_incompatible_file_restores_old(
    host: BlenderHost, make_asset: MakeAsset
) -> None:
    v1 = make_asset("char_v001", collection="character")
    other = make_asset("prop_v001", collection="prop")
    container = host.load_reference(v1, version_id=1)
    with pytest.raises(WorkfileError, match="lacks"):
        host.replace_reference(container, other, version_id=9)
    listed = host.list_references()
    assert [(c.name, c.path, c.version_id) for c in listed] == [(container.name, v1, 1)]
    assert not bpy.data.collections["character"].is_missing


def test_replace_onto_an_already_linked_file_is_refused(
    host: BlenderHost, make_asset: MakeAsset
) -> None:
    a_path, b_path = make_asset("char_v001"), make_asset("char_v002")
    a = host.load_reference(a_path)
    host.load_reference(b_path)
    with pytest.raises(WorkfileError, match="already referenced"):
        host.replace_reference(a, b_path)


def test_unknown_container_is_reported(host: BlenderHost, make_asset: MakeAsset) -> None:
    from stalker_core.hosts import Container

    ghost = Container("ghost.blend", make_asset("x"))
    with pytest.raises(HostError, match="No reference 'ghost.blend'"):
        host.replace_reference(ghost, ghost.path)


def test_references_survive_save_and_reopen(
    host: BlenderHost, make_asset: MakeAsset, tmp_path: Path
) -> None:
    v1, v2 = make_asset("char_v001"), make_asset("char_v002", x=3.0)
    container = host.load_reference(v1, version_id=1)
    host.lock_reference(host.replace_reference(container, v2, version_id=2))
    layout = tmp_path / "layout_v001.blend"
    host.save_file(layout)
    host.new_file()
    host.open_file(layout)
    (listed,) = host.list_references()
    assert (listed.name, listed.path, listed.version_id, listed.locked) == (
        "char_v002.blend",
        v2,
        2,
        True,
    )
    assert bpy.data.objects["character_body0"].location.x == 3.0
    assert host.has_unsaved_changes() is False


def test_indirect_libraries_are_not_references(
    host: BlenderHost, make_asset: MakeAsset, tmp_path: Path
) -> None:
    prop = make_asset("prop_v001", collection="prop")
    host.load_reference(prop, version_id=5)
    set_file = tmp_path / "set_v001.blend"
    # a set that itself links the prop, made of a local collection holding the instance
    holder = bpy.data.collections.new("set")
    bpy.context.scene.collection.children.link(holder)
    for obj in list(bpy.context.scene.collection.objects):
        holder.objects.link(obj)
    host.save_file(set_file)
    host.new_file()
    container = host.load_reference(set_file, version_id=6)
    assert [c.name for c in host.list_references()] == [container.name]
    assert len(bpy.data.libraries) == 2


def test_remove_reference(host: BlenderHost, make_asset: MakeAsset) -> None:
    container = host.load_reference(make_asset("char_v001"))
    host.load_reference(container.path)
    host.remove_reference(container)
    assert host.list_references() == []
    assert [o.name for o in bpy.data.objects] == []


def test_overrides_keep_local_edits_across_versions(
    host: BlenderHost, make_asset: MakeAsset, tmp_path: Path
) -> None:
    v1 = make_asset("char_v001", objects=1)
    v2 = make_asset("char_v002", objects=2, x=1.0)
    container = host.load_reference(v1, version_id=1)
    assert host.override_reference(container) == ["character"]
    assert _instances(container.name) == []  # the empty gave way to the override
    body = bpy.data.objects["character_body0"]
    assert body.library is None and body.override_library is not None
    body.location.y = 4.0  # the layout artist places the character
    updated = host.replace_reference(container, v2, version_id=2)
    layout = tmp_path / "layout_v001.blend"
    host.save_file(layout)
    host.new_file()
    host.open_file(layout)
    local = {o.name: o for o in bpy.data.objects if o.library is None}
    assert sorted(local) == ["character_body0", "character_body1"]  # resynced: new object
    # the local edit survived (Blender overrides the whole location vector) ...
    assert tuple(local["character_body0"].location) == (0.0, 4.0, 0.0)
    # ... and what was not edited locally comes from the new version
    assert local["character_body1"].location.x == 1.0
    (listed,) = host.list_references()
    assert listed.name == updated.name and listed.version_id == 2
    host.remove_reference(listed)
    assert list(bpy.data.objects) == [] and host.list_references() == []
