"""Import time of ``stalker_core`` (goal: under 0.3 s) and what it pulls in.

Each measurement is a fresh interpreter (``python -X importtime``-free: wall
time around the import, median of N runs). Also shown: the cost of the first
touch of the model layer (``stalker_core.User``), and of Stalker 1.1.2.1's
``import stalker`` for comparison.

Usage::

    python benchmarks/bench_import.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "Qt", "bpy", "maya", "nuke", "hou")

PROBE = """
import sys, time, json
t = time.perf_counter()
{stmt}
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt, "modules": sorted(sys.modules)}}))
"""


def measure(stmt: str, runs: int) -> tuple[float, list[str]]:
    """Median seconds of ``stmt`` in ``runs`` fresh interpreters, and the modules loaded."""
    times: list[float] = []
    modules: list[str] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(stmt=stmt)], capture_output=True, text=True,
            check=True,
        ).stdout
        data = json.loads(out.strip().splitlines()[-1])
        times.append(data["seconds"])
        modules = data["modules"]
    return statistics.median(times), modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="import-time benchmark")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    rows = [
        ("import stalker_core", "import stalker_core"),
        ("first model access (stalker_core.User)", "import stalker_core; stalker_core.User"),
        ("import stalker (Stalker 1.1.2.1)",
         "import warnings; warnings.simplefilter('ignore'); import stalker"),
    ]
    table = Table(title="import time (median of fresh interpreters)")
    for col in ("what", "median", "modules loaded", "DCC/Qt modules"):
        table.add_column(col, justify="left" if col == "what" else "right")
    ok = True
    for label, stmt in rows:
        try:
            seconds, modules = measure(stmt, args.runs)
        except subprocess.CalledProcessError as exc:
            table.add_row(label, "failed", "-", (exc.stderr or "").strip()[-60:])
            continue
        bad = [m for m in modules if m.split(".")[0] in FORBIDDEN]
        shown = ", ".join(bad) or "none"
        table.add_row(label, f"{seconds * 1000:.0f} ms", str(len(modules)), shown)
        if label == "import stalker_core":
            ok = seconds < 0.3 and not bad
    Console(width=120).print(table)
    print("goal (< 0.3 s, no DCC/Qt):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
