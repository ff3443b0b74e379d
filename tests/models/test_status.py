"""Status and StatusList."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import Project, Status, StatusList


def _statuses() -> list[Status]:
    return [Status(name="New", code="NEW"), Status(name="Done", code="DONE")]


def test_status_needs_name_and_code() -> None:
    with pytest.raises(StalkerTypeError, match="'code'"):
        Status(name="x")
    with pytest.raises(ValidationError, match="Status.code"):
        Status(name="x", code=" ")


def test_status_list_is_ordered_and_indexable_by_code() -> None:
    new, done = _statuses()
    sl = StatusList(name="L", statuses=[done, new], target_entity_type=Project)
    assert sl.target_entity_type == "Project"
    assert sl.statuses == [done, new]
    assert sl["NEW"] is new and sl[0] is done and sl[-1] is new
    assert "DONE" in sl and new in sl and "XX" not in sl
    with pytest.raises(KeyError, match="XX"):
        sl["XX"]
    with pytest.raises(StalkerTypeError):
        sl[1.5]


def test_status_list_refuses_non_statuses() -> None:
    with pytest.raises(StalkerTypeError, match="StatusList.statuses should be a Status"):
        StatusList(name="L", statuses=["NEW"], target_entity_type="Task")
    with pytest.raises(StalkerTypeError, match="target_entity_type"):
        StatusList(name="L", statuses=[], target_entity_type=3)


def test_duplicates_are_ignored() -> None:
    new, done = _statuses()
    sl = StatusList(name="L", statuses=[new, done, new], target_entity_type="Task")
    sl.statuses.append(done)
    assert sl.statuses == [new, done]


def test_order_persists(session: Any) -> None:
    wip = Status.query.filter_by(code="WIP").one()
    new = Status.query.filter_by(code="NEW").one()
    cmpl = Status.query.filter_by(code="CMPL").one()
    sl = StatusList(name="Mine", statuses=[cmpl, new, wip], target_entity_type="Project")
    session.add(sl)
    session.commit()
    sl.statuses.insert(0, wip)  # already there: ignored
    sl.statuses.remove(new)
    sl.statuses.insert(0, new)
    session.commit()
    session.expire_all()
    got = StatusList.query.filter_by(name="Mine").one()
    assert [s.code for s in got.statuses] == ["NEW", "CMPL", "WIP"]
    # a second list for the same class is allowed (the tutorial makes one)
    assert StatusList.query.filter_by(target_entity_type="Project").count() == 2
