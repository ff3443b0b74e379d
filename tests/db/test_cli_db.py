"""``stalker db upgrade|init|current`` (contract C4)."""

from __future__ import annotations

from click.testing import CliRunner

from stalker_core.cli.db_cmd import command
from stalker_core.db import migrate


def test_upgrade_creates_then_reports_current(db_url: str) -> None:
    runner = CliRunner()
    res = runner.invoke(command, ["current", "--url", db_url])
    assert res.exit_code == 0, res.output
    assert "no schema version" in res.output
    res = runner.invoke(command, ["upgrade", "--url", db_url])
    assert res.exit_code == 0, res.output
    assert f"schema created at revision {migrate.HEAD}" in res.output
    res = runner.invoke(command, ["upgrade", "--url", db_url])
    assert "already at revision" in res.output
    res = runner.invoke(command, ["current", "--url", db_url])
    assert f"{migrate.HEAD} (head)" in res.output


def test_init_creates_default_data(db_url: str) -> None:
    runner = CliRunner()
    res = runner.invoke(command, ["init", "--url", db_url])
    assert res.exit_code == 0, res.output
    from sqlalchemy import select

    from stalker_core.db.engine import make_engine
    from stalker_core.models import User
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(db_url)
    with StalkerSession(engine) as s:
        assert s.scalars(select(User.login)).all() == ["admin"]
    engine.dispose()


def test_upgrade_refuses_a_foreign_database(db_url: str) -> None:
    from stalker_core.db.engine import make_engine
    from stalker_core.exceptions import DatabaseError
    from stalker_core.models import Base

    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    res = CliRunner().invoke(command, ["upgrade", "--url", db_url])
    assert res.exit_code != 0
    assert isinstance(res.exception, DatabaseError)
