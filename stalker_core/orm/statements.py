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


def statement(name: str, build: Callable[[], Any]) -> Any:
    """The statement ``name``, made by ``build()`` on first use and kept."""
    stmt = _STATEMENTS.get(name)
    if stmt is None:
        stmt = _STATEMENTS[name] = build()
    return stmt
