"""Benchmark rows of the production model (contract C5), run by ``bench_model.py``.

Each row runs the same workload on stalker_core (``ours``) and on Stalker
1.1.2.1 (``peer``), in a fresh process on a fresh database:

* ``bulk 100 shots x 20 tasks``: one project (stored beforehand), 100 shots
  with 20 tasks each, a dependency chain inside each shot plus a fan-in on the
  last task, one resource per task out of 20 users, all in ONE commit;
* ``bulk ..., TaskBatch``: the same rows through
  :class:`stalker_core.models.task.bulk.TaskBatch` (same checks, statuses and
  roll-ups, a few multi-row INSERTs); the peer column is the same Stalker run
  (Stalker has no bulk API);
* ``query WIP tasks of a user``: the WIP tasks of one user in that project
  (every 5th task is WIP), 20 times on freshly expired objects;
* ``roll-up after one leaf changes``: a 2,000-task project (root container ->
  100 shots -> 20 tasks), a fresh session, one leaf gets a time log
  (RTS -> WIP), commit, then the root's status, logged and scheduled seconds
  and percent complete are read.

Only the measured part is timed; set-up (schema, users, project) is not.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Row, Timer, ours_setup, peer_setup  # noqa: E402

SHOTS = 100
TASKS_PER_SHOT = 20
USERS = 20
UTC = dt.UTC


def _deps(k: int) -> list[int]:
    """Indexes of the tasks task ``k`` of a shot depends on (chain + fan-in)."""
    if k == 0:
        return []
    if k == TASKS_PER_SHOT - 1:
        return [k - 1, k - 2, k - 3]
    return [k - 1]


# --- stalker_core -------------------------------------------------------------


def _ours_base(url: str) -> tuple[Any, Any, list[Any]]:
    from stalker_core.models import Project, User

    s = ours_setup(url)
    users = [
        User(name=f"User {i}", login=f"user{i}", email=f"user{i}@example.com", password="pw")
        for i in range(USERS)
    ]
    project = Project(name="Bench", code="BENCH")
    s.add_all([*users, project])
    s.commit()
    return s, project, users


def _ours_build(project: Any, users: list[Any], root: Any = None) -> list[Any]:
    from stalker_core.models import Shot, Task

    leaves = []
    for i in range(SHOTS):
        shot = Shot(code=f"SH{i:04d}", project=project, parent=root)
        tasks: list[Any] = []
        for k in range(TASKS_PER_SHOT):
            t = Task(
                name=f"Task {k}",
                parent=shot,
                resources=[users[k % USERS]],
                schedule_timing=2,
                schedule_unit="d",
            )
            deps = _deps(k)
            if deps:
                t.depends_on = [tasks[j] for j in deps]
            tasks.append(t)
        leaves.extend(tasks)
    return leaves


def ours_bulk(url: str) -> float:
    s, project, users = _ours_base(url)
    with Timer() as t:
        _ours_build(project, users)
        s.commit()
    return t.seconds


def ours_bulk_batch(url: str) -> float:
    """The same rows through :class:`TaskBatch` (validated, a few multi-row INSERTs)."""
    from stalker_core.models.task.bulk import TaskBatch

    s, project, users = _ours_base(url)
    with Timer() as t:
        batch = TaskBatch(project)
        for i in range(SHOTS):
            shot = batch.add(kind="Shot", code=f"SH{i:04d}")
            tasks: list[Any] = []
            for k in range(TASKS_PER_SHOT):
                tasks.append(
                    batch.add(
                        f"Task {k}",
                        parent=shot,
                        resources=[users[k % USERS]],
                        depends_on=[tasks[j] for j in _deps(k)],
                        schedule_timing=2,
                        schedule_unit="d",
                    )
                )
        batch.insert(s)
        s.commit()
    return t.seconds


def ours_query(url: str) -> float:
    from stalker_core.models import User
    from stalker_core.models.task.queries import tasks_of_user
    from stalker_core.models.task.status import get_status

    s, project, users = _ours_base(url)
    leaves = _ours_build(project, users)
    s.commit()
    wip = get_status(s, "WIP")
    for t in leaves[::5]:
        t.status = wip
    s.commit()
    uid = users[5].id
    s.remove()
    with Timer() as t:
        user = s.get(User, uid)
        for _ in range(20):
            found = tasks_of_user(s, user, ["WIP"])
            s.expire_all()
    assert len(found) == SHOTS, len(found)
    return t.seconds


def ours_rollup(url: str) -> float:
    from stalker_core.models import Task, TimeLog

    s, project, users = _ours_base(url)
    root = Task(name="Shots", project=project)
    leaves = _ours_build(project, users, root=root)
    s.commit()
    leaf_id, root_id, uid = leaves[50 * TASKS_PER_SHOT].id, root.id, users[0].id
    s.remove()
    from stalker_core.models import User

    with Timer() as t:
        leaf = s.get(Task, leaf_id)
        TimeLog(
            task=leaf,
            resource=s.get(User, uid),
            start=dt.datetime(2026, 3, 2, 10, tzinfo=UTC),
            end=dt.datetime(2026, 3, 2, 12, tzinfo=UTC),
        )
        s.commit()
        root = s.get(Task, root_id)
        result = (
            root.status.code,
            root.total_logged_seconds,
            root.schedule_seconds,
            root.percent_complete,
        )
    assert result[0] == "WIP" and result[1] == 7200, result
    return t.seconds


# --- Stalker 1.1.2.1 ----------------------------------------------------------


def _peer_base(url: str) -> tuple[Any, Any, list[Any]]:
    from stalker import Project, Repository, User

    s = peer_setup(url)
    repo = Repository(name="Repo", code="R")
    users = [
        User(name=f"User {i}", login=f"user{i}", email=f"user{i}@example.com", password="pw")
        for i in range(USERS)
    ]
    project = Project(name="Bench", code="BENCH", repositories=[repo])
    s.add_all([*users, repo, project])
    s.commit()
    return s, project, users


def _peer_build(s: Any, project: Any, users: list[Any], root: Any = None) -> list[Any]:
    from stalker import Shot, Task

    leaves = []
    for i in range(SHOTS):
        shot = Shot(code=f"SH{i:04d}", project=project, parent=root)
        s.add(shot)
        tasks: list[Any] = []
        for k in range(TASKS_PER_SHOT):
            t = Task(
                name=f"Task {k}",
                parent=shot,
                resources=[users[k % USERS]],
                schedule_timing=2,
                schedule_unit="d",
            )
            s.add(t)
            deps = _deps(k)
            if deps:
                t.depends_on = [tasks[j] for j in deps]
            tasks.append(t)
        leaves.extend(tasks)
    return leaves


def peer_bulk(url: str) -> float:
    s, project, users = _peer_base(url)
    with Timer() as t:
        _peer_build(s, project, users)
        s.commit()
    return t.seconds


def peer_query(url: str) -> float:
    from stalker import Status, Task, User

    s, project, users = _peer_base(url)
    leaves = _peer_build(s, project, users)
    s.commit()
    wip = s.query(Status).filter_by(code="WIP").one()
    for t in leaves[::5]:
        t.status = wip
    s.commit()
    uid = users[5].id
    s.remove()
    with Timer() as t:
        user = s.get(User, uid)
        wip = s.query(Status).filter_by(code="WIP").one()
        for _ in range(20):
            found = (
                s.query(Task).filter(Task.resources.contains(user)).filter(Task.status == wip).all()
            )
            s.expire_all()
    assert len(found) == SHOTS, len(found)
    return t.seconds


def peer_rollup(url: str) -> float:
    from stalker import Task, TimeLog, User

    s, project, users = _peer_base(url)
    root = Task(name="Shots", project=project)
    s.add(root)
    leaves = _peer_build(s, project, users, root=root)
    s.commit()
    leaf_id, root_id, uid = leaves[50 * TASKS_PER_SHOT].id, root.id, users[0].id
    s.remove()
    with Timer() as t:
        leaf = s.get(Task, leaf_id)
        tl = TimeLog(
            task=leaf,
            resource=s.get(User, uid),
            start=dt.datetime(2026, 3, 2, 10, tzinfo=UTC),
            end=dt.datetime(2026, 3, 2, 12, tzinfo=UTC),
        )
        s.add(tl)
        s.commit()
        root = s.get(Task, root_id)
        result = (
            root.status.code,
            root.total_logged_seconds,
            root.schedule_seconds,
            root.percent_complete,
        )
    assert result[0] == "WIP", result
    return t.seconds


ROWS: list[Row] = [
    Row(name="bulk 100 shots x 20 tasks (1 commit)", ours=ours_bulk, peer=peer_bulk),
    Row(name="bulk 100 shots x 20 tasks, TaskBatch (1 commit)", ours=ours_bulk_batch,
        peer=peer_bulk),
    Row(name="query WIP tasks of a user (x20)", ours=ours_query, peer=peer_query),
    Row(name="roll-up after one leaf changes (2000 tasks)", ours=ours_rollup, peer=peer_rollup),
]
