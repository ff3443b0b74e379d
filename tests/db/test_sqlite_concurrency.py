"""SQLite database files shared by several processes: WAL journal and a busy timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from stalker_core.db.engine import SQLITE_BUSY_TIMEOUT, make_engine


def _pragma(engine, name: str):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_file_database_uses_wal_and_waits_for_locks(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/shared.db")
    try:
        assert _pragma(engine, "journal_mode") == "wal"
        assert _pragma(engine, "busy_timeout") == int(SQLITE_BUSY_TIMEOUT * 1000)
        assert _pragma(engine, "foreign_keys") == 1
    finally:
        engine.dispose()


def test_timeout_and_wal_can_be_overridden(tmp_path: Path) -> None:
    engine = make_engine(
        f"sqlite:///{tmp_path}/plain.db", sqlite_wal=False, connect_args={"timeout": 2}
    )
    try:
        assert _pragma(engine, "journal_mode") == "delete"
        assert _pragma(engine, "busy_timeout") == 2000
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_database_keeps_memory_journal(url: str) -> None:
    engine = make_engine(url)
    try:
        assert _pragma(engine, "journal_mode") == "memory"
    finally:
        engine.dispose()


def test_reader_is_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/rw.db"
    writer_engine = make_engine(url)
    reader_engine = make_engine(url, connect_args={"timeout": 0.05})
    try:
        with writer_engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with writer_engine.begin() as writer:
            writer.execute(text("INSERT INTO t VALUES (2)"))
            writer.execute(text("UPDATE t SET x = x + 10"))
            # another connection still reads the last committed state
            with reader_engine.connect() as reader:
                assert reader.execute(text("SELECT x FROM t")).scalars().all() == [1]
        with reader_engine.connect() as reader:
            assert sorted(reader.execute(text("SELECT x FROM t")).scalars()) == [11, 12]
    finally:
        writer_engine.dispose()
        reader_engine.dispose()
