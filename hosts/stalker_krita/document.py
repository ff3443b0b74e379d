"""The pipeline's data kept inside a ``.kra``: one document annotation holding JSON.

Krita saves a document's annotations in the ``.kra`` and reads them back on
open (``Document.setAnnotation``/``annotation``). The annotation
:data:`ANNOTATION` holds a JSON object with:

* ``"metadata"``: the scene metadata of the host protocol (strings);
* ``"containers"``: file-layer unique id -> ``{"version_id": int | None}``;
* ``"fps"``: the exact frame rate set through the pipeline (Krita stores an
  integer frame rate; the exact one is kept here, see :mod:`stalker_krita.adapter`).
"""

from __future__ import annotations

import json
from typing import Any

from Qt import QtCore

#: the annotation type of the pipeline's data
ANNOTATION = "stalker"
#: its description (shown by Krita's annotation list)
DESCRIPTION = "stalker_core pipeline data"


def read(document: Any) -> dict[str, Any]:
    """The pipeline data of ``document`` (empty parts when it has none or it is damaged)."""
    data: dict[str, Any] = {}
    if ANNOTATION in list(document.annotationTypes()):
        raw = bytes(document.annotation(ANNOTATION))
        try:
            loaded = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            loaded = {}
        if isinstance(loaded, dict):
            data = loaded
    for key in ("metadata", "containers"):
        if not isinstance(data.get(key), dict):
            data[key] = {}
    return data


def write(document: Any, data: dict[str, Any]) -> None:
    """Store ``data`` as the pipeline annotation of ``document`` (marks it modified)."""
    raw = json.dumps(data, sort_keys=True).encode("utf-8")
    document.setAnnotation(ANNOTATION, DESCRIPTION, QtCore.QByteArray(raw))
    document.setModified(True)
