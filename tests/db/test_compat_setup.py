"""Stalker's set-up helpers: db.setup.register, create_entity_statuses, alembic_version."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError


def test_register_creates_the_permissions_of_a_class(session: Any) -> None:
    from stalker_core import db
    from stalker_core.models import Permission
    from stalker_core.models.group import ACCESS, ACTIONS

    class Shelf:  # a studio's own class (only its name matters)
        pass

    assert db.setup.register(Shelf) == len(ACCESS) * len(ACTIONS)  # Stalker's spelling
    rows = session.query(Permission).filter_by(class_name="Shelf").all()
    assert {(p.access, p.action) for p in rows} == {(a, b) for a in ACCESS for b in ACTIONS}
    assert db.setup.register(Shelf) == 0  # idempotent
    with pytest.raises(StalkerTypeError, match="the class itself"):
        db.setup.register(Shelf())


def test_create_entity_statuses(session: Any) -> None:
    from stalker_core.db.setup import create_entity_statuses
    from stalker_core.models import Status, StatusList, User

    admin = session.query(User).filter_by(login="admin").one()
    before = session.query(Status).count()
    made = create_entity_statuses("Message", ["New", "Read", "Archived"],
                                  ["NEW", "READ", "ARC"], admin)
    assert [s.code for s in made.statuses] == ["NEW", "READ", "ARC"]
    assert session.query(Status).count() == before + 2  # NEW was there already
    assert session.query(Status).filter_by(code="ARC").one().created_by is admin
    again = create_entity_statuses("Message", ["Read", "New"], ["READ", "NEW"])
    assert again is made and [s.code for s in again.statuses] == ["READ", "NEW"]
    assert session.query(StatusList).filter_by(target_entity_type="Message").count() == 1
    with pytest.raises(ValidationError, match="entity_type"):
        create_entity_statuses("", ["A"], ["A"])
    with pytest.raises(ValidationError, match="one name per code"):
        create_entity_statuses("Message", ["A", "B"], ["A"])
    with pytest.raises(ValueError, match="status_codes"):  # a ValueError, as in Stalker
        create_entity_statuses("Message", ["A"], [])


def test_alembic_version_is_the_head(session: Any) -> None:
    from stalker_core import db
    from stalker_core.db import migrate

    assert db.setup.alembic_version() == migrate.HEAD
    assert db.setup.get_alembic_version(session=session) == migrate.HEAD
