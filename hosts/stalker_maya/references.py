"""References as containers: a Maya file reference plus an objectSet recording it.

Loading a file creates a reference (``file -reference``) under a new unique
namespace derived from the file name, and an empty objectSet ``<ns>_CON``
carrying three string attributes:

* :data:`NODE_ATTR` - the reference node (``<ns>RN``),
* :data:`VERSION_ATTR` - the Version id (``""`` when unknown),
* :data:`LOCKED_ATTR` - ``"1"`` when locked, else ``"0"``.

The set is the :class:`~stalker_core.hosts.Container`'s ``name``; being a
node of the scene it is saved with it. Replacing loads another file into the
same reference node (``file -loadReference``), so the namespace and the
reference edits stay. Removing runs ``file -removeReference``, removes the
namespace Maya leaves behind, and deletes the set.
"""

from __future__ import annotations

import re
from pathlib import Path

from stalker_core.exceptions import WorkfileError
from stalker_core.hosts import Container

# Type checking against types-maya 0.6.1: its `referenceQuery` returns list[str] for
# every flag, while Maya returns one string for -filename, -namespace and
# -referenceNode; its `file` overloads lack the -reference/-namespace/-referenceNode
# flags of the create mode; its `sets` returns a union. The ignores below name the
# stub gap they cover (each is narrow: one error code on one line).

NODE_ATTR = "stalkerReferenceNode"
VERSION_ATTR = "stalkerVersionId"
LOCKED_ATTR = "stalkerLocked"
ATTRS = (NODE_ATTR, VERSION_ATTR, LOCKED_ATTR)


def namespace_for(path: Path) -> str:
    """A namespace not yet in the scene, from the file name (``prop_v003`` -> ``prop_v003``)."""
    from maya import cmds

    base = re.sub(r"\W", "_", path.stem) or "ref"
    if base[0].isdigit():
        base = f"_{base}"
    name, n = base, 1
    while cmds.namespace(exists=name):
        name = f"{base}{n}"
        n += 1
    return name


def _container(node: str) -> Container:
    from maya import cmds

    ref_node = cmds.getAttr(f"{node}.{NODE_ATTR}")
    version = cmds.getAttr(f"{node}.{VERSION_ATTR}")
    filename: str = cmds.referenceQuery(  # type: ignore[assignment]  # stub: list[str]
        ref_node, filename=True, withoutCopyNumber=True
    )
    return Container(
        name=node,
        path=Path(filename),
        version_id=int(version) if version else None,
        locked=cmds.getAttr(f"{node}.{LOCKED_ATTR}") == "1",
    )


def container_sets() -> list[str]:
    """The objectSets that are containers (they carry :data:`NODE_ATTR`)."""
    from maya import cmds

    return [s for s in cmds.ls(type="objectSet") if cmds.objExists(f"{s}.{NODE_ATTR}")]


def list_containers() -> list[Container]:
    """The containers of the scene, in the order they were made."""
    return [_container(node) for node in container_sets()]


def _set_attrs(node: str, values: dict[str, str]) -> None:
    from maya import cmds

    for attr, value in values.items():
        cmds.setAttr(f"{node}.{attr}", value, type="string")


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise WorkfileError(f"cannot reference {path} in Maya: the file does not exist")


def load(path: Path, version_id: int | None) -> Container:
    """Reference ``path`` with a unique namespace and make its container set.

    :raises WorkfileError: when the file does not exist or Maya cannot load
        it; nothing is left in the scene then.
    """
    from maya import cmds

    _check_file(path)
    namespace = namespace_for(path)
    try:
        loaded = cmds.file(  # type: ignore[call-overload]  # stub lacks -reference, -namespace
            path.as_posix(), reference=True, namespace=namespace
        )
    except RuntimeError as exc:
        raise WorkfileError(f"Maya could not reference {path}: {exc}") from exc
    ref_node: str = cmds.referenceQuery(  # type: ignore[assignment]  # stub: list[str]
        loaded, referenceNode=True
    )
    ref_namespace: str = cmds.referenceQuery(  # type: ignore[assignment]  # stub: list[str]
        ref_node, namespace=True
    )
    namespace = ref_namespace.lstrip(":")
    node: str = cmds.sets(  # type: ignore[assignment]  # stub: a union; create mode: str
        name=f"{namespace}_CON", empty=True
    )
    for attr in ATTRS:
        cmds.addAttr(node, longName=attr, dataType="string")
    _set_attrs(node, {
        NODE_ATTR: ref_node,
        VERSION_ATTR: "" if version_id is None else str(version_id),
        LOCKED_ATTR: "0",
    })
    return _container(node)


def _set_of(container: Container) -> str:
    from maya import cmds

    if not cmds.objExists(f"{container.name}.{NODE_ATTR}"):
        raise WorkfileError(f"the container {container.name!r} is not in the Maya scene")
    return container.name


def replace(container: Container, path: Path, version_id: int | None) -> Container:
    """Load ``path`` into the container's reference node and record ``version_id``.

    :raises WorkfileError: when the file does not exist or Maya cannot load it
        (the container is left as it was).
    """
    from maya import cmds

    node = _set_of(container)
    _check_file(path)
    ref_node = cmds.getAttr(f"{node}.{NODE_ATTR}")
    try:
        cmds.file(path.as_posix(), loadReference=ref_node)
    except RuntimeError as exc:
        raise WorkfileError(f"Maya could not load {path} into {ref_node}: {exc}") from exc
    _set_attrs(node, {VERSION_ATTR: "" if version_id is None else str(version_id)})
    return _container(node)


def remove(container: Container) -> None:
    """Remove the reference, the namespace it leaves behind, and the container set."""
    from maya import cmds

    node = _set_of(container)
    ref_node = cmds.getAttr(f"{node}.{NODE_ATTR}")
    namespace: str = cmds.referenceQuery(  # type: ignore[assignment]  # stub: list[str]
        ref_node, namespace=True
    )
    cmds.file(  # type: ignore[call-overload]  # stub lacks -referenceNode in this mode
        removeReference=True, referenceNode=ref_node
    )
    if cmds.namespace(exists=namespace):
        cmds.namespace(removeNamespace=namespace, deleteNamespaceContent=True)
    cmds.delete(node)


def lock(container: Container, locked: bool) -> Container:
    """Record ``locked`` on the container set and return the container."""
    node = _set_of(container)
    _set_attrs(node, {LOCKED_ATTR: "1" if locked else "0"})
    return _container(node)
