"""Fixtures of the tests that run inside the real Krita (see tests/hosts/krita/krita_runner.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def krita_host() -> Any:
    """The KritaHost of this Krita, on an empty new document."""
    from stalker_krita.startup import host

    h = host()
    h.new_file()
    return h


@pytest.fixture(scope="session")
def facts() -> dict[str, Any]:
    """What the outer test prepared: task and version ids, the report file."""
    return json.loads(Path(os.environ["KRITA_TEST_FACTS"]).read_text())


@pytest.fixture(scope="session")
def session() -> Any:
    """DBSession on the launcher's database (STALKER_DATABASE_URL)."""
    from stalker_core.controllers.menu import connect_default_session
    from stalker_core.orm.session import DBSession

    return connect_default_session(DBSession)
