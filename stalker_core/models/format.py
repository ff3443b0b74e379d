"""Stalker's ``stalker.models.format``: image formats (a re-export)."""

from __future__ import annotations

from stalker_core.models.image_format import ImageFormat

__all__ = ["ImageFormat"]
