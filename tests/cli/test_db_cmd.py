"""``stalker db upgrade|init|current`` (contract C4).

They act on the database of --db and their messages say what happened.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stalker_core.cli.main import main
from stalker_core.db import migrate

pytestmark = pytest.mark.usefixtures("default_db_elsewhere")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_upgrade_creates_then_reports_current(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db_url, "db", "current")
    assert code == 0, err
    assert "empty" in out or "no database" in out
    code, out, err = run(capsys, "db", "upgrade", "--db", db_url)  # --db after the command
    assert code == 0, err
    assert f"schema created at revision {migrate.HEAD}" in out
    code, out, _ = run(capsys, "--db", db_url, "db", "upgrade")
    assert f"already at revision {migrate.HEAD}; nothing to do" in out
    code, out, _ = run(capsys, "db", "current", "--db", db_url)
    assert f"{migrate.HEAD} (head)" in out


def test_db_current_on_a_missing_file_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent_dir" / "x.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{missing}", "db", "current")
    assert code == 0, err
    assert "no database" in out and str(missing) in out and "'stalker db init'" in out
    assert not missing.parent.exists()


def test_init_says_what_it_created_then_that_nothing_was_added(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db_url, "db", "init")
    assert code == 0, err
    assert f"schema created at revision {migrate.HEAD}" in out
    assert "default data created (" in out and "1 users" in out and "statuses" in out
    code, out, err = run(capsys, "--db", db_url, "db", "init")
    assert code == 0, err
    assert "schema created" not in out and "default data created" not in out
    assert "default data already present, nothing added" in out
    from sqlalchemy import select

    from stalker_core.db.engine import make_engine
    from stalker_core.models import User
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(db_url)
    with StalkerSession(engine) as s:
        assert s.scalars(select(User.login)).all() == ["admin"]
    engine.dispose()


def test_upgrade_to_an_unknown_revision_names_the_known_ones(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", db_url, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, "--db", db_url, "db", "upgrade", "--revision", "9999")
    assert code == 1
    assert err.startswith("error: unknown revision '9999'") and migrate.HEAD in err
    assert "update stalker_core" not in err.lower()  # not the package version's fault


def test_upgrade_never_goes_back(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", db_url, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, "--db", db_url, "db", "upgrade", "--revision", "base")
    assert code == 1
    assert "upgraded" not in out
    assert f"at revision '{migrate.HEAD}', newer than 'base'" in err


def test_upgrade_refuses_a_foreign_database(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.db.engine import make_engine
    from stalker_core.models import Base

    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    code, out, err = run(capsys, "--db", db_url, "db", "upgrade")
    assert code == 1 and "no schema version" in err


def test_two_different_db_urls_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "sqlite:///a.db", "db", "current", "--db", "sqlite:///b.db")
    assert code == 2 and "--db is given twice" in err
