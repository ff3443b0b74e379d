"""The TaskJuggler backend on plain data: tjp text, tj3 runs, errors; native vs tj3."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import stat
from pathlib import Path

import pytest
from sched_helpers import MONDAY, at, problem, task

from stalker_core.exceptions import TaskJugglerError
from stalker_core.scheduling import NativeScheduler, TaskJugglerScheduler
from stalker_core.scheduling.data import (
    CONSTRAIN_START,
    Dependency,
    Problem,
    Resource,
    TimeLogEntry,
)
from stalker_core.scheduling.taskjuggler.tjp import quote, render_problem, tj3_zone, tjp_file
from stalker_core.scheduling.validate import validate_plan

needs_tj3 = pytest.mark.skipif(shutil.which("tj3") is None, reason="tj3 is not installed")


def test_tjp_text_has_every_feature() -> None:
    pr = problem(
        task(1, "box", res=()),
        task(2, "a", timing=2, unit="d", parent=1, priority=700),
        task(3, "b", timing=3, model="length", parent=1, res=(1,), alternatives=(2,),
             strategy="order", deps=(Dependency(2, gap_timing=2, gap_unit="h"),)),
        task(4, "c", timing=1, unit="d", model="duration", res=(2,),
             deps=(Dependency(2, "onstart", 1, "d", "duration"),)),
        task(5, "fixed", constraint=CONSTRAIN_START, start=at(3, 10)),
        task(6, "ms", res=(), milestone=True, deps=(3,)),
        task(7, "logged", timing=5,
             time_logs=(TimeLogEntry(1, at(-3, 9), at(-3, 11)),)),
        resources=[Resource(1, 'Ann "A"', 0.8, [(at(10, 0), at(12, 0))]), Resource(2, "Bob")],
        holidays=[(at(20, 0), at(21, 0))],
    )
    text, lines = render_problem(pr)
    assert 'resource User_1 "Ann \\"A\\"" {' in text
    assert "efficiency 0.8" in text
    assert "leaves annual 2026-01-15-00:00 - 2026-01-17-00:00" in text
    assert 'leaves holiday "Studio vacation" 2026-01-25-00:00 - 2026-01-26-00:00' in text
    assert "workinghours mon, tue, wed, thu, fri 09:00 - 18:00" in text
    assert "workinghours sat, sun off" in text
    assert "effort 18.0h" in text
    assert "length 3.0h" in text
    assert "duration 24.0h" in text
    assert "allocate User_1 {alternative User_2 select order persistent}" in text
    assert "depends Project_1.Task_1.Task_2 {gaplength 2.0h onend}" in text
    assert "depends Project_1.Task_1.Task_2 {gapduration 24.0h onstart}" in text
    assert "priority 700" in text
    assert "start 2026-01-08-10:00" in text
    assert "milestone" in text
    assert "booking User_1 2026-01-02-09:00 - 2026-01-02-11:00 {overtime 2}" in text
    # every task line is mapped back to its task, for error messages
    assert set(lines.values()) == {1, 2, 3, 4, 5, 6, 7}


def test_time_zones_tj3_refuses_are_mapped() -> None:
    assert tj3_zone("Etc/UTC") == "UTC"
    assert tj3_zone("GMT") == "UTC"
    assert tj3_zone("Europe/Istanbul") == "Europe/Istanbul"
    text, _ = render_problem(problem(task(1), timezone="Etc/UTC"))
    assert 'timezone "UTC"' in text


@needs_tj3
def test_tj3_plans_the_tutorial_like_native(tutorial_problem: Problem) -> None:
    tj = TaskJugglerScheduler().schedule(tutorial_problem)
    nat = NativeScheduler().schedule(tutorial_problem)
    assert validate_plan(tutorial_problem, tj).ok
    for a, b in zip([2, 3, 4, 5, 6], [3, 4, 5, 6], strict=False):
        assert tj.tasks[a].end <= tj.tasks[b].start  # type: ignore[operator]
    assert tj.tasks[6].resources == (1,)
    assert nat.makespan <= tj.makespan
    assert {t: (p.start, p.end) for t, p in tj.tasks.items()} == {
        t: (p.start, p.end) for t, p in nat.tasks.items()}


def _random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    tasks = []
    n = 30
    for i in range(1, n + 1):
        deps = tuple(rng.sample(range(1, i), k=min(i - 1, rng.randint(0, 2)))) if i > 1 else ()
        tasks.append(task(i, timing=rng.randint(1, 16), res=(rng.randint(1, 4),), deps=deps,
                          priority=rng.choice([500, 500, 700])))
    return problem(*tasks, resources=4, timezone="Etc/UTC")


@needs_tj3
@pytest.mark.parametrize("seed", [1, 2])
def test_native_no_longer_than_tj3_on_small_projects(seed: int) -> None:
    pr = _random_problem(seed)
    tj = TaskJugglerScheduler().schedule(pr)
    nat = NativeScheduler().schedule(pr)
    assert validate_plan(pr, tj).ok, validate_plan(pr, tj).errors
    assert validate_plan(pr, nat).ok
    assert nat.makespan <= tj.makespan


@needs_tj3
def test_tj3_error_names_the_task() -> None:
    pr = problem(task(1, "early bird"), task(2, "x"))
    with pytest.raises(TaskJugglerError, match=r"User_999.*\[task 'early bird' \(id 1\)\]"):
        _broken_schedule(pr)


def _broken_schedule(pr: Problem) -> None:
    sched = TaskJugglerScheduler()
    original = sched.tjp_text

    def text(problem: Problem, report: str | None = None):  # type: ignore[no-untyped-def]
        body, lines = original(problem, report)
        # an unknown resource in the allocation of task 1: tj3 reports it on that line
        body = body.replace("allocate User_1\n", "allocate User_999\n", 1)
        return body, lines

    sched.tjp_text = text  # type: ignore[method-assign]
    sched.schedule(pr)


def test_missing_tj3_is_a_clear_error() -> None:
    with pytest.raises(TaskJugglerError, match="not found"):
        TaskJugglerScheduler(command="/nonexistent/tj3").schedule(problem(task(1)))


def _fake(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "tj3"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def test_broken_tj3_reports_its_message(tmp_path: Path) -> None:
    exe = _fake(tmp_path, 'echo "studio.tjp:1: Error: something is broken" >&2; exit 1')
    with pytest.raises(TaskJugglerError, match="something is broken"):
        TaskJugglerScheduler(command=exe).schedule(problem(task(1)))
    crash = _fake(tmp_path, 'echo "ruby: segmentation fault" >&2; exit 3')
    with pytest.raises(TaskJugglerError, match="segmentation fault"):
        TaskJugglerScheduler(command=crash).schedule(problem(task(1)))


def test_tj3_timeout(tmp_path: Path) -> None:
    exe = _fake(tmp_path, "sleep 5")
    with pytest.raises(TaskJugglerError, match="did not finish within 0.3 seconds"):
        TaskJugglerScheduler(command=exe, timeout=0.3).schedule(problem(task(1)))


# --- names tj3 would read as macros, and dates outside the old project span ----------------

#: names that broke the tjp file: a macro call, an environment variable, a trailing
#: backslash (escaping the closing quote), a backslash before a quote, line breaks
ODD_NAMES = ("a ${x} b", "$(HOME) and $${y}", "ends with \\", 'q\\"x"', "two\nlines\r\nthree")


@pytest.mark.parametrize(
    ("name", "literal"),
    [
        ("a ${x} b", '"a $ {x} b"'),
        ("$(HOME) and $${y}", '"$ (HOME) and $$ {y}"'),
        ("ends with \\", '"ends with \\ "'),
        ('say "hi"', '"say \\"hi\\""'),
        ("two\nlines\r\nthree", '"two lines three"'),
        ("$ 5 {ok}", '"$ 5 {ok}"'),
    ],
)
def test_quote_writes_names_tj3_reads_as_text(name: str, literal: str) -> None:
    assert quote(name) == literal


def test_tjp_span_fits_a_fixed_start_years_ahead() -> None:
    far = at(4 * 366, 10)
    pr = problem(task(1, "far", constraint=CONSTRAIN_START, start=far), task(2, "now"))
    text, _ = tjp_file(pr)
    header = text.splitlines()[0]
    begin, end = (dt.datetime.strptime(part.strip(), "%Y-%m-%d-%H:%M").replace(tzinfo=dt.UTC)
                  for part in header.split('"')[2].split("{")[0].split(" - "))
    assert begin <= MONDAY and end > far + dt.timedelta(days=300)  # room for the work after it


@needs_tj3
@pytest.mark.slow
def test_tj3_plans_odd_names_and_a_start_years_ahead_like_native() -> None:
    """Used to fail with "Undefined macro 'x'" and "must be within the project time frame"."""
    far = at(4 * 366, 10)
    pr = problem(
        *(task(i, name, res=(1 + i % 2,)) for i, name in enumerate(ODD_NAMES, start=1)),
        task(9, "far", constraint=CONSTRAIN_START, start=far),
        resources=[Resource(1, "Ann ${who}\\"), Resource(2, 'Bob "$(USER)"')],
        timezone="Etc/UTC",
    )
    pr.projects[1].name = "Project ${p}"
    tj = TaskJugglerScheduler().schedule(pr)
    nat = NativeScheduler().schedule(pr)
    assert validate_plan(pr, tj).ok, validate_plan(pr, tj).errors
    assert tj.tasks[9].start == nat.tasks[9].start == far
    assert {t: (p.start, p.end) for t, p in tj.tasks.items()} == {
        t: (p.start, p.end) for t, p in nat.tasks.items()}
