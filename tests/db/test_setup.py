"""db.setup(): fresh databases are created at head, current ones kept, older ones upgraded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from stalker_core import db
from stalker_core.db import migrate
from stalker_core.db.engine import make_engine
from stalker_core.db.setup import prepare_schema
from stalker_core.exceptions import DatabaseError
from stalker_core.orm.session import DBSession


@pytest.fixture(autouse=True)
def _cleanup() -> None:
    yield
    DBSession.remove()


def test_fresh_database_is_created_and_stamped(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert prepare_schema(engine) == "created"
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.HEAD
            assert inspect(conn).has_table("users")
        assert prepare_schema(engine) == "current"
    finally:
        engine.dispose()


def test_setup_binds_dbsession_and_init_runs(db_url: str) -> None:
    engine = db.setup({"sqlalchemy.url": db_url})
    try:
        db.init()
        from stalker_core.models import User

        assert User.query.filter_by(login="admin").one().name == "admin"
        assert DBSession.get_bind() is engine
    finally:
        DBSession.remove()
        engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_in_memory_sqlite(url: str) -> None:
    engine = db.setup({"sqlalchemy.url": url})
    try:
        db.init()
        from stalker_core.models import Department

        assert [d.name for d in Department.query.all()] == ["admins"]
    finally:
        DBSession.remove()
        engine.dispose()


def test_sqlite_file_directory_is_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/deep/er/studio.db"
    engine = db.setup({"sqlalchemy.url": url})
    engine.dispose()
    assert (tmp_path / "deep" / "er" / "studio.db").exists()


def test_setup_without_settings_uses_the_configured_url(tmp_path: Path) -> None:
    from stalker_core import config

    config.configure(database_url=f"sqlite:///{tmp_path}/configured.db")
    try:
        engine = db.setup()
        engine.dispose()
    finally:
        config.reset()
    assert (tmp_path / "configured.db").exists()


def test_engine_options_from_settings(tmp_path: Path) -> None:
    engine = db.setup({"sqlalchemy.url": f"sqlite:///{tmp_path}/a.db", "sqlalchemy.echo": False})
    assert engine.echo is False
    engine.dispose()


def test_sqlite_savepoints_work(tmp_path: Path) -> None:
    engine = db.setup({"sqlalchemy.url": f"sqlite:///{tmp_path}/sp.db"})
    try:
        db.init()
        from stalker_core.models import Tag

        DBSession.add(Tag(name="kept"))
        with DBSession.begin_nested() as nested:
            DBSession.add(Tag(name="dropped"))
            DBSession.flush()
            nested.rollback()
        DBSession.commit()
        assert [t.name for t in Tag.query.all()] == ["kept"]
    finally:
        DBSession.remove()
        engine.dispose()


def test_tables_without_version_are_refused(db_url: str) -> None:
    from stalker_core.models import Base

    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with pytest.raises(DatabaseError, match="no schema version"):
            prepare_schema(engine)
    finally:
        engine.dispose()


def test_unknown_revision_is_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        prepare_schema(engine)
        with engine.begin() as conn:
            migrate.stamp(conn, "ffffdeadbeef")
        with pytest.raises(DatabaseError, match="ffffdeadbeef"):
            prepare_schema(engine)
    finally:
        engine.dispose()


NEXT_REVISION = '''
"""test revision"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("upgrade_marker", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("upgrade_marker")
'''


@pytest.fixture
def newer_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The packaged scripts plus a revision 9999 after head; HEAD becomes 9999."""
    scripts = tmp_path / "migrations"
    shutil.copytree(
        migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__")
    )
    (scripts / "versions" / "9999_next.py").write_text(
        NEXT_REVISION.replace("{down}", migrate.HEAD), encoding="utf-8"
    )
    old = migrate.HEAD
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrate, "HEAD", "9999")
    return old


def test_older_database_is_upgraded_by_setup(db_url: str, newer_scripts: str) -> None:
    engine = make_engine(db_url)
    try:
        from stalker_core.models import Base

        with engine.begin() as conn:  # a database made by the previous release
            Base.metadata.create_all(conn)
            migrate.stamp(conn, newer_scripts)
        with pytest.raises(DatabaseError, match="stalker db upgrade"):
            prepare_schema(engine, auto_upgrade=False)
        assert prepare_schema(engine) == "upgraded"
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == "9999"
            assert inspect(conn).has_table("upgrade_marker")
    finally:
        engine.dispose()


def test_fresh_database_with_newer_scripts_is_stamped_at_their_head(
    db_url: str, newer_scripts: str
) -> None:
    engine = make_engine(db_url)
    try:
        assert prepare_schema(engine) == "created"
        with engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == "9999"
    finally:
        engine.dispose()


def test_invalid_url() -> None:
    with pytest.raises(DatabaseError, match="invalid database URL"):
        make_engine("not a url")


CURRENT_SETUP = """
import json, sys
from sqlalchemy import Engine, event

statements = []
event.listen(Engine, "before_cursor_execute",
             lambda conn, cursor, statement, *rest: statements.append(statement))
from stalker_core import db
db.setup({"sqlalchemy.url": sys.argv[1]}, create=False, auto_upgrade=False)
print(json.dumps({"statements": statements, "modules": sorted(sys.modules)}))
"""


def test_setup_of_a_current_database_reads_its_revision_only(db_url: str) -> None:
    """No DDL, no Alembic: one query of the version table (a fresh process, as a tool starts)."""
    import json
    import subprocess
    import sys

    engine = make_engine(db_url)
    try:
        assert prepare_schema(engine) == "created"
    finally:
        engine.dispose()
    found = json.loads(subprocess.run(
        [sys.executable, "-c", CURRENT_SETUP, db_url], capture_output=True, text=True,
        check=True,
    ).stdout.strip().splitlines()[-1])
    statements = [" ".join(s.split()).upper() for s in found["statements"]]
    assert not [s for s in statements if s.startswith(("CREATE", "ALTER", "DROP", "INSERT"))]
    assert [s for s in statements if "ALEMBIC_VERSION" in s], statements
    assert not [m for m in found["modules"] if m.split(".")[0] in ("alembic", "mako")]
    assert "stalker_core.db.migrations" not in found["modules"]
