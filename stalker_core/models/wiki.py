"""Stalker's ``stalker.models.wiki``: wiki pages of a project (a re-export)."""

from __future__ import annotations

from stalker_core.models.page import Page

__all__ = ["Page"]
