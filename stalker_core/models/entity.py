"""Stalker's ``stalker.models.entity``: the root classes and entity groups (re-exports)."""

from __future__ import annotations

from stalker_core.models.base import Entity, SimpleEntity
from stalker_core.models.entity_group import EntityGroup

__all__ = ["Entity", "EntityGroup", "SimpleEntity"]
