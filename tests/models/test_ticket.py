"""Tickets: numbering per project, NEW, workflow with TicketLog (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerTypeError, StatusError, ValidationError


def test_numbered_per_project_starting_at_one(prod: Prod) -> None:
    from stalker_core.models import Project, Ticket

    other = Project(name="Other", code="OT")
    prod.session.add(other)
    prod.session.commit()
    t1 = Ticket(project=prod.project, summary="a", created_by=prod.me)
    t2 = Ticket(project=prod.project, summary="b", created_by=prod.me)
    o1 = Ticket(project=other, summary="c", created_by=prod.me)
    assert (t1.number, t2.number, o1.number) == (1, 2, 1)
    prod.session.commit()
    t3 = Ticket(project=prod.project, summary="d", priority="critical", created_by=prod.me)
    prod.session.commit()
    assert t3.number == 3 and t3.name == "#3" and t3.priority == "CRITICAL"
    assert {t.status.code for t in (t1, t2, t3, o1)} == {"NEW"}


def test_detached_tickets_get_numbers_at_flush(prod: Prod) -> None:
    from stalker_core.models import Project, Ticket

    project = Project(name="Fresh", code="FR")
    tickets = [Ticket(project=project, summary=str(i)) for i in range(3)]
    prod.session.add_all(tickets)
    prod.session.commit()
    assert [t.number for t in tickets] == [1, 2, 3]


def test_workflow_and_logs(prod: Prod) -> None:
    from stalker_core.models import Ticket

    me, bob = prod.users[0], prod.users[1]
    t = Ticket(project=prod.project, summary="The rig breaks", description="elbow",
               priority="MAJOR", created_by=me)
    log = t.accept(created_by=bob)
    assert (t.status.code, t.owner) == ("ACP", bob)
    assert (log.from_status.code, log.to_status.code, log.action) == ("NEW", "ACP", "accept")
    t.reassign(created_by=bob, assign_to=me)
    assert (t.status.code, t.owner) == ("ASG", me)
    t.resolve(created_by=me, resolution="fixed")
    assert (t.status.code, t.resolution) == ("CLS", "fixed")
    with pytest.raises(StatusError, match=r"cannot accept ticket '#1': its status is CLS; "
                       r"accept is allowed only in NEW, ASG, ROP"):
        t.accept(created_by=me)
    t.reopen(created_by=me)
    assert (t.status.code, t.resolution) == ("ROP", "")
    prod.session.commit()
    prod.session.expire_all()
    assert [lg.action for lg in t.logs] == ["accept", "reassign", "resolve", "reopen"]


def test_bad_tickets(prod: Prod) -> None:
    from stalker_core.models import Ticket

    with pytest.raises(StalkerTypeError, match="Ticket.project should be a Project"):
        Ticket(summary="x")
    with pytest.raises(ValidationError, match="TRIVIAL, MINOR, MAJOR, CRITICAL, BLOCKER"):
        Ticket(project=prod.project, summary="x", priority="urgent")
    t = Ticket(project=prod.project, summary="x")
    with pytest.raises(ValidationError, match="one of fixed"):
        t.resolve(created_by=prod.me, resolution="done")
    with pytest.raises(StalkerTypeError, match="should be a User"):
        t.accept(created_by="me")
    assert t.status.code == "NEW"
