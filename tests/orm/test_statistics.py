"""The planner's statistics after a bulk load: ANALYZE where autovacuum would, now."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, text

from stalker_core.orm.statistics import (
    ANALYZE_THRESHOLD,
    refresh_after_bulk_load,
    tables_to_analyze,
)


@pytest.mark.parametrize(
    ("known", "inserted", "chosen"),
    [
        ({}, {"tasks": ANALYZE_THRESHOLD + 1}, ["tasks"]),  # never analysed
        ({"tasks": -1.0}, {"tasks": ANALYZE_THRESHOLD + 1}, ["tasks"]),
        ({}, {"tasks": ANALYZE_THRESHOLD}, []),  # a small load: autovacuum would wait too
        ({"tasks": 10_000.0}, {"tasks": 1_000}, []),  # 1,050 rows needed
        ({"tasks": 10_000.0}, {"tasks": 1_051, "shots": 20}, ["tasks"]),
        ({"a": 0.0, "b": 0.0}, {"b": 60, "a": 60}, ["b", "a"]),  # the load's order
    ],
)
def test_the_tables_past_autovacuums_threshold_are_chosen(
    known: dict[str, float], inserted: dict[str, int], chosen: list[str]
) -> None:
    assert tables_to_analyze(known, inserted) == chosen


def _known_rows(session: Any, table: str) -> float:
    return float(
        session.connection()
        .execute(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table})
        .scalar_one()
    )


def test_a_task_batch_leaves_the_planner_knowing_its_rows(session: Any) -> None:
    """After a batch of 100 tasks PostgreSQL's statistics count them, before the commit."""
    from stalker_core.models import Project, User
    from stalker_core.models.task.bulk import TaskBatch

    user = User(name="U", login="u", email="u@example.com", password="pw")
    project = Project(name="P", code="P")
    session.add_all([user, project])
    session.commit()
    batch = TaskBatch(project)
    for i in range(5):
        shot = batch.add(kind="Shot", code=f"ST{i:03d}")
        for k in range(19):
            batch.add(f"Task {k}", parent=shot, resources=[user])
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        assert _known_rows(session, "tasks") < 100  # never analysed: -1
    batch.insert(session)
    if postgresql:
        assert _known_rows(session, "tasks") >= 100
        assert _known_rows(session, "task_resources") >= 95
    session.commit()


def test_other_databases_and_small_loads_are_left_alone(session: Any) -> None:
    conn = session.connection()
    table = Table("tasks", MetaData(), Column("id", Integer, primary_key=True))
    assert refresh_after_bulk_load(conn, {table: ANALYZE_THRESHOLD}) == []
    analysed = refresh_after_bulk_load(conn, {table: 10 * ANALYZE_THRESHOLD})
    assert analysed == (["tasks"] if conn.dialect.name == "postgresql" else [])
