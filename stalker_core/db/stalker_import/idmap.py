"""The importer's bookkeeping: which row of ours each Stalker row became.

A table of its own, ``stalker_import_ids`` (source, kind, source id -> target
id), created on the first import beside the object model's tables. It is not
part of the object model: nothing but the importer reads it, and a database
that never imported from Stalker does not have it. A second import of the same
source finds every row there and creates nothing.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.engine import Connection

_metadata = MetaData()

#: source: the source URL (password hidden); kind: "entity" or "permission"
IMPORT_IDS = Table(
    "stalker_import_ids",
    _metadata,
    Column("source", String(512), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("source_id", Integer, primary_key=True),
    Column("target_id", Integer, nullable=False),
)


class IdMap:
    """Source id -> target id, per kind, for one source; :meth:`save` stores the new pairs."""

    def __init__(self, conn: Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        IMPORT_IDS.create(conn, checkfirst=True)
        t = IMPORT_IDS
        self._ids: dict[tuple[str, int], int] = {
            (k, s): tg for k, s, tg in conn.execute(
                select(t.c.kind, t.c.source_id, t.c.target_id).where(t.c.source == source))
        }
        self._new: list[dict[str, object]] = []

    def __repr__(self) -> str:
        return f"<IdMap {self.source!r}: {len(self._ids)} ids>"

    def get(self, source_id: int | None, kind: str = "entity") -> int | None:
        """The target id of ``source_id`` (None when not imported)."""
        if source_id is None:
            return None
        return self._ids.get((kind, int(source_id)))

    def add(self, source_id: int, target_id: int, kind: str = "entity") -> None:
        """Remember that ``source_id`` became ``target_id`` (stored by :meth:`save`)."""
        self._ids[(kind, int(source_id))] = int(target_id)
        self._new.append({"source": self.source, "kind": kind, "source_id": int(source_id),
                          "target_id": int(target_id)})

    def save(self) -> None:
        """Store the pairs added since the last save (one statement)."""
        if self._new:
            self.conn.execute(IMPORT_IDS.insert(), self._new)
            self._new = []
