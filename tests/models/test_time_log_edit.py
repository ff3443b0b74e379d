"""Editing a stored time log: its start, end, resource or task.

An edit moves logged time as creating and deleting a log do (also in a fresh
session, where the log's task is not loaded), a moved log passes the checks a
new one passes on its new task, and an edited booking is checked for
overbooking (:class:`OverBookedError` on both databases, not PostgreSQL's raw
exclusion-constraint error). After each edit the stored caches equal an
independent recomputation (``test_rollup_incremental.check``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from test_rollup_incremental import check

from stalker_core.exceptions import DependencyViolationError, OverBookedError, ValidationError

UTC = dt.UTC
_serial = itertools.count()


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 1, day, hour, tzinfo=UTC)


def build(session: Any, tree: tuple[int, ...], users: int = 1) -> tuple[int, list[int], list[int]]:
    """A project whose task ``i`` has the parent ``tree[i]`` (-1: none); ids of it all."""
    from stalker_core.models import Project, Task, User

    n = next(_serial)
    people = [
        User(name=f"E{n}_{i}", login=f"e{n}_{i}", email=f"e{n}_{i}@example.com", password="pw")
        for i in range(users)
    ]
    project = Project(name=f"Edit {n}", code=f"ED{n}")
    session.add_all([*people, project])
    tasks: list[Any] = []
    for i, parent in enumerate(tree):
        tasks.append(Task(
            name=f"T{i}", project=project, parent=tasks[parent] if parent >= 0 else None,
            schedule_timing=4, schedule_unit="h", resources=people,
        ))
    session.commit()
    return project.id, [t.id for t in tasks], [u.id for u in people]


def _log(session: Any, task_id: int, user_id: int, start: dt.datetime, end: dt.datetime) -> int:
    from stalker_core.models import Task, TimeLog, User

    log = TimeLog(task=session.get(Task, task_id), resource=session.get(User, user_id),
                  start=start, end=end)
    session.commit()
    return int(log.id)


def _logged(session: Any, task_id: int) -> float:
    from stalker_core.models import Task

    return float(session.get(Task, task_id).total_logged_seconds)


def test_editing_the_end_of_a_log_loaded_alone_moves_the_logged_time(session: Any) -> None:
    from stalker_core.models import TimeLog

    project_id, ids, users = build(session, (-1, 0))
    log_id = _log(session, ids[1], users[0], at(5, 9), at(5, 10))
    session.remove()
    session.get(TimeLog, log_id).end = at(5, 12)  # its task is not loaded
    session.commit()
    session.remove()
    assert _logged(session, ids[1]) == _logged(session, ids[0]) == 3 * 3600
    session.remove()
    session.get(TimeLog, log_id).start = at(5, 11)
    session.commit()
    assert _logged(session, ids[1]) == _logged(session, ids[0]) == 3600
    check(session, project_id)


def test_an_edited_booking_that_overlaps_another_is_overbooked(session: Any) -> None:
    from stalker_core.models import TimeLog, User

    project_id, ids, users = build(session, (-1, 0, 0), users=2)
    _log(session, ids[1], users[0], at(5, 9), at(5, 12))
    other = _log(session, ids[2], users[1], at(5, 9), at(5, 12))
    later = _log(session, ids[2], users[0], at(6, 9), at(6, 10))
    session.remove()
    session.get(TimeLog, later).start = at(5, 10)  # into the first log of users[0]
    with pytest.raises(OverBookedError, match=r"already booked on 'T1'.*overlaps it"):
        session.commit()
    session.rollback()
    session.get(TimeLog, other).resource = session.get(User, users[0])
    with pytest.raises(OverBookedError, match=r"already booked on 'T1'"):
        session.commit()
    session.rollback()
    session.get(TimeLog, later).end = at(6, 11)  # no clash: accepted
    session.commit()
    assert _logged(session, ids[0]) == 8 * 3600
    check(session, project_id)


def test_moving_a_log_to_another_task_moves_its_time_and_starts_the_task(session: Any) -> None:
    from stalker_core.models import Task, TimeLog

    project_id, ids, users = build(session, (-1, 0, 0, -1))
    log_id = _log(session, ids[1], users[0], at(5, 9), at(5, 12))
    session.remove()
    log = session.get(TimeLog, log_id)
    log.task = session.get(Task, ids[2])  # the old task is not loaded
    session.commit()
    assert _logged(session, ids[1]) == 0 and _logged(session, ids[2]) == 3 * 3600
    assert session.get(Task, ids[2]).status.code == "WIP"
    check(session, project_id)
    session.remove()
    target = session.get(Task, ids[3])
    target.time_logs.append(session.get(TimeLog, log_id))
    session.commit()
    assert _logged(session, ids[2]) == _logged(session, ids[0]) == 0
    assert _logged(session, ids[3]) == 3 * 3600
    assert session.get(Task, ids[3]).status.code == "WIP"
    check(session, project_id)


def test_a_log_moves_only_where_a_new_log_could_be_made(session: Any) -> None:
    from stalker_core.models import Task, TimeLog

    project_id, ids, users = build(session, (-1, 0, 0, -1))
    session.get(Task, ids[3]).depends_on = [session.get(Task, ids[2])]
    session.commit()
    log_id = _log(session, ids[1], users[0], at(5, 9), at(5, 12))
    session.remove()
    log = session.get(TimeLog, log_id)
    with pytest.raises(ValidationError, match=r"should be a leaf task; 'T0' is a container"):
        log.task = session.get(Task, ids[0])
    with pytest.raises(DependencyViolationError, match=r"depends on 'T2' \(RTS\)"):
        log.task = session.get(Task, ids[3])
    session.commit()
    assert log.task.id == ids[1] and _logged(session, ids[1]) == 3 * 3600
    assert session.get(Task, ids[3]).status.code == "WFD"
    check(session, project_id)
