"""A leaf's change reads its parents and dependencies as rows and loads only what changes."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from typing import Any

import pytest
from test_prod_support import Prod, at, prod  # noqa: F401 - fixture

from stalker_core.exceptions import DependencyViolationError


def _shot(prod: Prod) -> dict[str, int]:
    """Group > Shot > A, B (B depends on A), C waiting for the shot to start, and D."""
    from stalker_core.models import Task

    group = Task(name="Group", project=prod.project)
    shot = Task(name="Shot", parent=group)
    a = Task(name="A", parent=shot, resources=[prod.users[1]], schedule_timing=2)
    b = Task(name="B", parent=shot, resources=[prod.users[2]], depends_on=[a])
    other = Task(name="C", project=prod.project, resources=[prod.users[0]], depends_on=[shot])
    other.task_depends_on[0].dependency_target = "onstart"
    alone = Task(name="D", project=prod.project, resources=[prod.users[0]])
    prod.session.add_all([group, other, alone])
    prod.session.commit()
    ids = {t.name: t.id for t in (group, shot, a, b, other, alone)}
    prod.session.remove()
    return ids


def _loaded(session: Any) -> set[str]:
    from stalker_core.models import Task

    return {o.name for o in session.identity_map.values() if isinstance(o, Task)}


def _stored_code(session: Any, task_id: int) -> str:
    from sqlalchemy import select

    from stalker_core.models import Status, Task

    tasks, statuses = Task.__table__, Status.__table__
    return session.execute(  # type: ignore[no-any-return]
        select(statuses.c.code).join(tasks, tasks.c.status_id == statuses.c.id)
        .where(tasks.c.id == task_id)
    ).scalar_one()


def test_parents_not_in_the_session_take_their_status_without_being_loaded(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    ids = _shot(prod)
    s = prod.session
    a = s.get(Task, ids["A"])
    TimeLog(task=a, resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    # the shot and the group move RTS -> WIP in their rows; C waited for the shot to start
    assert "Shot" not in _loaded(s) and "Group" not in _loaded(s)
    assert _stored_code(s, ids["Shot"]) == "WIP"
    assert _stored_code(s, ids["Group"]) == "WIP"
    assert s.get(Task, ids["C"]).status.code == "RTS"
    s.commit()
    assert s.get(Task, ids["Shot"]).status.code == "WIP"


def test_a_stop_moves_the_dependent_and_keeps_the_unloaded_parent(prod: Prod) -> None:
    from stalker_core.models import StatusList, Task, TimeLog

    ids = _shot(prod)
    s = prod.session
    TimeLog(task=s.get(Task, ids["A"]), resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    s.commit()
    s.remove()
    a = s.get(Task, ids["A"])
    a.stop()
    assert s.get(Task, ids["B"]).status.code == "RTS"  # WFD -> RTS: A is done
    assert "Shot" not in _loaded(s)  # WIP it stays, read from its children's rows
    assert not any(isinstance(o, StatusList) for o in s.identity_map.values())
    s.commit()
    assert _stored_code(s, ids["Shot"]) == "WIP"


def test_a_status_written_in_a_rolled_back_savepoint_is_read_again(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    ids = _shot(prod)
    s = prod.session
    a = s.get(Task, ids["A"])
    s.begin_nested()
    TimeLog(task=a, resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    shot = s.get(Task, ids["Shot"])  # loaded after its row was given WIP
    assert shot.status.code == "WIP"
    s.rollback()
    assert shot.status.code == "RTS"
    assert a.status.code == "RTS"


def _parent_leaf_and_other(prod: Prod) -> dict[str, int]:
    """Parent > Leaf, and D."""
    from stalker_core.models import Task

    parent = Task(name="Parent", project=prod.project)
    leaf = Task(name="Leaf", parent=parent, resources=[prod.users[1]])
    alone = Task(name="D", project=prod.project, resources=[prod.users[0]])
    prod.session.add_all([parent, leaf, alone])
    prod.session.commit()
    ids = {t.name: t.id for t in (parent, leaf, alone)}
    prod.session.remove()
    return ids


def test_a_dependency_not_flushed_yet_counts(prod: Prod) -> None:
    """With a dependency row pending, the rows in the database are not read alone."""
    from stalker_core.models import Task, TimeLog
    from stalker_core.models.task.status import deps_satisfied

    ids = _parent_leaf_and_other(prod)
    s = prod.session
    leaf = s.get(Task, ids["Leaf"])
    assert deps_satisfied(leaf)
    with s.no_autoflush:
        s.get(Task, ids["Parent"]).depends_on = [s.get(Task, ids["D"])]  # D is not done
        assert not deps_satisfied(leaf)
        assert leaf.status.code == "WFD"
        with pytest.raises(DependencyViolationError, match=r"it depends on 'D' \(RTS\)"):
            TimeLog(task=leaf, resource=prod.users[1], start=at(2, 9), end=at(2, 10))


def test_a_parents_stored_dependency_refuses_time_logs(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    ids = _parent_leaf_and_other(prod)
    s = prod.session
    s.get(Task, ids["Parent"]).depends_on = [s.get(Task, ids["D"])]
    s.commit()
    s.remove()
    leaf = s.get(Task, ids["Leaf"])
    assert leaf.status.code == "WFD"
    with pytest.raises(DependencyViolationError, match=r"it depends on 'D' \(RTS\)"):
        TimeLog(task=leaf, resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    assert _loaded(s) == {"Leaf", "D"}  # D only to name it; the parent not at all


def test_a_stored_dependency_changed_in_memory_counts(prod: Prod) -> None:
    """A dependency row's new target, not flushed yet, is read from the object."""
    from stalker_core.models import Task, TimeLog
    from stalker_core.models.task.status import deps_satisfied

    ids = _parent_leaf_and_other(prod)
    s = prod.session
    s.get(Task, ids["Leaf"]).depends_on = [s.get(Task, ids["D"])]
    TimeLog(task=s.get(Task, ids["D"]), resource=prod.users[0], start=at(2, 9), end=at(2, 10))
    s.commit()
    s.remove()
    leaf = s.get(Task, ids["Leaf"])
    assert not deps_satisfied(leaf)  # D has started, not finished
    with s.no_autoflush:
        s.get(Task, ids["D"]).task_dependent_of[0].dependency_target = "onstart"
        assert deps_satisfied(leaf)
    s.flush()
    assert deps_satisfied(leaf)


@pytest.mark.parametrize("name", ["load chain", "add to chain", "stored dependencies"])
def test_postgresql_walks_the_chain_through_an_array_of_its_ids(name: str) -> None:
    """On PostgreSQL the chain's statements look its tasks up by primary key in an
    array, so the planner cannot hash the whole table for ``IN (a recursive CTE)``."""
    from sqlalchemy.dialects import postgresql, sqlite

    from stalker_core.models.task import ancestry, rollup

    build = {
        "load chain": ancestry._load_chain_statement,
        "add to chain": rollup._add_to_chain_statement,
        "stored dependencies": ancestry._stored_dependencies_statement,
    }[name]
    pg = str(build("postgresql").compile(dialect=postgresql.dialect()))
    assert "= ANY (ARRAY(SELECT id FROM ancestors))" in pg, pg
    lite = str(build("sqlite").compile(dialect=sqlite.dialect()))
    assert "IN (SELECT ancestors.id" in lite and "ARRAY" not in lite, lite
