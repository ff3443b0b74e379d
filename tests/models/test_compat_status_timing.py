"""Dependency-driven status changes happen at once in memory, as in Stalker, not at flush."""

from __future__ import annotations

from typing import Any

from stalker_core.models import Project, Task, TaskDependency


def _tasks(session: Any) -> tuple[Task, Task]:
    project = Project(name="P", code="P")
    a, b = Task(name="a", project=project), Task(name="b", project=project)
    session.add(project)
    session.commit()
    assert (a.status.code, b.status.code) == ("RTS", "RTS")
    return a, b


def test_appending_to_depends_on_moves_rts_to_wfd_at_once(session: Any) -> None:
    a, b = _tasks(session)
    b.depends_on.append(a)
    assert b.status.code == "WFD"  # no flush in between
    b.depends_on.remove(a)
    assert b.status.code == "RTS"


def test_a_task_dependency_made_directly_moves_it_at_once(session: Any) -> None:
    a, b = _tasks(session)
    TaskDependency(task=b, depends_on=a)
    assert b.status.code == "WFD"


def test_appending_a_task_dependency_to_either_side(session: Any) -> None:
    a, b = _tasks(session)
    b.task_depends_on.append(TaskDependency(depends_on=a))
    assert b.status.code == "WFD"
    c = Task(name="c", project=a.project)
    session.commit()
    a.task_dependent_of.append(TaskDependency(task=c))
    assert c.status.code == "WFD"


def test_a_finished_or_started_dependency_does_not_hold(session: Any) -> None:
    a, b = _tasks(session)
    td = TaskDependency(task=b, depends_on=a, dependency_target="onstart")
    assert td.dependency_target == "onstart" and b.status.code == "WFD"  # a has not started
    c = Task(name="c", project=a.project)
    session.commit()
    a.stop()  # STOP counts as finished
    TaskDependency(task=c, depends_on=a)
    assert c.status.code == "RTS"


def test_a_dependency_finishing_frees_the_waiting_task_at_once(session: Any) -> None:
    a, b = _tasks(session)
    b.depends_on.append(a)
    session.commit()
    a.stop()
    assert b.status.code == "RTS"


def test_a_container_dependency_holds_its_leaves(session: Any) -> None:
    a, b = _tasks(session)
    leaf = Task(name="leaf", parent=b)
    session.commit()
    TaskDependency(task=b, depends_on=a)
    assert leaf.status.code == "WFD"


def test_taking_a_dependency_row_out_frees_the_task_at_once(session: Any) -> None:
    a, b = _tasks(session)
    td = TaskDependency(task=b, depends_on=a)
    session.commit()
    assert b.status.code == "WFD"
    b.task_depends_on.remove(td)
    assert b.status.code == "RTS"  # no flush in between
    session.commit()
    assert b.status.code == "RTS" and b.depends_on == []


def test_deleting_a_dependency_row_frees_the_task_at_flush(session: Any) -> None:
    a, b = _tasks(session)
    c = Task(name="c", project=a.project)
    session.commit()
    td = TaskDependency(task=b, depends_on=a)
    TaskDependency(task=b, depends_on=c)
    session.commit()
    session.delete(td)
    session.commit()
    assert b.status.code == "WFD"  # c still holds it
    session.delete(session.query(TaskDependency).filter_by(task=b, depends_on=c).one())
    session.commit()
    session.expire_all()
    assert b.status.code == "RTS" and b.depends_on == []
