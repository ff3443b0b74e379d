"""Several processes creating versions of one task at once on PostgreSQL.

8 processes x 25 versions of the same task and take must give exactly the
numbers 1..200, once each, with every file name rendered for its final number.
Half of the versions go through ``reserve_version`` (flush first, as the
save-as-version workflow does), half through the tutorial's
``Version(task=t); update_paths(); commit()``.
"""

from __future__ import annotations

import multiprocessing as mp
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

PROCESSES = 8
PER_PROCESS = 25


def _worker(url: str, task_id: int, barrier: Any, errors: Any) -> None:
    from stalker_core.db.engine import make_engine
    from stalker_core.models import Task, Version
    from stalker_core.models.version.numbering import reserve_version
    from stalker_core.orm.session import StalkerSession

    engine = make_engine(url)
    try:
        barrier.wait(timeout=120)
        for i in range(PER_PROCESS):
            with StalkerSession(engine, expire_on_commit=False) as session:
                task = session.get(Task, task_id)
                if i % 2:
                    version = reserve_version(session, task, "Main", created_with="test")
                else:
                    version = Version(task=task, created_with="test")
                    version.update_paths()
                session.commit()
    except BaseException as exc:  # reported to the parent, which fails the test
        errors.put(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test."""
    name = "vc_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = pg_admin_url.rpartition("/")[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_processes_get_unique_consecutive_numbers(pg_url: str) -> None:
    from test_vers_helpers import build_world

    from stalker_core import db
    from stalker_core.models import Version
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": pg_url})
    try:
        db.init()
        world = build_world(DBSession)
        task_id = world.comp.id
        DBSession.remove()

        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(PROCESSES)
        errors = ctx.Queue()
        procs = [
            ctx.Process(target=_worker, args=(pg_url, task_id, barrier, errors))
            for _ in range(PROCESSES)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=600)
        reported = []
        while not errors.empty():
            reported.append(errors.get())
        assert reported == []
        assert [p.exitcode for p in procs] == [0] * PROCESSES

        rows = DBSession.execute(
            select(Version.version_number, Version.filename, Version.name).where(
                Version.task_id == task_id
            )
        ).all()
        numbers = sorted(r[0] for r in rows)
        assert numbers == list(range(1, PROCESSES * PER_PROCESS + 1))
        for number, filename, name in rows:
            assert filename == f"SH001_comp_Main_v{number:03d}"
            assert name == f"SH001_comp_Main_v{number:03d}"
    finally:
        DBSession.remove()
        engine.dispose()
