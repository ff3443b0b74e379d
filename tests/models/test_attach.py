"""The attach-cascade: linked objects join the session of the object they are linked to."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy.orm.exc import ObjectDereferencedError


def test_appending_to_a_collection_whose_owner_was_collected_says_so(session: Any) -> None:
    """SQLAlchemy's own "garbage collected" error, not a crash in the cascade listener."""
    from stalker_core.models import Project, Task

    project = Project(name="Attach", code="AT")
    session.add(project)
    a, b = Task(name="A", project=project), Task(name="B", project=project)
    session.commit()
    ids = (a.id, b.id)
    del a, b, project
    session.remove()
    children = session.get(Task, ids[0]).children  # nothing holds the owner any more
    gc.collect()
    other = session.get(Task, ids[1])
    with pytest.raises(ObjectDereferencedError, match="garbage collected"):
        children.append(other)
    assert other.parent is None
