"""Dependencies: depends_on / dependent_of, TaskDependency, cycles refused (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import CircularDependencyError, StalkerTypeError, ValidationError


def _tasks(prod: Prod, *names: str, parent=None):  # type: ignore[no-untyped-def]
    from stalker_core.models import Task

    kw = {"parent": parent} if parent is not None else {"project": prod.project}
    return [Task(name=n, **kw) for n in names]


def test_depends_on_is_a_checked_list(prod: Prod) -> None:
    a, b, c = _tasks(prod, "A", "B", "C")
    c.depends_on = [a]
    c.depends_on.append(b)
    assert c.depends_on == [a, b] and len(c.depends_on) == 2 and b in c.depends_on
    assert a.dependent_of == [c] and b.dependent_of == [c]
    c.depends_on.remove(a)
    assert c.depends_on == [b] and a.dependent_of == []
    c.depends_on.extend([a])
    del c.depends_on[0]
    assert list(c.depends_on) == [a]
    c.depends_on = None
    assert c.depends_on == []
    c.depends_on = [a, a]
    assert c.depends_on == [a]  # duplicates collapse


def test_depends_on_keeps_the_order_given(prod: Prod) -> None:
    """A new list of the same tasks in another order is kept in that order, new or stored."""
    a, b, c, d = _tasks(prod, "A", "B", "C", "D")
    d.depends_on = [a, b, c]
    d.depends_on = [c, a, b]
    assert [x is y for x, y in zip(d.depends_on, [c, a, b], strict=True)] == [True] * 3
    prod.session.commit()
    d.depends_on = [b, c, a]
    assert [x is y for x, y in zip(d.depends_on, [b, c, a], strict=True)] == [True] * 3
    assert [td.depends_on.id for td in d.task_depends_on] == [b.id, c.id, a.id]


def test_dependencies_are_stored(prod: Prod) -> None:
    from stalker_core.models import Task, TaskDependency

    a, b, c = _tasks(prod, "A", "B", "C")
    c.depends_on = [a, b]
    td = c.task_depends_on[1]
    td.dependency_target = "onstart"
    td.gap_timing = 2
    td.gap_unit = "d"
    td.gap_model = "duration"
    prod.session.add(c)
    prod.session.commit()
    prod.session.expire_all()
    stored = prod.session.get(Task, c.id)
    assert [t.name for t in stored.depends_on] == ["A", "B"]
    deps = {d.depends_on.name: d for d in stored.task_depends_on}
    assert isinstance(deps["B"], TaskDependency)
    assert (deps["B"].dependency_target, deps["B"].gap_timing) == ("onstart", 2.0)
    assert (deps["B"].gap_unit, deps["B"].gap_model) == ("d", "duration")
    assert deps["A"].dependency_target == "onend"
    assert [t.name for t in prod.session.get(Task, a.id).dependent_of] == ["C"]
    stored.depends_on.remove(prod.session.get(Task, a.id))
    prod.session.commit()
    prod.session.expire_all()
    assert [t.name for t in prod.session.get(Task, c.id).depends_on] == ["B"]


@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        ("dependency_target", "onmiddle", r"one of onend, onstart"),
        ("gap_timing", -1, r"0 or more"),
        ("gap_unit", "days", r"one of min, h, d, w, m, y"),
        ("gap_model", "effort", r"one of length, duration"),
    ],
)
def test_task_dependency_bad_values(prod: Prod, attr: str, value: object, message: str) -> None:
    a, b = _tasks(prod, "A", "B")
    b.depends_on = [a]
    td = b.task_depends_on[0]
    with pytest.raises(ValidationError, match=message):
        setattr(td, attr, value)


def test_non_task_dependency_refused(prod: Prod) -> None:
    (a,) = _tasks(prod, "A")
    with pytest.raises(StalkerTypeError, match=r"depends_on should be a list of Task"):
        a.depends_on = [prod.me]
    with pytest.raises(StalkerTypeError, match=r"depends_on should be a list of Task"):
        a.depends_on = "B"
    assert a.depends_on == []


def test_cycles_are_refused_and_nothing_changes(prod: Prod) -> None:
    a, b, c = _tasks(prod, "A", "B", "C")
    b.depends_on = [a]
    c.depends_on = [b]
    with pytest.raises(CircularDependencyError, match=r"'A' -> 'C' -> 'B' -> 'A'"):
        a.depends_on = [c]
    with pytest.raises(CircularDependencyError, match="itself"):
        a.depends_on = [a]
    with pytest.raises(CircularDependencyError):
        a.depends_on.append(b)
    assert a.depends_on == [] and b.depends_on == [a] and c.depends_on == [b]
    assert a.dependent_of == [b] and c.dependent_of == []


def test_parent_and_child_dependencies_are_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    parent = Task(name="P", project=prod.project)
    child = Task(name="C", parent=parent)
    with pytest.raises(CircularDependencyError, match="one of its parents"):
        child.depends_on = [parent]
    with pytest.raises(CircularDependencyError, match="one of its children"):
        parent.depends_on = [child]


def test_cycle_through_containers_is_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    s1 = Task(name="S1", project=prod.project)
    s2 = Task(name="S2", project=prod.project)
    a = Task(name="A", parent=s1)
    b = Task(name="B", parent=s2)
    b.depends_on = [a]  # B waits for A
    with pytest.raises(CircularDependencyError):
        s1.depends_on = [s2]  # S1 (so A) would wait for S2 (so B) which waits for A
    with pytest.raises(CircularDependencyError):
        a.depends_on = [s2]
    assert s1.depends_on == [] and a.depends_on == []


def test_a_container_whose_children_wait_for_each_other_may_get_dependencies(
        prod: Prod) -> None:
    from stalker_core.models import Task

    group = Task(name="Group", project=prod.project)
    shot = Task(name="Shot", parent=group)
    a = Task(name="A", parent=shot)
    b = Task(name="B", parent=shot)
    d = Task(name="D", project=prod.project)
    b.depends_on = [a]  # inside the container, one way: no cycle
    group.depends_on = [d]
    shot.depends_on = [Task(name="E", project=prod.project)]
    assert group.depends_on == [d] and b.depends_on == [a]
    outside = Task(name="Outside", project=prod.project)
    outside.depends_on = [b]
    group.parent = None  # re-parenting checks the same way
    other = Task(name="Other", project=prod.project)
    shot.parent = other
    assert shot.parent is other
    with pytest.raises(CircularDependencyError, match=r"'A' -> 'D' -> 'A'|'D' -> 'A' -> 'D'"):
        d.depends_on = [a]
        group.depends_on = [d]
        shot.parent = group
    with pytest.raises(CircularDependencyError, match="circular dependency"):
        a.depends_on = [b]  # now both ways


def test_parenting_that_makes_a_dependency_cycle_is_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    shot = Task(name="Shot", project=prod.project)
    x = Task(name="X", project=prod.project)
    t = Task(name="T", project=prod.project)
    x.depends_on = [shot]  # X waits for everything in Shot
    t.depends_on = [x]
    with pytest.raises(CircularDependencyError, match="makes a dependency cycle"):
        t.parent = shot  # T would be in Shot, waiting for X which waits for Shot
    assert t.parent is None and shot.children == []


def test_walk_dependencies(prod: Prod) -> None:
    a, b, c, d = _tasks(prod, "A", "B", "C", "D")
    b.depends_on = [a]
    c.depends_on = [a]
    d.depends_on = [b, c]
    assert [t.name for t in d.walk_dependencies()] == ["D", "B", "A", "C"]
    assert [t.name for t in d.walk_dependencies("breadth")] == ["D", "B", "C", "A"]


def test_cycle_refused_on_stored_tasks(prod: Prod) -> None:
    from stalker_core.models import Task

    a, b, c = _tasks(prod, "A", "B", "C")
    b.depends_on = [a]
    c.depends_on = [b]
    prod.session.add_all([a, b, c])
    prod.session.commit()
    prod.session.expire_all()
    a2 = prod.session.get(Task, a.id)
    c2 = prod.session.get(Task, c.id)
    with pytest.raises(CircularDependencyError):
        a2.depends_on = [c2]
    prod.session.commit()
    prod.session.expire_all()
    assert prod.session.get(Task, a.id).depends_on == []


def test_defaults_are_the_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new dependency's target and gap come from the column declarations."""
    from stalker_core.models import TaskDependency

    columns = TaskDependency.__table__.c
    dep = TaskDependency()
    assert (dep.dependency_target, dep.gap_timing, dep.gap_unit, dep.gap_model) == (
        columns.dependency_target.default.arg,
        columns.gap_timing.default.arg,
        columns.gap_unit.default.arg,
        columns.gap_model.default.arg,
    )
    monkeypatch.setattr(columns.gap_unit.default, "arg", "d")
    assert TaskDependency().gap_unit == "d"


def test_held_reads_a_new_tasks_collection_without_making_one(prod: Prod) -> None:
    from stalker_core.models.task.held import held

    shot, = _tasks(prod, "Shot")
    a, b = _tasks(prod, "A", "B", parent=shot)
    # building tasks under a parent made no empty dependency lists on them
    assert "task_depends_on" not in shot.__dict__ and "task_dependent_of" not in a.__dict__
    assert held(a, "task_depends_on") == () and "task_depends_on" not in a.__dict__
    b.depends_on = [a]
    assert [td.depends_on for td in held(b, "task_depends_on")] == [a]
    assert [td.task for td in held(a, "task_dependent_of")] == [b]
    prod.session.commit()
    prod.session.expire_all()
    # a stored task's collection is loaded as usual
    assert [td.depends_on for td in held(b, "task_depends_on")] == [a]
    assert list(held(shot, "task_depends_on")) == []
