"""How commands print: tables, ``--json``, ``--csv``, progress bars.

Every listing builds a list of rows (dicts of plain values) and hands it to
:func:`emit_rows`; a ``show`` command hands one dict to :func:`emit_record`.
The output format is chosen by the options of :func:`output_options`:

* a rich table (the default); on a terminal it fits the window, otherwise
  (piped, redirected) every value is printed whole, never cut to 80 columns;
  a listing of more than :data:`TABLE_ROWS` rows prints plain aligned
  columns instead (rich would take minutes for 100,000 rows);
* ``--json``: a JSON array of objects (``show``: one object), dates in ISO
  8601, lists as arrays, missing values as ``null``; written as the rows
  come (a listing may pass a generator);
* ``--csv`` (listings): a header row and one row per item, lists joined
  with ``", "``, dates in ISO 8601, flags ``true``/``false``.

:func:`progress` is a rich progress bar on a terminal and nothing elsewhere,
so piped output holds only the results.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

_FORMAT_KEY = "stalker.output"
#: width of a console that does not write to a terminal: whole values, never cut
PIPE_WIDTH = 10_000


def _set_format(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    chosen = ctx.meta.get(_FORMAT_KEY)
    if chosen is not None and chosen != param.name:
        raise click.UsageError("--json and --csv cannot be used together")
    ctx.meta[_FORMAT_KEY] = param.name


def output_options(*, csv_too: bool = True) -> Callable[[Any], Any]:
    """Add ``--json`` (and ``--csv`` unless ``csv_too=False``) to a command."""

    def decorate(f: Any) -> Any:
        if csv_too:
            f = click.option("--csv", "csv", is_flag=True, expose_value=False,
                             callback=_set_format, help="Print CSV (a header, then a row each).")(f)
        return click.option("--json", "json", is_flag=True, expose_value=False,
                            callback=_set_format, help="Print JSON.")(f)

    return decorate


def output_format() -> str:
    """``"table"``, ``"json"`` or ``"csv"`` for the running command."""
    ctx = click.get_current_context(silent=True)
    return str(ctx.meta.get(_FORMAT_KEY) or "table") if ctx is not None else "table"


def is_terminal() -> bool:
    """Standard output is an interactive terminal."""
    stream = sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def make_console(*, stderr: bool = False) -> Any:
    """A rich console: the terminal's width on a terminal, unlimited when piped."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if getattr(stream, "isatty", lambda: False)():
        return Console(file=stream, stderr=stderr)
    return Console(file=stream, width=PIPE_WIDTH, soft_wrap=True, highlight=False)


#: values JSON and the text formats take as they are (checked first: listings are big)
_AS_IS = frozenset({str, int, type(None)})


