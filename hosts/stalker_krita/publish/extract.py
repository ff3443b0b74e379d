"""Extractor of the Krita publish plugin: the flattened image of the document.

``Document.exportImage`` writes the visible layers, flattened, at the
document's size; the document itself is not changed (batch mode keeps Krita
from asking for export options). PNG always; OpenEXR too when the document
is floating point (Krita writes EXR for F16/F32 documents).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stalker_core.exceptions import PublishError
from stalker_core.plugins.api import PublishItem, Representation, hookimpl

from . import DOCUMENT, is_krita_host


def export_flat(doc: Any, path: Path) -> Path:
    """Write the flattened ``doc`` to ``path`` (the format from its extension).

    :raises PublishError: Krita could not write it.
    """
    from krita import InfoObject

    path.parent.mkdir(parents=True, exist_ok=True)
    was_modified, batch = bool(doc.modified()), bool(doc.batchmode())
    doc.setBatchmode(True)
    try:
        ok = doc.exportImage(str(path), InfoObject())
    finally:
        doc.setBatchmode(batch)
        doc.setModified(was_modified)
    if not ok or not path.is_file() or path.stat().st_size == 0:
        raise PublishError(f"Krita could not export the image {path.name}; see Krita's log")
    return path


@hookimpl(specname="stalker_publish_extract")
def extract_image(host: Any, item: PublishItem, staging_dir: Path) -> list[Representation] | None:
    """A flattened PNG (and EXR for float documents) of the document."""
    if item.kind != DOCUMENT or not is_krita_host(host):
        return None
    doc = host.document()
    stem = Path(item.version.filename).stem or "image"
    folder = Path(staging_dir) / "krita"
    found = [Representation("image", export_flat(doc, folder / f"{stem}.png"))]
    if str(doc.colorDepth()) in ("F16", "F32"):
        found.append(Representation("image_exr", export_flat(doc, folder / f"{stem}.exr")))
    return found
