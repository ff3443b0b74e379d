"""Task: construction, attributes, bad input, schedule conversion (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from typing import Any

import pytest
from test_prod_support import Prod, make_user, prod  # noqa: F401 - fixture

from stalker_core.exceptions import CircularDependencyError, StalkerTypeError, ValidationError


def test_defaults_and_project_from_parent(prod: Prod) -> None:
    from stalker_core.models import Task

    parent = Task(name="Parent", project=prod.project)
    child = Task(name="Child", parent=parent)
    assert child.project is prod.project
    assert (child.priority, child.schedule_timing, child.schedule_unit) == (500, 1.0, "h")
    assert (child.schedule_model, child.allocation_strategy) == ("effort", "minallocated")
    assert child.bid_timing == 1.0 and child.bid_unit == "h" and child.is_milestone is False
    prod.session.add(parent)
    prod.session.commit()
    assert child.id is not None and child.status.code == "RTS"
    assert parent.is_container and child.is_leaf and parent.is_root and not child.is_root
    assert child.parents == [parent]


def test_project_is_required(session: Any) -> None:
    from stalker_core.models import Task

    with pytest.raises(ValidationError, match=r"Task.project should be a Project"):
        Task(name="Orphan")
    with pytest.raises(StalkerTypeError, match=r"Task.project should be a Project"):
        Task(name="Orphan", project="FC")


@pytest.mark.parametrize(
    ("attr", "value", "exc", "message"),
    [
        ("schedule_unit", "days", ValidationError, r"schedule_unit should be one of min, h, d"),
        ("bid_unit", "x", ValidationError, r"bid_unit should be one of"),
        ("schedule_model", "work", ValidationError, r"effort, length, duration"),
        ("schedule_timing", -1, ValidationError, r"0 or more"),
        ("schedule_timing", "10", StalkerTypeError, r"schedule_timing should be a number"),
        ("schedule_timing", float("nan"), ValidationError, r"finite"),
        ("bid_timing", -0.5, ValidationError, r"0 or more"),
        ("priority", 1001, ValidationError, r"between 0 and 1000"),
        ("priority", -1, ValidationError, r"between 0 and 1000"),
        ("priority", "high", StalkerTypeError, r"between 0 and 1000"),
        ("allocation_strategy", "fastest", ValidationError, r"minallocated"),
        ("schedule_constraint", 7, ValidationError, r"0 \(none\)"),
        ("is_milestone", "yes", StalkerTypeError, r"a bool"),
    ],
)
def test_bad_values_are_refused(
    prod: Prod, attr: str, value: Any, exc: type[Exception], message: str
) -> None:
    from stalker_core.models import Task

    with pytest.raises(exc, match=message):
        Task(name="T", project=prod.project, **{attr: value})
    task = Task(name="T", project=prod.project)
    before = getattr(task, attr)
    with pytest.raises(exc, match=message):
        setattr(task, attr, value)
    assert getattr(task, attr) == before


@pytest.mark.parametrize("attr", ["resources", "alternative_resources", "responsible", "watchers"])
def test_resources_must_be_users(prod: Prod, attr: str) -> None:
    from stalker_core.models import Task

    task = Task(name="T", project=prod.project)
    with pytest.raises(StalkerTypeError, match=rf"Task.{attr} should be a list of User"):
        setattr(task, attr, [prod.me, "bob"])
    getattr(task, attr).append(prod.me)
    assert getattr(task, attr) == [prod.me]


def test_task_parented_to_itself_is_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    task = Task(name="T", project=prod.project)
    with pytest.raises(CircularDependencyError, match="its own parent"):
        task.parent = task
    assert task.parent is None
    with pytest.raises(StalkerTypeError, match="Task.parent should be a Task or None"):
        task.parent = prod.project


def test_schedule_seconds_units_and_models(prod: Prod) -> None:
    from stalker_core.models import Task

    t = Task(name="T", project=prod.project, schedule_timing=2, schedule_unit="d")
    assert t.schedule_seconds == 2 * 9 * 3600  # default calendar: 9 h working day
    t.schedule_model = "duration"
    assert t.schedule_seconds == 2 * 86400
    t.schedule_model = "length"
    t.schedule_unit = "w"
    assert t.schedule_seconds == 2 * 5 * 9 * 3600
    t.schedule_unit = "min"
    t.schedule_timing = 90
    assert t.schedule_seconds == 5400
    assert t.remaining_seconds == 5400 and t.total_logged_seconds == 0
    assert t.percent_complete == 0


def test_schedule_seconds_follow_the_studio_calendar(prod: Prod) -> None:
    from stalker_core.models import Studio, Task

    studio = Studio(name="Studio")
    prod.session.add(studio)
    studio.daily_working_hours = 8
    prod.session.commit()
    t = Task(name="T", project=prod.project, schedule_timing=1, schedule_unit="d")
    prod.session.add(t)
    prod.session.commit()
    assert t.schedule_seconds == 8 * 3600


def test_responsible_is_inherited(prod: Prod) -> None:
    from stalker_core.models import Task

    top = Task(name="Top", project=prod.project, responsible=[prod.users[1]])
    mid = Task(name="Mid", parent=top)
    leaf = Task(name="Leaf", parent=mid, responsible=[prod.users[2]])
    assert mid.responsible == [prod.users[1]]
    assert leaf.responsible == [prod.users[2]]
    mid.responsible = []
    assert mid.inherited_responsible == [prod.users[1]]


def test_walk_hierarchy_orders(prod: Prod) -> None:
    from stalker_core.models import Task

    root = Task(name="R", project=prod.project)
    a = Task(name="A", parent=root)
    b = Task(name="B", parent=root)
    a1 = Task(name="A1", parent=a)
    assert [t.name for t in root.walk_hierarchy()] == ["R", "A", "A1", "B"]
    assert [t.name for t in root.walk_hierarchy("breadth")] == ["R", "A", "B", "A1"]
    with pytest.raises(ValidationError, match="'depth' or 'breadth'"):
        list(root.walk_hierarchy("sideways"))
    assert a1.parents == [root, a]
    assert b.is_leaf


def test_to_tjp_delegates_to_scheduling(prod: Prod) -> None:
    from stalker_core.models import Task
    from stalker_core.scheduling import to_tjp

    t = Task(name="T", project=prod.project, resources=[prod.me])
    prod.session.add(t)
    prod.session.commit()
    assert t.to_tjp == to_tjp(t)
    assert isinstance(t.to_tjp, str) and t.to_tjp


def test_unknown_keyword_is_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    with pytest.raises(TypeError, match="unexpected keyword"):
        Task(name="T", project=prod.project, colour="red")


def test_users_see_their_tasks(prod: Prod) -> None:
    from stalker_core.models import Task

    u = make_user(9)
    t = Task(name="T", project=prod.project, resources=[u], watchers=[prod.me])
    prod.session.add(t)
    prod.session.commit()
    assert u.tasks == [t] and prod.me.watching == [t]


def test_failed_construction_leaves_nothing_behind(prod: Prod) -> None:
    from stalker_core.models import Task

    shot = Task(name="Shot", project=prod.project, schedule_timing=3)
    a = Task(name="A", parent=shot, schedule_timing=2)
    prod.session.add(shot)
    prod.session.commit()
    before = (shot.schedule_seconds, shot.child_count)
    with pytest.raises(ValidationError, match="between 0 and 1000"):
        Task(name="Bad", parent=shot, priority=5000)
    with pytest.raises(StalkerTypeError, match="depends_on should be a list of Task"):
        Task(name="Bad", parent=shot, depends_on=["A"])
    assert shot.children == [a] and (shot.schedule_seconds, shot.child_count) == before
    prod.session.commit()
    prod.session.expire_all()
    assert [t.name for t in shot.children] == ["A"]
