"""A Stalker 1.1 database: every entry point says what it is and what to do.

The database is made by the real Stalker library (installed in the test
environment) in a subprocess, so its schema and Alembic revision are
Stalker's own.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from stalker_core import db
from stalker_core.cli.main import main
from stalker_core.db.engine import make_engine
from stalker_core.exceptions import DatabaseError

stalker = pytest.importorskip("stalker")

MAKE_STALKER_DB = textwrap.dedent("""
    import sys
    from stalker.db.setup import init, setup

    setup({"sqlalchemy.url": sys.argv[1]})
    init()
""")


def _stalker_revision(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_stalker_database_is_named_with_what_to_do(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    subprocess.run([sys.executable, "-c", MAKE_STALKER_DB, db_url], check=True,
                   capture_output=True, timeout=300)
    revision = _stalker_revision(db_url)

    def says_what_it_is(message: str) -> None:
        assert "a Stalker database" in message
        assert f"revision {revision!r}" in message
        assert "stalker db import-stalker URL" in message
        assert "update stalker_core" not in message.lower()
        assert "stalker db upgrade" not in message

    for kwargs in ({}, {"create": False, "auto_upgrade": False}):
        with pytest.raises(DatabaseError) as caught:
            db.setup({"sqlalchemy.url": db_url}, **kwargs)
        says_what_it_is(str(caught.value))

    for command in (["version", "list"], ["db", "upgrade"], ["db", "init"]):
        assert main(["--db", db_url, *command]) == 1
        says_what_it_is(capsys.readouterr().err)
    assert main(["--db", db_url, "db", "current"]) == 0
    says_what_it_is(capsys.readouterr().out)
    assert _stalker_revision(db_url) == revision  # nothing was changed
