"""Stalker 1.0's ``stalker.models.link``: ``Link``, the old name of :class:`File` (re-export)."""

from __future__ import annotations

from stalker_core.models.file import File, Link

__all__ = ["File", "Link"]
