"""Note."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Department, Note


def test_an_unnamed_note_is_named_like_stalkers() -> None:
    assert Note(content="Fix the\nlights please").name.startswith("Note_")
    assert Note().name != Note().name
    assert Note(name="n", content="").content == ""


def test_content_must_be_a_str() -> None:
    with pytest.raises(StalkerTypeError, match="Note.content"):
        Note(content=5)


def test_note_attached_to_several_entities(session: Any) -> None:
    note = Note(content="shared")
    a, b = Department(name="a"), Department(name="b")
    a.notes.append(note)
    b.notes.append(note)
    session.add_all([a, b])
    session.commit()
    session.expire_all()
    assert sorted(e.name for e in Note.query.filter_by(content="shared").one().entities) == [
        "a", "b"
    ]
