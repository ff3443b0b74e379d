"""The TaskJuggler backend: write the studio as tjp, run ``tj3``, read its CSV report.

``tj3`` is taken from the ``command`` argument, else from the configuration
(a ``tj3_command`` or ``tj_command`` field, when the configuration has one),
else from ``PATH``. Missing, timing out or reporting an error raises
:class:`~stalker_core.exceptions.TaskJugglerError` with tj3's message and the
tasks concerned.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from stalker_core.exceptions import TaskJugglerError
from stalker_core.scheduling.calendar import align_up, to_zone
from stalker_core.scheduling.data import Plan, Problem, TaskPlan
from stalker_core.scheduling.taskjuggler.tjp import tjp_file

_ID = re.compile(r"\b(Task|User|Project)_(\d+)\b")
_USER = re.compile(r"\(User_(\d+)\)")
_LINE = re.compile(r"^(?P<file>[^:\n]+\.tjp):(?P<line>\d+): (?P<kind>Error|Warning): (?P<msg>.*)$",
                   re.M)


def find_tj3(command: str | None = None) -> str:
    """Path of the tj3 executable.

    :raises TaskJugglerError: when it cannot be found.
    :raises ConfigError: the configuration (which names it) is invalid.
    """
    if command is None:
        from stalker_core.config import get_config

        # a broken configuration is an error (ConfigError), never a fallback to
        # another program than the one configured
        cfg = get_config()
        command = getattr(cfg, "tj3_command", None) or getattr(cfg, "tj_command", None)
    candidates = [command] if command else ["tj3"]
    for cand in candidates:
        found = shutil.which(cand) if cand else None
        if found:
            return found
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    raise TaskJugglerError(
        f"TaskJuggler's tj3 was not found (looked for {candidates[0]!r} on PATH); install "
        "TaskJuggler 3 (e.g. `gem install taskjuggler`) or set the tj3 command in the "
        "configuration, or use the native scheduler"
    )


class TaskJugglerScheduler:
    """Schedule with TaskJuggler 3.

    :param command: the tj3 executable (default: configuration, then ``PATH``).
    :param timeout: seconds before tj3 is stopped and an error raised (default: the
        configuration's ``tj3_timeout``, else 600).
    :param keep_dir: keep the tjp file and reports in this directory (for debugging).
    """

    name = "tj3"

    def __init__(self, *, command: str | None = None, timeout: float | None = None,
                 keep_dir: str | os.PathLike[str] | None = None) -> None:
        self.command = command
        self.timeout = timeout
        self.keep_dir = keep_dir
        #: seconds of the last run spent inside tj3
        self.tj3_seconds = 0.0

    def __repr__(self) -> str:
        return f"TaskJugglerScheduler(command={self.command!r}, timeout={self.timeout!r})"

    def tjp_text(self, problem: Problem, report: str | None = None) -> tuple[str, dict[int, int]]:
        """The tjp file tj3 gets (see :func:`~stalker_core.scheduling.taskjuggler.tjp.tjp_file`)."""
        return tjp_file(problem, report)

    def schedule(self, problem: Problem) -> Plan:
        """Run tj3 on ``problem`` and return its plan (without bookings).

        :raises TaskJugglerError: tj3 missing, timing out or reporting an error.
        """
        t0 = time.perf_counter()
        exe = find_tj3(self.command)
        timeout = self.timeout
        if timeout is None:
            from stalker_core.config import get_config

            timeout = float(getattr(get_config(), "tj3_timeout", 600) or 600)
        tmp = tempfile.TemporaryDirectory(prefix="stalker_tj3_")
        workdir = Path(self.keep_dir) if self.keep_dir else Path(tmp.name)
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            report = str((workdir / "plan").resolve())
            text, lines = self.tjp_text(problem, report)
            tjp = workdir / "studio.tjp"
            tjp.write_text(text, encoding="utf-8")
            t1 = time.perf_counter()
            try:
                proc = subprocess.run(
                    [exe, "--no-color", str(tjp)],
                    cwd=workdir, capture_output=True, text=True, timeout=timeout,
                )
            except subprocess.TimeoutExpired as exc:
                raise TaskJugglerError(
                    f"tj3 did not finish within {timeout:g} seconds; give the "
                    "TaskJugglerScheduler a longer timeout or use the native scheduler"
                ) from exc
            except OSError as exc:
                raise TaskJugglerError(f"tj3 ({exe}) could not be run: {exc}") from exc
            self.tj3_seconds = time.perf_counter() - t1
            output = (proc.stdout or "") + "\n" + (proc.stderr or "")
            errors = [m for m in _LINE.finditer(output) if m.group("kind") == "Error"]
            csv_path = Path(report + ".csv")
            if proc.returncode != 0 or errors or not csv_path.exists():
                raise TaskJugglerError(self._explain(problem, output, errors, lines,
                                                     proc.returncode, text))
            warnings = [self._name_ids(problem, m.group("msg")) for m in _LINE.finditer(output)
                        if m.group("kind") == "Warning"]
            plan = self._read_csv(problem, csv_path)
            plan.warnings.extend(warnings)
            plan.seconds = time.perf_counter() - t0
            return plan
        finally:
            tmp.cleanup()

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _name_ids(problem: Problem, message: str) -> str:
        def repl(m: re.Match[str]) -> str:
            kind, num = m.group(1), int(m.group(2))
            if kind == "Task" and num in problem.tasks:
                return f"{m.group(0)} ({problem.tasks[num].name!r})"
            if kind == "User" and num in problem.resources:
                return f"{m.group(0)} ({problem.resources[num].name!r})"
            if kind == "Project" and num in problem.projects:
                return f"{m.group(0)} ({problem.projects[num].name!r})"
            return m.group(0)

        return _ID.sub(repl, message)

    def _explain(self, problem: Problem, output: str, errors: list[re.Match[str]],
                 lines: dict[int, int], code: int, text: str = "") -> str:
        parts = []
        source = text.splitlines()
        for m in errors[:10]:
            msg = self._name_ids(problem, m.group("msg"))
            num = int(m.group("line"))
            tid = lines.get(num)
            where = f" [task {problem.tasks[tid].name!r} (id {tid})]" if tid in problem.tasks else (
                f" [tjp line {num}: {source[num - 1].strip()!r}]" if 0 < num <= len(source)
                else "")
            parts.append(msg + where)
        if not parts:
            tail = [ln for ln in output.strip().splitlines() if ln.strip()][-5:]
            parts.append(" | ".join(tail) or f"exit code {code}")
        return "tj3 reported an error: " + "; ".join(parts)

    def _read_csv(self, problem: Problem, path: Path) -> Plan:
        tz = to_zone(problem.timezone)
        out: dict[int, TaskPlan] = {}
        seen: dict[str, dt.datetime | None] = {"": None}  # tasks share most of their dates

        def parse(text: str) -> dt.datetime | None:
            got = seen.get(text, seen)
            if got is not seen:
                return got  # type: ignore[return-value]
            naive = dt.datetime.strptime(text, "%Y-%m-%d-%H:%M")
            value = (naive.replace(tzinfo=dt.UTC) if tz is dt.UTC
                     else naive.replace(tzinfo=tz).astimezone(dt.UTC))
            seen[text] = value
            return value

        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=";")
            next(reader, None)
            for row in reader:
                if len(row) < 3:
                    continue
                last = row[0].rsplit(".", 1)[-1]
                if not last.startswith("Task_"):
                    continue
                tid = int(last[5:])
                if tid not in problem.tasks:
                    continue
                names = row[3] if len(row) > 3 else ""
                users = tuple(sorted({int(u) for u in _USER.findall(names)})) if names else ()
                out[tid] = TaskPlan(tid, parse(row[1]), parse(row[2]), users)
        missing = [problem.tasks[t].name for t in problem.tasks if t not in out]
        if missing:
            raise TaskJugglerError(
                "tj3's report misses these tasks: " + ", ".join(sorted(missing)[:20])
            )
        children = problem.children_map()
        for tid in children:
            out[tid].resources = ()
        origin = align_up(problem.now, problem.resolution)
        return Plan(out, origin, scheduler="tj3", has_bookings=False)
