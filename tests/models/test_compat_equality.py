"""Value equality as Stalker defines it; hashing by identity (docs/stalker-compat.md ("Behaviour")).

Each scenario runs the same Stalker-style snippet against the installed
Stalker and against stalker_core and compares the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import stalker_core.models as ours

UTC = dt.UTC


def _users(m: Any) -> list[bool]:
    a = m.User(name="Ann", login="ann", email="ann@x.com", password="pw")
    same = m.User(name="Ann", login="ann", email="ann@x.com", password="other")
    other_mail = m.User(name="Ann", login="ann", email="ann2@x.com", password="pw")
    return [a == same, a != same, a == other_mail, a == m.Tag(name="Ann")]


def _names(m: Any) -> list[bool]:
    t1, t2, t3 = m.Tag(name="hero"), m.Tag(name="hero"), m.Tag(name="prop")
    return [t1 == t2, t1 == t3, t1 != t3, t1 == "hero", [t1].count(t2) == 1]


def _statuses(m: Any) -> list[bool]:
    wip = m.Status(name="Work In Progress", code="WIP")
    return [
        wip == "WIP", wip == "wip", wip == "Work In Progress", wip == "work in progress",
        wip == "CMPL", wip != "WIP", wip == m.Status(name="Work In Progress", code="WIP2"),
        "WIP" in [wip],
    ]


def _formats(m: Any) -> list[bool]:
    hd = m.ImageFormat(name="HD", width=1920, height=1080)
    return [
        hd == m.ImageFormat(name="HD", width=1920, height=1080),
        hd == m.ImageFormat(name="HD", width=1280, height=720),
    ]


def _types_and_templates(m: Any) -> list[bool]:
    char = m.Type(name="Character", code="Char", target_entity_type="Asset")
    fmt = dict(target_entity_type="Asset", path="A/{{asset.code}}", filename="{{asset.code}}")
    return [
        char == m.Type(name="Character", code="C2", target_entity_type="Asset"),
        char == m.Type(name="Character", code="Char", target_entity_type="Shot"),
        m.FilenameTemplate(name="T", **fmt) == m.FilenameTemplate(name="T", **fmt),
        m.FilenameTemplate(name="T", **fmt) == m.FilenameTemplate(
            name="T", **{**fmt, "filename": "x"}),
    ]


def _repositories(m: Any) -> list[bool]:
    kw = dict(name="R", code="RQ", linux_path="/mnt/R", windows_path="R:/", macos_path="/V/R")
    return [
        m.Repository(**kw) == m.Repository(**kw),
        m.Repository(**kw) == m.Repository(**{**kw, "linux_path": "/mnt/S"}),
    ]


def _notes(m: Any) -> list[bool]:
    return [
        m.Note(name="n", content="a") == m.Note(name="n", content="a"),
        m.Note(name="n", content="a") == m.Note(name="n", content="b"),
        m.Note(content="a") == m.Note(content="a"),  # auto names differ
    ]


SCENARIOS: dict[str, Callable[[Any], list[bool]]] = {
    "users": _users, "names": _names, "statuses": _statuses, "formats": _formats,
    "types_and_templates": _types_and_templates, "repositories": _repositories,
    "notes": _notes,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_equality_answers_as_stalkers(name: str, stalker_env: None) -> None:
    stalker = pytest.importorskip("stalker")
    assert SCENARIOS[name](ours) == SCENARIOS[name](stalker)


def test_hash_is_the_identity_and_survives_rename_and_flush(session: Any) -> None:
    project = ours.Project(name="P", code="P")
    a, b = ours.Tag(name="hero"), ours.Tag(name="hero")
    assert a == b and hash(a) != hash(b)
    tags = {a, b}  # an identity set: two rows, two members
    assert len(tags) == 2
    lookup = {project: "found"}
    project.name = "Renamed"
    session.add_all([project, a, b])
    session.commit()  # the flush gives ids; the hash does not change
    assert a in tags and b in tags and lookup[project] == "found"


def test_tasks_compare_by_parent_and_dependencies(session: Any) -> None:
    project = ours.Project(name="P", code="P")
    sh1 = ours.Shot(name="SH001", code="SH001", project=project)
    sh2 = ours.Shot(name="SH002", code="SH002", project=project)
    comp1, comp2 = ours.Task(name="comp", parent=sh1), ours.Task(name="comp", parent=sh2)
    session.add(project)
    session.commit()
    assert comp1 != comp2  # same name, other parents
    assert sh1 == ours.Shot.query.filter_by(code="SH001").one()
    # removing from a list removes the equal item (here: the same one)
    children = list(project.tasks)
    children.remove(sh2)
    assert sh2 not in children and sh1 in children


def test_status_list_item_assignment_deletion_and_len(stalker_env: None) -> None:
    stalker = pytest.importorskip("stalker")

    def run(m: Any) -> list[Any]:
        new, wip, done = (m.Status(name=n, code=c) for n, c in
                          (("New", "NEW"), ("Work In Progress", "WIP"), ("Done", "CMPL")))
        sl = m.StatusList(name="Task Statuses", statuses=[new, wip], target_entity_type="Task")
        out: list[Any] = [len(sl), sl[0].code, sl["WIP"].code, sl["work in progress"].code]
        sl[0] = done
        out += [[s.code for s in sl.statuses], len(sl)]
        del sl[0]
        out += [[s.code for s in sl.statuses], len(sl), bool(sl)]
        del sl[0]
        out += [len(sl), bool(sl)]
        return out

    assert run(ours) == run(stalker)
