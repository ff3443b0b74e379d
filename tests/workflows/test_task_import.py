"""Bulk import of tasks from a CSV table (stalker_core.workflows.task_import), on both databases."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from stalker_core.exceptions import ValidationError
from stalker_core.models import Shot, Task
from stalker_core.models.task.queries import project_task_paths
from stalker_core.workflows.task_import import COLUMNS, TaskRow, import_tasks, parse_rows, read_rows

TABLE = """path,kind,code,type,resources,depends_on,timing,model,priority,description
SEQ010,Sequence,,,,,,,,the opening
SEQ010/SH0010,Shot,SH0010,,,,,,,
SEQ010/SH0010/layout,,,,artist,,2d,,,
SEQ010/SH0010/anim,,,,artist,SEQ010/SH0010/layout,3.5d,effort,600,
SEQ010/SH0010/comp,Task,,,,SEQ010/SH0010/anim;SH001/comp,4h,duration,,
Villain,Asset,VILLAIN,Character,,,,,,
Villain/model,,,,artist,Hero/model,1w,,,
"""


def rows_of(text: str) -> list[TaskRow]:
    return parse_rows(io.StringIO(text), "shots.csv")


def test_parse_rows_reads_every_column() -> None:
    rows = rows_of(TABLE)
    assert [r.path for r in rows][:3] == ["SEQ010", "SEQ010/SH0010", "SEQ010/SH0010/layout"]
    anim = rows[3]
    assert (anim.name, anim.parent_path, anim.kind) == ("anim", "SEQ010/SH0010", "Task")
    assert (anim.timing, anim.model, anim.priority) == ((3.5, "d"), "effort", 600)
    assert anim.depends_on == ("SEQ010/SH0010/layout",)
    assert rows[4].depends_on == ("SEQ010/SH0010/anim", "SH001/comp")
    assert (rows[5].kind, rows[5].code, rows[5].type) == ("Asset", "VILLAIN", "Character")
    assert rows[0].line == 2 and rows[-1].line == 8  # the header is line 1


@pytest.mark.parametrize(("text", "message"), [
    ("name,kind\nx,Task\n", r"shots.csv line 1: unknown column\(s\) 'name'; the columns are path"),
    ("kind\nTask\n", "no 'path' column"),
    ("path,kind\nA,Camera\n", r"line 2: kind 'Camera' is not one of Task, Shot"),
    ("path,timing\nA,3 days\n", r"line 2: '3 days' is not a timing"),
    ("path,priority\nA,high\n", r"line 2: priority 'high' is not a whole number"),
    ("path,model\nA,fast\n", r"line 2: model 'fast' is not one of effort"),
    ("path\nA//b\n", r"line 2: path 'A//b' is empty or has an empty part"),
    ("path,kind\nA,Task,extra\n", "more cells than the 2 columns"),
])
def test_parse_rows_names_the_line_and_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        rows_of(text)


def test_columns_are_documented() -> None:
    from stalker_core.workflows import task_import

    assert all(f"``{c}``" in (task_import.__doc__ or "") for c in COLUMNS)


def test_read_rows_refuses_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        read_rows(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"path\n\xff\xfe\x00A\n")
    with pytest.raises(ValidationError, match="not UTF-8 text"):
        read_rows(bad)


def test_import_builds_the_tree_and_is_idempotent(session: Any, demo: Any) -> None:
    seen: list[str] = []
    report = import_tasks(session, demo.project, rows_of(TABLE), source="shots.csv",
                          on_row=lambda row: seen.append(row.path))
    session.commit()
    assert len(seen) == 7
    assert report.kinds == {"Sequence": 1, "Shot": 1, "Task": 4, "Asset": 1}
    paths = {p: tid for tid, p in project_task_paths(session, [demo.project.id]).items()}
    assert set(report.created) <= set(paths)
    assert all(paths[p] == tid for p, tid in report.created.items())
    anim = session.get(Task, paths["SEQ010/SH0010/anim"])
    assert [u.login for u in anim.resources] == ["artist"]
    assert (anim.schedule_timing, anim.schedule_unit, anim.priority) == (3.5, "d", 600)
    comp = session.get(Task, paths["SEQ010/SH0010/comp"])
    assert {d.name for d in comp.depends_on} == {"anim", "comp"}
    assert comp.schedule_model == "duration"
    shot = session.scalars(select(Shot).where(Shot.code == "SH0010")).one()
    assert shot.parent.name == "SEQ010"
    villain = session.get(Task, paths["Villain"])
    assert villain.type.name == "Character"
    assert comp.status.code == "WFD"
    # again: everything exists, nothing is added
    before = session.scalar(select(Task.id).order_by(Task.id.desc()))
    again = import_tasks(session, demo.project, rows_of(TABLE), source="shots.csv")
    session.commit()
    assert again.created == {} and len(again.skipped) == 7
    assert session.scalar(select(Task.id).order_by(Task.id.desc())) == before


@pytest.mark.parametrize(("row", "message"), [
    ("X/comp,,,,,,,,,", r"shots.csv line 2: parent 'X' is neither an earlier row nor a task"),
    ("SH001/fx,,,,nobody,,,,,", r"line 2: resource 'nobody' is not a user's login"),
    ("SH001/fx,,,,,SH001/none,,,,", r"line 2: dependency 'SH001/none' is neither"),
    ("Robot,Asset,ROBOT,Vehicle,,,,,,",
     r"line 2: type 'Vehicle' is not a type for Asset; .*Character"),
    ("SH001/fx,,,,,,,,5000,", r"line 2: SH001/fx: .*priority"),
])
def test_a_bad_row_writes_nothing(session: Any, demo: Any, row: str, message: str) -> None:
    text = f"{TABLE.splitlines()[0]}\n{row}\nSH001/ok,,,,,,,,,\n"
    count = len(project_task_paths(session, [demo.project.id]))
    with pytest.raises(ValidationError, match=message):
        import_tasks(session, demo.project, rows_of(text), source="shots.csv")
    session.rollback()
    assert len(project_task_paths(session, [demo.project.id])) == count


def test_a_path_given_twice_is_refused(session: Any, demo: Any) -> None:
    text = "path\nSH001/fx\nSH001/fx\n"
    with pytest.raises(ValidationError, match="line 3: path 'SH001/fx' is given twice"):
        import_tasks(session, demo.project, rows_of(text), source="shots.csv")
