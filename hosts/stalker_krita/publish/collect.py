"""Collector of the Krita publish plugin (the only place that queries the database)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import PublishItem, hookimpl, image_format_of

from . import DOCUMENT, is_krita_host

#: names Krita gives new layers ("Paint Layer 3", "Group 1", "Vector Layer 2", ...)
DEFAULT_LAYER_NAME = re.compile(
    r"^(Paint Layer|Group|Vector Layer|Fill Layer|Filter Layer|Clone Layer|File Layer|"
    r"Transparency Mask|Filter Mask|Colorize Mask|Transform Mask|Selection Mask|"
    r"Layer)( \d+)?$"
)


def _walk(node: Any, depth: int = 0) -> list[dict[str, Any]]:
    layers = []
    for child in node.childNodes():
        layers.append({"name": str(child.name()), "type": str(child.type()),
                       "visible": bool(child.visible()), "id": child.uniqueId().toString(),
                       "depth": depth})
        layers += _walk(child, depth + 1)
    return layers


def document_facts(doc: Any) -> dict[str, Any]:
    """The document's size, colour space and layers as plain data."""
    return {
        "width": int(doc.width()), "height": int(doc.height()),
        "color_model": str(doc.colorModel()), "color_depth": str(doc.colorDepth()),
        "color_profile": str(doc.colorProfile()),
        "layers": _walk(doc.rootNode()),
    }


@hookimpl(specname="stalker_publish_collect")
def collect_krita_document(host: Any, context: Any, version: Any) -> list[PublishItem] | None:
    """One ``krita_document`` item: the document's facts and the expected image format."""
    if not is_krita_host(host):
        return None
    return [PublishItem(
        name="krita_document", kind=DOCUMENT, version=version,
        path=Path(version.absolute_full_path),
        data={**document_facts(host.document()), "format": image_format_of(version.task)},
    )]
