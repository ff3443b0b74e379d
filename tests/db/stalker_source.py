"""Helpers of the Stalker import tests: build a real Stalker studio, read it back.

The studio is built by tests/db/stalker_studio.py in a subprocess (Stalker's
global session stays out of this process). :class:`Source` reads the Stalker
database with plain SQL, independently of the importer, so that the tests
compare what Stalker wrote with what the importer made of it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

BUILDER = Path(__file__).with_name("stalker_studio.py")


def build_stalker_studio(url: str) -> None:
    """Run the builder on ``url`` with the real Stalker (in its own process)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(BUILDER), url], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


#: Stalker's datetime columns (plain SQL on SQLite gives their text)
DATETIME_COLUMNS = frozenset({"date_created", "date_updated", "start", "end", "computed_start",
                              "computed_end", "date"})


def utc(value: Any, key: str = "") -> Any:
    """Stalker's naive datetimes (SQLite) are UTC; aware ones are compared in UTC."""
    if isinstance(value, str) and key in DATETIME_COLUMNS:
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


class Source:
    """A Stalker database read with SQL: entities by type, link tables as pairs."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    def __repr__(self) -> str:
        return f"<Source {self.engine.url!r}>"

    def sql(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of ``query`` as dicts (datetimes in UTC)."""
        with self.engine.connect() as conn:
            return [{k: utc(v, k) for k, v in r._mapping.items()}
                    for r in conn.execute(text(query), params)]

    def entities(self, entity_type: str, *tables: str) -> list[dict[str, Any]]:
        """The rows of ``entity_type`` joined with ``tables`` (SimpleEntities first)."""
        joins = " ".join(f'JOIN "{t}" ON "{t}".id = se.id' for t in tables)
        columns = ", ".join(["se.*", *(f'"{t}".*' for t in tables)])
        return self.sql(f'SELECT {columns} FROM "SimpleEntities" se {joins} '
                        "WHERE se.entity_type = :t ORDER BY se.id", t=entity_type)

    def pairs(self, table: str, left: str, right: str) -> set[tuple[int, int]]:
        """The (left, right) id pairs of a link table."""
        return {(r[left], r[right]) for r in self.sql(f'SELECT {left}, {right} FROM "{table}"')}

    def dispose(self) -> None:
        self.engine.dispose()
