"""EntityGroup."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Department, EntityGroup, Tag


def test_entities_are_checked() -> None:
    with pytest.raises(StalkerTypeError, match="EntityGroup.entities"):
        EntityGroup(name="sel", entities=["x"])


def test_persists_any_entities(session: Any) -> None:
    d, t = Department(name="D"), Tag(name="T")
    session.add(EntityGroup(name="sel", entities=[d, t]))
    session.commit()
    session.expire_all()
    assert [repr(e) for e in EntityGroup.query.one().entities] == ["<D (Department)>", "<T (Tag)>"]
