"""Fixtures of the publish run, Publisher controller and Publisher panel tests.

A test module takes them as ``saved = publish_helpers.saved`` (pytest finds
fixtures among a module's names).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from wf_helpers import Demo

from stalker_core.testing.fake_host import FakeHost


@pytest.fixture
def saved(session: Any, demo: Demo, pm: Any) -> tuple[FakeHost, Any]:
    """A FakeHost with comp v001 saved and open (frame range and fps those of the shot)."""
    from stalker_core.workflows import save_as_version

    host = FakeHost(frame_range=(1001, 1050))
    host.edit("comp work")
    return host, save_as_version(host, demo.comp, session=session, pm=pm)


@pytest.fixture
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    """A session on a database that cannot be reached, of the backend of ``session``."""
    if request.node.callspec.params["session"] == "sqlite":
        url = f"sqlite:///{tmp_path}/no/such/folder/stalker.db"
    else:
        url = "postgresql+psycopg2://nobody@127.0.0.1:1/none?connect_timeout=2"
    engine = create_engine(url)
    yield Session(engine)
    engine.dispose()
