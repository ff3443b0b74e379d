"""Gantt charts (png, svg, interactive html) and the ``stalker schedule`` command."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from db_helpers import build_studio
from sched_helpers import problem, synthetic, task
from sqlalchemy import event

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.data import Problem
from stalker_core.scheduling.gantt import STATUS_COLORS, draw_gantt, gantt_rows

#: the schedule command updates the studio: act as admin (anonymous writes are refused on
#: PostgreSQL)
pytestmark = pytest.mark.usefixtures("admin_at_the_keyboard")


def _planned() -> tuple[Problem, object]:
    pr = problem(
        task(1, "SH001", res=()),
        task(2, "anim", timing=12, parent=1),
        task(3, "comp", timing=4, parent=1, res=(2,), deps=(2,)),
        task(4, "review", res=(), milestone=True, deps=(3,)),
        task(5, "other", timing=3, project=2, res=(2,)),
        resources=2,
    )
    return pr, NativeScheduler().schedule(pr)


def test_rows_by_view() -> None:
    pr, plan = _planned()
    tree = gantt_rows(pr, plan, "tree")  # type: ignore[arg-type]
    assert [r.label for r in tree] == ["Project 1", "SH001", "anim", "comp", "review",
                                       "Project 2", "other"]
    assert [r.level for r in tree] == [0, 1, 2, 2, 1, 0, 1]
    assert tree[4].bars[0].kind == "milestone"
    by_project = gantt_rows(pr, plan, "project")  # type: ignore[arg-type]
    assert [r.label for r in by_project] == ["Project 1", "SH001", "review", "Project 2", "other"]
    by_res = gantt_rows(pr, plan, "resource")  # type: ignore[arg-type]
    assert [r.label for r in by_res] == ["user1", "user2"]
    assert len(by_res[0].bars) == 2  # anim booked Monday and Tuesday
    with pytest.raises(ValidationError):
        gantt_rows(pr, plan, "nope")  # type: ignore[arg-type]


@pytest.mark.parametrize("ext", [".png", ".svg"])
@pytest.mark.parametrize("view", ["project", "tree", "resource"])
def test_images(tmp_path: Path, ext: str, view: str) -> None:
    pr, plan = _planned()
    out = draw_gantt(pr, plan, tmp_path / f"g{ext}", view=view)  # type: ignore[arg-type]
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if ext == ".png" else b"<svg" in data


def test_interactive_html_is_self_contained(tmp_path: Path) -> None:
    pr, plan = _planned()
    out = draw_gantt(pr, plan, tmp_path / "g.html")  # type: ignore[arg-type]
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>")
    for view in ("v-project", "v-tree", "v-resource"):
        assert f'id="{view}"' in text
    assert "<title>anim" in text  # tooltips
    assert "function zoom" in text and "function search" in text
    assert "http://" not in text and "https://" not in text and "<script src" not in text


def test_bad_extension(tmp_path: Path) -> None:
    pr, plan = _planned()
    with pytest.raises(ValidationError, match=r"\.png, \.svg or \.html"):
        draw_gantt(pr, plan, tmp_path / "g.pdf")  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize("extra", [[], ["--no-progress"], ["--optimise", "0.2"]])
def test_schedule_command(tmp_path: Path, extra: list[str]) -> None:
    from sqlalchemy.orm import Session

    from stalker_core import db
    from stalker_core.cli.schedule_cmd import command
    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession

    url = f"sqlite:///{tmp_path}/s.db"
    db.setup({"sqlalchemy.url": url})
    db.init()
    studio = synthetic()
    studio.populate(DBSession, studio.synthetic_problem(50, seed=2))
    DBSession.remove()
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(command, ["--db", url, "--gantt", str(out), *extra])
    assert result.exit_code == 0, result.output
    assert "scheduled 60 tasks" in result.output
    assert out.exists() and "v-resource" in out.read_text()
    from stalker_core.db.engine import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        assert all(t.computed_start is not None for t in s.query(Task).all())
    engine.dispose()


def test_schedule_command_errors(tmp_path: Path) -> None:
    from stalker_core import db
    from stalker_core.cli.schedule_cmd import command
    from stalker_core.orm.session import DBSession

    url = f"sqlite:///{tmp_path}/e.db"
    db.setup({"sqlalchemy.url": url})
    db.init()
    DBSession.remove()
    result = CliRunner().invoke(command, ["--db", url])
    assert isinstance(result.exception, ValidationError)
    assert "no studio" in str(result.exception)
    result = CliRunner().invoke(command, ["--db", url, "--gantt", "x.pdf"])
    assert "--gantt should end with" in str(result.exception)


def _db_url(session: Any) -> str:
    return session.get_bind().url.render_as_string(hide_password=False)  # type: ignore[no-any-return]


def _studio_with_statuses(session: Any) -> dict[int, str]:
    """Two projects of the tutorial's tasks, one WIP, one CMPL; task id -> status code."""
    from stalker_core.models import Task
    from stalker_core.models.task.status import get_status

    built = build_studio(session, projects=2)
    built["projects"][0]["previs"].status = get_status(session, "WIP")
    built["projects"][1]["matchmove"].status = get_status(session, "CMPL")
    session.commit()
    codes = {t.id: t.status.code for t in session.query(Task).all()}
    assert "WIP" in codes.values() and len(set(codes.values())) >= 3
    return codes


