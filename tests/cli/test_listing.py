"""``stalker version list``: rows read in chunks, plain columns for large listings."""

from __future__ import annotations

import json

import pytest

from stalker_core.cli import output, version_cmd
from stalker_core.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_list_streams_in_chunks_and_keeps_its_columns(
        studio_db: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from stalker_core.orm.session import DBSession

    code, out, err = run(capsys, "--db", studio_db, "task", "list", "--json")
    assert code == 0, err
    tasks = {t["task"]: t["id"] for t in json.loads(out)}
    model_id = next(tid for path, tid in tasks.items() if path.endswith("model"))
    for _ in range(3):
        code, _, err = run(capsys, "--db", studio_db, "version", "save", "--task",
                           str(model_id), "--empty", "--user", "artist", "-m", "a\nb")
        assert code == 0, err
    DBSession.remove()

    monkeypatch.setattr(version_cmd, "LIST_CHUNK", 2)  # several chunks
    code, out, err = run(capsys, "--db", studio_db, "version", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["v"] for r in rows] == [3, 2, 1]  # newest first
    first = rows[0]
    assert first["task"].endswith(f"/model ({model_id})")
    assert first["author"] == "artist" and first["description"] == "a\nb"
    assert "v003" in first["path"]
    assert first["published"] is False and first["take"] == "Main"

    monkeypatch.setattr(output, "TABLE_ROWS", 2)  # a "large" listing: plain columns
    code, out, err = run(capsys, "--db", studio_db, "version", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "task", "take"]
    assert [line.split()[0] for line in lines[2:-1]] == [str(r["id"]) for r in rows]
    assert lines[-1] == "versions (3)"

    code, out, err = run(capsys, "--db", studio_db, "version", "list", "--limit", "2", "--csv")
    assert code == 0, err
    import csv
    import io

    assert [r["id"] for r in csv.DictReader(io.StringIO(out))] == [
        str(r["id"]) for r in rows[:2]]

