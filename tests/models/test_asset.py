"""Asset: a Type is required; the code is the default name (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerTypeError, ValidationError


def test_asset_needs_a_type(prod: Prod) -> None:
    from stalker_core.models import Asset, Task, Type

    with pytest.raises(StalkerTypeError, match=r"Asset.type should be a Type"):
        Asset(code="Hero", project=prod.project)
    char = Type(name="Character", code="Char", target_entity_type="Asset")
    hero = Asset(code="Hero", project=prod.project, type=char)
    model = Task(name="Model", parent=hero)
    prod.session.add(hero)
    prod.session.commit()
    prod.session.expire_all()
    assert hero.name == "Hero" and hero.type is char and hero.children == [model]
    assert hero.status.code == "RTS" and model.project is prod.project
    with pytest.raises(ValidationError, match="Asset.code should be a non-empty str"):
        Asset(code="", project=prod.project, type=char)
