"""Page."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import Page, Project


def test_valid() -> None:
    p = Project(name="P", code="P")
    page = Page(title="Home", content="Welcome", project=p)
    assert page.title == "Home" and page.name.startswith("Page_")  # Stalker's auto-name
    assert page.content == "Welcome" and page.project is p


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"title": ""}, ValidationError),
        ({"title": 5}, StalkerTypeError),
        ({"title": "x" * 600}, ValidationError),
        ({"content": 5}, StalkerTypeError),
        ({"project": "P"}, StalkerTypeError),
        ({"project": None}, StalkerTypeError),
    ],
)
def test_invalid(kw: dict[str, Any], err: type) -> None:
    args = {"title": "Home", "project": Project(name="P", code="P"), **kw}
    with pytest.raises(err, match="Page"):
        Page(**args)


def test_persists(session: Any) -> None:
    session.add(Page(title="Home", project=Project(name="P", code="P")))
    session.commit()
    assert Page.query.one().project.code == "P"
