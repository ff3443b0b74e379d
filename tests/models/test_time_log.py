"""TimeLog rules: leaf only, range, status, dependencies, overbooking (both DBs),
and the PostgreSQL exclusion constraint against concurrent overbooking."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from test_prod_support import Prod, at, complete, prod  # noqa: F401 - fixture

from stalker_core.exceptions import (
    DependencyViolationError,
    NaiveDatetimeError,
    OverBookedError,
    StalkerTypeError,
    StatusError,
    ValidationError,
)
from stalker_core.orm.session import StalkerSession


def _leaf(prod: Prod, name: str = "T", **kw: Any) -> Any:
    from stalker_core.models import Task

    shot = Task(name=f"Shot {name}", project=prod.project)
    t = Task(name=name, parent=shot, **kw)
    prod.session.add(shot)
    prod.session.commit()
    return t


def test_time_log_moves_rts_to_wip_and_is_stored(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    t = _leaf(prod)
    log = TimeLog(task=t, resource=prod.me, start=at(2, 9), end=at(2, 11))
    assert t.status.code == "WIP" and t.parent.status.code == "WIP"
    prod.session.commit()
    prod.session.expire_all()
    assert log.seconds == 7200 and log.task is t and prod.me.time_logs == [log]
    assert t.total_logged_seconds == 7200


@pytest.mark.parametrize(
    ("kw", "exc", "message"),
    [
        ({"end": at(2, 8)}, ValidationError, r"TimeLog.end .* should be after TimeLog.start"),
        ({"end": at(2, 9)}, ValidationError, r"should be after"),
        ({"resource": "bob"}, StalkerTypeError, r"TimeLog.resource should be a User"),
        ({"task": "comp"}, StalkerTypeError, r"TimeLog.task should be a Task"),
        ({"start": __import__("datetime").datetime(2026, 3, 2, 9)}, NaiveDatetimeError,
         r"time-zone aware"),
        ({"end": None}, ValidationError, r"needs both start and end"),
    ],
)
def test_bad_time_logs(prod: Prod, kw: dict[str, Any], exc: type[Exception], message: str) -> None:
    from stalker_core.models import TimeLog

    t = _leaf(prod)
    args = {"task": t, "resource": prod.me, "start": at(2, 9), "end": at(2, 10), **kw}
    with pytest.raises(exc, match=message):
        TimeLog(**args)
    assert t.status.code == "RTS" and t.total_logged_seconds == 0
    prod.session.commit()


def test_containers_take_no_time_logs(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    t = _leaf(prod)
    with pytest.raises(ValidationError, match=r"should be a leaf task; 'Shot T' is a container"):
        TimeLog(task=t.parent, resource=prod.me, start=at(2, 9), end=at(2, 10))


def test_refused_before_dependencies_allow_it(prod: Prod) -> None:
    from stalker_core.models import Task, TimeLog

    a = _leaf(prod, "A", responsible=[prod.me])
    b = Task(name="B", parent=a.parent, depends_on=[a])
    prod.session.commit()
    with pytest.raises(DependencyViolationError, match=r"depends on 'A' \(RTS\).*finished"):
        TimeLog(task=b, resource=prod.users[1], start=at(2, 9), end=at(2, 10))
    complete(a, prod.users[2], day=3, hours=2)  # logged until day 3, 11:00
    with pytest.raises(DependencyViolationError, match=r"has work logged until"):
        TimeLog(task=b, resource=prod.users[1], start=at(3, 10), end=at(3, 12))
    TimeLog(task=b, resource=prod.users[1], start=at(3, 11), end=at(3, 12))
    assert b.status.code == "WIP"


def test_refused_in_closed_statuses(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    t = _leaf(prod, responsible=[prod.me])
    complete(t, prod.me)
    with pytest.raises(StatusError, match=r"its status is CMPL; log time is allowed only in"):
        TimeLog(task=t, resource=prod.me, start=at(5, 9), end=at(5, 10))


def test_overbooking_is_refused(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    t1 = _leaf(prod, "T1")
    t2 = _leaf(prod, "T2")
    TimeLog(task=t1, resource=prod.me, start=at(2, 9), end=at(2, 12))
    with pytest.raises(OverBookedError, match=r"'User 0' is already booked on 'T1'"):
        TimeLog(task=t2, resource=prod.me, start=at(2, 11), end=at(2, 13))  # pending clash
    prod.session.commit()
    with pytest.raises(OverBookedError, match="overlaps"):
        TimeLog(task=t2, resource=prod.me, start=at(2, 8), end=at(2, 10))  # stored clash
    TimeLog(task=t2, resource=prod.me, start=at(2, 12), end=at(2, 13))  # touching is fine
    TimeLog(task=t2, resource=prod.users[1], start=at(2, 9), end=at(2, 12))  # someone else
    prod.session.commit()
    assert t2.total_logged_seconds == 4 * 3600


@pytest.mark.postgres
def test_exclusion_constraint_stops_concurrent_overbooking(
    pg_admin_url: str, pg_template: str
) -> None:
    """Two sessions each pass the in-app check; PostgreSQL refuses the second."""
    from stalker_core import db
    from stalker_core.models import Project, Task, TimeLog, User
    from stalker_core.testing.pgserver import create_database, drop_database

    name, url = create_database(pg_admin_url, pg_template)
    engine = db.setup({"sqlalchemy.url": url})
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT conname FROM pg_constraint WHERE conname = 'time_logs_no_overbooking'")
            ).scalar()
        assert found == "time_logs_no_overbooking"
        with StalkerSession(engine) as s:
            user = User(name="Ann", login="ann", email="ann@example.com", password="secret")
            project = Project(name="P", code="P")
            t1 = Task(name="T1", project=project)
            t2 = Task(name="T2", project=project)
            s.add_all([user, project, t1, t2])
            s.commit()
            ids = (user.id, t1.id, t2.id)
        results: dict[str, Any] = {}
        first_flushed = threading.Event()
        s1, s2 = StalkerSession(engine), StalkerSession(engine)

        def second() -> None:
            first_flushed.wait(10)
            try:
                TimeLog(task=s2.get(Task, ids[2]), resource=s2.get(User, ids[0]),
                        start=at(2, 10), end=at(2, 12))
                s2.commit()  # blocks until the first commits, then fails
                results["second"] = "committed"
            except Exception as exc:  # noqa: BLE001 - reported to the main thread
                results["second"] = exc
                s2.rollback()

        worker = threading.Thread(target=second)
        worker.start()
        TimeLog(task=s1.get(Task, ids[1]), resource=s1.get(User, ids[0]),
                start=at(2, 9), end=at(2, 11))
        s1.flush()  # row written, not committed: the other session cannot see it
        first_flushed.set()
        worker.join(0.5)
        s1.commit()
        worker.join(20)
        assert isinstance(results["second"], IntegrityError), results
        assert "time_logs_no_overbooking" in str(results["second"])
        s1.close()
        s2.close()
        with StalkerSession(engine) as s:
            assert s.query(TimeLog).count() == 1
    finally:
        from stalker_core.orm.session import DBSession

        DBSession.remove()
        engine.dispose()
        drop_database(pg_admin_url, name)
