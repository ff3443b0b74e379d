"""A database stamped current but lacking a column or table of the models: a clear error."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from stalker_core.db.mismatch import missing_name
from stalker_core.exceptions import DatabaseError, SchemaMismatchError


def _drop(session, sql: str) -> None:  # type: ignore[no-untyped-def]
    """Change the schema behind the models' back, as a development build or a person would."""
    session.remove()
    engine = session.get_bind()
    with engine.begin() as conn:
        conn.execute(text(sql))


def test_a_missing_column_names_the_table_the_column_and_what_to_do(session) -> None:  # type: ignore[no-untyped-def]
    from stalker_core.models import Version

    _drop(session, "ALTER TABLE versions DROP COLUMN created_with")
    with pytest.raises(SchemaMismatchError) as raised:
        session.scalars(select(Version)).all()
    message = str(raised.value)
    assert "the table 'versions' has no column 'created_with'" in message
    assert "stalker db init" in message
    assert isinstance(raised.value, DatabaseError)
    session.rollback()


def test_writing_to_a_missing_column_is_named_too(session) -> None:  # type: ignore[no-untyped-def]
    from stalker_core.models import Type

    _drop(session, "ALTER TABLE simple_entities DROP COLUMN html_class")
    session.add(Type(name="Char", code="char", target_entity_type="Asset"))
    with pytest.raises(SchemaMismatchError, match="'simple_entities' has no column 'html_class'"):
        session.commit()
    session.rollback()


def test_a_missing_table_is_named(session) -> None:  # type: ignore[no-untyped-def]
    from stalker_core.models import AuthenticationLog

    _drop(session, "DROP TABLE authentication_logs")
    with pytest.raises(SchemaMismatchError, match="there is no table 'authentication_logs'"):
        session.scalars(select(AuthenticationLog)).all()
    session.rollback()


def test_a_scripts_own_sql_keeps_the_drivers_error(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DBAPIError) as raised:
        session.execute(text("SELECT not_a_column FROM versions"))
    assert not isinstance(raised.value, SchemaMismatchError)
    session.rollback()
    with pytest.raises(DBAPIError):
        session.execute(text("SELECT 1 FROM not_our_table"))
    session.rollback()


def test_the_command_line_says_it_and_fails(session, capsys) -> None:  # type: ignore[no-untyped-def]
    from stalker_core.cli.main import main

    url = session.get_bind().url.render_as_string(hide_password=False)
    _drop(session, "ALTER TABLE versions DROP COLUMN created_with")
    assert main(["--db", url, "version", "list"]) != 0
    output = capsys.readouterr()
    assert "has no column 'created_with'" in output.err
    assert "Traceback" not in output.err + output.out


class _PgError(Exception):
    def __init__(self, message: str, pgcode: str) -> None:
        super().__init__(message)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("dialect", "error", "expected"),
    [
        ("sqlite", Exception("no such column: versions.created_with"),
         ("versions", "created_with")),
        ("sqlite", Exception("no such column: created_with"), (None, "created_with")),
        ("sqlite", Exception("table versions has no column named path"), ("versions", "path")),
        ("sqlite", Exception("no such table: main.dailies"), ("dailies", None)),
        ("sqlite", Exception("UNIQUE constraint failed: users.login"), None),
        ("postgresql", _PgError('column versions.created_with does not exist', "42703"),
         ("versions", "created_with")),
        ("postgresql", _PgError('column "path" of relation "versions" does not exist', "42703"),
         ("versions", "path")),
        ("postgresql", _PgError('relation "dailies" does not exist', "42P01"), ("dailies", None)),
        ("postgresql", _PgError('relation "dailies" does not exist', "23505"), None),
        ("mysql", Exception("Unknown column 'x' in 'field list'"), None),
    ],
)
def test_the_drivers_messages_are_read(dialect, error, expected) -> None:  # type: ignore[no-untyped-def]
    assert missing_name(dialect, error) == expected
