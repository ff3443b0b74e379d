"""References in Nuke: ``Read``, ``ReadGeo2`` and ``Camera2`` nodes that read a file.

Every such node is a reference (a Camera2 only when ``read_from_file`` is on).
The container data lives in user knobs on the node, saved with the script:

* ``stalker_version_id`` (String_Knob, empty when unknown): the Version the file belongs to;
* ``stalker_locked`` (Boolean_Knob): a locked reference is not pointed elsewhere.

The container name is the node's name. Pointing a reference at another file
sets its ``file`` knob (and the version id) inside one undo group, so one
Ctrl+Z puts the old file back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nuke

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.hosts import Container

#: node classes that are references
REFERENCE_CLASSES: tuple[str, ...] = ("Read", "ReadGeo2", "Camera2")
#: user knob holding the version id
VERSION_KNOB = "stalker_version_id"
#: user knob holding the lock
LOCKED_KNOB = "stalker_locked"
#: file extensions ReadGeo2 loads (everything else is read by a Read node)
GEO_EXTENSIONS = frozenset({".abc", ".fbx", ".obj", ".usd", ".usda", ".usdc", ".usdz"})
#: file extensions a Read node loads (images and movies)
IMAGE_EXTENSIONS = frozenset({
    ".exr", ".dpx", ".cin", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".tga", ".hdr",
    ".psd", ".mov", ".mp4", ".mxf", ".avi",
})
_SEQUENCE = re.compile(r"#+|%0?\d*d")


class LockedReferenceError(HostError):
    """A locked reference was asked to point at another file."""


def _is_reference(node: Any) -> bool:
    if node.Class() not in REFERENCE_CLASSES or not str(node["file"].value()):
        return False
    return node.Class() != "Camera2" or bool(node["read_from_file"].value())


def reference_nodes() -> list[Any]:
    """The reference nodes of the script, by name."""
    return sorted((n for n in nuke.allNodes() if _is_reference(n)), key=lambda n: n.name())


def container_of(node: Any) -> Container:
    """The :class:`~stalker_core.hosts.Container` describing ``node``."""
    raw = node.knob(VERSION_KNOB)
    text = str(raw.value()) if raw is not None else ""
    locked = node.knob(LOCKED_KNOB)
    return Container(
        name=node.name(),
        path=Path(str(node["file"].value())),
        version_id=int(text) if text else None,
        locked=bool(locked.value()) if locked is not None else False,
    )


def find_node(name: str) -> Any:
    """The reference node called ``name``.

    :raises HostError: when the script has no such reference.
    """
    node = nuke.toNode(name)
    if node is None or not _is_reference(node):
        known = ", ".join(repr(n.name()) for n in reference_nodes()) or "none"
        raise HostError(f"No reference {name!r} in the Nuke script (references: {known}).")
    return node


def frames_exist(path: Path) -> bool:
    """Whether ``path`` exists; for a sequence (``####``, ``%04d``) whether any frame does."""
    if not _SEQUENCE.search(path.name):
        return path.is_file()
    pattern = re.escape(_SEQUENCE.sub("\0", path.name)).replace("\0", r"\d+")
    if not path.parent.is_dir():
        return False
    return any(re.fullmatch(pattern, p.name) for p in path.parent.iterdir())


def node_class_for(path: Path) -> str:
    """``"ReadGeo2"`` for geometry files, ``"Read"`` for images and movies.

    :raises WorkfileError: for a file Nuke reads with neither.
    """
    suffix = path.suffix.lower()
    if suffix in GEO_EXTENSIONS:
        return "ReadGeo2"
    if suffix in IMAGE_EXTENSIONS:
        return "Read"
    raise WorkfileError(
        f"Nuke cannot read {str(path)!r} with a Read or ReadGeo2 node; expected one of "
        f"{', '.join(sorted(IMAGE_EXTENSIONS | GEO_EXTENSIONS))}."
    )


def check_file(path: Path) -> Path:
    """``path`` as an absolute path whose file (or, for a sequence, a frame) exists."""
    path = Path(path)
    if not path.is_absolute():
        raise WorkfileError(f"Reference paths must be absolute, got {str(path)!r}.")
    if not frames_exist(path):
        raise WorkfileError(f"Cannot read {str(path)!r}: the file does not exist.")
    return path


def _user_knob(node: Any, name: str, factory: Any) -> Any:
    knob = node.knob(name)
    if knob is None:
        knob = factory(name)
        node.addKnob(knob)
    return knob


def _check_version_id(version_id: int | None) -> None:
    if version_id is not None and (isinstance(version_id, bool) or not isinstance(version_id, int)):
        raise WorkfileError(
            f"version_id must be an int or None, not {type(version_id).__name__} {version_id!r}."
        )


def set_version_id(node: Any, version_id: int | None) -> None:
    """Record ``version_id`` (or none) on ``node``."""
    _check_version_id(version_id)
    _user_knob(node, VERSION_KNOB, nuke.String_Knob).setValue(
        "" if version_id is None else str(version_id)
    )


def load(path: Path, version_id: int | None, node_class: str | None) -> Container:
    """Create a reference node reading ``path`` (one undo step)."""
    path = check_file(path)
    cls = node_class or node_class_for(path)
    if cls not in REFERENCE_CLASSES:
        raise WorkfileError(
            f"node_class must be one of {', '.join(REFERENCE_CLASSES)}, not {cls!r}."
        )
    nuke.Undo.begin(f"Stalker: load {path.name}")
    try:
        node = nuke.createNode(cls, inpanel=False)
        try:
            if cls == "Camera2":
                node["read_from_file"].setValue(True)
            node["file"].setValue(path.as_posix())
            set_version_id(node, version_id)
            _user_knob(node, LOCKED_KNOB, nuke.Boolean_Knob).setValue(False)
        except Exception:
            nuke.delete(node)
            raise
    finally:
        nuke.Undo.end()
    return container_of(node)


def relink(container: Container, path: Path, version_id: int | None, force: bool) -> Container:
    """Point the node of ``container`` at ``path``: file knob and version id in one undo group.

    :raises LockedReferenceError: the reference is locked and ``force`` is false.
    """
    node = find_node(container.name)
    path = check_file(path)
    _check_version_id(version_id)
    if container_of(node).locked and not force:
        raise LockedReferenceError(
            f"Reference {node.name()!r} is locked; unlock it before pointing it at {str(path)!r}."
        )
    nuke.Undo.begin(f"Stalker: update {node.name()}")
    try:
        node["file"].setValue(path.as_posix())
        set_version_id(node, version_id)
    finally:
        nuke.Undo.end()
    return container_of(node)


def set_locked(container: Container, locked: bool) -> Container:
    """Lock or unlock the reference ``container``."""
    node = find_node(container.name)
    _user_knob(node, LOCKED_KNOB, nuke.Boolean_Knob).setValue(bool(locked))
    return container_of(node)


def remove(container: Container) -> None:
    """Delete the node of ``container``."""
    nuke.delete(find_node(container.name))
