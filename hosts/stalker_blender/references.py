"""References in Blender: linked libraries instanced in the scene.

A reference is one ``bpy.types.Library`` (a linked ``.blend``). Loading one
links the file's *root collections* (collections that are not children of
another collection of that file) and instances each of them in the scene with
an empty (``instance_type = "COLLECTION"``), the way Blender's File > Link does,
so the artist can place the instances. A file without collections gets its
objects linked into a new local collection named after the file.

Pipeline data lives on the library datablock as custom properties (they
survive saving, re-opening and reloading the library):

* ``stalker_version_id`` (int): the Version the linked file belongs to;
* ``stalker_locked`` (bool): a locked reference is not replaced.

:func:`override_library` turns the instances into library overrides, so the
artist can pose and animate the linked objects; the local edits survive
pointing the reference at another version, because Blender re-syncs the
overrides when the library reloads.

The container name is the library's name (unique in ``bpy.data.libraries``);
it is renamed after the file when the reference is pointed at another file.
Only direct libraries are references; libraries linked indirectly through
another library (``library.parent`` is set) are not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import bpy

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.hosts import VERSION_ID_KEY, Container

#: library custom property holding the lock flag
LOCKED_KEY = "stalker_locked"
#: object custom property naming the library an instancing empty belongs to
INSTANCE_OF_KEY = "stalker_reference"


class LockedReferenceError(HostError):
    """A locked reference was asked to point at another file."""


def library_path(library: Any) -> Path:
    """Return the absolute, normalised path of ``library``'s file."""
    return Path(os.path.normpath(bpy.path.abspath(library.filepath)))


def _norm(path: Path | str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(str(path))))


def direct_libraries() -> list[Any]:
    """Return the libraries linked directly into the open file, by name."""
    libs = [lib for lib in bpy.data.libraries if getattr(lib, "parent", None) is None]
    return sorted(libs, key=lambda lib: lib.name)


def find_library(name: str) -> Any:
    """Return the direct library called ``name``.

    :raises HostError: when the scene has no such reference.
    """
    lib = bpy.data.libraries.get(name)
    if lib is None or getattr(lib, "parent", None) is not None:
        known = ", ".join(repr(lib.name) for lib in direct_libraries()) or "none"
        raise HostError(f"No reference {name!r} in the open Blender file (references: {known}).")
    return lib


def library_for_path(path: Path) -> Any | None:
    """Return the direct library whose file is ``path``, or ``None``."""
    wanted = _norm(path)
    for lib in direct_libraries():
        if _norm(library_path(lib)) == wanted:
            return lib
    return None


def container_of(library: Any) -> Container:
    """Build the :class:`~stalker_core.hosts.Container` describing ``library``."""
    raw = library.get(VERSION_ID_KEY)
    version_id = int(raw) if raw is not None else None
    return Container(
        name=library.name,
        path=library_path(library),
        version_id=version_id,
        locked=bool(library.get(LOCKED_KEY, False)),
    )


def _set_version_id(library: Any, version_id: int | None) -> None:
    if version_id is None:
        if VERSION_ID_KEY in library:
            del library[VERSION_ID_KEY]
        return
    if isinstance(version_id, bool) or not isinstance(version_id, int):
        raise WorkfileError(
            f"version_id must be an int or None, not {type(version_id).__name__} {version_id!r}."
        )
    library[VERSION_ID_KEY] = version_id


def _check_blend_file(path: Path) -> Path:
    path = Path(path)
    if not path.is_absolute():
        raise WorkfileError(f"Reference paths must be absolute, got {str(path)!r}.")
    if path.suffix.lower() != ".blend":
        raise WorkfileError(f"Blender can only link .blend files, got {str(path)!r}.")
    if not path.is_file():
        raise WorkfileError(f"Cannot link {str(path)!r}: the file does not exist.")
    return path


def _root_collections(collections: list[Any]) -> list[Any]:
    children = {child.name_full for col in collections for child in col.children}
    return [col for col in collections if col.name_full not in children]


def _instance(scene: Any, library: Any, collection: Any) -> Any:
    empty = bpy.data.objects.new(collection.name, None)
    empty.instance_type = "COLLECTION"
    empty.instance_collection = collection
    empty[INSTANCE_OF_KEY] = library.name
    scene.collection.objects.link(empty)
    return empty


def link_library(scene: Any, path: Path, version_id: int | None = None) -> Container:
    """Link ``path`` into ``scene`` and return its container.

    Linking a file that is already referenced adds one more instance of its
    root collections and returns the existing container.
    """
    path = _check_blend_file(path)
    existing = library_for_path(path)
    try:
        with bpy.data.libraries.load(str(path), link=True, relative=False) as (src, dst):
            dst.collections = list(src.collections)
            if not src.collections:
                dst.objects = list(src.objects)
    except OSError as exc:
        raise WorkfileError(f"Blender could not link {str(path)!r}: {exc}") from exc
    linked_cols = [c for c in dst.collections if c is not None]
    linked_objs = [o for o in getattr(dst, "objects", []) or [] if o is not None]
    library = existing
    for datablock in linked_cols + linked_objs:
        library = datablock.library
        break
    if library is None:
        raise WorkfileError(f"{str(path)!r} holds neither collections nor objects to link.")
    if linked_cols:
        for collection in _root_collections(linked_cols):
            _instance(scene, library, collection)
    else:
        holder = bpy.data.collections.new(path.stem)
        holder[INSTANCE_OF_KEY] = library.name
        scene.collection.children.link(holder)
        for obj in linked_objs:
            holder.objects.link(obj)
    if version_id is not None or existing is None:
        _set_version_id(library, version_id)
    return container_of(library)


