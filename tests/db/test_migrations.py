"""The packaged Alembic migrations build exactly the schema of the models.

This is the ``alembic check`` of the project: when a model gains a column
and no migration does, these tests fail. Fix: regenerate the initial
revision before the first release (``python -m stalker_core.db.migrate
regenerate-initial``), afterwards add a revision (``... revision -m "..."``).
"""

from __future__ import annotations

from stalker_core.db import migrate
from stalker_core.db.engine import make_engine


def test_head_constant_matches_the_scripts() -> None:
    assert migrate.script_head() == migrate.HEAD


def test_migrations_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.HEAD
            differences = migrate.diff(conn)
    finally:
        engine.dispose()
    assert differences == [], (
        "models and migrations differ; run 'python -m stalker_core.db.migrate "
        f"regenerate-initial' (pre-release) or add a revision: {differences}"
    )


def test_created_schema_matches_the_models(db_url: str) -> None:
    from stalker_core.db.setup import prepare_schema

    engine = make_engine(db_url)
    try:
        prepare_schema(engine)
        with engine.connect() as conn:
            assert migrate.diff(conn) == []
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_round_trip(db_url: str) -> None:
    from alembic import command

    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "base")
        with engine.connect() as conn:
            assert migrate.current_revision(conn) is None
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.HEAD
    finally:
        engine.dispose()


def test_migrate_check_command_reports_a_match() -> None:
    assert migrate._main(["check"]) == 0
