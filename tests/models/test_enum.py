"""stalker_core.models.enum: Stalker 1.1's enums, equal to the plain values we store."""

from __future__ import annotations

from typing import Any

import pytest
import stalker.models.enum as theirs

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import enum as ours

ENUMS = ["TimeUnit", "ScheduleModel", "ScheduleConstraint", "DependencyTarget",
         "TraversalDirection"]
CONVERTERS = {"TimeUnit": "to_unit", "ScheduleModel": "to_model",
              "ScheduleConstraint": "to_constraint", "DependencyTarget": "to_target",
              "TraversalDirection": "to_direction"}


@pytest.mark.parametrize("name", ENUMS)
def test_members_and_values_are_stalkers(name: str) -> None:
    mine, stalkers = getattr(ours, name), getattr(theirs, name)
    assert [(m.name, m.value) for m in mine] == [(m.name, m.value) for m in stalkers]


@pytest.mark.parametrize("name", ENUMS)
def test_converters_accept_what_stalkers_accept(name: str) -> None:
    mine, stalkers = getattr(ours, name), getattr(theirs, name)
    convert, theirs_convert = getattr(mine, CONVERTERS[name]), getattr(stalkers, CONVERTERS[name])
    for member in stalkers:
        for given in (member.name, member.name.upper(), member.value):
            stalkers_answer = theirs_convert(given)  # an int stays an int in Stalker's
            assert convert(given).value == getattr(stalkers_answer, "value", stalkers_answer)
        assert convert(mine[member.name]) is mine[member.name]
    with pytest.raises(ValidationError, match=name):
        convert("no such thing")
    with pytest.raises(StalkerTypeError, match=name):
        convert(2.5)


def test_constraint_none() -> None:
    assert ours.ScheduleConstraint.to_constraint(None) is ours.ScheduleConstraint.NONE


def test_members_are_the_stored_values(session: Any, tmp_path: Any) -> None:
    from wf_helpers import build_project

    from stalker_core.models import Task, TaskDependency

    demo = build_project(session, tmp_path)
    demo.comp.schedule_unit = ours.TimeUnit.Day
    demo.comp.schedule_model = ours.ScheduleModel.Duration
    demo.comp.schedule_constraint = ours.ScheduleConstraint.Both
    demo.comp.depends_on.append(demo.anim)
    dep = demo.comp.task_depends_on[0]
    dep.dependency_target = ours.DependencyTarget.OnStart
    session.commit()
    session.expire_all()
    task = session.get(Task, demo.comp.id)
    assert task.schedule_unit == ours.TimeUnit.Day == "d"
    assert task.schedule_model == "duration" and task.schedule_constraint == 3
    assert session.query(TaskDependency).one().dependency_target == ours.DependencyTarget.OnStart
