"""Gantt charts (png, svg, interactive html) and the ``stalker schedule`` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sched_helpers import problem, task

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.data import Problem
from stalker_core.scheduling.gantt import draw_gantt, gantt_rows


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
    from stalker_core.db.session import DBSession
    from stalker_core.models import Task
    from stalker_core.scheduling.synthetic import populate, synthetic_problem

    url = f"sqlite:///{tmp_path}/s.db"
    db.setup({"sqlalchemy.url": url})
    db.init()
    populate(DBSession, synthetic_problem(50, seed=2))
    DBSession.remove()
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(command, ["--url", url, "--gantt", str(out), *extra])
    assert result.exit_code == 0, result.output
    assert "scheduled 60 tasks" in result.output
    assert out.exists() and "v-resource" in out.read_text()
    from stalker_core.db.setup import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        assert all(t.computed_start is not None for t in s.query(Task).all())
    engine.dispose()


def test_schedule_command_errors(tmp_path: Path) -> None:
    from stalker_core import db
    from stalker_core.cli.schedule_cmd import command
    from stalker_core.db.session import DBSession

    url = f"sqlite:///{tmp_path}/e.db"
    db.setup({"sqlalchemy.url": url})
    db.init()
    DBSession.remove()
    result = CliRunner().invoke(command, ["--url", url])
    assert isinstance(result.exception, ValidationError)
    assert "no studio" in str(result.exception)
    result = CliRunner().invoke(command, ["--url", url, "--gantt", "x.pdf"])
    assert "--gantt should end with" in str(result.exception)
