"""Incremental roll-ups equal a full recomputation, after any sequence of edits.

A change on a leaf (a time log, its schedule, a status action) pushes only
differences to its parents (one UPDATE in the database when the stored
hierarchy is the one in memory, a walk in memory otherwise), and a parent's
status is re-derived from its own status and the one child that moved when
that alone tells. Here random edits, moves and fresh sessions are applied to
a random tree (with a dependency between two leaves, and a leaf waiting for a
container to start), and after each one the stored sums, child counts and container
statuses are compared with an independent recomputation from the leaves'
rows; the objects in the session must agree with the rows too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sql_probe import statements_sent
from sqlalchemy import func, select

from stalker_core.exceptions import StalkerError

UTC = dt.UTC
_serial = itertools.count()

#: a tree: the parent of task i is one of the tasks before it, or none (-1)
trees = st.integers(3, 8).flatmap(
    lambda n: st.tuples(*[st.integers(-1, i - 1) for i in range(n)])
)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.integers(0, 7), st.integers(1, 12)),
        st.tuples(
            st.just("timing"), st.integers(0, 7), st.integers(0, 30), st.sampled_from("hd")
        ),
        st.tuples(
            st.just("action"), st.integers(0, 7), st.sampled_from(["stop", "hold", "resume"])
        ),
        st.tuples(st.just("move"), st.integers(0, 7), st.integers(-1, 7)),
        # two edits in one flush's span: the second reads what the first wrote
        st.tuples(st.just("log+stop"), st.integers(0, 7), st.integers(0, 7)),
        st.tuples(st.just("fresh")),
    ),
    min_size=1,
    max_size=12,
)


def _derive(codes: list[str]) -> str:
    """The container rule, written out again: all WFD; else all not started; else all done."""
    if all(c == "WFD" for c in codes):
        return "WFD"
    if all(c in ("WFD", "RTS") for c in codes):
        return "RTS"
    if all(c in ("CMPL", "STOP") for c in codes):
        return "CMPL"
    return "WIP"


def _expected(session: Any, project_id: int) -> dict[int, tuple[float, float, float, int, str]]:
    """Sums, child count and status of every task, recomputed from the stored leaves."""
    from stalker_core.models import Status, Task, TimeLog
    from stalker_core.models.task.rollup import session_calendar

    tasks, logs, statuses = Task.__table__, TimeLog.__table__, Status.__table__
    rows = session.execute(
        select(tasks.c.id, tasks.c.parent_id, tasks.c.schedule_timing, tasks.c.schedule_unit,
               tasks.c.schedule_model, statuses.c.code)
        .join(statuses, statuses.c.id == tasks.c.status_id, isouter=True)
        .where(tasks.c.project_id == project_id)
    ).all()
    logged: dict[int, float] = {}
    for task_id, start, end in session.execute(
        select(logs.c.task_id, logs.c.start, logs.c.end)
        .where(logs.c.task_id.in_([r.id for r in rows]))
    ):
        logged[task_id] = logged.get(task_id, 0.0) + (end - start).total_seconds()
    calendar = session_calendar(session)
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)
    out: dict[int, tuple[float, float, float, int, str]] = {}

    def visit(r: Any) -> tuple[float, float, float, str]:
        kids = children.get(r.id, [])
        if not kids:
            s = calendar.to_seconds(r.schedule_timing, r.schedule_unit, r.schedule_model)
            lg = logged.get(r.id, 0.0)
            c = s if r.code in ("CMPL", "STOP") else min(lg, s)
            code = r.code
        else:
            sums = [visit(k) for k in kids]
            s, lg, c = (sum(x[i] for x in sums) for i in range(3))
            code = _derive([x[3] for x in sums])
        out[r.id] = (s, lg, c, len(kids), code)
        return s, lg, c, code

    for r in children.get(None, []):
        visit(r)
    return out


def _stored(session: Any, project_id: int) -> dict[int, tuple[float, float, float, int, str]]:
    from stalker_core.models import Status, Task

    tasks, statuses = Task.__table__, Status.__table__
    return {
        r.id: (r.schedule_seconds_cache, r.total_logged_seconds_cache,
               r.completed_seconds_cache, r.child_count, r.code)
        for r in session.execute(
            select(tasks.c.id, tasks.c.schedule_seconds_cache, tasks.c.total_logged_seconds_cache,
                   tasks.c.completed_seconds_cache, tasks.c.child_count, statuses.c.code)
            .join(statuses, statuses.c.id == tasks.c.status_id, isouter=True)
            .where(tasks.c.project_id == project_id)
        )
    }


def _close(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(
        x == y if isinstance(x, str | int) and not isinstance(x, float)
        else x == pytest.approx(y, rel=1e-9, abs=1e-3)
        for x, y in zip(a, b, strict=True)
    )


def check(session: Any, project_id: int) -> None:
    """Stored rows == recomputation, and the loaded objects == stored rows."""
    from stalker_core.models import Task

    session.flush()
    stored, expected = _stored(session, project_id), _expected(session, project_id)
    assert stored.keys() == expected.keys()
    wrong = {k: (stored[k], expected[k]) for k in stored if not _close(stored[k], expected[k])}
    assert not wrong, f"stored != recomputed: {wrong}"
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Task) and obj.id in stored and obj not in session.deleted:
            mem = (obj.schedule_seconds_cache, obj.total_logged_seconds_cache,
                   obj.completed_seconds_cache, obj.child_count, obj.status.code)
            assert _close(mem, stored[obj.id]), f"{obj.name}: memory {mem}, rows {stored[obj.id]}"


def _build(session: Any, tree: tuple[int, ...]) -> tuple[int, list[int], int]:
    from stalker_core.models import Project, Task, User

    n = next(_serial)
    user = User(name=f"U{n}", login=f"u{n}", email=f"u{n}@example.com", password="pw")
    project = Project(name=f"P{n}", code=f"P{n}")
    session.add_all([user, project])
    tasks: list[Any] = []
    for i, parent in enumerate(tree):
        t = Task(name=f"T{i}", project=project, parent=tasks[parent] if parent >= 0 else None,
                 schedule_timing=2 + i, schedule_unit="h", resources=[user])
        tasks.append(t)
    # a dependency between two leaves, when the tree has two: WFD/RTS, reopening
    leaves = [t for t in tasks if not t.child_count]
    if len(leaves) >= 2:
        leaves[-1].depends_on = [leaves[0]]
    # and a leaf waiting for a container to start: a container's status reaches it
    containers = [t for t in tasks if t.child_count]
    if containers and len(leaves) >= 3:
        try:
            leaves[1].depends_on = [containers[-1]]
            leaves[1].task_depends_on[0].dependency_target = "onstart"
        except StalkerError:
            pass  # the leaf is below that container
    session.commit()
    return project.id, [t.id for t in tasks], user.id


def apply(session: Any, edit: tuple[Any, ...], ids: list[int], user_id: int) -> None:
    """Apply one edit; an edit the model refuses (StalkerError) is skipped."""
    from stalker_core.models import Task, TimeLog, User

    kind = edit[0]
    if kind == "fresh":
        session.commit()
        session.remove()
        return
    task = session.get(Task, ids[edit[1] % len(ids)])
    try:
        with session.begin_nested():
            if kind == "log":
                start = dt.datetime(2026, 1, 5, tzinfo=UTC) + dt.timedelta(days=next(_serial))
                TimeLog(task=task, resource=session.get(User, user_id), start=start,
                        end=start + dt.timedelta(hours=edit[2]))
            elif kind == "timing":
                task.schedule_unit = edit[3]
                task.schedule_timing = edit[2]
            elif kind == "action":
                getattr(task, edit[2])()
            elif kind == "log+stop":
                start = dt.datetime(2026, 1, 5, tzinfo=UTC) + dt.timedelta(days=next(_serial))
                TimeLog(task=task, resource=session.get(User, user_id), start=start,
                        end=start + dt.timedelta(hours=3))
                session.get(Task, ids[edit[2] % len(ids)]).stop()
            else:
                target = edit[2]
                task.parent = None if target < 0 else session.get(Task, ids[target % len(ids)])
            session.flush()
    except StalkerError:
        pass


@pytest.mark.slow
def test_incremental_rollups_equal_a_full_recomputation(session: Any) -> None:
    @settings(
        max_examples=35, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(tree=trees, steps=edits)
    @example(tree=(-1, 0, 1, 1), steps=[("log", 2, 3), ("fresh",), ("action", 2, "stop"),
                                        ("fresh",), ("log", 3, 2), ("action", 3, "stop")])
    @example(tree=(-1, 0, 0, 0), steps=[("fresh",), ("log+stop", 1, 2), ("fresh",),
                                        ("log+stop", 3, 1), ("action", 3, "stop")])
    @example(tree=(-1, 0, 0, 1), steps=[("fresh",), ("move", 3, 2), ("log", 3, 1),
                                        ("timing", 2, 5, "d"), ("fresh",), ("move", 2, -1)])
    def run(tree: tuple[int, ...], steps: list[tuple[Any, ...]]) -> None:
        project_id, ids, user_id = _build(session, tree)
        check(session, project_id)
        for edit in steps:
            apply(session, edit, ids, user_id)
            check(session, project_id)
        session.commit()

    run()


def test_a_leaf_change_updates_the_stored_parents_without_loading_them(session: Any) -> None:
    """One statement adds the difference to every stored parent; none is loaded."""

    from stalker_core.models import Task

    project_id, ids, _ = _build(session, (-1, 0, 1, 2))
    session.remove()
    leaf = session.get(Task, ids[3])
    with statements_sent(session) as statements:
        leaf.schedule_timing = 7
        session.flush()
    loaded = {t.id for t in session.identity_map.values() if isinstance(t, Task)}
    assert loaded == {ids[3]}, "a parent was loaded"
    updates = [s for s in statements if "UPDATE tasks" in s]
    assert len(updates) == 2, updates  # the parents' sums (one statement), the leaf's row
    check(session, project_id)
    total = session.execute(
        select(func.sum(Task.__table__.c.schedule_seconds_cache)).where(
            Task.__table__.c.id == ids[0]
        )
    ).scalar()
    assert total == pytest.approx(7 * 3600.0)


def test_a_time_log_reads_the_parents_once_and_no_calendar(session: Any) -> None:
    """The roll-up's UPDATE returns the parents' rows that the status change needs
    next (no second walk up), and logged time converts no schedule (no calendar read)."""

    from stalker_core.models import Task, TimeLog, User

    project_id, ids, user_id = _build(session, (-1, 0, 1, 1))
    session.remove()
    leaf, user = session.get(Task, ids[2]), session.get(User, user_id)
    before = leaf.schedule_seconds_cache
    with statements_sent(session) as statements:
        start = dt.datetime(2026, 2, 2, 10, tzinfo=UTC)
        TimeLog(task=leaf, resource=user, start=start, end=start + dt.timedelta(hours=1))
        session.flush()
    assert leaf.status.code == "WIP" and leaf.schedule_seconds_cache == before
    walks = [s for s in statements if "RECURSIVE" in s and "UPDATE" not in s.split("(")[0]]
    assert not [s for s in walks if "chain_rows" in s], "the parents were read twice"
    assert not [s for s in statements if "working_hours" in s], "the calendar was read"
    check(session, project_id)
    assert session.get(Task, ids[1]).status.code == "WIP"  # the parent, written as a row


def test_an_update_run_through_the_session_drops_the_kept_parent_rows(session: Any) -> None:
    """Rows kept from a roll-up are read again after an UPDATE they did not see."""
    from sqlalchemy import update

    from stalker_core.models import Status, Task, TimeLog, User
    from stalker_core.models.task.ancestry import stored_chain

    project_id, ids, user_id = _build(session, (-1, 0, 1, 1))
    session.remove()
    leaf, user = session.get(Task, ids[2]), session.get(User, user_id)
    start = dt.datetime(2026, 2, 2, 10, tzinfo=UTC)
    TimeLog(task=leaf, resource=user, start=start, end=start + dt.timedelta(hours=1))
    wip = session.scalars(select(Status).filter_by(code="WIP")).one()
    hold = session.scalars(select(Status).filter_by(code="OH")).one()
    session.flush()
    assert stored_chain(session, ids[1])[ids[1]].status_id == wip.id  # read, kept
    session.execute(update(Task).where(Task.id == ids[1]).values(status_id=hold.id))
    assert stored_chain(session, ids[1])[ids[1]].status_id == hold.id
    session.rollback()


def test_a_time_log_reads_who_waits_for_the_leaf_with_its_dependencies(session: Any) -> None:
    """The statement that reads the dependencies of the leaf's chain (is the time log
    allowed?) reads who waits for the leaf too: the dependent moves without a
    statement of its own to find it."""
    from stalker_core.models import Task, TimeLog, User
    from stalker_core.models.task import ancestry

    project_id, ids, user_id = _build(session, (-1, 0, 1, 1))
    waiting = session.get(Task, ids[3])
    waiting.task_depends_on[0].dependency_target = "onstart"  # waits for T2 to start
    session.commit()
    assert waiting.status.code == "WFD"
    session.remove()
    leaf, user = session.get(Task, ids[2]), session.get(User, user_id)
    with statements_sent(session) as statements:
        start = dt.datetime(2026, 2, 2, 10, tzinfo=UTC)
        TimeLog(task=leaf, resource=user, start=start, end=start + dt.timedelta(hours=1))
        kept = dict(session.info[ancestry._WAITING_KEY])
        session.flush()
    alone = [s for s in statements if s.startswith("SELECT task_dependencies.task_id")]
    assert not alone, "who waits for the leaf was read on its own"
    assert kept[ids[2]] == [(ids[3], "onstart")]
    assert ancestry._WAITING_KEY not in session.info  # forgotten with the flush
    assert session.get(Task, ids[3]).status.code == "RTS"
    check(session, project_id)
