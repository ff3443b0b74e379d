"""The coordinator's and TD's commands: project, task, user, timelog, version list/update.

Every listing is read back from --json and --csv; every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from stalker_core.cli.main import main


@pytest.fixture(autouse=True)
def _narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # piped output must not care


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> Any:
    code, out, err = run(capsys, "--db", url, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def as_csv(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> list[dict[str, str]]:
    code, out, err = run(capsys, "--db", url, *args, "--csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def ids(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, int]:
    """Task path -> id of the test project."""
    return {row["task"]: row["id"] for row in as_json(capsys, url, "task", "list")}


def test_project_list_and_show(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, studio_db, "project", "list")
    assert [(r["code"], r["name"], r["tasks"]) for r in rows] == [("TP", "Project TP", 5)]
    assert rows[0]["repository"].endswith(tuple("0123456789"))  # the whole path
    assert as_csv(capsys, studio_db, "project", "list")[0]["code"] == "TP"
    shown = as_json(capsys, studio_db, "project", "show", "TP")
    assert shown["code"] == "TP" and shown["tasks"] == 5
    assert sorted(t["name"] for t in shown["root_tasks"]) == ["Hero", "SH001"]
    code, out, err = run(capsys, "--db", studio_db, "project", "show", "tp")
    assert code == 1 and "did you mean 'TP'?" in err
    code, out, err = run(capsys, "--db", studio_db, "project", "show", "TP")
    assert code == 0 and "root tasks" in out and "Project TP" in out


def test_task_list_filters(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, studio_db, "task", "list", "--project", "TP")
    assert {r["task"] for r in rows} == {"SH001", "SH001/comp", "SH001/anim", "Hero",
                                         "Hero/model"}
    mine = as_json(capsys, studio_db, "task", "list", "--user", "artist")
    assert [(r["task"], r["resources"], r["timing"]) for r in mine] == [
        ("Hero/model", ["artist"], "3d")]
    task = ids(capsys, studio_db)
    children = as_json(capsys, studio_db, "task", "list", "--parent", str(task["SH001"]))
    assert {r["task"] for r in children} == {"SH001/comp", "SH001/anim"}
    rts = as_csv(capsys, studio_db, "task", "list", "--status", "rts", "--leaves")
    assert {r["task"] for r in rts} == {"SH001/comp", "SH001/anim", "Hero/model"}
    assert as_json(capsys, studio_db, "task", "list", "--status", "CMPL") == []
    code, _, err = run(capsys, "--db", studio_db, "task", "list", "--status", "WIPP")
    assert code == 1 and "did you mean 'WIP'?" in err

    # nothing scheduled yet: nothing late or due; after scheduling everything is due
    assert as_json(capsys, studio_db, "task", "list", "--late") == []
    assert as_json(capsys, studio_db, "task", "list", "--due-before", "2100-01-01") == []
    assert run(capsys, "--db", studio_db, "schedule", "--no-progress")[0] == 0
    due = as_json(capsys, studio_db, "task", "list", "--due-before", "2100-01-01", "--leaves")
    assert {r["task"] for r in due} == {"SH001/comp", "SH001/anim", "Hero/model"}
    assert all(r["end"] and r["start"] for r in due)
    assert as_json(capsys, studio_db, "task", "list", "--late") == []  # planned from now on
    assert as_json(capsys, studio_db, "task", "list", "--due-before", "2000-01-01") == []


def test_task_late(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from stalker_core.db.engine import make_engine
    from stalker_core.models import Task
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(studio_db)
    with StalkerSession(engine) as s:
        model = s.query(Task).filter_by(name="model").one()
        model.computed_start = dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)
        model.computed_end = dt.datetime(2020, 1, 3, 18, tzinfo=dt.UTC)
        s.commit()
    engine.dispose()
    late = as_json(capsys, studio_db, "task", "list", "--late")
    assert [(r["task"], r["late"]) for r in late] == [("Hero/model", True)]


def test_task_create_show_update(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    task = ids(capsys, studio_db)
    code, out, err = run(capsys, "--db", studio_db, "task", "create", "lookdev",
                         "--parent", str(task["Hero"]), "--resource", "artist",
                         "--timing", "2d", "--depends-on", str(task["Hero/model"]),
                         "-m", "shaders")
    assert code == 0, err
    assert "Hero/lookdev in TP (status WFD)" in out
    new = ids(capsys, studio_db)["Hero/lookdev"]
    shown = as_json(capsys, studio_db, "task", "show", str(new))
    assert shown["resources"] == ["artist"] and shown["timing"] == "2d"
    assert shown["description"] == "shaders" and shown["status"] == "WFD"
    assert [d["task"] for d in shown["dependencies"]] == ["Hero/model"]
    model = as_json(capsys, studio_db, "task", "show", str(task["Hero/model"]))
    assert [d["task"] for d in model["dependents"]] == ["Hero/lookdev"]

    code, out, err = run(capsys, "--db", studio_db, "task", "update", str(new),
                         "--timing", "3.5h", "--model", "length", "--priority", "700",
                         "--remove-resource", "artist")
    assert code == 0, err
    shown = as_json(capsys, studio_db, "task", "show", str(new))
    assert (shown["timing"], shown["model"], shown["priority"], shown["resources"]) == (
        "3.5h", "length", 700, [])
    code, out, err = run(capsys, "--db", studio_db, "task", "update", str(new))
    assert code == 2 and "nothing to change" in err
    code, out, err = run(capsys, "--db", studio_db, "task", "create", "x")
    assert code == 2 and "--project" in err


def test_status_workflow_with_time_logs(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    model = str(ids(capsys, studio_db)["Hero/model"])
    db = ("--db", studio_db)
    # RTS -> WIP is the first time log, not --status
    code, out, err = run(capsys, *db, "task", "update", model, "--status", "WIP")
    assert code == 1 and "first time log" in err and "timelog add" in err
    code, out, err = run(capsys, *db, "timelog", "add", "--task", model,
                         "--start", "2030-01-07T10:00", "--duration", "2h", "-m", "blocking")
    assert code == 0, err
    assert "logged 2 h" in out and "for artist" in out and "RTS -> WIP" in out
    code, out, err = run(capsys, *db, "timelog", "add", "--task", model, "--user", "artist",
                         "--start", "2030-01-07T11:00", "--end", "2030-01-07T12:00")
    assert code == 1 and "error:" in err  # booked twice: refused by the library
    logs = as_json(capsys, studio_db, "timelog", "list", "--task", model)
    assert [(r["user"], r["hours"], r["description"]) for r in logs] == [
        ("artist", 2.0, "blocking")]
    assert as_csv(capsys, studio_db, "timelog", "list", "--user", "artist")[0]["hours"] == "2"

    assert run(capsys, *db, "task", "update", model, "--responsible", "admin")[0] == 0
    steps = [("PREV", "WIP -> PREV"), ("HREV", "PREV -> HREV"), ("OH", "HREV -> OH"),
             ("WIP", "OH -> WIP")]
    for code_, moved in steps:
        extra = ["--extend", "4h", "--note", "fix the ears"] if code_ == "HREV" else []
        code, out, err = run(capsys, *db, "task", "update", model, "--status", code_, *extra)
        assert code == 0, err
        assert moved in out
    code, out, err = run(capsys, *db, "task", "update", model, "--status", "CMPL")
    assert code == 1 and "approve" in err and "WIP" in err  # the library's rule, one line
    assert run(capsys, *db, "task", "update", model, "--status", "PREV")[0] == 0
    code, out, err = run(capsys, *db, "task", "update", model, "--status", "CMPL")
    assert code == 0, err
    assert "PREV -> CMPL" in out
    shown = as_json(capsys, studio_db, "task", "show", model)
    assert shown["status"] == "CMPL" and shown["logged_hours"] == 2
    assert [lg["hours"] for lg in shown["time_logs"]] == [2]


def test_user_list_and_show(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, studio_db, "user", "list")
    assert {r["login"] for r in rows} == {"admin", "artist"}
    artist = next(r for r in rows if r["login"] == "artist")
    assert artist["tasks"] == 1 and artist["email"] == "artist@example.com"
    assert [r["login"] for r in as_csv(capsys, studio_db, "user", "list")] == ["admin", "artist"]
    shown = as_json(capsys, studio_db, "user", "show", "artist")
    assert [t["task"] for t in shown["tasks"]] == ["Hero/model"]
    code, _, err = run(capsys, "--db", studio_db, "user", "show", "artsit")
    assert code == 1 and "did you mean 'artist'?" in err


def test_version_list_and_update(
    studio_db: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    comp = str(ids(capsys, studio_db)["SH001/comp"])
    src = tmp_path / "plate.nk"
    src.write_text("nuke script")
    code, out, err = run(capsys, "--db", studio_db, "version", "save", "--task", comp,
                         "--file", str(src), "-m", "first", "--user", "artist")
    assert code == 0, err
    rows = as_json(capsys, studio_db, "version", "list")
    assert len(rows) == 1
    v = rows[0]
    assert (v["description"], v["author"], v["v"], v["published"]) == ("first", "artist", 1,
                                                                       False)
    assert v["date"][:4].isdigit() and "T" in v["date"]
    assert v["path"].endswith("SH001_comp_Main_v001.nk")
    code, out, err = run(capsys, "--db", studio_db, "version", "update", str(v["id"]),
                         "-m", "first comp, plate graded")
    assert code == 0, err
    assert "'first' -> 'first comp, plate graded'" in out
    rows = as_csv(capsys, studio_db, "version", "list", "--user", "artist", "--project", "TP")
    assert rows[0]["description"] == "first comp, plate graded"
    assert rows[0]["published"] == "false"
    assert as_json(capsys, studio_db, "version", "list", "--user", "admin") == []


def test_plugins_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plugins", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    builtin = next(r for r in rows if r["plugin"] == "stalker_core.workflows.builtin")
    assert builtin["loaded"] and "stalker_ui_panels" in builtin["hooks"]
    assert any("stalker_host_get" in r["hooks"] for r in rows if r["loaded"])


def test_json_and_csv_together_are_refused(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", studio_db, "task", "list", "--json", "--csv")
    assert code == 2 and "cannot be used together" in err


def test_version_publish_many(
    studio_db: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    task = ids(capsys, studio_db)
    vids = []
    for key in ("SH001/comp", "SH001/anim"):
        src = tmp_path / f"{key.replace('/', '_')}.txt"
        src.write_text(key)
        code, out, err = run(capsys, "--db", studio_db, "version", "save", "--task",
                             str(task[key]), "--file", str(src), "-m", "to publish")
        assert code == 0, err
        vids.append(out.split()[2])
    code, out, err = run(capsys, "--db", studio_db, "version", "publish", *vids)
    assert code == 0, err
    assert out.count("published ") == 2
    rows = as_json(capsys, studio_db, "version", "list", "--published")
    assert sorted(str(r["id"]) for r in rows) == sorted(vids)
    code, out, err = run(capsys, "--db", studio_db, "version", "publish", *vids)
    assert code == 1
    assert err.count("warning: not published: version") == 2
    assert "2 of 2 versions were not published" in err


def test_task_import_dry_run_then_import_then_again(
    studio_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    table = tmp_path / "shots.csv"
    table.write_text("path,kind,resources,depends_on,timing\n"
                     "SH002,Shot,,,\n"
                     "SH002/anim,,artist,,2d\n"
                     "SH002/comp,,,SH002/anim;SH001/comp,1d\n", encoding="utf-8")
    before = ids(capsys, studio_db)
    code, out, err = run(capsys, "--db", studio_db, "task", "import", str(table),
                         "--project", "TP", "--dry-run")
    assert code == 0, err
    assert "would create 1 shot(s), 2 task(s); skipped 0 existing" in out
    assert ids(capsys, studio_db) == before
    created = as_json(capsys, studio_db, "task", "import", str(table), "--project", "TP")
    assert [(r["path"], r["kind"]) for r in created] == [
        ("SH002", "Shot"), ("SH002/anim", "Task"), ("SH002/comp", "Task")]
    after = ids(capsys, studio_db)
    assert {r["path"]: r["id"] for r in created} == {
        p: i for p, i in after.items() if p not in before}
    code, out, err = run(capsys, "--db", studio_db, "task", "import", str(table),
                         "--project", "TP")
    assert code == 0 and "created nothing; skipped 3 existing path(s)" in out
    assert ids(capsys, studio_db) == after


def test_task_import_bad_row_names_line(
    studio_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    table = tmp_path / "shots.csv"
    table.write_text("path,resources\nSH001/fx,\nSH001/lighting,nobody\n", encoding="utf-8")
    before = ids(capsys, studio_db)
    code, _out, err = run(capsys, "--db", studio_db, "task", "import", str(table),
                          "--project", "TP")
    assert code != 0
    assert f"{table} line 3: resource 'nobody' is not a user's login" in err
    assert ids(capsys, studio_db) == before
