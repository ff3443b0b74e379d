"""Reviews: one per responsible, all approved -> CMPL, a revision -> HREV (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, at, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StatusError, ValidationError


def _wip(prod: Prod, responsible: list, hours: int = 2):  # type: ignore[no-untyped-def]
    from stalker_core.models import Task, TimeLog

    t = Task(name="Comp", project=prod.project, responsible=responsible,
             schedule_timing=4, schedule_unit="h")
    prod.session.add(t)
    prod.session.commit()
    TimeLog(task=t, resource=prod.users[2], start=at(2, 9), end=at(2, 9 + hours))
    return t


def test_review_set_needs_every_responsible(prod: Prod) -> None:
    from stalker_core.models import Review

    lead, sup = prod.users[0], prod.users[1]
    t = _wip(prod, [lead, sup])
    reviews = t.request_review()
    assert [r.reviewer for r in reviews] == [lead, sup]
    assert {r.review_number for r in reviews} == {1}
    reviews[0].approve()
    assert t.status.code == "PREV"  # still waiting for the supervisor
    with pytest.raises(StatusError, match="already approved"):
        reviews[0].approve()
    t.approve(reviewer=sup)
    assert t.status.code == "CMPL"
    assert t.schedule_seconds == 2 * 3600  # clamped to the logged time
    prod.session.commit()
    prod.session.expire_all()
    stored = prod.session.query(Review).filter_by(task_id=t.id).all()
    assert sorted(r.decision for r in stored) == ["approved", "approved"]
    assert {r.status.code for r in stored} == {"APP"}


def test_one_revision_in_the_set_gives_hrev_and_more_time(prod: Prod) -> None:
    lead, sup = prod.users[0], prod.users[1]
    t = _wip(prod, [lead, sup], hours=1)
    reviews = t.request_review()
    reviews[1].request_revision(schedule_timing=2, schedule_unit="h", description="too dark")
    assert t.status.code == "PREV"
    reviews[0].approve()
    assert t.status.code == "HREV"
    assert t.schedule_seconds == (4 + 2) * 3600
    assert reviews[1].description == "too dark"
    assert (reviews[0].status.code, reviews[1].status.code) == ("APP", "RREV")
    with pytest.raises(StatusError, match=r"status is HREV; request review is allowed only in WIP"):
        t.request_review()


def test_revision_extends_from_the_logged_time_when_over_schedule(prod: Prod) -> None:
    t = _wip(prod, [prod.users[0]], hours=6)  # 6 h logged on a 4 h schedule
    (review,) = t.request_review()
    review.request_revision(schedule_timing=1, schedule_unit="d")
    assert t.schedule_seconds == 6 * 3600 + 9 * 3600


def test_reviews_are_numbered_per_set(prod: Prod) -> None:
    from stalker_core.models import TimeLog

    t = _wip(prod, [prod.users[0]])
    (r1,) = t.request_review()
    r1.request_revision(schedule_timing=1)
    TimeLog(task=t, resource=prod.users[2], start=at(3, 9), end=at(3, 10))
    (r2,) = t.request_review()
    assert (r1.review_number, r2.review_number) == (1, 2)
    r2.approve()
    assert t.status.code == "CMPL"


def test_revision_of_a_completed_task(prod: Prod) -> None:
    t = _wip(prod, [prod.users[0]])
    t.request_review()[0].approve()
    assert t.status.code == "CMPL"
    review = t.request_revision(reviewer=prod.users[0], schedule_timing=3, schedule_unit="h")
    assert review.review_number == 2 and review.decision == "revision"
    assert t.status.code == "HREV" and t.schedule_seconds == 5 * 3600


def test_bad_revision_input(prod: Prod) -> None:
    t = _wip(prod, [prod.users[0]])
    (review,) = t.request_review()
    with pytest.raises(ValidationError,
                       match=r"schedule_timing should be a finite number of units, 0 or more"):
        review.request_revision(schedule_timing=-1)
    with pytest.raises(ValidationError, match=r"schedule_unit should be one of"):
        review.request_revision(schedule_timing=1, schedule_unit="days")
    assert review.decision == "pending" and t.status.code == "PREV"
    with pytest.raises(StatusError, match="has no pending review"):
        t.approve(reviewer=prod.users[1])
