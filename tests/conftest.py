"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``STALKER_TEST_PG_URL`` (an admin URL of an existing
server) or, when unset, from a throwaway cluster this test session starts on
loopback (see :mod:`stalker_core.testing.pgserver`). Each test gets a fresh
database cloned from a template that already holds the schema and the
default data of ``db.init()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from stalker_core.testing.pgserver import (
    PostgresServer,
    create_database,
    database_url,
    drop_database,
)

#: one template per pytest-xdist worker: workers may share a server (STALKER_TEST_PG_URL)
TEMPLATE_DB = f"stalker_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"

#: the ``demo`` project, ``pm`` and ``host`` fixtures, for every test (tests/wf_fixtures.py)
pytest_plugins = ["wf_fixtures"]

# Qt widgets render offscreen in tests (pytest-qt creates the QApplication later)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


#: markers of tests that start a virtual screen (tests/virtual_screen.py); pytest-xdist runs
#: them all in one worker, so two real applications never compete for the 2 cores at once
_VIRTUAL_SCREEN = ("blender_app", "krita_app")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/ui use Qt: mark them ``qt`` (``-m "not qt"`` leaves them out).

    Tests on a virtual screen share one xdist group (``--dist loadgroup``).
    """
    for item in items:
        if "ui" in item.path.parts[-3:-1] and "tests" in item.path.parts:
            item.add_marker(pytest.mark.qt)
        if any(item.get_closest_marker(name) for name in _VIRTUAL_SCREEN):
            item.add_marker(pytest.mark.xdist_group("virtual-screen"))


@pytest.fixture(autouse=True)
def _reset_environ() -> Iterator[None]:
    """Restore os.environ after each test (repositories set REPO* variables)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _artist_at_the_keyboard() -> Iterator[None]:
    """The OS login is "artist" (wf_helpers' user), so writes have an acting user.

    Anonymous writes are refused on PostgreSQL by default (docs/permissions.md).
    Its own MonkeyPatch: a test's ``monkeypatch.undo()`` keeps it. Applications
    run as subprocesses act as the real OS login: see ``wf_helpers.add_os_login_user``.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("stalker_core.context.os_login", lambda: "artist")
        yield


@pytest.fixture
def admin_at_the_keyboard() -> Iterator[None]:
    """The OS login is the administrator's, so commands act as admin on both databases.

    (Anonymous writes are refused on PostgreSQL by default; docs/permissions.md.)
    Its own MonkeyPatch: a test's ``monkeypatch.undo()`` keeps it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("stalker_core.context.os_login", lambda: "admin")
        yield


@pytest.fixture(autouse=True)
def _private_state(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Launch logs and recent launches go to a temporary state folder, not the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "state"))


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a database with CREATE DATABASE rights on a running PostgreSQL."""
    url = os.environ.get("STALKER_TEST_PG_URL")
    if url:
        yield url
        return
    server = PostgresServer().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    """Name of a template database holding the schema and default data."""
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"'))
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
    engine = db.setup({"sqlalchemy.url": database_url(pg_admin_url, TEMPLATE_DB)})
    db.init()
    DBSession.remove()
    engine.dispose()
    admin.dispose()
    return TEMPLATE_DB


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """URL of an empty database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/stalker.db"
        return
    admin = request.getfixturevalue("pg_admin_url")
    name, url = create_database(admin, None)
    try:
        yield url
    finally:
        drop_database(admin, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def session(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[object]:
    """``DBSession`` bound to a fresh database after ``db.setup()`` + ``db.init()``.

    Runs each test twice: on SQLite (a file under tmp_path) and on PostgreSQL.
    """
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    name = None
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/stalker.db"
    else:
        admin = request.getfixturevalue("pg_admin_url")
        template = request.getfixturevalue("pg_template")
        name, url = create_database(admin, template)
    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    try:
        yield DBSession
    finally:
        DBSession.rollback()
        DBSession.remove()
        engine.dispose()
        if name is not None and admin is not None:
            drop_database(admin, name)
