"""Benchmark harness shared by ``bench_model.py`` and the ``rows_*.py`` modules (contract C5).

A :class:`Row` is one workload written twice: ``ours`` (stalker_core) and
``peer`` (Stalker 1.1.2.1, ``import stalker``). Each callable gets the URL of
a fresh, EMPTY database, sets up its own data (``db.setup()`` etc.) and
returns the seconds of the part it measures (use :class:`Timer`).

Every repetition runs in a fresh Python subprocess on a fresh database, so the
two libraries never share a process or a warm cache::

    python benchmarks/_harness.py --module benchmarks/rows_x.py --row NAME \\
        --lib ours --url sqlite:////tmp/x.db

prints ``{"seconds": ...}`` as the last line of its standard output.

Helpers for row authors: :class:`Timer`, :func:`ours_setup` and
:func:`peer_setup` (``db.setup()`` + ``db.init()`` of each library).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
BACKENDS: tuple[str, ...] = ("sqlite", "postgresql")


@dataclass
class Row:
    """One benchmark row: the same workload on stalker_core and on Stalker 1.1.2.1."""

    name: str
    ours: Callable[[str], float]  # fresh EMPTY database URL -> seconds of the measured part
    peer: Callable[[str], float] | None  # the same workload on Stalker 1.1.2.1 (import stalker)
    repeat: int = 3
    backends: tuple[str, ...] = ("sqlite", "postgresql")


@dataclass
class Result:
    """Medians of one row on one backend (``None`` when not run or failed)."""

    row: str
    backend: str
    ours: list[float] = field(default_factory=list)
    peer: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ours_median(self) -> float | None:
        return statistics.median(self.ours) if self.ours else None

    @property
    def peer_median(self) -> float | None:
        return statistics.median(self.peer) if self.peer else None

    @property
    def ratio(self) -> float | None:
        """How many times faster stalker_core is (peer / ours)."""
        o, p = self.ours_median, self.peer_median
        if o is None or p is None or o <= 0:
            return None
        return p / o


class Timer:
    """Measure a block: ``with Timer() as t: ...`` then ``t.seconds``."""

    seconds: float = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start


# --- helpers for row authors -------------------------------------------------


def ours_setup(url: str, *, init: bool = True) -> Any:
    """``stalker_core.db.setup()`` (+ ``init()``) on ``url``; returns ``DBSession``."""
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    db.setup({"sqlalchemy.url": url})
    if init:
        db.init()
    return DBSession


def peer_setup(url: str, *, init: bool = True) -> Any:
    """Stalker 1.1.2.1's ``db.setup()`` (+ ``init()``) on ``url``; returns its ``DBSession``."""
    import warnings

    warnings.simplefilter("ignore")
    from stalker.db.session import DBSession
    from stalker.db.setup import init as peer_init
    from stalker.db.setup import setup as peer_db_setup

    peer_db_setup({"sqlalchemy.url": url})
    if init:
        peer_init()
    return DBSession


# --- loading rows ------------------------------------------------------------


def load_module(path: str | os.PathLike[str]) -> ModuleType:
    """Import a benchmark module from its file path (benchmarks/ is not a package)."""
    p = Path(path).resolve()
    if str(p.parent) not in sys.path:
        sys.path.insert(0, str(p.parent))
    name = f"_bench_{p.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load benchmark module {p}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def row_modules(bench_dir: Path = BENCH_DIR) -> list[Path]:
    """The ``rows_*.py`` modules next to this file, sorted."""
    return sorted(bench_dir.glob("rows_*.py"))


def find_row(module_path: str | os.PathLike[str], name: str) -> Row:
    """Return the row called ``name`` from the ``ROWS`` list of a module."""
    module = load_module(module_path)
    for row in getattr(module, "ROWS", []):
        if row.name == name:
            return row
    raise KeyError(f"no row {name!r} in {module_path}")


# --- databases ---------------------------------------------------------------


