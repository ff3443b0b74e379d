"""db.init(): the default data, idempotent and cheap."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from stalker_core import db
from stalker_core.config import get_config
from stalker_core.models import (
    Department,
    Group,
    Permission,
    Status,
    StatusList,
    Type,
    User,
)


def _counts(session: Any) -> dict[str, int]:
    return {
        cls.__name__: session.scalar(select(func.count()).select_from(cls))
        for cls in (User, Department, Group, Status, StatusList, Type, Permission)
    }


def test_admin_department_and_group(session: Any) -> None:
    admin = User.query.filter_by(login="admin").one()
    assert admin.name == "admin"
    assert admin.email == "admin@admin.com"
    assert admin.check_password("admin")
    assert not admin.password_hash.startswith("admin")
    assert Department.query.all()[0].name == "admins"
    assert admin.departments == [Department.query.filter_by(name="admins").one()]
    assert [g.name for g in admin.groups] == ["admins"]


def test_all_default_statuses_with_stalker_names(session: Any) -> None:
    cfg = get_config()
    by_code = {s.code: s.name for s in Status.query.all()}
    assert by_code == cfg.status_names
    assert by_code["NEW"] == "New"
    assert by_code["WIP"] == "Work In Progress"
    assert by_code["CMPL"] == "Completed"
    assert by_code["RREV"] == "Requested Revision"


@pytest.mark.parametrize(
    ("target", "codes"),
    [
        ("Task", ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]),
        ("Asset", ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]),
        ("Shot", ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]),
        ("Sequence", ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]),
        ("Scene", ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]),
        ("Project", ["RTS", "WIP", "CMPL"]),
        ("Ticket", ["NEW", "ACP", "ASG", "ROP", "CLS"]),
        ("Review", ["NEW", "RREV", "APP"]),
        ("Daily", ["OPEN", "CLS"]),
    ],
)
def test_status_lists_in_order(session: Any, target: str, codes: list[str]) -> None:
    sl = StatusList.query.filter_by(target_entity_type=target).one()
    assert [s.code for s in sl.statuses] == codes
    assert sl.name == f"{target} Statuses"


def test_ticket_types(session: Any) -> None:
    names = sorted(t.name for t in Type.query.filter_by(target_entity_type="Ticket").all())
    assert names == ["Defect", "Enhancement"]


def test_admin_may_do_everything(session: Any) -> None:
    admin = User.query.filter_by(login="admin").one()
    for action in ("Create", "Read", "Update", "Delete", "List"):
        assert admin.can(action, "Project")
        assert admin.can(action, User)


def test_init_is_idempotent(session: Any) -> None:
    before = _counts(session)
    db.init()
    db.init()
    assert _counts(session) == before


def test_init_on_a_populated_database_costs_few_statements(session: Any) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        db.init()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(statements) <= 12, statements
    assert [w for w in writes if "group_permissions" not in w] == []


def test_fresh_init_costs_few_statements(db_url: str) -> None:
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": db_url})
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        db.init()
    finally:
        event.remove(engine, "before_cursor_execute", count)
        DBSession.remove()
        engine.dispose()
    # a handful of SELECTs, batched INSERTs per table: far below one per row
    assert len(statements) <= 60, len(statements)


def test_init_keeps_edited_rows(session: Any) -> None:
    wip = Status.query.filter_by(code="WIP").one()
    wip.name = "In Progress"
    session.commit()
    db.init()
    assert Status.query.filter_by(code="WIP").one().name == "In Progress"
    assert Status.query.filter_by(code="WIP").count() == 1


def test_configured_admin_and_statuses(db_url: str) -> None:
    from stalker_core import config
    from stalker_core.orm.session import DBSession

    config.configure(
        admin_login="boss", admin_email="boss@studio.example", admin_password="s3cret",
        status_names={**get_config().status_names, "APR": "Approved By Client"},
        status_lists={**get_config().status_lists, "Version": ["NEW", "APR"]},
    )
    engine = db.setup({"sqlalchemy.url": db_url})
    try:
        db.init()
        boss = User.query.filter_by(login="boss").one()
        assert boss.check_password("s3cret")
        sl = StatusList.query.filter_by(target_entity_type="Version").one()
        assert [s.code for s in sl.statuses] == ["NEW", "APR"]
    finally:
        config.reset()
        DBSession.remove()
        engine.dispose()