def plain(value: Any) -> Any:
    """A JSON-ready value: ISO dates, lists of plain values, others as they are."""
    if type(value) in _AS_IS or type(value) is bool:
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def text(value: Any) -> str:
    """A value as table or CSV text: dates to the minute, lists joined, ``None`` empty."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(text(v) for v in value)
    return str(value)


def _csv(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return text(value)


#: a listing of more rows than this prints as plain aligned columns, not a rich table
#: (rich measures and draws every cell: about a millisecond a row)
TABLE_ROWS = 1000


def emit_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
              title: str | Callable[[int], str] | None = None) -> None:
    """Print ``rows`` (only ``columns``, in that order) as a table, JSON or CSV.

    ``rows`` may be a generator: JSON and CSV are written row by row as it
    yields (a listing of any size starts at once and holds one row at a
    time). A table needs every row to size its columns; beyond
    :data:`TABLE_ROWS` rows it is printed as plain columns (a header line, a
    rule, one line a row, nothing cut or wrapped, the title last) instead of a
    rich table.

    :param title: the table's title, or a function of the row count making it.
    """
    fmt = output_format()
    out = sys.stdout
    if fmt == "json":
        _write_json(out, ({c: plain(r.get(c)) for c in columns} for r in rows))
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_csv(r.get(c)) for c in columns])
        return
    cells = [[text(r.get(c)) for c in columns] for r in rows]
    shown = title(len(cells)) if callable(title) else title
    if len(cells) > TABLE_ROWS:
        _write_columns(out, columns, cells, shown)
        return
    make_console().print(_table_of_text(cells, columns, shown))


def _write_json(out: Any, items: Iterable[Mapping[str, Any]]) -> None:
    """Write a JSON array item by item: one key a line, as ``json.dumps(..., indent=2)``.

    Each item is encoded in one call of the C encoder, the line breaks coming
    from its separator (``indent`` would use the pure-Python encoder, ten
    times slower); the items of a list value are one a line at the same depth.
    """
    encode = json.JSONEncoder(separators=(",\n    ", ": ")).encode
    first = True
    for item in items:
        out.write("[\n" if first else ",\n")
        out.write(f"  {{\n    {encode(item)[1:-1]}\n  }}" if item else "  {}")
        first = False
    out.write("[]\n" if first else "\n]\n")


def _write_columns(out: Any, columns: Sequence[str], cells: list[list[str]],
                   title: str | None) -> None:
    """Plain aligned columns: the header, a rule, the rows, then the title."""
    widths = [len(c) for c in columns]
    for row in cells:
        for i, value in enumerate(row):
            if len(value) > widths[i]:
                widths[i] = len(value)
    last = len(columns) - 1

    def line(values: Sequence[str]) -> str:
        return "  ".join(v if i == last else v.ljust(widths[i])
                         for i, v in enumerate(values)).rstrip() + "\n"

    out.write(line(columns))
    out.write(line(["-" * w for w in widths]))
    chunk: list[str] = []
    for row in cells:
        chunk.append(line([v.replace("\n", " ") for v in row]))
        if len(chunk) >= 5000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    if title:
        out.write(f"{title}\n")


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None) -> Any:
    return _table_of_text([[text(r.get(c)) for c in columns] for r in rows], columns, title)


def _table_of_text(cells: Iterable[Sequence[str]], columns: Sequence[str],
                   title: str | None) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in cells:
        table.add_row(*row)
    return table


def emit_record(record: Mapping[str, Any], *, title: str | None = None,
                sections: Mapping[str, tuple[Sequence[Mapping[str, Any]], Sequence[str]]]
                | None = None) -> None:
    """Print one item: its fields, then tables of related rows (``sections``).

    JSON prints one object: the fields, and each section as an array under
    its name.
    """
    sections = sections or {}
    if output_format() == "json":
        data = {k: plain(v) for k, v in record.items()}
        for name, (rows, columns) in sections.items():
            data[name] = [{c: plain(r.get(c)) for c in columns} for r in rows]
        click.echo(json.dumps(data, indent=2))
        return
    from rich.table import Table

    console = make_console()
    fields = Table(title=title, show_header=False)
    fields.add_column("field", style="bold")
    fields.add_column("value", overflow="fold")
    for k, v in record.items():
        fields.add_row(k.replace("_", " "), text(v))
    console.print(fields)
    for name, (rows, columns) in sections.items():
        label = name.replace("_", " ")
        if not rows:
            console.print(f"{label}: none", highlight=False)
            continue
        console.print(_table(rows, columns, label))


class _Bar:
    """What :func:`progress` yields: ``advance()`` and ``describe()``."""

    def __init__(self, progress: Any = None, task: Any = None) -> None:
        self._progress, self._task = progress, task

    def advance(self, steps: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, steps)

    def describe(self, description: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=description)

    def total(self, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextmanager
def progress(description: str, total: int | None = None, *, show: bool = True) -> Iterator[_Bar]:
    """A progress bar on stderr while the block runs (nothing when not a terminal)."""
    if not show or not sys.stderr.isatty():
        yield _Bar()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=make_console(stderr=True),
                  transient=True) as bar:
        yield _Bar(bar, bar.add_task(description, total=total))
