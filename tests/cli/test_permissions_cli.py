"""Who the command line acts as, and the permissions of its writing commands.

Every test runs on SQLite and PostgreSQL over ``studio_db`` (project TP, the
user "artist" in the artists group, the administrator "admin").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stalker_core.cli.main import main
from stalker_core.config import configure, reset


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def at_keyboard(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """The OS login of the process is ``login``."""
    monkeypatch.setattr("stalker_core.context.os_login", lambda: login)


@pytest.fixture
def studio(studio_db: str, capsys: pytest.CaptureFixture[str]) -> Iterator[dict[str, Any]]:
    """``studio_db`` plus "intern" (artists, and a group denying Create/Update on Version)
    and "saver" (artists, denied Update on Version only); task ids and the repository."""
    from stalker_core import db
    from stalker_core.models import Group, User
    from stalker_core.orm.session import DBSession
    from stalker_core.workflows.permissions import artists_group, grant

    engine = db.setup({"sqlalchemy.url": studio_db})
    intern = User(name="Intern", login="intern", email="intern@example.com", password="pw")
    saver = User(name="Saver", login="saver", email="saver@example.com", password="pw")
    artists_group([intern, saver], session=DBSession)
    no_versions = grant(Group(name="no versions", users=[intern]),
                        [("Deny", "Create", "Version"), ("Deny", "Update", "Version")])
    no_publish = grant(Group(name="no publish", users=[saver]), [("Deny", "Update", "Version")])
    DBSession.add_all([intern, saver, no_versions, no_publish])
    DBSession.commit()
    DBSession.remove()
    engine.dispose()
    code, out, err = run(capsys, "--db", studio_db, "task", "list", "--json")
    assert code == 0, err
    tasks = {row["task"]: str(row["id"]) for row in json.loads(out)}
    code, out, err = run(capsys, "--db", studio_db, "project", "list", "--json")
    assert code == 0, err
    yield {"db": studio_db, "tasks": tasks, "root": Path(json.loads(out)[0]["repository"])}


@pytest.fixture
def setting() -> Iterator[Any]:
    """Set configuration keywords for the test (restored afterwards)."""
    yield configure
    reset()


def paths_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def versions(capsys: pytest.CaptureFixture[str], url: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--db", url, "version", "list", "--json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def source(tmp_path: Path) -> str:
    src = tmp_path / "plate.nk"
    src.write_text("nuke script")
    return str(src)


def test_version_save_as_a_denied_user_leaves_nothing(
    studio: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, comp, before = studio["db"], studio["tasks"]["SH001/comp"], paths_under(studio["root"])
    # the administrator acts as the intern (allowed), whose group denies the save
    code, out, err = run(capsys, "--db", db, "version", "save", "--task", comp,
                         "--file", source(tmp_path), "--user", "intern")
    assert code == 1
    assert "user 'intern' may not Create a Version of task 'SH001/comp'" in err
    at_keyboard(monkeypatch, "intern")  # and the intern at the keyboard
    code, out, err = run(capsys, "--db", db, "version", "save", "--task", comp,
                         "--file", source(tmp_path))
    assert code == 1 and "'intern' may not Create" in err
    assert versions(capsys, db) == []
    assert paths_under(studio["root"]) == before


def test_version_publish_and_update_denied(
    studio: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, comp = studio["db"], studio["tasks"]["SH001/comp"]
    at_keyboard(monkeypatch, "saver")
    code, out, err = run(capsys, "--db", db, "version", "save", "--task", comp,
                         "--file", source(tmp_path), "-m", "mine")
    assert code == 0, err
    (saved,) = versions(capsys, db)
    assert saved["author"] == "saver"
    before = paths_under(studio["root"])
    code, out, err = run(capsys, "--db", db, "version", "publish", str(saved["id"]))
    assert code == 1 and f"user 'saver' may not Update version {saved['id']}" in err
    code, out, err = run(capsys, "--db", db, "version", "update", str(saved["id"]),
                         "-m", "changed")
    assert code == 1 and f"'saver' may not Update version {saved['id']}" in err
    (after,) = versions(capsys, db)
    assert (after["published"], after["description"]) == (False, "mine")
    assert paths_under(studio["root"]) == before
    at_keyboard(monkeypatch, "artist")
    code, out, err = run(capsys, "--db", db, "version", "update", str(saved["id"]), "-m", "ok")
    assert code == 0, err


def test_impersonation_is_refused_for_a_normal_user_and_allowed_for_an_admin(
    studio: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, comp = studio["db"], studio["tasks"]["SH001/comp"]
    at_keyboard(monkeypatch, "artist")
    code, out, err = run(capsys, "--db", db, "--as", "admin", "task", "create", "New",
                         "--project", "TP")
    assert code == 1
    assert "user 'artist' may not act as user 'admin'" in err and "STALKER_PASSWORD" in err
    code, out, err = run(capsys, "--db", db, "version", "save", "--task", comp,
                         "--file", source(tmp_path), "--user", "intern")
    assert code == 1 and "may not act as user 'intern'" in err
    assert versions(capsys, db) == []
    at_keyboard(monkeypatch, "admin")
    code, out, err = run(capsys, "--db", db, "--as", "artist", "version", "save", "--task",
                         comp, "--file", source(tmp_path))
    assert code == 0, err
    assert [v["author"] for v in versions(capsys, db)] == ["artist"]
    code, out, err = run(capsys, "--db", db, "--as", "artist", "version", "save", "--task",
                         comp, "--file", source(tmp_path), "--user", "intern")
    assert code == 2 and "name different users" in err


def test_a_password_lets_anyone_act_as_its_user(
    studio: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = studio["db"]
    at_keyboard(monkeypatch, "artist")
    monkeypatch.setenv("STALKER_PASSWORD", "not it")
    code, out, err = run(capsys, "--db", db, "--as", "admin", "task", "create", "New",
                         "--project", "TP")
    assert code == 1 and "wrong password for user 'admin'" in err
    monkeypatch.setenv("STALKER_PASSWORD", "admin")  # db.init()'s default
    code, out, err = run(capsys, "--db", db, "--as", "admin", "task", "create", "New",
                         "--project", "TP")
    assert code == 0, err
    assert "created task" in out


def test_artists_work_on_tasks_but_do_not_create_them(
    studio: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    db, model = studio["db"], studio["tasks"]["Hero/model"]
    at_keyboard(monkeypatch, "artist")
    code, out, err = run(capsys, "--db", db, "task", "create", "Extra", "--project", "TP")
    assert code == 1 and "user 'artist' may not Create a Task in project 'TP'" in err
    table = tmp_path / "tasks.csv"
    table.write_text("path\nSH001/extra\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "task", "import", str(table), "--project", "TP")
    assert code == 1 and "user 'artist' may not Create tasks in project 'TP'" in err
    code, out, err = run(capsys, "--db", db, "timelog", "add", "--task", model, "--start",
                         "2026-05-04T10:00", "--duration", "2h")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "600")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "project", "create-structure", "TP")
    assert code == 1 and "may not Update the folders of project 'TP'" in err
    code, out, err = run(capsys, "--db", db, "schedule")
    assert code == 1 and "may not Update the schedule of studio 'Test Studio'" in err
    at_keyboard(monkeypatch, "intern")
    code, out, err = run(capsys, "--db", db, "timelog", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1  # reading is not checked


def test_anonymous_writes_are_refused_unless_configured(
    studio: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    setting: Any,
) -> None:
    db, model = studio["db"], studio["tasks"]["Hero/model"]
    at_keyboard(monkeypatch, "ghost")  # no user of the database
    on_sqlite = db.startswith("sqlite")
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "700")
    assert code == (0 if on_sqlite else 1), err  # the default: "local"
    setting(permissions_anonymous="deny")
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "800")
    assert code == 1
    assert f"nobody may Update task {model} ('model') anonymously" in err
    assert "'ghost' is no user of the database" in err
    setting(permissions_anonymous="allow")
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "900")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "task", "show", model, "--json")
    assert json.loads(out)["priority"] == 900


def test_require_password_trusts_no_os_login(
    studio: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    setting: Any,
) -> None:
    db, model = studio["db"], studio["tasks"]["Hero/model"]
    at_keyboard(monkeypatch, "artist")
    setting(permissions_require_password=True)
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "700")
    assert code == 1 and "acting as user 'artist' needs their password" in err
    monkeypatch.setenv("STALKER_PASSWORD", "secret")  # wf_helpers' artist
    code, out, err = run(capsys, "--db", db, "task", "update", model, "--priority", "700")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "--as", "admin", "task", "update", model,
                         "--priority", "800")
    assert code == 1 and "wrong password for user 'admin'" in err
