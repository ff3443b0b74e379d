"""A database whose tables lack what the models need becomes a clear error.

:func:`~stalker_core.db.setup.setup` trusts the schema revision a database
is stamped with (checking every table at each start would cost every
command). A database stamped with the current revision can still differ:
it was made by a development build, or somebody dropped a column by hand.
Its first statement that names the missing table or column would fail with
the driver's raw message (``no such column: versions.created_with``).

:func:`schema_mismatch` is an engine ``handle_error`` listener (installed by
:func:`~stalker_core.db.engine.make_engine`) that turns exactly those
failures, for a table or column the models define, into a
:class:`~stalker_core.exceptions.SchemaMismatchError` naming what is
missing and what to do. Other errors, and missing names the models do not
know (a script's own SQL), are left as they are. Nothing runs until a
statement has failed.
"""

from __future__ import annotations

import re
from typing import Any

from stalker_core.exceptions import SchemaMismatchError

#: SQLite's messages for a missing column or table (the names they report)
_SQLITE = (
    re.compile(r"no such column: (?:(?P<table>\w+)\.)?(?P<column>\w+)"),
    re.compile(r"table (?P<table>\w+) has no column named (?P<column>\w+)"),
    re.compile(r"no such table: (?:\w+\.)?(?P<table>\w+)"),
)
#: PostgreSQL's messages for ``undefined_column`` and ``undefined_table``
_POSTGRES = (
    re.compile(r'column "(?P<column>\w+)" of relation "(?P<table>\w+)" does not exist'),
    re.compile(r'column (?:"?(?P<table>\w+)"?\.)?"?(?P<column>\w+)"? does not exist'),
    re.compile(r'relation "(?:\w+\.)?(?P<table>\w+)" does not exist'),
)
#: SQLSTATE codes of a missing column / table
_PG_CODES = frozenset({"42703", "42P01"})


def missing_name(dialect: str, exc: BaseException) -> tuple[str | None, str | None] | None:
    """``(table, column)`` named by a "no such table/column" error, else ``None``.

    ``column`` is ``None`` for a missing table; ``table`` may be ``None``
    when the driver names a column without its table.
    """
    if dialect == "postgresql":
        if getattr(exc, "pgcode", None) not in _PG_CODES:
            return None
        patterns = _POSTGRES
    elif dialect == "sqlite":
        patterns = _SQLITE
    else:
        return None
    message = str(exc.args[0] if exc.args else exc)
    for pattern in patterns:
        found = pattern.search(message)
        if found is not None:
            groups = found.groupdict()
            return groups.get("table"), groups.get("column")
    return None


def _known(table: str | None, column: str | None) -> str | None:
    """The models' table holding ``column`` (or ``table`` itself), else ``None``."""
    from stalker_core.models import Base  # only after a statement failed

    tables = Base.metadata.tables
    if column is None:
        return table if table in tables else None
    if table is not None:
        # SQLite names the alias when a query aliases the table; aliases are
        # table names in our statements, so an unknown one is not ours
        return table if table in tables and column in tables[table].c else None
    return next((name for name, t in tables.items() if column in t.c), None)


def schema_mismatch(context: Any) -> BaseException | None:
    """``handle_error``: a table or column of the models missing from the database.

    :returns: a :class:`SchemaMismatchError` for such a failure, else ``None``
        (SQLAlchemy raises its own error).
    """
    engine = context.engine
    if engine is None:
        return None
    named = missing_name(engine.dialect.name, context.original_exception)
    if named is None:
        return None
    table, column = named
    owner = _known(table, column)
    if owner is None:
        return None
    what = (f"the table {owner!r} has no column {column!r}" if column is not None
            else f"there is no table {owner!r}")
    shown = engine.url.render_as_string(hide_password=True)
    return SchemaMismatchError(
        f"the database {shown!r} does not have the schema this stalker_core "
        f"needs: {what}. Its schema version says it is up to date, so it was made by a "
        "development build of stalker_core or changed by hand, and no upgrade can repair "
        "it: use a new database ('stalker db init --db URL', or 'stalker demo --db URL' "
        "for a demo studio)"
    )
