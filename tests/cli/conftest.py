"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def _close_cli_session() -> None:
    from stalker_core.orm.session import DBSession

    bind = DBSession.get_bind() if DBSession.registry.has() else None
    DBSession.remove()
    if bind is not None:
        bind.dispose()


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
