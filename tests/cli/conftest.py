"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _close_cli_session() -> None:
    from stalker_core.orm.session import DBSession

    bind = DBSession.get_bind() if DBSession.registry.has() else None
    DBSession.remove()
    if bind is not None:
        bind.dispose()


@pytest.fixture(autouse=True)
def _admin(admin_at_the_keyboard: None) -> None:
    """Every CLI test acts as admin (tests/conftest.py ``admin_at_the_keyboard``)."""


@pytest.fixture
def cli_db(db_url: str) -> Iterator[str]:
    """A database with the schema and the default data (``stalker db init``), on both backends.

    The CLI's connection is closed before the database is dropped.
    """
    from stalker_core import db

    engine = db.setup({"sqlalchemy.url": db_url})
    db.init()
    _close_cli_session()
    engine.dispose()
    yield db_url
    _close_cli_session()


@pytest.fixture
def empty_db(db_url: str) -> Iterator[str]:
    """An empty database (no schema) on both backends, closed after the test.

    On SQLite it is an empty file (as ``touch`` makes, or a tool that created
    the file and nothing in it).
    """
    from stalker_core.db.engine import sqlite_file

    path = sqlite_file(db_url)
    if path is not None:
        path.touch()
    yield db_url
    _close_cli_session()


@pytest.fixture
def studio_db(cli_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``cli_db`` holding a studio and the test project TP of ``wf_helpers.build_project``.

    The asset's model task has the user "artist" as resource (3 days); the
    shot's comp and anim tasks have none.
    """
    from wf_helpers import build_project

    from stalker_core import db
    from stalker_core.models import Studio
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": cli_db})
    made = build_project(DBSession, tmp_path_factory.mktemp("repo"))
    made.model.resources = [made.user]
    made.model.schedule_timing, made.model.schedule_unit = 3, "d"
    DBSession.add(Studio(name="Test Studio"))
    DBSession.commit()
    _close_cli_session()
    engine.dispose()
    yield cli_db


@pytest.fixture
def default_db_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The configured default database: a file the test must neither create nor touch.

    Commands given ``--db`` must act on that database only; the fixture
    fails the test when the default database's folder appears.
    """
    from stalker_core import config

    default = tmp_path / "default" / "default.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("STALKER_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    config.reset()
    config.configure(database_url=f"sqlite:///{default}")
    yield default
    config.reset()
    assert not default.parent.exists(), "a command used the default database instead of --db"


def _own_lines(err: str) -> str:
    return "".join(line for line in err.splitlines(keepends=True)
                   if not line.startswith("warning: plugin "))


@pytest.fixture
def own_lines() -> Any:
    """A function: stderr without the warnings about installed plugins that fail to load.

    A stale editable install may declare entry points of another checkout;
    their load warnings are not what the tests using this are about.
    """
    return _own_lines
