"""Stalker's ``stalker.db.declarative``: the declarative ``Base`` (a re-export)."""

from __future__ import annotations

from stalker_core.models.base import Base

__all__ = ["Base"]
