"""stalker_core.cli.output: values as JSON/CSV/table text, consoles, progress bars."""

from __future__ import annotations

import datetime as dt
import io
import json

import click
import pytest
from click.testing import CliRunner

from stalker_core.cli import output


def test_values_in_each_format() -> None:
    when = dt.datetime(2026, 5, 4, 10, 30, tzinfo=dt.UTC)
    assert output.plain(when) == "2026-05-04T10:30:00+00:00"
    assert output.plain(("a", when)) == ["a", "2026-05-04T10:30:00+00:00"]
    assert output.text(when) == "2026-05-04 10:30"
    assert output.text(["a", "b"]) == "a, b"
    assert (output.text(None), output.text(True), output.text(False)) == ("", "yes", "")
    assert output.text(3.0) == "3" and output.text(2.5) == "2.5"


def _listing() -> click.Command:
    @click.command()
    @output.output_options()
    def listing() -> None:
        rows = [{"id": 1, "name": "a" * 120, "done": True,
                 "when": dt.datetime(2026, 5, 4, tzinfo=dt.UTC), "who": ["x", "y"]}]
        output.emit_rows(rows, ("id", "name", "done", "when", "who"), title="things")

    return listing


def test_emit_rows_table_json_csv() -> None:
    runner = CliRunner()
    table = runner.invoke(_listing(), [], env={"COLUMNS": "40"})
    assert table.exit_code == 0 and "a" * 120 in table.output  # piped: not cut
    data = json.loads(runner.invoke(_listing(), ["--json"]).output)
    assert data == [{"id": 1, "name": "a" * 120, "done": True,
                     "when": "2026-05-04T00:00:00+00:00", "who": ["x", "y"]}]
    lines = runner.invoke(_listing(), ["--csv"]).output.splitlines()
    assert lines == ["id,name,done,when,who",
                     f"1,{'a' * 120},true,2026-05-04T00:00:00+00:00,\"x, y\""]
    both = runner.invoke(_listing(), ["--json", "--csv"])
    assert both.exit_code == 2 and "cannot be used together" in both.output


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", io.StringIO())
    with output.progress("work", total=2) as bar:
        bar.advance()
        bar.describe("more work")
    assert output.sys.stderr.getvalue() == ""
    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    with output.progress("work", total=2) as bar:
        assert bar._progress is not None
        bar.advance(2)
    with output.progress("hidden", total=2, show=False) as bar:
        assert bar._progress is None
