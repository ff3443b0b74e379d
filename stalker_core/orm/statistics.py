"""The query planner's statistics after a bulk load (PostgreSQL).

PostgreSQL plans each statement from the statistics ``ANALYZE`` gathers; its
autovacuum daemon refreshes them once about 10% of a table changed, checking
every minute. Right after a bulk load (a :class:`~stalker_core.models.task.bulk.TaskBatch`
of thousands of tasks, an import) the planner still believes the tables are
nearly empty, and picks hash joins and whole-table scans where an index
probe would do: walking the parents of one task read all 2,000 tasks of the
project once per level, 1-2 ms instead of 0.3 ms, for every edit until the
daemon came round.

:func:`refresh_after_bulk_load` runs, at the end of the load and in its
transaction, the ``ANALYZE`` that autovacuum would run a minute later, on the
tables the load grew past autovacuum's threshold. ``ANALYZE`` counts the rows
the transaction inserted; a table another session is analysing is skipped
(``SKIP_LOCKED``), so two loads at once never wait for each other. SQLite
plans without gathered statistics unless ``ANALYZE`` was run once, so
nothing is done there.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Table, bindparam, text

#: autovacuum's defaults (``autovacuum_analyze_threshold`` and ``..._scale_factor``):
#: a table is analysed once more rows than this changed ...
ANALYZE_THRESHOLD = 50
#: ... plus this share of the rows the statistics last counted
ANALYZE_SCALE_FACTOR = 0.1

#: the rows each named table's statistics counted (``reltuples``; -1: never analysed)
_KNOWN_ROWS = text(
    "SELECT n, (SELECT c.reltuples FROM pg_class c WHERE c.oid = to_regclass(n)) "
    "FROM unnest(CAST(:names AS text[])) AS n"
).bindparams(bindparam("names"))


def tables_to_analyze(known_rows: Mapping[str, float], inserted: Mapping[str, int]) -> list[str]:
    """The tables whose new rows pass autovacuum's threshold, in ``inserted`` order.

    :param known_rows: the rows each table's statistics counted (``pg_class.reltuples``;
        negative or missing: never analysed, taken as 0)
    :param inserted: the rows the load added to each table, by table name
    """
    return [
        name
        for name, count in inserted.items()
        if count > ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * max(0.0, known_rows.get(name, 0.0))
    ]


def refresh_after_bulk_load(connection: Connection, inserted: Mapping[Table, int]) -> list[str]:
    """``ANALYZE`` the tables a bulk load grew past autovacuum's threshold (PostgreSQL only).

    :param connection: the load's connection; the statistics are gathered in its
        transaction and count its uncommitted rows
    :param inserted: the rows the load inserted into each table
    :returns: the names of the tables analysed (empty on other databases)
    """
    if connection.dialect.name != "postgresql":
        return []
    format_table = connection.dialect.identifier_preparer.format_table
    counts = {format_table(t): n for t, n in inserted.items() if n > ANALYZE_THRESHOLD}
    if not counts:
        return []
    known = {
        name: float(rows) if rows is not None else 0.0
        for name, rows in connection.execute(_KNOWN_ROWS, {"names": list(counts)})
    }
    chosen = tables_to_analyze(known, counts)
    if chosen:
        connection.exec_driver_sql(f"ANALYZE (SKIP_LOCKED) {', '.join(chosen)}")
    return chosen
