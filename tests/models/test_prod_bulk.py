"""TaskBatch: bulk creation gives the same rows, statuses and roll-ups (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import event, select
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import CircularDependencyError, StalkerTypeError, ValidationError


def _build(prod: Prod, batch: Any, shots: int = 3, per_shot: int = 4) -> list[Any]:
    out = []
    for i in range(shots):
        shot = batch.add(kind="Shot", code=f"SH{i:03d}")
        prev: list[Any] = []
        for k in range(per_shot):
            prev.append(
                batch.add(
                    f"Task {k}", parent=shot, resources=[prod.users[k % 3]],
                    depends_on=prev[-1:], schedule_timing=k + 1, schedule_unit="h",
                )
            )
        out.append((shot, prev))
    return out


def test_batch_matches_the_object_model(prod: Prod) -> None:
    from stalker_core.models import Shot, Task
    from stalker_core.models.task.bulk import TaskBatch
    from stalker_core.models.task.rollup import recompute_rollups

    batch = TaskBatch(prod.project)
    built = _build(prod, batch)
    statements: list[str] = []
    bind = prod.session.get_bind()
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(bind, "before_cursor_execute", listener)
    ids = batch.insert(prod.session)
    event.remove(bind, "before_cursor_execute", listener)
    prod.session.commit()
    assert len(ids) == 3 * 5
    if bind.dialect.name == "postgresql":  # multi-row INSERTs, not one per task
        assert len([s for s in statements if s.startswith("INSERT")]) <= 8
    prod.session.expire_all()
    shot = prod.session.scalars(select(Shot).filter_by(code="SH001")).one()
    assert shot.name == "SH001" and shot.project is prod.project
    assert [t.name for t in shot.children] == ["Task 0", "Task 1", "Task 2", "Task 3"]
    t0, t1 = shot.children[0], shot.children[1]
    assert (t0.status.code, t1.status.code, shot.status.code) == ("RTS", "WFD", "RTS")
    assert t1.depends_on == [t0] and t0.resources == [prod.users[0]]
    assert shot.schedule_seconds == (1 + 2 + 3 + 4) * 3600 and shot.child_count == 4
    assert t1.status_list.target_entity_type == "Task"
    before = {t.id: (t.schedule_seconds, t.total_logged_seconds) for t in prod.session.scalars(
        select(Task).where(Task.project_id == prod.project.id))}
    recompute_rollups(prod.session, prod.project)
    after = {t.id: (t.schedule_seconds, t.total_logged_seconds) for t in prod.session.scalars(
        select(Task).where(Task.project_id == prod.project.id))}
    assert before == after
    # the bulk rows behave like any task afterwards
    from test_prod_support import at

    from stalker_core.models import TimeLog

    TimeLog(task=t0, resource=prod.me, start=at(2, 9), end=at(2, 10))
    prod.session.commit()
    assert shot.status.code == "WIP" and built


def test_batch_under_a_stored_parent(prod: Prod) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.bulk import TaskBatch

    root = Task(name="Root", project=prod.project, schedule_timing=7)
    prod.session.add(root)
    prod.session.commit()
    batch = TaskBatch(prod.project)
    batch.add("A", parent=root, schedule_timing=2)
    batch.add("B", parent=root, schedule_timing=3)
    batch.insert(prod.session)
    prod.session.commit()
    prod.session.expire_all()
    assert root.child_count == 2 and root.schedule_seconds == 5 * 3600
    assert [c.name for c in root.children] == ["A", "B"] and root.status.code == "RTS"


def _work_on(prod: Prod, task: Any) -> None:
    """Two hours logged on ``task`` (RTS -> WIP), committed."""
    import datetime as dt

    from stalker_core.models import TimeLog

    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    TimeLog(task=task, resource=prod.me, start=start, end=start + dt.timedelta(hours=2))
    prod.session.commit()


def test_batch_tasks_under_a_parent_waiting_for_a_start_are_ready_as_objects_are(
    prod: Prod,
) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.bulk import TaskBatch

    started = Task(name="Started", project=prod.project, resources=[prod.me])
    parent = Task(name="Parent", project=prod.project)
    prod.session.add_all([started, parent])
    prod.session.commit()
    _work_on(prod, started)  # WIP: its start is behind it, its end is not
    parent.depends_on = [started]
    parent.task_depends_on[0].dependency_target = "onstart"
    prod.session.commit()
    by_object = Task(name="ByObject", parent=parent)
    prod.session.commit()
    batch = TaskBatch(prod.project)
    batch.add("ByBatch", parent=parent)
    (batch_id,) = batch.insert(prod.session)
    prod.session.commit()
    assert by_object.status.code == "RTS"
    assert prod.session.get(Task, batch_id).status.code == "RTS"


@pytest.mark.parametrize("loaded", [False, True])
def test_a_batch_task_waiting_for_a_stored_task_moves_when_that_task_ends(
    prod: Prod, loaded: bool
) -> None:
    from stalker_core.models import Task
    from stalker_core.models.task.bulk import TaskBatch

    dep = Task(name="Dep", project=prod.project, resources=[prod.me])
    prod.session.add(dep)
    prod.session.commit()
    _work_on(prod, dep)
    if loaded:
        assert dep.dependent_of == []  # what waits for it, loaded before the batch
    batch = TaskBatch(prod.project)
    batch.add("Waiting", depends_on=[dep], schedule_timing=4)
    (waiting_id,) = batch.insert(prod.session)
    waiting = prod.session.get(Task, waiting_id)
    assert waiting.status.code == "WFD"
    assert dep.dependent_of == [waiting]
    dep.stop()
    prod.session.commit()
    assert waiting.status.code == "RTS"


def test_batch_refuses_bad_input_and_cycles(prod: Prod) -> None:
    from stalker_core.models import Shot
    from stalker_core.models.task.bulk import TaskBatch

    batch = TaskBatch(prod.project)
    with pytest.raises(ValidationError, match="schedule_unit should be one of"):
        batch.add("X", schedule_unit="days")
    with pytest.raises(ValidationError, match="0 or more"):
        batch.add("X", schedule_timing=-2)
    with pytest.raises(StalkerTypeError, match="resources should be a list of User"):
        batch.add("X", resources=["bob"])
    from test_prod_support import make_user

    with pytest.raises(ValidationError, match="Task.resources 'User 7' must be stored"):
        batch.add("X", resources=[make_user(7)])
    with pytest.raises(StalkerTypeError, match=r"Shot\(\) needs the 'code' argument"):
        batch.add(kind="Shot")
    batch.add(kind="Shot", code="S1")
    with pytest.raises(ValidationError, match="used twice"):
        batch.add(kind="Shot", code="S1")
    a = batch.add("A")
    b = batch.add("B", depends_on=[a])
    a.depends_on.append(b)
    with pytest.raises(CircularDependencyError, match="circular dependency"):
        batch.insert(prod.session)
    prod.session.rollback()
    assert prod.session.scalars(select(Shot)).all() == []

    prod.session.add(Shot(code="S9", project=prod.project))
    prod.session.commit()
    batch = TaskBatch(prod.project)
    batch.add(kind="Shot", code="S9")
    with pytest.raises(ValidationError, match="already exists"):
        batch.insert(prod.session)
    prod.session.rollback()


def _selects_for(prod: Prod, shots: int) -> int:
    from stalker_core.models import Project, Shot, Task

    project = Project(name=f"Bulk {shots}", code=f"B{shots}")
    prod.session.add(project)
    prod.session.commit()
    selects: list[str] = []
    bind = prod.session.get_bind()

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(bind, "before_cursor_execute", count)
    try:
        for i in range(shots):
            shot = Shot(code=f"SH{i:03d}", project=project)
            prev: list[Any] = []
            for k in range(10):
                prev.append(Task(name=f"T{k}", parent=shot, resources=[prod.users[k % 3]],
                                 depends_on=prev[-2:], schedule_timing=2, schedule_unit="d"))
        prod.session.commit()
    finally:
        event.remove(bind, "before_cursor_execute", count)
    return len(selects)


def test_object_bulk_creation_does_not_query_per_task(prod: Prod) -> None:
    """Building 50 or 200 tasks (with dependencies and resources) issues the same
    handful of SELECTs: no per-object validation queries, no collection loads."""
    small = _selects_for(prod, 5)
    # the identity map holds objects weakly: what the first run loaded (the status
    # list, the statuses) is kept, or a GC pass in between makes the second read it again
    loaded = list(prod.session.identity_map.values())
    gc.collect()
    large = _selects_for(prod, 20)
    del loaded
    assert large <= small <= 8, (small, large)  # the first run also fills session caches
