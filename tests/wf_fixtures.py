"""Fixtures shared by the workflow, controller and panel tests (imported by their conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo, build_project, make_pm

from stalker_core.testing.fake_host import FakeHost


@pytest.fixture
def demo(session: Any, tmp_path: Path) -> Iterator[Demo]:
    """The project of :func:`build_project`; the artist is at the keyboard (the OS login).

    Writes then have an acting user on PostgreSQL too, where anonymous ones
    are refused by default (docs/permissions.md).
    """
    # its own MonkeyPatch: a test's monkeypatch.undo() leaves the artist at the keyboard
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("stalker_core.context.os_login", lambda: "artist")
        yield build_project(session, tmp_path / "repo")


@pytest.fixture
def pm() -> Any:
    """A plugin manager with the built-in plugins, standalone and publish; no autoload."""
    return make_pm()


@pytest.fixture
def host() -> FakeHost:
    return FakeHost()
