"""Roll-ups and statuses after edits that reach a task from an unusual side.

A status set directly on a leaf whose parent is not loaded, a leaf that
becomes a container and then a leaf again, a whole-list ``children``
replacement, a stored dependency's target edited, and a move into a parent
with dependencies: after each, the stored caches and container statuses equal
an independent recomputation (``test_rollup_incremental.check``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from test_rollup_incremental import check
from test_time_log_edit import _log, at, build


def test_a_status_set_directly_on_a_leaf_re_derives_its_unloaded_parent(session: Any) -> None:
    from stalker_core.models import Status, Task

    project_id, ids, _ = build(session, (-1, 0))
    session.remove()
    leaf = session.get(Task, ids[1])  # its parent is not loaded
    leaf.status = session.scalars(select(Status).filter_by(code="CMPL")).one()
    session.commit()
    session.remove()
    assert session.get(Task, ids[0]).status.code == "CMPL"
    check(session, project_id)


def test_a_leaf_that_was_a_container_counts_its_own_time_logs_again(session: Any) -> None:
    from stalker_core.models import Task

    project_id, ids, users = build(session, (-1, 0, -1))  # R > L ; X
    _log(session, ids[1], users[0], at(5, 9), at(5, 12))
    session.get(Task, ids[2]).parent = session.get(Task, ids[1])  # L becomes a container
    session.commit()
    session.remove()
    session.get(Task, ids[2]).parent = None  # and a leaf again
    session.commit()
    session.remove()
    leaf = session.get(Task, ids[1])
    assert leaf.total_logged_seconds == session.get(Task, ids[0]).total_logged_seconds == 10800
    assert leaf.status.code == "WIP"
    check(session, project_id)


def test_a_container_that_becomes_a_leaf_drops_its_derived_status(session: Any) -> None:
    from stalker_core.models import Task

    project_id, ids, _ = build(session, (-1, 0, -1))
    session.get(Task, ids[1]).stop()
    session.commit()
    assert session.get(Task, ids[0]).status.code == "CMPL"
    session.delete(session.get(Task, ids[1]))  # nothing logged on the container itself
    session.commit()
    former = session.get(Task, ids[0])
    assert former.status.code == "RTS"
    assert former.percent_complete == 0.0 and former.completed_seconds_cache == 0.0
    check(session, project_id)


def test_a_stored_dependencys_new_target_moves_the_waiting_task(session: Any) -> None:
    from stalker_core.models import Task

    project_id, ids, users = build(session, (-1, -1))
    _log(session, ids[0], users[0], at(5, 9), at(5, 12))  # T0 started: WIP
    session.get(Task, ids[1]).depends_on = [session.get(Task, ids[0])]
    session.commit()
    assert session.get(Task, ids[1]).status.code == "WFD"  # T0 is not finished
    session.remove()
    waiting = session.get(Task, ids[1])
    waiting.task_depends_on[0].dependency_target = "onstart"
    assert waiting.status.code == "RTS"  # T0 has started: at once, not at flush
    session.commit()
    check(session, project_id)
    waiting.task_depends_on[0].dependency_target = "onend"
    assert waiting.status.code == "WFD"
    session.commit()
    check(session, project_id)


def test_replacing_a_stored_containers_children_moves_the_roll_ups(session: Any) -> None:
    from stalker_core.models import Task

    project_id, ids, _ = build(session, (-1, 0, 0, -1))  # P > T1, T2 ; T3
    session.remove()
    parent, t1, t2, t3 = (session.get(Task, i) for i in ids)  # P.children not loaded
    parent.children = [t3]
    assert parent.child_count == 1 and parent.schedule_seconds == 4 * 3600
    session.commit()
    assert t1.parent is None and t2.parent is None
    check(session, project_id)
    parent.children = []  # a leaf again
    session.commit()
    assert parent.child_count == 0 and parent.status.code == "RTS"
    check(session, project_id)


def test_a_moved_task_waits_for_what_its_new_parents_wait_for(session: Any) -> None:
    from stalker_core.models import Task

    project_id, ids, users = build(session, (-1, 0, -1, -1))  # P > T1 ; Q ; X
    _log(session, ids[2], users[0], at(5, 9), at(5, 12))  # Q started, not finished
    session.get(Task, ids[0]).depends_on = [session.get(Task, ids[2])]
    session.commit()
    session.remove()
    parent, t1, x = (session.get(Task, ids[i]) for i in (0, 1, 3))
    assert (t1.status.code, x.status.code) == ("WFD", "RTS")
    t1.parent = None  # out of P: nothing to wait for
    x.parent = parent  # into P: waits for Q
    assert (t1.status.code, x.status.code) == ("RTS", "WFD")
    session.commit()
    check(session, project_id)
    session.get(Task, ids[2]).stop()  # Q finished: X may start
    session.commit()
    assert x.status.code == "RTS"
    check(session, project_id)


def test_a_move_by_a_session_holding_old_counts_keeps_another_sessions_move(
    session: Any,
) -> None:
    """Sessions keep their objects across commits (``expire_on_commit=False``): a move
    adds to the stored count and sums instead of writing back what it read earlier."""
    from sqlalchemy.orm import sessionmaker

    from stalker_core.models import Task, TimeLog, User
    from stalker_core.orm.session import StalkerSession

    project_id, ids, users = build(session, (-1, 0, 0, -1, -1))  # P > T1, T2 ; T3 ; T4
    session.remove()
    make = sessionmaker(bind=session.get_bind(), class_=StalkerSession, expire_on_commit=False)
    a, b = make(), make()
    try:
        held = [a.get(Task, i) for i in ids]
        assert [t.child_count for t in held] == [2, 0, 0, 0, 0]
        TimeLog(task=held[3], resource=a.get(User, users[0]), start=at(4, 9), end=at(4, 10))
        a.commit()
        b.get(Task, ids[4]).parent = b.get(Task, ids[0])  # B: T4 -> P
        b.commit()
        held[3].parent = held[0]  # A, holding P with 2 children: T3 -> P
        a.commit()
        assert held[0].child_count == 4
        assert held[0].total_logged_seconds == 3600
    finally:
        a.close()
        b.close()
    check(session, project_id)
