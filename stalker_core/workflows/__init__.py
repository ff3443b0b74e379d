"""Host-agnostic workflows: save as version, open, publish, update references.

Each takes the host and an explicit ``session`` (default ``DBSession``) and
plugin manager (default :func:`~stalker_core.plugins.get_plugin_manager`).
The data types the workflows share with plugins (``PublishItem``,
``ValidationResult``, ``SceneCheck`` ...) are defined in
:mod:`stalker_core.plugins.api` and re-exported here for the callers of the
workflows. The core's default plugin is :mod:`stalker_core.workflows.builtin`.
"""

from __future__ import annotations

from stalker_core.plugins.api import (
    PublishItem,
    PublishReport,
    Representation,
    SceneCheck,
    ValidationResult,
)
from stalker_core.workflows.common import get_host
from stalker_core.workflows.open import OpenResult, open_as_new_version, open_version
from stalker_core.workflows.publish import publish, repair, validate
from stalker_core.workflows.references import (
    ReferenceStatus,
    UpdateReport,
    find_outdated,
    reference_status,
    update_references,
)
from stalker_core.workflows.save import SavePreview, preview_save, save_as_version
from stalker_core.workflows.transaction import FileTransaction

__all__ = [
    "FileTransaction",
    "OpenResult",
    "PublishItem",
    "PublishReport",
    "ReferenceStatus",
    "Representation",
    "SavePreview",
    "SceneCheck",
    "UpdateReport",
    "ValidationResult",
    "find_outdated",
    "get_host",
    "open_as_new_version",
    "open_version",
    "preview_save",
    "publish",
    "reference_status",
    "repair",
    "save_as_version",
    "update_references",
    "validate",
]
