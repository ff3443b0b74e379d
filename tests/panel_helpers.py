"""Helpers of the panel tests (controllers and views): other sessions, an unreachable database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: a PostgreSQL URL nothing listens on (connections are refused at once)
UNREACHABLE_URL = "postgresql+psycopg2://u@127.0.0.1:1/x"


@contextmanager
def other_session(session: Any) -> Iterator[Any]:
    """A second session on ``session``'s database: another artist's, another process's."""
    from stalker_core.orm.session import StalkerSession

    other = StalkerSession(bind=session.get_bind(), expire_on_commit=False)
    try:
        yield other
    finally:
        other.close()


@contextmanager
def unreachable_session() -> Iterator[Any]:
    """A session on a database server that cannot be reached."""
    from sqlalchemy import create_engine

    from stalker_core.orm.session import StalkerSession

    engine = create_engine(UNREACHABLE_URL)
    session = StalkerSession(bind=engine)
    try:
        yield session
    finally:
        session.close()
        engine.dispose()
