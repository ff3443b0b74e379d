"""The ping of pooled server connections (``make_engine``): skipped right after an answer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

from stalker_core.db import engine as engine_module
from stalker_core.db.engine import PING_AFTER_IDLE_SECONDS, make_engine


class _DBAPIError(Exception):
    pass


class _Dialect:
    """Stands in for a server dialect: counts pings, fails them as told."""

    class loaded_dbapi:  # noqa: N801 - the attribute name SQLAlchemy's dialects have
        Error = _DBAPIError

    def __init__(self, fail: str | None = None) -> None:
        self.pings = 0
        self.fail = fail

    def do_ping(self, _connection: Any) -> bool:
        self.pings += 1
        if self.fail is not None:
            raise _DBAPIError(self.fail)
        return True

    def is_disconnect(self, exc: Exception, _connection: Any, _cursor: Any) -> bool:
        return "closed" in str(exc)


class _Record:
    def __init__(self) -> None:
        self.info: dict[str, Any] = {}


def test_a_connection_that_just_answered_is_not_pinged() -> None:
    dialect, record = _Dialect(), _Record()
    checkout = engine_module._ping_when_idle(dialect)
    engine_module._note_answer(object(), record)
    checkout(object(), record, None)
    assert dialect.pings == 0


def test_a_new_or_idle_connection_is_pinged() -> None:
    dialect, record = _Dialect(), _Record()
    checkout = engine_module._ping_when_idle(dialect)
    checkout(object(), record, None)  # never answered (info cleared on reconnect)
    assert dialect.pings == 1
    record.info[engine_module._LAST_ANSWER] = time.monotonic() - 2 * PING_AFTER_IDLE_SECONDS
    checkout(object(), record, None)
    assert dialect.pings == 2


def test_an_invalidated_connection_coming_back_is_not_noted() -> None:
    record = _Record()
    engine_module._note_answer(None, record)
    assert engine_module._LAST_ANSWER not in record.info


def test_a_dead_connection_is_handed_back_to_the_pool_to_reconnect() -> None:
    checkout = engine_module._ping_when_idle(_Dialect(fail="server closed the connection"))
    with pytest.raises(DisconnectionError, match="dead"):
        checkout(object(), _Record(), None)


def test_another_ping_error_is_raised_as_it_is() -> None:
    checkout = engine_module._ping_when_idle(_Dialect(fail="permission denied"))
    with pytest.raises(_DBAPIError, match="permission denied"):
        checkout(object(), _Record(), None)


def test_server_engines_ping_idle_connections_and_sqlite_ones_do_not() -> None:
    server = make_engine("postgresql+psycopg2://u@127.0.0.1:1/db")
    try:
        assert not server.pool._pre_ping  # ours instead, skipping fresh connections
        assert event.contains(server, "checkin", engine_module._note_answer)
    finally:
        server.dispose()
    explicit = make_engine("postgresql+psycopg2://u@127.0.0.1:1/db", pool_pre_ping=True)
    try:
        assert explicit.pool._pre_ping
        assert not event.contains(explicit, "checkin", engine_module._note_answer)
    finally:
        explicit.dispose()
    local = make_engine("sqlite://")
    try:
        assert not event.contains(local, "checkin", engine_module._note_answer)
    finally:
        local.dispose()
