"""Statements built once per process.

Building a SQLAlchemy statement (and computing its cache key) costs more than
running a small one: the few statements run on every edit (a roll-up, the
status catalog, the studio's calendar) are built on first use and kept here,
by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: the kept statements, by name
_STATEMENTS: dict[str, Any] = {}


def statement(name: str, build: Callable[..., Any], dialect: str | None = None) -> Any:
    """The statement ``name``, made by ``build()`` on first use and kept.

    :param dialect: a database dialect's name (``connection.dialect.name``):
        the statement differs per dialect; it is made by ``build(dialect)``
        and kept for each one.
    """
    key = name if dialect is None else f"{name}/{dialect}"
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = build() if dialect is None else build(dialect)
    return stmt