def _missing_ids(library: Any) -> list[str]:
    return [
        datablock.name_full
        for datablock in list(bpy.data.collections) + list(bpy.data.objects)
        if datablock.library == library and getattr(datablock, "is_missing", False)
    ]


def relink_library(
    container: Container, path: Path, version_id: int | None = None, *, force: bool = False
) -> Container:
    """Point the library of ``container`` at ``path`` and reload it.

    :param force: replace even when the reference is locked.
    :raises LockedReferenceError: when the reference is locked and not ``force``.
    :raises WorkfileError: when ``path`` is unusable or lacks what the scene uses
        from the old file (the old file is then restored).
    """
    library = find_library(container.name)
    path = _check_blend_file(path)
    if library.get(LOCKED_KEY, False) and not force:
        raise LockedReferenceError(
            f"Reference {library.name!r} is locked; unlock it before pointing it at {str(path)!r}."
        )
    other = library_for_path(path)
    if other is not None and other != library:
        raise WorkfileError(
            f"{str(path)!r} is already referenced as {other.name!r}; "
            f"remove one of the two references first."
        )
    old_filepath = library.filepath
    library.filepath = str(path)
    library.reload()
    missing = _missing_ids(library)
    if missing:
        library.filepath = old_filepath
        library.reload()
        raise WorkfileError(
            f"{str(path)!r} lacks {', '.join(sorted(missing))} used from reference "
            f"{library.name!r}; the reference still points at its old file."
        )
    old_name = library.name
    library.name = path.name
    for obj in bpy.data.objects:
        if obj.library is None and obj.get(INSTANCE_OF_KEY) == old_name:
            obj[INSTANCE_OF_KEY] = library.name
    for col in bpy.data.collections:
        if col.library is None and col.get(INSTANCE_OF_KEY) == old_name:
            col[INSTANCE_OF_KEY] = library.name
    _set_version_id(library, version_id)
    return container_of(library)


def set_locked(container: Container, locked: bool) -> Container:
    """Lock or unlock the reference ``container``; returns the updated container."""
    library = find_library(container.name)
    library[LOCKED_KEY] = bool(locked)
    return container_of(library)


def _instancing_empties(library: Any) -> list[Any]:
    return [
        obj
        for obj in bpy.data.objects
        if obj.library is None
        and obj.instance_type == "COLLECTION"
        and obj.instance_collection is not None
        and obj.instance_collection.library == library
    ]


def _overrides_of(library: Any) -> list[Any]:
    """Local library overrides of data from ``library`` (collections and objects)."""
    found = []
    for datablock in list(bpy.data.collections) + list(bpy.data.objects):
        override = datablock.override_library
        if datablock.library is None and override is not None:
            reference = override.reference
            if reference is not None and reference.library == library:
                found.append(datablock)
    return found


def override_library(scene: Any, view_layer: Any, container: Container) -> list[str]:
    """Replace the instances of ``container`` with editable library overrides.

    Each instancing empty becomes an overridden collection hierarchy (objects
    can then be posed and animated locally); the empty is removed, as Blender's
    *Make Library Override* does. Local edits survive pointing the reference at
    another version (Blender re-syncs overrides when the library reloads).

    :returns: the names of the override collections made.
    """
    library = find_library(container.name)
    made = []
    for empty in _instancing_empties(library):
        empty_name = empty.name
        override = empty.instance_collection.override_hierarchy_create(
            scene, view_layer, reference=empty, do_fully_editable=True
        )
        if override is None:
            raise WorkfileError(
                f"Blender could not make a library override of {empty_name!r} "
                f"(reference {library.name!r})."
            )
        override[INSTANCE_OF_KEY] = library.name
        leftover = bpy.data.objects.get(empty_name)
        if leftover is not None and leftover.library is None and leftover.instance_collection:
            bpy.data.objects.remove(leftover)
        made.append(override.name)
    return made


def unlink_library(container: Container) -> None:
    """Remove the reference: its instances, overrides, holder collections and its library."""
    library = find_library(container.name)
    for datablock in _overrides_of(library):
        if isinstance(datablock, bpy.types.Object):
            bpy.data.objects.remove(datablock)
        else:
            bpy.data.collections.remove(datablock)
    for obj in list(bpy.data.objects):
        if obj.library is None and (
            obj.get(INSTANCE_OF_KEY) == library.name
            or (obj.instance_collection is not None and obj.instance_collection.library == library)
        ):
            bpy.data.objects.remove(obj)
    for col in list(bpy.data.collections):
        if col.library is None and col.get(INSTANCE_OF_KEY) == library.name:
            bpy.data.collections.remove(col)
    bpy.data.libraries.remove(library)
