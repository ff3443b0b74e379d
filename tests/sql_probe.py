"""The SQL statements a session's engine sends: one recorder for the tests that count them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def statements_sent(session: Any) -> Iterator[list[str]]:
    """The statements (whitespace collapsed to single spaces) sent inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
