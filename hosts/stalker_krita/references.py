"""References as file layers: ``Document.createFileLayer`` pointing at published images.

A container is a file layer; its :attr:`~stalker_core.hosts.Container.name`
is the layer's name (made unique among the file layers when loaded), its
path the layer's file, its lock Krita's own layer lock (saved in the
``.kra``), and its version id is kept in the document's pipeline annotation
under the layer's unique id (:mod:`stalker_krita.document`), which Krita
also saves. Replacing a reference calls ``FileLayer.setProperties`` on the
same layer, so it keeps its place in the layer stack and its unique id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stalker_core.exceptions import HostError, WorkfileError
from stalker_core.hosts import Container

from . import document as pipeline_data

#: how file layers scale their image ("None": at its own pixel size)
SCALING = "None"


def _walk(node: Any) -> Iterator[Any]:
    for child in node.childNodes():
        yield child
        yield from _walk(child)


def file_layers(doc: Any) -> list[Any]:
    """Every file layer of ``doc``, bottom to top, groups included."""
    return [n for n in _walk(doc.rootNode()) if n.type() == "filelayer"]


def _key(layer: Any) -> str:
    return str(layer.uniqueId().toString())


def _container(layer: Any, containers: dict[str, Any]) -> Container:
    version_id = (containers.get(_key(layer)) or {}).get("version_id")
    return Container(
        name=str(layer.name()),
        path=Path(str(layer.path())),
        version_id=int(version_id) if isinstance(version_id, int) else None,
        locked=bool(layer.locked()),
    )


def list_references(doc: Any) -> list[Container]:
    """The file layers of ``doc`` as containers."""
    containers = pipeline_data.read(doc)["containers"]
    return [_container(layer, containers) for layer in file_layers(doc)]


def _find(doc: Any, container: Container) -> Any:
    for layer in file_layers(doc):
        if layer.name() == container.name:
            return layer
    raise HostError(f"there is no file layer called {container.name!r} in "
                    f"{doc.fileName() or 'the document'}; refresh the list of references")


def _remember(doc: Any, layer: Any, version_id: int | None) -> None:
    stored = pipeline_data.read(doc)
    stored["containers"][_key(layer)] = {"version_id": version_id}
    pipeline_data.write(doc, stored)


def _unique_name(doc: Any, stem: str) -> str:
    taken = {layer.name() for layer in _walk(doc.rootNode())}
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}_{n}", n + 1
    return name


def load(doc: Any, path: Path, version_id: int | None) -> Container:
    """Add a file layer showing ``path`` at the top of the layer stack.

    :raises WorkfileError: ``path`` is not a file.
    """
    if not path.is_file():
        raise WorkfileError(f"Cannot load {str(path)!r} as a file layer: the file does not exist.")
    layer = doc.createFileLayer(_unique_name(doc, path.stem), str(path), SCALING)
    doc.rootNode().addChildNode(layer, None)
    _remember(doc, layer, version_id)
    doc.refreshProjection()
    return _container(layer, pipeline_data.read(doc)["containers"])


def replace(doc: Any, container: Container, path: Path, version_id: int | None) -> Container:
    """Point the container's layer at ``path`` (same layer, same place).

    :raises WorkfileError: ``path`` is not a file. :raises HostError: no such layer.
    """
    if not path.is_file():
        raise WorkfileError(f"Cannot point {container.name!r} at {str(path)!r}: "
                            "the file does not exist.")
    layer = _find(doc, container)
    layer.setProperties(str(path), SCALING)
    _remember(doc, layer, version_id)
    doc.refreshProjection()
    return _container(layer, pipeline_data.read(doc)["containers"])


def remove(doc: Any, container: Container) -> None:
    """Remove the container's layer and its pipeline data."""
    layer = _find(doc, container)
    stored = pipeline_data.read(doc)
    stored["containers"].pop(_key(layer), None)
    layer.remove()
    pipeline_data.write(doc, stored)


def lock(doc: Any, container: Container, locked: bool) -> Container:
    """Set Krita's lock of the container's layer."""
    layer = _find(doc, container)
    layer.setLocked(bool(locked))
    doc.setModified(True)
    return _container(layer, pipeline_data.read(doc)["containers"])
