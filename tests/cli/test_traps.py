"""The traps a new user fell into (issue 14), each pinned by a test."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from stalker_core.cli.main import main

pytestmark = pytest.mark.usefixtures("default_db_elsewhere")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def query(url: str, fn: Any) -> Any:
    """Run ``fn(session)`` on its own short session of ``url``."""
    from stalker_core.db.engine import make_engine
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(url)
    try:
        with StalkerSession(engine) as session:
            return fn(session)
    finally:
        engine.dispose()


# --- --db everywhere ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_schedule_uses_db(studio_db: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", studio_db, "schedule", "--no-progress"] if where == "before" else [
        "schedule", "--no-progress", "--db", studio_db]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "scheduled" in out

    def started(session: Any) -> Any:
        from stalker_core.models import Task

        return session.query(Task).filter_by(name="model").one().computed_start

    assert query(studio_db, started) is not None


def test_project_create_structure_uses_db(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", studio_db, "project", "create-structure", "TP")
    assert code == 0, err
    assert "project 'TP'" in out


@pytest.mark.parametrize("command", [["db", "current"], ["db", "init"], ["db", "upgrade"]])
def test_db_commands_use_db(
    empty_db: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.db.engine import safe_url

    code, out, err = run(capsys, "--db", empty_db, *command)
    assert code == 0, err
    assert out.startswith(safe_url(empty_db))


# --- missing or empty databases --------------------------------------------------------------


def test_a_mistyped_sqlite_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_lines: Any
) -> None:
    missing = tmp_path / "nonexistent_dir" / "x.db"
    for command in (["version", "list"], ["task", "list"], ["project", "list"],
                    ["schedule"], ["project", "create-structure", "TP"]):
        code, out, err = run(capsys, "--db", f"sqlite:///{missing}", *command)
        assert code == 1, (command, out)
        err = own_lines(err)
        assert err.startswith("error: no stalker_core database at") and "'stalker db init'" in err
        assert out == ""
    assert not missing.parent.exists()


def test_an_empty_database_is_refused(empty_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", empty_db, "version", "list")
    assert code == 1 and out == ""
    assert "is empty" in err and "'stalker db init'" in err and "'stalker demo'" in err

    from sqlalchemy import inspect

    from stalker_core.db.engine import make_engine

    engine = make_engine(empty_db)
    assert inspect(engine).get_table_names() == []  # nothing was created
    engine.dispose()


def test_the_library_setup_still_creates_the_database(tmp_path: Path) -> None:
    """The tutorial's db.setup() makes a missing SQLite file (and its folder)."""
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    path = tmp_path / "new_dir" / "studio.db"
    engine = db.setup({"sqlalchemy.url": f"sqlite:///{path}"})
    DBSession.remove()
    engine.dispose()
    assert path.is_file()


