"""Stalker's ``stalker.models.template``: filename templates (a re-export)."""

from __future__ import annotations

from stalker_core.models.filename_template import FilenameTemplate

__all__ = ["FilenameTemplate"]