class Databases:
    """Hands out fresh empty databases per backend; starts PostgreSQL when needed.

    PostgreSQL comes from ``STALKER_BENCH_PG_URL`` (an admin URL with CREATE
    DATABASE rights) or, when unset, from a throwaway server
    (:class:`stalker_core.testing.pgserver.PostgresServer`) started on first use.
    """

    def __init__(self) -> None:
        self._server: Any = None
        self._pg_admin: str | None = os.environ.get("STALKER_BENCH_PG_URL")
        self._tmp = Path(tempfile.mkdtemp(prefix="stalker-bench-"))

    def pg_admin_url(self) -> str:
        if self._pg_admin is None:
            from stalker_core.testing.pgserver import PostgresServer

            self._server = PostgresServer().start()
            self._pg_admin = self._server.url
        return self._pg_admin

    @contextlib.contextmanager
    def fresh(self, backend: str) -> Iterator[str]:
        """Yield the URL of a new empty database on ``backend``; drop it afterwards."""
        if backend == "sqlite":
            path = self._tmp / f"{uuid.uuid4().hex}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                path.unlink(missing_ok=True)
            return
        if backend != "postgresql":
            raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")
        from sqlalchemy import create_engine, text

        admin_url = self.pg_admin_url()
        name = "bench_" + uuid.uuid4().hex[:12]
        base = admin_url.rpartition("/")[0]
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            yield f"{base}/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        import shutil

        shutil.rmtree(self._tmp, ignore_errors=True)


# --- running -----------------------------------------------------------------


def run_once(module_path: str | os.PathLike[str], row: str, lib: str, url: str) -> float:
    """Run one repetition of ``row`` (``lib`` = ours|peer) in a fresh subprocess."""
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--module", str(module_path),
        "--row", row, "--lib", lib, "--url", url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"[{lib}] " + " | ".join(tail))
    last = proc.stdout.strip().splitlines()[-1]
    return float(json.loads(last)["seconds"])


def run_rows(
    sources: Sequence[tuple[Path, Row]],
    *,
    backends: Sequence[str] = BACKENDS,
    repeat: int | None = None,
    with_peer: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[Result]:
    """Run every row on every backend it supports; fresh database per repetition."""
    dbs = Databases()
    results: list[Result] = []
    try:
        for path, row in sources:
            for backend in row.backends:
                if backend not in backends:
                    continue
                res = Result(row.name, backend)
                libs = ["ours"] + (["peer"] if with_peer and row.peer is not None else [])
                for i in range(repeat or row.repeat):
                    for lib in libs:
                        if progress:
                            progress(f"{row.name} [{backend}] {lib} #{i + 1}")
                        try:
                            with dbs.fresh(backend) as url:
                                seconds = run_once(path, row.name, lib, url)
                        except Exception as exc:  # report, keep going
                            res.errors.append(str(exc))
                            continue
                        (res.ours if lib == "ours" else res.peer).append(seconds)
                results.append(res)
    finally:
        dbs.close()
    return results


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_table(results: Sequence[Result], title: str = "stalker_core vs Stalker 1.1.2.1") -> None:
    """Print the medians and ratios as a rich table (errors listed below it)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("row", "backend", "ours (median)", "Stalker (median)", "ratio (x faster)", "n"):
        left = col in ("row", "backend")
        table.add_column(col, justify="left" if left else "right", no_wrap=not left or None)
    for r in results:
        ratio = r.ratio
        table.add_row(
            r.row, r.backend, _fmt(r.ours_median), _fmt(r.peer_median),
            "-" if ratio is None else f"{ratio:.1f}x", f"{len(r.ours)}/{len(r.peer)}",
        )
    console = Console(width=max(120, Console().width))
    console.print(table)
    for r in results:
        for err in r.errors:
            console.print(f"[red]{r.row} [{r.backend}]: {err}[/red]")


def results_as_json(results: Sequence[Result]) -> str:
    """The results as JSON (for saving figures)."""
    return json.dumps(
        [
            {
                "row": r.row, "backend": r.backend, "ours": r.ours, "peer": r.peer,
                "ours_median": r.ours_median, "peer_median": r.peer_median, "ratio": r.ratio,
                "errors": r.errors,
            }
            for r in results
        ],
        indent=2,
    )


def _child(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description="run one benchmark repetition")
    parser.add_argument("--module", required=True)
    parser.add_argument("--row", required=True)
    parser.add_argument("--lib", choices=("ours", "peer"), required=True)
    parser.add_argument("--url", required=True)
    args = parser.parse_args(argv)
    row = find_row(args.module, args.row)
    func = row.ours if args.lib == "ours" else row.peer
    if func is None:
        raise SystemExit(f"row {args.row!r} has no {args.lib} workload")
    seconds = func(args.url)
    sys.stdout.write("\n" + json.dumps({"seconds": seconds}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
