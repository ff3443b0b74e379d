"""The rules of a task's fields (models/task/validation.py) and the defaults of its columns."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from sqlalchemy import select
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models.task import validation as v


@pytest.mark.parametrize(
    ("validate", "value", "expected"),
    [
        (v.validate_priority, 0, 0),
        (v.validate_priority, 1000, 1000),
        (v.validate_timing, 3, 3.0),
        (v.validate_timing, 0, 0.0),
        (v.validate_timing, 2.5, 2.5),
        (v.validate_unit, "min", "min"),
        (v.validate_schedule_model, "duration", "duration"),
        (v.validate_constraint, 3, 3),
        (v.validate_allocation_strategy, "order", "order"),
        (v.validate_flag, False, False),
        (v.validate_dependency_list, None, []),
        (v.validate_dependency_list, (), []),
        (v.validate_dependency_list, iter([1, 2]), [1, 2]),
        (v.validate_parent, None, None),
    ],
)
def test_validators_accept_and_normalise(validate: Any, value: Any, expected: Any) -> None:
    out = validate("Shot", "field", value)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(
    ("validate", "value", "error", "message"),
    [
        (v.validate_priority, True, StalkerTypeError, "an int between 0 and 1000, not bool"),
        (v.validate_priority, 1.0, StalkerTypeError, "an int between 0 and 1000, not float"),
        (v.validate_priority, -1, ValidationError, "an int between 0 and 1000, not -1"),
        (v.validate_priority, 1001, ValidationError, "an int between 0 and 1000, not 1001"),
        (v.validate_timing, "1", StalkerTypeError, "a number of units"),
        (v.validate_timing, True, StalkerTypeError, "a number of units"),
        (v.validate_timing, -0.5, ValidationError, "a finite number of units, 0 or more"),
        (v.validate_timing, math.nan, ValidationError, "a finite number of units"),
        (v.validate_timing, math.inf, ValidationError, "a finite number of units"),
        (v.validate_timing, 10**400, ValidationError, "a finite number of units"),
        (v.validate_unit, "days", ValidationError, "one of min, h, d, w, m, y"),
        (v.validate_unit, ["h"], ValidationError, "one of min, h, d, w, m, y"),
        (v.validate_schedule_model, "Effort", ValidationError, "one of effort, length, duration"),
        (v.validate_constraint, 4, ValidationError, "0 (none), 1 (start), 2 (end) or 3 (both)"),
        (v.validate_constraint, True, ValidationError, "0 (none), 1 (start)"),
        (v.validate_allocation_strategy, "best", ValidationError, "one of minallocated"),
        (v.validate_flag, 1, StalkerTypeError, "a bool, not int"),
        (v.validate_user, "bob", StalkerTypeError, "a list of User, not str"),
        (v.validate_parent, "root", StalkerTypeError, "a Task or None, not str"),
        (v.validate_dependency_list, "ab", StalkerTypeError, "a list of Task, not str"),
        (v.validate_dependency_list, 7, StalkerTypeError, "a list of Task, not int"),
        (v.validate_dependency, object(), StalkerTypeError, "a list of Task, not object"),
    ],
)
def test_validators_refuse_naming_owner_and_field(
    validate: Any, value: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        validate("Shot", "field", value)
    assert str(info.value).startswith("Shot.field should be ")
    assert message in str(info.value)


def test_task_validators_are_the_shared_ones() -> None:
    """Setting an attribute of a Task reports exactly what the shared function reports."""
    from stalker_core.models import Project, Task

    task = Task(name="T", project=Project(name="P", code="P"))
    for attr, validate, bad in [
        ("priority", v.validate_priority, 1001),
        ("bid_timing", v.validate_timing, -1),
        ("bid_unit", v.validate_unit, "days"),
        ("schedule_model", v.validate_schedule_model, "x"),
        ("schedule_constraint", v.validate_constraint, 9),
        ("allocation_strategy", v.validate_allocation_strategy, "x"),
        ("is_milestone", v.validate_flag, "yes"),
        ("parent", v.validate_parent, "x"),
    ]:
        with pytest.raises(ValidationError) as expected:
            validate("Task", attr, bad)
        with pytest.raises(type(expected.value), match=f"^{re.escape(str(expected.value))}$"):
            setattr(task, attr, bad)


# --- column defaults, declared once ---------------------------------------------------


def test_task_defaults_are_the_declared_column_defaults() -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.model import task_defaults

    declared = {c.key: c.default.arg for c in Task.__table__.c if c.default is not None}
    assert task_defaults() == declared
    assert {"priority", "schedule_timing", "schedule_unit", "schedule_model"} <= set(declared)


def test_a_changed_column_default_reaches_both_paths(
    prod: Prod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Change a default on its column only: Task(), Shot() and TaskBatch.add all follow.

    Nothing is flushed while patched: SQLAlchemy memoizes a column's default
    for its INSERTs at first use, so a patched default would leak into later tests.
    """
    from stalker_core.models import Shot, Task
    from stalker_core.models.task.bulk import TaskBatch

    columns = Task.__table__.c
    monkeypatch.setattr(columns.priority.default, "arg", 321)
    monkeypatch.setattr(columns.schedule_unit.default, "arg", "d")
    monkeypatch.setattr(columns.schedule_timing.default, "arg", 2.0)
    monkeypatch.setattr(Shot.__table__.c.cut_in.default, "arg", 11)
    with prod.session.no_autoflush:
        obj = Task(name="T", project=prod.project)
        new = TaskBatch(prod.project).add("B")
        for t in (obj, new):
            assert (t.priority, t.schedule_unit, t.schedule_timing) == (321, "d", 2.0)
        shot = Shot(code="S1", project=prod.project)
        assert (shot.cut_in, shot.cut_out) == (11, 11)
    prod.session.rollback()


