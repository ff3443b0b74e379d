"""Tutorial Parts II, III, IV and VII, run as written against stalker_core (both DBs)."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import CircularDependencyError


@pytest.fixture
def tutorial(session: Any) -> dict[str, Any]:
    """Part I and the project of Part II/A."""
    from stalker_core.models import Project, Studio, User
    from stalker_core.orm.session import DBSession

    my_studio = Studio(name="My Great Studio")
    me = User(
        name="Erkan Ozgur Yilmaz",
        login="eoyilmaz",
        email="some_email_address@gmail.com",
        password="secret",
        description="This is me",
    )
    DBSession.add(my_studio)
    DBSession.add(me)
    DBSession.commit()
    new_project = Project(name="Fancy Commercial", code="FC")
    new_project.users.append(me)
    DBSession.add(new_project)
    DBSession.commit()
    return {"me": me, "new_project": new_project, "DBSession": DBSession}


def test_parts_two_to_four(tutorial: dict[str, Any]) -> None:
    from stalker_core.models import Sequence, Shot, Task

    DBSession = tutorial["DBSession"]
    new_project, me = tutorial["new_project"], tutorial["me"]

    # Part II/A
    seq1 = Sequence(name="Sequence 1", code="SEQ1", project=new_project)
    sh001 = Shot(name="SH001", code="SH001", project=new_project, sequences=[seq1])
    sh002 = Shot(code="SH002", project=new_project, sequences=[seq1])
    sh003 = Shot(code="SH003", project=new_project, sequences=[seq1])
    DBSession.add_all([sh001, sh002, sh003])
    DBSession.commit()
    assert sh002.name == "SH002"
    assert sh003.sequences == [seq1]

    # Part II/B
    sh004 = Shot(code="SH004", project=new_project, sequences=[seq1])
    DBSession.add(sh004)
    DBSession.commit()
    sh004.code = "SH005"
    DBSession.commit()
    wrong_shot = Shot.query.filter_by(code="SH005").first()
    assert wrong_shot is sh004
    wrong_shot.code = "SH004"
    DBSession.commit()
    DBSession.delete(wrong_shot)
    DBSession.commit()
    wrong_shot = Shot.query.filter_by(code="SH005").first()
    assert wrong_shot is None

    # Part III
    previs = Task(name="Previs", parent=sh001)
    matchmove = Task(name="Matchmove", parent=sh001)
    anim = Task(name="Animation", parent=sh001)
    lighting = Task(name="Lighting", parent=sh001)
    comp = Task(name="comp", parent=sh001)
    assert comp.project is new_project
    comp.depends_on = [lighting]
    lighting.depends_on = [anim]
    anim.depends_on = [previs, matchmove]
    assert comp.depends_on == [lighting]
    assert anim.depends_on == [previs, matchmove]
    assert previs.dependent_of == [anim]
    with pytest.raises(CircularDependencyError, match="circular dependency"):
        previs.depends_on = [comp]
    assert previs.depends_on == []
    assert comp.dependent_of == []

    # Part IV
    previs.resources = [me]
    previs.schedule_timing = 10
    previs.schedule_unit = "d"
    matchmove.resources = [me]
    matchmove.schedule_timing = 2
    matchmove.schedule_unit = "d"
    anim.resources = [me]
    anim.schedule_timing = 5
    anim.schedule_unit = "d"
    lighting.resources = [me]
    lighting.schedule_timing = 3
    lighting.schedule_unit = "d"
    comp.resources = [me]
    comp.schedule_timing = 6
    comp.schedule_unit = "h"
    DBSession.commit()  # no add(): everything hangs off sh001

    DBSession.expire_all()
    stored = DBSession.get(Task, comp.id)
    assert stored.depends_on == [lighting]
    assert stored.resources == [me]
    assert [t.name for t in sh001.children] == [
        "Previs", "Matchmove", "Animation", "Lighting", "comp"
    ]
    assert {t.status.code for t in sh001.children} == {"RTS", "WFD"}
    assert previs.status.code == "RTS" and matchmove.status.code == "RTS"
    assert anim.status.code == "WFD" and comp.status.code == "WFD"
    assert sh001.status.code == "RTS"
    hours = (10 + 2 + 5 + 3) * 9 + 6  # default calendar: 9 h days
    assert sh001.schedule_seconds == pytest.approx(hours * 3600)
    assert me.tasks and set(me.tasks) == set(sh001.children)


def test_part_seven_collaboration(tutorial: dict[str, Any]) -> None:
    from stalker_core.models import Note, Page, Task, Ticket

    DBSession = tutorial["DBSession"]
    new_project, me = tutorial["new_project"], tutorial["me"]
    task = Task(name="Modeling", project=new_project)
    note = Note(content="Please use the new rig", created_by=me)
    task.notes.append(note)
    ticket = Ticket(
        project=new_project,
        summary="The rig breaks",
        description="elbow flips at 90 degrees",
        priority="MAJOR",
        created_by=me,
    )
    page = Page(title="Pipeline", content="How we work", project=new_project)
    DBSession.add_all([task, ticket, page])
    DBSession.commit()
    DBSession.expire_all()
    assert [n.content for n in DBSession.get(Task, task.id).notes] == ["Please use the new rig"]
    assert ticket.number == 1 and ticket.status.code == "NEW" and ticket.name == "#1"
    assert DBSession.get(Page, page.id).project is new_project
