"""Tag."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Tag


def test_tag_needs_a_name() -> None:
    with pytest.raises(StalkerTypeError, match="Tag\\(\\) needs the 'name'"):
        Tag()
    assert Tag(name="hero").name == "hero"


def test_tag_persists_and_is_shared(session: Any) -> None:
    from stalker_core.models import Department

    hero = Tag(name="hero")
    a, b = Department(name="a"), Department(name="b")
    a.tags.append(hero)
    b.tags.append(hero)
    session.add_all([a, b])
    session.commit()
    assert Tag.query.filter_by(name="hero").count() == 1