def test_a_missing_postgresql_database_is_refused(
    pg_admin_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.testing.pgserver import database_url

    url = database_url(pg_admin_url, "no_such_database_xyz")
    code, out, err = run(capsys, "--db", url, "task", "list")
    assert code == 1 and out == ""
    assert "cannot use the database" in err and "no_such_database_xyz" in err
    assert "'stalker db init'" in err


# --- version save ------------------------------------------------------------------------------


def test_version_save_without_a_file_is_refused(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    task_id = query(studio_db, lambda s: s.query(__import__("stalker_core.models", fromlist=[
        "Task"]).Task).filter_by(name="comp").one().id)
    code, out, err = run(capsys, "--db", studio_db, "version", "save", "--task", str(task_id))
    assert code == 1 and out == ""
    assert "nothing to save" in err and "--file" in err and "--empty" in err

    def versions(session: Any) -> int:
        from stalker_core.models import Version

        return session.query(Version).count()

    assert query(studio_db, versions) == 0
    code, out, err = run(capsys, "--db", studio_db, "version", "save", "--task", str(task_id),
                         "--empty")
    assert code == 0, err
    path = Path(out.strip().rsplit(": ", 1)[1])
    assert path.is_file() and path.stat().st_size == 0
    assert query(studio_db, versions) == 1


# --- PostgreSQL URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("url, expected", [
    ("postgresql://u@h/db", "postgresql+psycopg2"),
    ("postgres://u@h/db", "postgresql+psycopg2"),
    ("postgres+psycopg2://u@h/db", "postgresql+psycopg2"),
    ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2"),
    ("sqlite:///x.db", "sqlite"),
])
def test_postgresql_urls_use_the_installed_driver(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stalker_core.db import engine

    monkeypatch.setattr(engine, "_installed", lambda module: module == "psycopg2")
    assert engine.normalise_url(url).drivername == expected


def test_psycopg3_is_preferred_where_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from stalker_core.db import engine

    monkeypatch.setattr(engine, "_installed", lambda module: True)
    assert engine.normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    monkeypatch.setattr(engine, "_installed", lambda module: False)
    from stalker_core.exceptions import DatabaseError

    with pytest.raises(DatabaseError, match="install psycopg2"):
        engine.normalise_url("postgresql://u@h/db")


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_urls_connect(
    pg_admin_url: str, pg_template: str, scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.testing.pgserver import create_database, drop_database

    name, url = create_database(pg_admin_url, pg_template)
    try:
        plain = scheme + url[url.index("://"):]
        assert "+" not in plain.split("://")[0]
        code, out, err = run(capsys, "--db", plain, "db", "current")
        assert code == 0, err
        assert "(head)" in out
        code, out, err = run(capsys, "--db", plain, "user", "list", "--json")
        assert code == 0, err
        assert "admin" in out
    finally:
        drop_database(pg_admin_url, name)


# --- half-done states --------------------------------------------------------------------------


def test_a_bad_gantt_path_changes_nothing(
    studio_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in ("/nonexistent/x.png", str(tmp_path)):
        code, out, err = run(capsys, "--db", studio_db, "schedule", "--gantt", path)
        assert code == 1 and out == ""
        assert err.startswith("error: --gantt")

    def state(session: Any) -> Any:
        from stalker_core.models import Studio, Task

        studio = session.query(Studio).one()
        return studio.last_scheduled_at, [t.computed_start for t in session.query(Task)]

    last, starts = query(studio_db, state)
    assert last is None and set(starts) == {None}


# --- plugins ---------------------------------------------------------------------------------


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A plugin module whose hook name is misspelt, loaded through STALKER_PLUGINS."""
    import sys

    (tmp_path / "misspelt_plugin.py").write_text(textwrap.dedent("""
        from stalker_core.plugins.api import hookimpl

        @hookimpl
        def stalker_host_gett():
            return None
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("STALKER_PLUGINS", "misspelt_plugin")
    # only this plugin and the built-ins: installed entry points cannot change the output
    monkeypatch.setenv("STALKER_DISABLE_PLUGIN_AUTOLOAD", "1")
    yield "misspelt_plugin"
    sys.modules.pop("misspelt_plugin", None)


def test_plugins_list_and_help_show_a_broken_plugin(
    broken_plugin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STALKER_PLUGINS_STRICT", "1")  # even in strict mode
    code, out, err = run(capsys, "plugins", "list")
    assert code == 0, err
    assert "not loaded:" in out and "stalker_host_gett" in out
    assert "did you mean 'stalker_host_get'?" in " ".join(out.split())
    assert "stalker_core.workflows.builtin" in out
    code, out, err = run(capsys, "--help")
    assert code == 0 and "plugins" in out
    code, out, err = run(capsys, "version", "--help")
    assert code == 0 and "publish" in out


def test_a_broken_plugin_is_one_line_in_strict_mode(
    broken_plugin: str, studio_db: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STALKER_PLUGINS_STRICT", "1")
    # a listing loads no plugin (it renders nothing): it works
    code, out, err = run(capsys, "--db", studio_db, "version", "list")
    assert code == 0, err
    code, out, err = run(capsys, "--db", studio_db, "version", "save", "--task", "1", "--empty")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "'misspelt_plugin'" in lines[0] and "'stalker_host_gett'" in lines[0]
    assert "did you mean 'stalker_host_get'?" in lines[0]
    assert lines[0].count("misspelt_plugin") == 1


def test_a_broken_plugin_is_a_warning_when_not_strict(
    broken_plugin: str, studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # a command that loads the plugins (it renders the structure's templates)
    code, out, err = run(capsys, "--db", studio_db, "project", "create-structure", "TP")
    assert code == 0, err
    assert err.count("warning: plugin 'misspelt_plugin'") == 1
    assert "did you mean 'stalker_host_get'?" in err


# --- did you mean ----------------------------------------------------------------------------


def test_top_level_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verison")
    assert code == 2
    assert "No such command 'verison'" in err and "Did you mean 'version'?" in err


# --- repeated warning ------------------------------------------------------------------------


def test_schedule_prints_each_warning_once(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", studio_db, "schedule", "--no-progress")
    assert code == 0, err
    text = out + err
    assert text.count("effort tasks need a resource") == 1
    assert "warning: effort tasks need a resource" in err


# --- piped output ----------------------------------------------------------------------------


def test_piped_tables_print_whole_values(
    studio_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run(capsys, "--db", studio_db, "project", "list")
    assert code == 0, err

    def repo(session: Any) -> str:
        from stalker_core.models import Project

        return session.query(Project).filter_by(code="TP").one().repository.path

    assert query(studio_db, repo) in out
    assert "…" not in out
