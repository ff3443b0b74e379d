"""Every configuration test starts without studio files and with a fresh cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stalker_core import config


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No real site/user config files; a fresh cache per test."""
    monkeypatch.delenv("STALKER_CONFIG", raising=False)
    monkeypatch.setattr(config, "site_config_file", lambda: tmp_path / "site" / "stalker.toml")
    monkeypatch.setattr(config, "user_config_file", lambda: tmp_path / "user" / "stalker.toml")
    config.reset()
    yield
    config.reset()
