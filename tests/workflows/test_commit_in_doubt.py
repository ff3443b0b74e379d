"""A save or publish whose COMMIT is in doubt keeps what the database may hold (both DBs).

The connection may drop after the COMMIT reached the server: the commit
raises DatabaseUnavailableError although the rows may be written. Injected
here by replacing the session's commit once, at the fault point just before
the workflow commits: ``"after"`` commits, then raises; ``"before"`` raises
without committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo

from stalker_core.exceptions import DatabaseUnavailableError, PublishError
from stalker_core.hosts import VERSION_ID_KEY
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import in_doubt, journal, publish, save_as_version
from stalker_core.workflows.journal import JOURNAL_PREFIX


def drop_at_commit(monkeypatch: pytest.MonkeyPatch, session: Any, point: str,
                   when: str) -> list[str]:
    """At fault ``point``, make the session's next commit lose its connection ``when``."""
    fired: list[str] = []
    real = session.commit

    def lost() -> None:
        monkeypatch.setattr(session, "commit", real)
        if when == "after":
            real()
        fired.append(when)
        raise DatabaseUnavailableError("the connection was lost while committing (injected)")

    def hook(name: str) -> None:
        if name == point:
            monkeypatch.setattr(session, "commit", lost)

    monkeypatch.setattr(journal, "FAULT_HOOK", hook)
    return fired


def check_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database cannot be asked afterwards either."""
    def down(_session: Any) -> Any:
        raise DatabaseUnavailableError("the server is still down (injected)")

    monkeypatch.setattr(in_doubt, "_connect", down)
    monkeypatch.setattr(in_doubt, "CHECK_PAUSE", 0.0)


def count(session: Any, model: str) -> int:
    import stalker_core.models as models

    session.rollback()
    return int(session.scalar(select(func.count()).select_from(getattr(models, model))))


def journals(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(f"{JOURNAL_PREFIX}*"))


WORK = "TP/SH001/comp/SH001_comp_Main_v001.fake"
PUBLISHED = "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"


# -- save ----------------------------------------------------------------------------


def test_save_committed_before_the_drop_is_kept(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fired = drop_at_commit(monkeypatch, session, "save:written", "after")
    host.edit("precious work")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert fired == ["after"]
    path = demo.root / WORK
    assert path.is_file() and "precious work" in path.read_text()
    assert journals(demo.root) == []
    assert v.id is not None and Path(v.absolute_full_path) == path
    assert host.get_scene_metadata()[VERSION_ID_KEY] == str(v.id)
    assert count(session, "Version") == 1


def test_save_not_committed_is_undone(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_at_commit(monkeypatch, session, "save:written", "before")
    with pytest.raises(DatabaseUnavailableError, match=r"save of version 1 .* was undone"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert not (demo.root / WORK).exists()
    assert journals(demo.root) == []
    assert count(session, "Version") == 0


@pytest.mark.parametrize("when", ["after", "before"])
def test_save_unknown_keeps_file_and_journal_for_the_next_save(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch,
    when: str,
) -> None:
    drop_at_commit(monkeypatch, session, "save:written", when)
    check_fails(monkeypatch)
    with pytest.raises(DatabaseUnavailableError,
                       match=r"outcome of the save of version 1 .* is unknown") as err:
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert "next save or publish in that folder" in str(err.value)
    assert (demo.root / WORK).is_file()
    assert len(journals(demo.root)) == 1
    monkeypatch.undo()
    # the next save in that folder (this process) finishes or undoes it
    host.edit("again")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert journals(demo.root) == []
    if when == "after":  # committed: version 1 and its file stay
        assert v.version_number == 2 and (demo.root / WORK).is_file()
        assert count(session, "Version") == 2
    else:  # not committed: its file went, the number is free again
        assert v.version_number == 1 and "again" in (demo.root / WORK).read_text()
        assert count(session, "Version") == 1


# -- publish -------------------------------------------------------------------------


@pytest.fixture
def saved(session: Any, demo: Demo, pm: Any) -> tuple[FakeHost, Any]:
    host = FakeHost(frame_range=(1001, 1050))
    host.edit("comp work")
    return host, save_as_version(host, demo.comp, session=session, pm=pm)


def published_state(session: Any, demo: Demo, version: Any) -> tuple[bool, bool, int]:
    session.rollback()
    session.expire_all()
    return (version.is_published, (demo.root / PUBLISHED).exists(), count(session, "File"))


def test_publish_committed_before_the_drop_is_kept(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, v = saved
    fired = drop_at_commit(monkeypatch, session, "publish:placed", "after")
    report = publish(host, v, session=session, pm=pm)
    assert fired == ["after"]
    assert report.published and report.published_paths == [demo.root / PUBLISHED]
    assert [f.full_path for f in report.outputs] == [f"$REPORTP/{PUBLISHED}"]
    assert journals(demo.root) == []
    assert published_state(session, demo, v) == (True, True, 1)


def test_publish_not_committed_is_undone(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, v = saved
    drop_at_commit(monkeypatch, session, "publish:placed", "before")
    with pytest.raises(DatabaseUnavailableError, match=r"publish of version .* was undone"):
        publish(host, v, session=session, pm=pm)
    assert journals(demo.root) == []
    assert published_state(session, demo, v) == (False, False, 0)


@pytest.mark.parametrize("when", ["after", "before"])
def test_publish_unknown_keeps_files_and_journal_for_the_next_publish(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch, when: str,
) -> None:
    host, v = saved
    drop_at_commit(monkeypatch, session, "publish:placed", when)
    check_fails(monkeypatch)
    with pytest.raises(DatabaseUnavailableError, match=r"outcome of the publish .* is unknown"):
        publish(host, v, session=session, pm=pm)
    assert (demo.root / PUBLISHED).is_file()
    assert len(journals(demo.root)) == 1
    monkeypatch.undo()
    retry: Callable[[], Any] = lambda: publish(host, v, session=session, pm=pm)  # noqa: E731
    if when == "after":
        with pytest.raises(PublishError, match="already published"):
            retry()
        # the next publish into that folder finishes it: the published file stays
        host.edit()
        v2 = save_as_version(host, demo.comp, session=session, pm=pm)
        assert publish(host, v2, session=session, pm=pm).published
        assert published_state(session, demo, v) == (True, True, 2)
    else:
        assert retry().published
        assert published_state(session, demo, v) == (True, True, 1)
    assert journals(demo.root) == []


def test_check_of_a_server_that_never_answers_gives_up(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite is asked directly: a local file does not hang")
    import threading
    import time

    release = threading.Event()

    def hangs(_session: Any) -> Any:
        release.wait(5)
        raise DatabaseUnavailableError("late")

    monkeypatch.setattr(in_doubt, "_connect", hangs)
    monkeypatch.setattr(in_doubt, "CHECK_TIMEOUT", 0.2)
    start = time.monotonic()
    answer, why = in_doubt.was_committed(session, lambda conn: True)
    release.set()
    assert answer is None and isinstance(why, TimeoutError)
    assert "did not answer within" in str(why) and time.monotonic() - start < 1.0
