"""Hierarchy and roll-ups: parenting, containers' cached sums, recompute (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from typing import Any

import pytest
from test_prod_support import Prod, at, complete, prod  # noqa: F401 - fixture

from stalker_core.exceptions import CircularDependencyError


def _rollups(task: Any) -> tuple[float, float, float]:
    return (task.schedule_seconds, task.total_logged_seconds, task.percent_complete)


def test_circular_parenting_is_refused(prod: Prod) -> None:
    from stalker_core.models import Task

    a = Task(name="A", project=prod.project)
    b = Task(name="B", parent=a)
    c = Task(name="C", parent=b)
    with pytest.raises(CircularDependencyError, match="circular parenting"):
        a.parent = c
    with pytest.raises(CircularDependencyError, match="circular parenting"):
        c.children.append(a)
    assert a.parent is None and c.children == [] and b.children == [c]


def test_container_sums_follow_children(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    shot = Task(name="Shot", project=prod.project, schedule_timing=99, schedule_unit="d")
    a = Task(name="A", parent=shot, schedule_timing=2, schedule_unit="h")
    b = Task(name="B", parent=shot, schedule_timing=30, schedule_unit="min")
    assert shot.schedule_seconds == 2.5 * 3600  # the container's own timing no longer counts
    b.schedule_timing = 90
    assert shot.schedule_seconds == 3.5 * 3600
    prod.session.add(shot)
    prod.session.commit()
    TimeLog(task=a, resource=prod.me, start=at(2, 9), end=at(2, 10))
    assert shot.total_logged_seconds == 3600
    assert shot.percent_complete == pytest.approx(100 * 3600 / (3.5 * 3600))
    assert shot.remaining_seconds == 2.5 * 3600


def test_reparenting_moves_sums(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    s1 = Task(name="S1", project=prod.project)
    s2 = Task(name="S2", project=prod.project, schedule_timing=5, schedule_unit="h")
    t = Task(name="T", parent=s1, schedule_timing=4, schedule_unit="h")
    u = Task(name="U", parent=s1, schedule_timing=1, schedule_unit="h")
    prod.session.add_all([s1, s2])
    prod.session.commit()
    TimeLog(task=t, resource=prod.me, start=at(2, 9), end=at(2, 11))
    prod.session.commit()
    t.parent = s2
    assert _rollups(s1) == (3600, 0, 0)
    assert s2.schedule_seconds == 4 * 3600 and s2.total_logged_seconds == 7200
    u.parent = None  # s1 becomes a leaf again: its own 1 h counts
    assert s1.schedule_seconds == 3600 and s1.child_count == 0
    prod.session.commit()
    prod.session.expire_all()
    assert s2.children == [t] and s2.schedule_seconds == 4 * 3600


def test_cached_sums_match_a_full_recompute(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog
    from stalker_core.models.task.rollup import recompute_rollups

    root = Task(name="Root", project=prod.project)
    shots = [Task(name=f"S{i}", parent=root) for i in range(3)]
    leaves = []
    for i, shot in enumerate(shots):
        for k in range(3):
            leaves.append(
                Task(name=f"t{i}{k}", parent=shot, schedule_timing=k + 1, schedule_unit="h",
                     responsible=[prod.me])
            )
    prod.session.add(root)
    prod.session.commit()
    TimeLog(task=leaves[0], resource=prod.me, start=at(2, 9), end=at(2, 12))
    TimeLog(task=leaves[4], resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    complete(leaves[8], prod.users[2], day=3, hours=2)
    leaves[5].schedule_unit = "d"
    leaves[7].parent = shots[0]
    prod.session.commit()
    before = {t.id: _rollups(t) for t in root.walk_hierarchy()}
    prod.session.expire_all()
    recompute_rollups(prod.session, prod.project)
    after = {t.id: _rollups(t) for t in prod.session.get(Task, root.id).walk_hierarchy()}
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert value == pytest.approx(after[key]), key


def test_deleting_a_time_log_updates_sums(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    shot = Task(name="Shot", project=prod.project)
    t = Task(name="T", parent=shot)
    prod.session.add(shot)
    prod.session.commit()
    log = TimeLog(task=t, resource=prod.me, start=at(2, 9), end=at(2, 10))
    prod.session.commit()
    assert shot.total_logged_seconds == 3600
    prod.session.delete(log)
    prod.session.commit()
    assert shot.total_logged_seconds == 0 and t.total_logged_seconds == 0


def test_editing_a_time_log_updates_sums(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    shot = Task(name="Shot", project=prod.project)
    t = Task(name="T", parent=shot)
    prod.session.add(shot)
    prod.session.commit()
    log = TimeLog(task=t, resource=prod.me, start=at(2, 9), end=at(2, 10))
    log.end = at(2, 12)
    assert shot.total_logged_seconds == 3 * 3600


def test_deleting_a_child_updates_the_parent(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    shot = Task(name="Shot", project=prod.project)
    a = Task(name="A", parent=shot, schedule_timing=2)
    b = Task(name="B", parent=shot, schedule_timing=3)
    prod.session.add(shot)
    prod.session.commit()
    TimeLog(task=a, resource=prod.me, start=at(2, 9), end=at(2, 10))
    prod.session.commit()
    assert shot.status.code == "WIP" and shot.schedule_seconds == 5 * 3600
    prod.session.delete(a)
    prod.session.commit()
    prod.session.expire_all()
    assert shot.children == [b] and shot.child_count == 1
    assert shot.schedule_seconds == 3 * 3600 and shot.total_logged_seconds == 0
    assert shot.status.code == "RTS"
