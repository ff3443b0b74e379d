"""Fixtures shared by the workflow, controller and panel tests (imported by their conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo, build_project, make_pm

from stalker_core.testing.fake_host import FakeHost


@pytest.fixture
def demo(session: Any, tmp_path: Path) -> Demo:
    return build_project(session, tmp_path / "repo")


@pytest.fixture
def pm() -> Any:
    """A plugin manager with the built-in plugins, standalone and publish; no autoload."""
    return make_pm()


@pytest.fixture
def host() -> FakeHost:
    return FakeHost()
