"""External files of a Blender scene: find them, check where they are, pack or absolutise them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import bpy

from stalker_core.plugins.api import path_inside

#: bpy.data collections whose datablocks point at external files
_FILE_COLLECTIONS = (
    "libraries",
    "images",
    "sounds",
    "movieclips",
    "fonts",
    "cache_files",
    "volumes",
)
#: datablock types Blender can pack into the .blend
_PACKABLE = {"Image", "Sound", "VectorFont", "Volume"}


@dataclass(frozen=True)
class ExternalFile:
    """A datablock of the open file and the file it reads."""

    kind: str
    name: str
    raw: str
    path: str
    packable: bool


def _uses_file(datablock: Any) -> bool:
    if datablock.library is not None:  # data of a linked file: its own file decides
        return False
    raw = getattr(datablock, "filepath", "")
    if not raw or raw == "<builtin>":
        return False
    if getattr(datablock, "packed_file", None) is not None:
        return False
    source = getattr(datablock, "source", "FILE")
    if type(datablock).__name__ == "Library":
        return getattr(datablock, "parent", None) is None
    return source in {"FILE", "SEQUENCE", "MOVIE", "TILED"}


def external_files() -> list[ExternalFile]:
    """Every file the open scene reads from disk (direct libraries and local datablocks)."""
    found = []
    for attr in _FILE_COLLECTIONS:
        for datablock in getattr(bpy.data, attr, []):
            if not _uses_file(datablock):
                continue
            raw = datablock.filepath
            found.append(
                ExternalFile(
                    kind=type(datablock).__name__,
                    name=datablock.name,
                    raw=raw,
                    path=os.path.normpath(bpy.path.abspath(raw)),
                    packable=type(datablock).__name__ in _PACKABLE,
                )
            )
    return found




def outside_repositories(roots: list[str]) -> list[ExternalFile]:
    """The external files that are not inside any of the repository ``roots``."""
    return [f for f in external_files() if not path_inside(f.path, roots)]


def pack(files: list[ExternalFile]) -> list[str]:
    """Pack the packable ``files`` into the .blend; returns the names packed."""
    packed = []
    by_kind = {"Image": "images", "Sound": "sounds", "VectorFont": "fonts", "Volume": "volumes"}
    for f in files:
        if not f.packable:
            continue
        datablock = getattr(bpy.data, by_kind[f.kind]).get(f.name)
        if datablock is not None and datablock.packed_file is None:
            datablock.pack()
            packed.append(f.name)
    return packed


def _path_attribute(datablock: Any) -> str:
    # images: write filepath_raw, which does not reload the pixels from disk
    return "filepath_raw" if hasattr(datablock, "filepath_raw") else "filepath"


@contextmanager
def absolute_paths() -> Iterator[int]:
    """Make every external path absolute for the duration of the block, then restore them.

    Used to write a copy of the scene that can live in any folder.
    :yields: how many paths were changed.
    """
    changed: list[tuple[Any, str, str]] = []
    for attr in _FILE_COLLECTIONS:
        for datablock in getattr(bpy.data, attr, []):
            if not _uses_file(datablock):
                continue
            name = _path_attribute(datablock)
            raw = getattr(datablock, name)
            absolute = os.path.normpath(bpy.path.abspath(raw))
            if raw != absolute:
                changed.append((datablock, name, raw))
                setattr(datablock, name, absolute)
    try:
        yield len(changed)
    finally:
        for datablock, name, raw in changed:
            setattr(datablock, name, raw)
