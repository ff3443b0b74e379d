"""The status workflow: first status, actions, dependents, containers (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, at, complete, prod  # noqa: F401 - fixture

from stalker_core.exceptions import DependencyViolationError, StatusError, ValidationError


def _chain(prod: Prod):  # type: ignore[no-untyped-def]
    from stalker_core.models import Task

    shot = Task(name="Shot", project=prod.project, responsible=[prod.users[0]])
    a = Task(name="A", parent=shot, resources=[prod.users[1]])
    b = Task(name="B", parent=shot, resources=[prod.users[2]], depends_on=[a])
    prod.session.add(shot)
    prod.session.commit()
    return shot, a, b


def test_first_status_follows_dependencies(prod: Prod) -> None:
    shot, a, b = _chain(prod)
    assert (a.status.code, b.status.code, shot.status.code) == ("RTS", "WFD", "RTS")
    assert a.status_list.target_entity_type == "Task"


def test_dependency_completion_and_reopen_move_dependents(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    shot, a, b = _chain(prod)
    complete(a, prod.users[1])
    assert a.status.code == "CMPL"
    assert b.status.code == "RTS"  # WFD -> RTS
    TimeLog(task=b, resource=prod.users[2], start=at(3, 9), end=at(3, 11))
    assert b.status.code == "WIP"
    prod.session.commit()

    a.request_revision(reviewer=prod.users[0], schedule_timing=2, schedule_unit="h")
    assert a.status.code == "HREV"
    assert b.status.code == "DREV"  # WIP -> DREV
    with pytest.raises(StatusError, match=r"status is DREV; request review is allowed only in WIP"):
        b.request_review()
    TimeLog(task=a, resource=prod.users[1], start=at(4, 9), end=at(4, 10))
    for review in a.request_review():
        review.approve()
    assert a.status.code == "CMPL"
    assert b.status.code == "HREV"  # DREV -> HREV: check your work against the new input
    prod.session.commit()
    prod.session.expire_all()
    assert (a.status.code, b.status.code, shot.status.code) == ("CMPL", "HREV", "WIP")


def test_reopening_an_unstarted_dependent_makes_it_wait(prod: Prod) -> None:
    shot, a, b = _chain(prod)
    complete(a, prod.users[1])
    assert b.status.code == "RTS"
    a.request_revision(reviewer=prod.users[0], schedule_timing=1, schedule_unit="h")
    assert b.status.code == "WFD"


def test_onstart_dependency(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    a = Task(name="A", project=prod.project)
    b = Task(name="B", project=prod.project, depends_on=[a])
    b.task_depends_on[0].dependency_target = "onstart"
    prod.session.add_all([a, b])
    prod.session.commit()
    assert b.status.code == "WFD"
    TimeLog(task=a, resource=prod.me, start=at(2, 9), end=at(2, 10))
    assert a.status.code == "WIP" and b.status.code == "RTS"


def test_invalid_actions_name_current_and_allowed(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    shot, a, b = _chain(prod)
    with pytest.raises(StatusError, match=r"request review on task 'A': its status is RTS; "
                       r"request review is allowed only in WIP"):
        a.request_review()
    with pytest.raises(StatusError, match=r"status is RTS; approve is allowed only in PREV"):
        a.approve()
    with pytest.raises(StatusError, match=r"resume is allowed only in OH, STOP"):
        a.resume()
    with pytest.raises(StatusError, match=r"container task"):
        shot.hold()
    with pytest.raises(DependencyViolationError, match=r"depends on 'A' \(RTS\)"):
        TimeLog(task=b, resource=prod.me, start=at(2, 9), end=at(2, 10))
    assert (a.status.code, b.status.code) == ("RTS", "WFD")


def test_hold_stop_resume(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    shot, a, b = _chain(prod)
    a.hold()
    assert a.status.code == "OH"
    a.resume()
    assert a.status.code == "RTS"  # nothing logged yet
    TimeLog(task=a, resource=prod.users[1], start=at(2, 9), end=at(2, 12))
    a.stop()
    assert a.status.code == "STOP"
    assert a.schedule_seconds == 3 * 3600  # clamped to the logged time
    assert a.percent_complete == 100
    assert b.status.code == "RTS"  # a stopped dependency counts as finished
    a.resume()
    assert a.status.code == "WIP" and b.status.code == "WFD"
    prod.session.commit()


def test_resume_rereads_dependencies_sent_back_meanwhile(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    shot, a, b = _chain(prod)
    complete(a, prod.users[1])
    TimeLog(task=b, resource=prod.users[2], start=at(3, 9), end=at(3, 11))
    b.hold()
    a.request_revision(reviewer=prod.users[0], schedule_timing=1, schedule_unit="h")
    prod.session.commit()
    assert (a.status.code, b.status.code) == ("HREV", "OH")
    b.resume()  # its dependency is not done any more: DREV, as Stalker gives
    assert b.status.code == "DREV"
    prod.session.commit()
    with pytest.raises(DependencyViolationError):
        TimeLog(task=b, resource=prod.users[2], start=at(4, 9), end=at(4, 10))


def test_request_review_needs_a_responsible(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    t = Task(name="Lonely", project=prod.project)
    prod.session.add(t)
    prod.session.commit()
    TimeLog(task=t, resource=prod.me, start=at(2, 9), end=at(2, 10))
    with pytest.raises(ValidationError, match="has no responsible"):
        t.request_review()
    assert t.status.code == "WIP"


def test_container_status_follows_children_up_the_tree(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    seq = Task(name="Seq", project=prod.project, responsible=[prod.me])
    shot1 = Task(name="Shot1", parent=seq)
    shot2 = Task(name="Shot2", parent=seq)
    t1 = Task(name="t1", parent=shot1)
    t2 = Task(name="t2", parent=shot2, depends_on=[t1])
    prod.session.add(seq)
    prod.session.commit()
    assert (shot1.status.code, shot2.status.code, seq.status.code) == ("RTS", "WFD", "RTS")
    TimeLog(task=t1, resource=prod.me, start=at(2, 9), end=at(2, 10))
    prod.session.commit()
    assert (shot1.status.code, seq.status.code) == ("WIP", "WIP")
    for r in t1.request_review():
        r.approve()
    prod.session.commit()
    assert (shot1.status.code, shot2.status.code, seq.status.code) == ("CMPL", "RTS", "WIP")
    complete(t2, prod.me, day=3)
    prod.session.commit()
    prod.session.expire_all()
    assert (shot2.status.code, seq.status.code) == ("CMPL", "CMPL")
    assert seq.percent_complete == 100


def test_container_refresh_without_loaded_children(prod: Prod) -> None:
    """A stored leaf changes in a fresh session: the parent is derived at flush."""
    from stalker_core.models import Task, TimeLog

    shot, a, b = _chain(prod)
    ids = (shot.id, a.id)
    prod.session.remove() if hasattr(prod.session, "remove") else None
    s = prod.session
    a2 = s.get(Task, ids[1])
    TimeLog(task=a2, resource=prod.users[1], start=at(5, 9), end=at(5, 10))
    s.commit()
    s.expire_all()
    assert s.get(Task, ids[0]).status.code == "WIP"


def test_new_tasks_in_a_session_have_their_status_at_once(prod: Prod) -> None:
    from stalker_core.models import Task

    a = Task(name="A", project=prod.project)  # joins the project's session
    b = Task(name="B", project=prod.project, depends_on=[a])
    c = Task(name="C", project=prod.project)
    assert (a.status.code, b.status.code, c.status.code) == ("RTS", "WFD", "RTS")
    c.depends_on = [b]
    assert c.status.code == "WFD"
    c.depends_on = []
    assert c.status.code == "RTS"


def test_direct_status_assignment_rederives_the_parent_at_flush(prod: Prod) -> None:
    from stalker_core.models.task.status import get_status

    shot, a, b = _chain(prod)
    a.status = get_status(prod.session, "WIP")
    prod.session.commit()
    assert shot.status.code == "WIP"


def _list(prod: Prod, *codes: str):  # type: ignore[no-untyped-def]
    from stalker_core.models import StatusList
    from stalker_core.models.task.status import get_status

    return StatusList(name=f"only {' '.join(codes) or 'nothing'}", target_entity_type="Task",
                      statuses=[get_status(prod.session, c) for c in codes])


def test_a_status_the_list_lacks_is_a_status_error(prod: Prod) -> None:
    """A StatusList without WIP still got WIP (when its statuses were not loaded)."""
    from stalker_core.models import Task, TimeLog

    task = Task(name="Paint", project=prod.project, resources=[prod.me],
                status_list=_list(prod, "RTS", "CMPL"))
    prod.session.add(task)
    prod.session.commit()
    tid = task.id
    prod.session.expire_all()  # a fresh look: the list's statuses are not loaded
    task = prod.session.get(Task, tid)
    with pytest.raises(StatusError, match=r"Task 'Paint' should get the status WIP \(Work In "
                                          r"Progress\), but its status list 'only RTS CMPL' "
                                          r"holds RTS, CMPL; add WIP to the list"):
        TimeLog(task=task, resource=prod.me, start=at(2, 9), end=at(2, 10))
    prod.session.rollback()
    prod.session.expire_all()
    task = prod.session.get(Task, tid)
    with pytest.raises(StatusError, match=r"should get the status OH"):
        task.hold()
    prod.session.rollback()
    assert prod.session.get(Task, tid).status.code == "RTS"


@pytest.mark.parametrize("given", ["constructor", "attribute"])
def test_an_empty_list_gives_no_status(prod: Prod, given: str) -> None:
    """An empty StatusList gave RTS."""
    from stalker_core.models import Task

    empty = _list(prod)
    with pytest.raises(StatusError, match=r"should get the status RTS .* holds no status at all"):
        if given == "constructor":
            Task(name="Paint", project=prod.project, status_list=empty)
        else:
            task = Task(name="Paint", project=prod.project)
            task.status_list = empty
            prod.session.flush()
    prod.session.rollback()
    assert prod.session.query(Task).filter_by(name="Paint").count() == 0


def test_the_stored_default_list_is_checked_at_flush(prod: Prod) -> None:
    from stalker_core.models import StatusList, Task

    default = prod.session.query(StatusList).filter_by(target_entity_type="Task").first()
    default.statuses = [s for s in default.statuses if s.code != "WFD"]
    prod.session.commit()
    a = Task(name="A", project=prod.project)
    prod.session.add(a)
    prod.session.commit()
    Task(name="B", project=prod.project, depends_on=[a])  # wants WFD
    with pytest.raises(StatusError, match=r"Task 'B' should get the status WFD"):
        prod.session.commit()
    prod.session.rollback()
    from stalker_core.models.task.bulk import TaskBatch

    batch = TaskBatch(prod.project)
    batch.add("C", depends_on=[a])
    with pytest.raises(StatusError, match=r"Task 'C' should get the status WFD"):
        batch.insert(prod.session)
    prod.session.rollback()
    assert prod.session.query(Task).filter(Task.name.in_(["B", "C"])).count() == 0
