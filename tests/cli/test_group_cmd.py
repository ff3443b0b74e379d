"""``stalker group``: groups, their members and rules, and a user's own rules (both DBs).

Over ``studio_db`` (the administrator "admin", the artist "artist" in the
artists group); the CLI tests act as admin unless a test sits another login
at the keyboard.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from stalker_core.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def shown(capsys: pytest.CaptureFixture[str], db: str, group: str) -> dict[str, Any]:
    code, out, err = run(capsys, "--db", db, "group", "show", group, "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_create_show_and_list(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", studio_db, "group", "create", "leads",
                         "--user", "artist", "--allow", "*:Task", "--deny", "Delete:Project",
                         "--description", "shot leads")
    assert code == 0, err
    assert "created group" in out and "1 user(s), 6 rule(s)" in out
    group = shown(capsys, studio_db, "leads")
    assert group["users"] == ["artist"] and group["description"] == "shot leads"
    assert group["rules"] == sorted([f"Allow {a} Task" for a in
                                     ("Create", "Read", "Update", "Delete", "List")]
                                    + ["Deny Delete Project"])
    code, out, err = run(capsys, "--db", studio_db, "group", "list", "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["leads"]["users"] == 1 and rows["leads"]["rules"] == 6
    assert {"admins", "artists", "leads"} <= set(rows)


def test_members_and_rules_change(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", studio_db, "group", "create", "review")[0] == 0
    code, out, err = run(capsys, "--db", studio_db, "group", "add-user", "review",
                         "artist", "admin")
    assert code == 0, err
    assert "added 2" in out
    code, out, err = run(capsys, "--db", studio_db, "group", "grant", "review",
                         "--allow", "Update:Review", "--allow", "update:review")
    assert code == 0, err
    assert "1 rule(s) added" in out  # the same rule twice is one rule
    assert shown(capsys, studio_db, "review")["rules"] == ["Allow Update Review"]
    code, out, err = run(capsys, "--db", studio_db, "group", "revoke", "review",
                         "--allow", "Update:Review", "--deny", "Read:Task")
    assert code == 0, err
    assert "1 rule(s) removed" in out and "did not have: Deny Read Task" in out
    code, out, err = run(capsys, "--db", studio_db, "group", "remove-user", "review", "admin")
    assert code == 0, err
    assert shown(capsys, studio_db, "review") | {"id": 0} == {
        "id": 0, "name": "review", "description": "", "users": ["artist"], "rules": []}


def test_a_users_own_rules(studio_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    from stalker_core import db
    from stalker_core.models import Task, User
    from stalker_core.orm.session import DBSession

    code, out, err = run(capsys, "--db", studio_db, "group", "grant", "--user", "artist",
                         "--deny", "Update:Task")
    assert code == 0, err
    assert "user 'artist'" in out
    engine = db.setup({"sqlalchemy.url": studio_db})
    try:
        artist = DBSession.query(User).filter_by(login="artist").one()
        assert [(p.access, p.action) for p in artist.permissions] == [("Deny", "Update")]
        assert not artist.can("Update", Task)  # the artists group allows it; own Deny wins
    finally:
        DBSession.remove()
        engine.dispose()
    code, out, err = run(capsys, "--db", studio_db, "group", "revoke", "--user", "artist",
                         "--deny", "Update:Task")
    assert code == 0, err
    assert "1 rule(s) removed, 0 now" in out


@pytest.mark.parametrize(("args", "message"), [
    (("create", "admins"), "a group named 'admins' exists already"),
    (("create", "x", "--allow", "Create"), "'Create' is not a rule; expected ACTION:CLASS"),
    (("create", "x", "--allow", "Fly:Task"), "Permission.action"),
    (("create", "x", "--allow", "Read:Tsk"), "no model class named 'Tsk'; did you mean 'Task'?"),
    (("create", "x", "--user", "nobody"), "no user with login or id 'nobody'"),
    (("show", "artist"), "no group with name or id 'artist'; did you mean 'artists'?"),
    (("grant", "artists"), "give at least one --allow or --deny"),
    (("grant", "--allow", "Read:Task"), "give a GROUP, or --user LOGIN"),
    (("revoke", "artists", "--deny", "Read:Task"), "has none of these rules: Deny Read Task"),
    (("remove-user", "admins", "artist"), "not in group 'admins': artist"),
])
def test_bad_input_is_named_and_changes_nothing(
    studio_db: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str,
) -> None:
    before = run(capsys, "--db", studio_db, "group", "list", "--json")[1]
    code, out, err = run(capsys, "--db", studio_db, "group", *args)
    assert code != 0
    assert message in out + err
    assert run(capsys, "--db", studio_db, "group", "list", "--json")[1] == before


def test_an_artist_may_not_change_groups(
    studio_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("stalker_core.context.os_login", lambda: "artist")
    code, out, err = run(capsys, "--db", studio_db, "group", "grant", "artists",
                         "--allow", "Delete:Project")
    assert code != 0
    assert "user 'artist' may not Update group 'artists'" in out + err
    assert "Allow Delete Project" not in shown(capsys, studio_db, "artists")["rules"]
