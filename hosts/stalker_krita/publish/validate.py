"""Validators of the Krita publish plugin: size, colour profile, layers."""

from __future__ import annotations

from typing import Any

from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl

from . import DOCUMENT, is_krita_host
from .collect import DEFAULT_LAYER_NAME

#: the colour spaces a published image may be in (model, depth)
ALLOWED_COLOR = {("RGBA", "U8"), ("RGBA", "U16"), ("RGBA", "F16"), ("RGBA", "F32")}


def _ours(host: Any, item: PublishItem) -> bool:
    return item.kind == DOCUMENT and is_krita_host(host)


@hookimpl(specname="stalker_publish_validate")
@check("krita.size")
def validate_size(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The document is the size of the shot's (else the project's) image format."""
    if not _ours(host, item):
        return None
    fmt = item.data.get("format")
    if not fmt:
        return [ValidationResult("Image size", "no image format is set on the shot or the "
                                 "project; the size was not checked", severity="info")]
    size = (item.data["width"], item.data["height"])
    if size == (fmt["width"], fmt["height"]):
        return None
    return [ValidationResult(
        "Image size", f"the document is {size[0]}x{size[1]}, the image format "
        f"{fmt['name']!r} is {fmt['width']}x{fmt['height']}; resize the canvas or the image "
        f"(Image > Resize) before publishing")]


@hookimpl(specname="stalker_publish_validate")
@check("krita.color_profile")
def validate_color_profile(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """The document is RGBA (8, 16 bit or float) with an sRGB profile."""
    if not _ours(host, item):
        return None
    model, depth = item.data["color_model"], item.data["color_depth"]
    profile = item.data["color_profile"]
    results = []
    if (model, depth) not in ALLOWED_COLOR:
        results.append(ValidationResult(
            "Colour space", f"the document is {model}/{depth}; published images are RGBA "
            f"(8 or 16 bit, or float): convert it with Image > Convert Image Color Space"))
    if "srgb" not in profile.lower() and "rec709" not in profile.lower():
        results.append(ValidationResult(
            "Colour profile", f"the profile is {profile!r}, not sRGB; the published PNG may "
            f"look different elsewhere", severity="warning"))
    return results or None


@hookimpl(specname="stalker_publish_validate")
@check("krita.layers")
def validate_layers(host: Any, item: PublishItem) -> list[ValidationResult] | None:
    """Layers named by the artist, and a word about hidden layers."""
    if not _ours(host, item):
        return None
    layers = item.data["layers"]
    unnamed = [la for la in layers if DEFAULT_LAYER_NAME.match(la["name"])]
    hidden = [la["name"] for la in layers if not la["visible"]]
    results = []
    if unnamed:
        ids = [la["id"] for la in unnamed]

        def rename() -> None:
            _rename_default_layers(host, ids)

        results.append(ValidationResult(
            "Unnamed layers", f"{len(unnamed)} layer(s) keep Krita's names: "
            f"{', '.join(la['name'] for la in unnamed)}; name them after what they hold",
            severity="warning", repair=rename, repair_label="Name them by type and position"))
    if hidden:
        results.append(ValidationResult(
            "Hidden layers", f"hidden layers are left out of the published image: "
            f"{', '.join(hidden)}", severity="info"))
    return results or None


def _rename_default_layers(host: Any, ids: list[str]) -> None:
    """Name the layers ``<type>_<n>`` (``paint_01``): safe, nothing else changes."""
    from .collect import _walk as _facts

    doc = host.document()
    wanted = set(ids)
    counters: dict[str, int] = {}
    nodes = {}

    def index(node: Any) -> None:
        for child in node.childNodes():
            nodes[child.uniqueId().toString()] = child
            index(child)

    index(doc.rootNode())
    taken = {la["name"] for la in _facts(doc.rootNode())}
    for uid in ids:
        node = nodes.get(uid)
        if node is None or uid not in wanted:
            continue
        kind = str(node.type()).replace("layer", "") or "layer"
        while True:
            counters[kind] = counters.get(kind, 0) + 1
            name = f"{kind}_{counters[kind]:02d}"
            if name not in taken:
                break
        taken.add(name)
        node.setName(name)
    doc.setModified(True)
