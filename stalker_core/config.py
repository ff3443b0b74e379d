"""Layered TOML configuration (minimal bootstrap; extended by the foundation work)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Config:
    """Resolved settings."""

    database_url: str


def user_data_dir() -> Path:
    """The per-user data directory (holds the default SQLite database)."""
    return Path(platformdirs.user_data_dir("stalker_core", "stalker"))


def get_config() -> Config:
    """Return the configuration."""
    path = user_data_dir() / "stalker.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return Config(database_url=f"sqlite:///{path}")
