"""Type."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import Project, Type


def test_target_from_class_or_name() -> None:
    assert Type(name="Char", code="CHAR", target_entity_type=Project).target_entity_type == (
        "Project"
    )
    assert Type(name="Char", code="CHAR", target_entity_type=" Asset ").target_entity_type == (
        "Asset"
    )


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"name": "a", "code": "A", "target_entity_type": 5}, StalkerTypeError, "class name"),
        ({"name": "a", "code": "A", "target_entity_type": "no such"}, ValidationError, "class"),
        ({"name": "a", "code": "", "target_entity_type": "Asset"}, ValidationError, "code"),
        ({"name": "a", "target_entity_type": "Asset"}, StalkerTypeError, "'code'"),
    ],
)
def test_bad_types(kwargs: dict[str, Any], err: type, match: str) -> None:
    with pytest.raises(err, match=match):
        Type(**kwargs)


def test_type_persists(session: Any) -> None:
    session.add(Type(name="Character", code="CHAR", target_entity_type="Asset"))
    session.commit()
    assert Type.query.filter_by(code="CHAR").one().target_entity_type == "Asset"
