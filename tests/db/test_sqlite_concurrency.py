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


def _table(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))


def test_reader_is_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/rw.db"
    writer_engine = make_engine(url)
    reader_engine = make_engine(url, connect_args={"timeout": 0.05})
    try:
        _table(writer_engine)
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


def test_read_then_write_after_another_commit_succeeds(tmp_path: Path) -> None:
    """A transaction that read, then writes after another connection committed, must not fail.

    With a deferred transaction SQLite refuses the write at once ("database
    is locked", the snapshot is stale) whatever the busy timeout.
    """
    url = f"sqlite:///{tmp_path}/rw.db"
    a_engine, b_engine = make_engine(url), make_engine(url)
    try:
        _table(a_engine)
        with a_engine.begin() as a:
            assert a.execute(text("SELECT count(*) FROM t")).scalar() == 1
            with b_engine.begin() as b:
                b.execute(text("INSERT INTO t VALUES (2)"))
            a.execute(text("INSERT INTO t VALUES (3)"))
        with a_engine.connect() as a:
            assert sorted(a.execute(text("SELECT x FROM t")).scalars()) == [1, 2, 3]
    finally:
        a_engine.dispose()
        b_engine.dispose()


HOLD_LOCK = """
import sys
from sqlalchemy import text
from stalker_core.db.engine import make_engine

engine = make_engine(sys.argv[1])
with engine.begin() as conn:
    conn.execute(text("INSERT INTO t VALUES (2)"))  # takes the write lock
    print("locked", flush=True)
    sys.stdin.readline()  # hold it until told
engine.dispose()
print("committed", flush=True)
"""


def test_a_session_that_read_waits_for_another_process_writing(tmp_path: Path) -> None:
    """An ORM session reads; another process takes the write lock; the session's commit waits."""
    import subprocess
    import sys
    import threading

    from stalker_core.orm.session import StalkerSession

    url = f"sqlite:///{tmp_path}/two.db"
    engine = make_engine(url)
    _table(engine)
    session = StalkerSession(engine)
    try:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
        with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) as other:
            assert other.stdout is not None and other.stdin is not None
            stdin = other.stdin
            assert other.stdout.readline().strip() == "locked"

            def let_it_commit() -> None:
                stdin.write("go\n")
                stdin.flush()

            # the other process commits while this one waits for the lock
            release = threading.Timer(0.3, let_it_commit)
            release.start()
            session.execute(text("INSERT INTO t VALUES (3)"))
            session.commit()
            release.join()
            assert other.stdout.readline().strip() == "committed"
        assert sorted(session.execute(text("SELECT x FROM t")).scalars()) == [1, 2, 3]
    finally:
        session.close()
        engine.dispose()


def test_read_only_work_takes_no_lock_and_holds_no_snapshot(tmp_path: Path) -> None:
    """A session left open after reading blocks no writer, and sees later commits."""
    from stalker_core.orm.session import StalkerSession

    url = f"sqlite:///{tmp_path}/ro.db"
    engine = make_engine(url)
    writer = make_engine(url, connect_args={"timeout": 0.05})
    try:
        _table(engine)
        reader = StalkerSession(engine)
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
        with writer.begin() as conn:  # would wait, then fail, behind a held write lock
            conn.execute(text("INSERT INTO t VALUES (2)"))
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 2
        reader.close()
    finally:
        engine.dispose()
        writer.dispose()