def _tooltips(text: str) -> dict[str, set[str]]:
    """Task name -> the last tooltip lines of its bars in the tree view of an HTML chart."""
    tree = text[text.index('id="v-tree"'):text.index('id="v-resource"')]
    out: dict[str, set[str]] = {}
    for tip in re.findall(r"<title>(.*?)</title>", tree, re.S):
        lines = html.unescape(tip).split("\n")
        out.setdefault(lines[0], set()).add(lines[-1])
    return out


def test_task_status_codes_in_one_query(session: Any) -> None:
    from stalker_core.cli.schedule_cmd import task_status_codes
    from stalker_core.models import Project

    codes = _studio_with_statuses(session)
    pids = [p.id for p in session.query(Project).order_by(Project.id)]
    statements: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        every = task_status_codes(session, pids)
        first = task_status_codes(session, pids[:1])
        some = task_status_codes(session, pids, task_ids=list(codes)[:3])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3  # one query per call, whatever the number of tasks
    assert every == codes
    assert set(first) < set(every) and all(every[t] == c for t, c in first.items())
    assert some == {t: codes[t] for t in list(codes)[:3]}
    assert task_status_codes(session, []) == {}


def test_schedule_color_by_status(session: Any, tmp_path: Path) -> None:
    from stalker_core.cli.schedule_cmd import command
    from stalker_core.models import Task

    codes = _studio_with_statuses(session)
    names = {t.id: t.name for t in session.query(Task).all()}
    leaves = {t.id for t in session.query(Task).all() if t.name != "SH001"}
    session.remove()
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(command, ["--db", _db_url(session), "--gantt", str(out),
                                          "--color-by", "status", "--no-progress"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    # legend: one swatch per status code used by a leaf task, in its status colour
    for code in {codes[t] for t in leaves}:
        assert f'background:{STATUS_COLORS[code]}"></span>{code} ' in text
    # every leaf bar carries its task's status (tooltip) and colour
    tips = _tooltips(text)
    for tid in leaves:
        assert codes[tid] in tips[names[tid]]
    bars = re.findall(r'class="bar"[^>]*fill="(#[0-9a-f]{6})"><title>([^\n<]*)', text)
    wip = [c for c, name in bars if name == "previs"]
    assert STATUS_COLORS["WIP"] in wip


@pytest.mark.parametrize("color_by", ["resource", "project"])
def test_schedule_color_by_resource_or_project(session: Any, tmp_path: Path,
                                               color_by: str) -> None:
    from stalker_core.cli.schedule_cmd import command

    _studio_with_statuses(session)
    session.remove()
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(command, ["--db", _db_url(session), "--gantt", str(out),
                                          "--color-by", color_by, "--no-progress",
                                          "--view", "resource"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    legend = re.search(r'id="v-tree".*?<div class="legend">(.*?)</div>', text, re.S)
    assert legend is not None
    entries = set(re.findall(r"</span>([^<]*) ", legend.group(1)))
    assert entries == ({"Me"} if color_by == "resource" else {"Fancy 0", "Fancy 1"})
    assert "WIP" not in legend.group(1)
    # --view picks the view shown first in the page
    assert re.search(r'id="v-resource" class="view" style="display:block"', text)
    assert re.search(r'id="v-tree" class="view" style="display:none"', text)


def test_schedule_color_by_status_image(session: Any, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A .png coloured by status: the drawn task bars and the legend use the status colours."""
    from matplotlib.colors import to_hex

    from stalker_core.cli.schedule_cmd import command
    from stalker_core.scheduling import gantt

    codes = _studio_with_statuses(session)
    session.remove()
    figures: list[tuple[Any, Any]] = []

    def spy(layout: Any, title: str = "") -> Any:
        fig = real(layout, title)
        figures.append((layout, fig))
        return fig

    real = gantt.gantt_figure
    monkeypatch.setattr(gantt, "gantt_figure", spy)
    out = tmp_path / "plan.png"
    result = CliRunner().invoke(command, ["--db", _db_url(session), "--gantt", str(out),
                                          "--color-by", "status", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    [(layout, fig)] = figures
    # anim, lighting and comp wait for unfinished dependencies (WFD)
    assert {k for k, _c in layout.legend} == {"WIP", "RTS", "CMPL", "WFD"}
    leaf_rows = [r for r in layout.rows if r.kind == "task"]
    assert {r.bars[0].color for r in leaf_rows if codes[r.task_id] == "WIP"} == {
        STATUS_COLORS["WIP"]}
    bars = [a for a in fig.axes[0].collections if a.get_gid() == "task-bars"]
    drawn = {to_hex(c) for c in bars[0].get_facecolors()}
    assert drawn == {STATUS_COLORS[codes[r.task_id]] for r in leaf_rows}


def test_schedule_help_and_bad_color_by(tmp_path: Path) -> None:
    from stalker_core.cli.schedule_cmd import command

    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert "--color-by [resource|status|project]" in flat
    assert "first view shown in a .html" in flat
    result = CliRunner().invoke(command, ["--color-by", "nope"])
    assert result.exit_code == 2 and "nope" in result.output