def test_batch_rows_take_the_column_defaults(prod: Prod) -> None:
    """What TaskBatch leaves out of its rows (cut_in, bid_unit, ...) the columns fill in."""
    from stalker_core.models import Shot
    from stalker_core.models.task.bulk import TaskBatch
    from stalker_core.models.task.model import task_defaults

    batch = TaskBatch(prod.project)
    batch.add(kind="Shot", code="S2")
    batch.insert(prod.session)
    prod.session.commit()
    prod.session.expire_all()
    shot = prod.session.scalars(select(Shot).filter_by(code="S2")).one()
    assert (shot.cut_in, shot.cut_out) == (
        Shot.__table__.c.cut_in.default.arg, Shot.__table__.c.cut_out.default.arg
    )
    assert {k: getattr(shot, k) for k in task_defaults() if not k.endswith(("cache", "count"))} == {
        k: v for k, v in task_defaults().items() if not k.endswith(("cache", "count"))
    }


def test_batch_keywords_left_out_take_the_column_defaults(prod: Prod) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.bulk import TaskBatch
    from stalker_core.models.task.model import task_defaults

    new = TaskBatch(prod.project).add("B")
    defaults = task_defaults()
    assert {k: getattr(new, k) for k in ("priority", "schedule_timing", "schedule_unit",
                                        "schedule_model")} == {
        k: defaults[k] for k in ("priority", "schedule_timing", "schedule_unit", "schedule_model")
    }
    assert new.description == "" and Task.__table__.c.priority.default.arg == new.priority


# --- values that used to be accepted, or to fail with raw exceptions -----------------------


@pytest.mark.parametrize("value", [1e300, 10**400, v.MAX_TIMING + 1, math.inf])
def test_timings_are_bounded(value: Any) -> None:
    """``schedule_timing=1e300`` was accepted and overflowed later (OverflowError)."""
    from stalker_core.models import Project, Task

    assert v.validate_timing("Task", "schedule_timing", v.MAX_TIMING) == v.MAX_TIMING
    project = Project(name="P", code="P")
    for key in ("schedule_timing", "bid_timing"):
        with pytest.raises(ValidationError, match=rf"Task.{key} should be a finite number of "
                                                  r"units, 0 or more and at most 100,000"):
            Task(name="T", project=project, **{key: value})


def test_gaps_and_revisions_share_the_timing_rule(prod: Prod) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.dependency import TaskDependency

    a = Task(name="A", project=prod.project)
    b = Task(name="B", project=prod.project, depends_on=[a])
    prod.session.add_all([a, b])
    prod.session.commit()
    dep = prod.session.scalars(select(TaskDependency)).one()
    with pytest.raises(ValidationError, match=r"TaskDependency.gap_timing should be a finite"):
        dep.gap_timing = math.inf
    with pytest.raises(ValidationError, match=r"Review.schedule_timing should be a finite"):
        b.request_revision(schedule_timing=1e300)


def test_start_after_end_is_refused(prod: Prod) -> None:
    import datetime as dt

    from stalker_core.models import Project, Task

    early, late = (dt.datetime(2030, 1, d, tzinfo=dt.UTC) for d in (1, 2))
    with pytest.raises(ValidationError, match=r"Task.end \(2030-01-01T00:00:00\+00:00\) should "
                                              r"be on or after Task.start \(2030-01-02"):
        Task(name="T", project=prod.project, start=late, end=early)
    t = Task(name="T", project=prod.project, start=early, end=late)
    prod.session.add(t)
    prod.session.commit()
    with pytest.raises(ValidationError, match=r"Task.start .* should be on or before Task.end "
                                              r".*; to move the range later, set end first"):
        t.start = late + dt.timedelta(days=1)
    t.end = late + dt.timedelta(days=2)  # as the message says: end first, then start
    t.start = late + dt.timedelta(days=1)
    t.start = t.end  # an empty range is allowed (a milestone)
    prod.session.commit()
    with pytest.raises(ValidationError, match=r"Project.end"):
        Project(name="P2", code="P2", start=late, end=early)


def test_a_child_stays_in_its_parents_project(prod: Prod) -> None:
    from stalker_core.models import Project, Task
    from stalker_core.models.task.bulk import TaskBatch

    other = Project(name="Other", code="OT")
    parent = Task(name="Parent", project=prod.project)
    loose = Task(name="Loose", project=other)
    prod.session.add_all([other, parent, loose])
    prod.session.commit()
    message = (r"a task belongs to the project of its parent; the parent 'Parent' is in "
               r"project 'Fancy Commercial', the task in 'Other'")
    with pytest.raises(ValidationError, match=rf"Task.project: {message}"):
        Task(name="Child", project=other, parent=parent)
    with pytest.raises(ValidationError, match=rf"Task.parent: {message}"):
        loose.parent = parent
    child = Task(name="Child", parent=parent)  # the parent's project by default
    prod.session.commit()
    with pytest.raises(ValidationError, match=r"Task.project: a task belongs to the project"):
        child.project = other
    with pytest.raises(ValidationError, match=r"cannot change while it has 1 child task"):
        parent.project = other
    with pytest.raises(ValidationError, match=r"Task.parent: a task belongs to the project"):
        TaskBatch(other).add("Batched", parent=parent)
    prod.session.commit()
    prod.session.expire_all()
    assert child.project is prod.project and loose.parent is None
