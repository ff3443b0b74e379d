"""Reading a Stalker database with SQLAlchemy Core reflection (Stalker itself is not imported)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Connection

from stalker_core.db.stalker_import.detect import SourceSchema, detect

#: Stalker's table of each entity type (its most derived table)
ENTITY_TABLES: dict[str, str] = {
    "Asset": "Assets", "AuthenticationLog": "AuthenticationLogs", "Budget": "Budgets",
    "BudgetEntry": "BudgetEntries", "Client": "Clients", "Daily": "Dailies",
    "Department": "Departments", "EntityGroup": "EntityGroups", "File": "Files",
    "FilenameTemplate": "FilenameTemplates", "Good": "Goods", "Group": "Groups",
    "ImageFormat": "ImageFormats", "Invoice": "Invoices", "Link": "Links",
    "Message": "Messages", "Note": "Notes", "Page": "Pages", "Payment": "Payments",
    "PriceList": "PriceLists", "Project": "Projects", "Repository": "Repositories",
    "Review": "Reviews", "Role": "Roles", "Scene": "Scenes", "Sequence": "Sequences",
    "Shot": "Shots", "Status": "Statuses", "StatusList": "StatusLists",
    "Structure": "Structures", "Studio": "Studios", "Tag": "Tags", "Task": "Tasks",
    "Ticket": "Tickets", "TicketLog": "TicketLogs", "TimeLog": "TimeLogs", "Type": "Types",
    "User": "Users", "Vacation": "Vacations", "Variant": "Variants", "Version": "Versions",
    "WorkingHours": "WorkingHours",
}


class StalkerSource:
    """A Stalker database opened for reading: its reflected tables and its schema shape.

    :param conn: a connection to the Stalker database.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.metadata = MetaData()
        self.metadata.reflect(conn)
        self.schema: SourceSchema = detect(conn, self.metadata)

    def __repr__(self) -> str:
        return f"<StalkerSource {self.schema.era} ({self.schema.revision})>"

    def table(self, name: str) -> Table | None:
        """The reflected table ``name`` (None when the source has no such table)."""
        return self.metadata.tables.get(name)

    def chain(self, leaf: str) -> list[Table]:
        """The tables of an entity from ``SimpleEntities`` down to ``leaf`` (following ``id``)."""
        tables: list[Table] = []
        table = self.table(leaf)
        while table is not None:
            tables.insert(0, table)
            parents = [fk.column.table for fk in table.c.id.foreign_keys
                       if fk.column.table is not table]
            table = parents[0] if parents else None
        return tables

    def entity_types(self) -> dict[str, int]:
        """Each ``entity_type`` of the source with its number of rows."""
        se = self.metadata.tables["SimpleEntities"]
        from sqlalchemy import func

        rows = self.conn.execute(select(se.c.entity_type, func.count()).group_by(se.c.entity_type))
        return {str(k): int(n) for k, n in rows}

    def entities(self, entity_type: str) -> Iterator[dict[str, Any]]:
        """The rows of ``entity_type``, each one dict of the columns of all its tables.

        A column of a more derived table wins over one of the same name above it.
        Rows come in id order.
        """
        leaf = ENTITY_TABLES.get(entity_type)
        if leaf is None or self.table(leaf) is None:
            return
        tables = self.chain(leaf)
        base = tables[0]
        columns = [c for t in tables for c in t.c]
        query = select(*columns).select_from(base)
        for t in tables[1:]:
            query = query.join(t, t.c.id == base.c.id)
        query = query.where(base.c.entity_type == entity_type).order_by(base.c.id)
        for row in self.conn.execute(query):
            merged: dict[str, Any] = {}
            for column, value in zip(columns, row, strict=True):
                merged[column.name] = value
            yield merged

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a non-entity table (link tables, Permissions); [] when it is absent."""
        t = self.table(table)
        if t is None:
            return []
        order = list(t.primary_key.columns) or list(t.c)
        return [dict(r._mapping) for r in self.conn.execute(select(t).order_by(*order))]
