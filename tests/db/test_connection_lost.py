"""A PostgreSQL server restarted under a long-lived session: reconnect, or say what happened.

These tests start their own throwaway server (not the test session's, which
other tests use) and restart it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from stalker_core import db
from stalker_core.exceptions import DatabaseUnavailableError
from stalker_core.testing.pgserver import PostgresServer, create_database

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    try:
        pg = PostgresServer().start()
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL binaries here
        pytest.skip(f"no throwaway PostgreSQL server: {exc}")
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
def session(server: PostgresServer) -> Iterator[object]:
    from stalker_core.orm.session import DBSession

    _, url = create_database(server.url)
    engine = db.setup({"sqlalchemy.url": url})
    db.init()
    try:
        yield DBSession
    finally:
        DBSession.remove()
        engine.dispose()


def _logins(session) -> list[str]:  # type: ignore[no-untyped-def]
    from stalker_core.models import User

    return list(session.scalars(select(User.login)))


def test_the_first_transaction_after_a_restart_reconnects(server, session) -> None:  # type: ignore[no-untyped-def]
    assert _logins(session) == ["admin"]
    session.commit()  # the connection goes back to the pool
    server.restart()
    assert _logins(session) == ["admin"]  # pre-ping replaced the dead connection


def test_a_connection_lost_inside_a_transaction_is_named(server, session) -> None:  # type: ignore[no-untyped-def]
    from stalker_core.models import User

    admin = session.scalars(select(User).where(User.login == "admin")).one()
    admin.description = "changed before the restart"
    session.flush()  # sent, not committed
    server.restart()
    with pytest.raises(DatabaseUnavailableError) as caught:
        session.execute(text("SELECT 1"))
    message = str(caught.value)
    assert "connection to the database" in message and "was lost" in message
    assert "nothing of the current transaction was written" in message
    assert "password" not in message
    session.rollback()
    # the session works again, and the change was not written
    assert session.scalars(select(User.description).where(User.login == "admin")).one() != (
        "changed before the restart")


def test_back_to_back_transactions_skip_the_ping_and_idle_ones_ping(  # type: ignore[no-untyped-def]
    server, session, monkeypatch
) -> None:
    from stalker_core.db import engine as engine_module

    dialect = session.get_bind().dialect
    pings: list[int] = []
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or real(conn))
    session.execute(text("SELECT 1"))
    session.commit()
    session.execute(text("SELECT 1"))  # the connection answered just now: no ping
    session.commit()
    assert pings == []
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # all count as idle
    session.execute(text("SELECT 1"))
    session.commit()
    assert pings == [1]
