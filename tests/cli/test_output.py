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


def _big_listing(count: int, seen: list[int]) -> click.Command:
    @click.command()
    @output.output_options()
    def listing() -> None:
        def rows():  # type: ignore[no-untyped-def]
            for i in range(count):
                seen.append(i)
                yield {"id": i, "name": f"item {i}", "note": "x\ny" if i == 3 else ""}

        output.emit_rows(rows(), ("id", "name", "note"), title=lambda n: f"items ({n})")

    return listing


def test_a_large_listing_prints_plain_columns_in_order() -> None:
    count = output.TABLE_ROWS + 1
    result = CliRunner().invoke(_big_listing(count, []), [])
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "name", "note"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert [line.split()[0] for line in lines[2:-1]] == [str(i) for i in range(count)]
    assert lines[5].split() == ["3", "item", "3", "x", "y"]  # one line a row
    assert lines[-1] == f"items ({count})"
    assert "┃" not in result.output


def test_json_and_csv_are_written_as_the_rows_come() -> None:
    """A generator is consumed while writing: the output equals json.dumps of the list."""
    seen: list[int] = []
    json_out = CliRunner().invoke(_big_listing(3, seen), ["--json"]).output
    expected = [{"id": i, "name": f"item {i}", "note": ""} for i in range(3)]
    assert json_out == json.dumps(expected, indent=2) + "\n"
    assert seen == [0, 1, 2]
    assert CliRunner().invoke(_big_listing(0, []), ["--json"]).output == "[]\n"
    csv_lines = CliRunner().invoke(_big_listing(2, []), ["--csv"]).output.splitlines()
    assert csv_lines == ["id,name,note", "0,item 0,", "1,item 1,"]
