"""The production walk-through on both databases (issue 3, 'Tests and figures')."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_prod_support import Prod, at, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StatusError


def test_walkthrough(prod: Prod) -> None:
    from stalker_core.models import Shot, Task, TimeLog

    s = prod.session
    boss, artist = prod.users[0], prod.users[1]
    shot = Shot(code="SH010", project=prod.project, responsible=[boss])
    s.add(shot)
    s.commit()
    comp = Task(name="comp", parent=shot, resources=[artist], schedule_timing=4, schedule_unit="h")
    s.commit()
    assert comp.status.code == "RTS"
    assert comp.responsible == [boss]  # inherited from the shot

    TimeLog(task=comp, resource=artist, start=at(2, 10), end=at(2, 12))
    s.commit()
    assert comp.status.code == "WIP"
    assert shot.status.code == "WIP"

    reviews = comp.request_review()
    assert [r.reviewer for r in reviews] == [boss]
    assert comp.status.code == "PREV"
    s.commit()

    before = comp.schedule_seconds
    reviews[0].request_revision(schedule_timing=3, schedule_unit="h", description="more glow")
    assert comp.status.code == "HREV"
    assert comp.schedule_seconds > before
    assert comp.schedule_seconds == pytest.approx(max(before, 2 * 3600) + 3 * 3600)
    s.commit()

    TimeLog(task=comp, resource=artist, start=at(3, 10), end=at(3, 13))
    assert comp.status.code == "WIP"
    comp.hold()
    assert comp.status.code == "OH"
    with pytest.raises(StatusError, match=r"status is OH.*allowed only in"):
        TimeLog(task=comp, resource=artist, start=at(4, 10), end=at(4, 11))
    comp.resume()
    assert comp.status.code == "WIP"
    s.commit()

    reviews = comp.request_review()
    reviews[0].approve()
    assert comp.status.code == "CMPL"
    assert comp.percent_complete == 100
    assert comp.schedule_seconds == pytest.approx(comp.total_logged_seconds) == 5 * 3600
    s.commit()

    s.expire_all()
    shot = s.scalars(select(Shot).filter_by(code="SH010")).one()
    assert shot.status.code == "CMPL"
    assert shot.percent_complete == 100
    assert shot.total_logged_seconds == 5 * 3600
