"""Failures outside stalker_core's code become its own errors, and leave no trace (both DBs).

Names longer than the file system allows, a database that refuses the write
(disk full), a host whose scene metadata calls fail or return wrong types.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from wf_helpers import Demo, files_under

from stalker_core.exceptions import DatabaseError, WorkfileError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import journal, preview_save, save_as_version


def count_versions(session: Any) -> int:
    from stalker_core.models import Version

    session.rollback()
    return int(session.scalar(select(func.count()).select_from(Version)))


def set_path_template(session: Any, path: str) -> None:
    from stalker_core.models import FilenameTemplate

    for tmpl in session.scalars(select(FilenameTemplate)):
        tmpl.path = "$REPO{{project.repository.code}}/" + path
    session.commit()


@pytest.mark.parametrize("path, expected", [
    ("c" * 300, r"the name 'c+'\.\.\. in .* is 300 bytes long; .* allows 255"),
    ("/".join(["d" * 200] * 30), r"the path .* is \d+ bytes long; .* allows 4095"),
])
def test_too_long_path_is_refused_by_preview_and_save(
    session: Any, demo: Demo, host: FakeHost, pm: Any, path: str, expected: str
) -> None:
    set_path_template(session, path)
    preview = preview_save(demo.comp, host=host, session=session, pm=pm)
    assert not preview.can_save
    assert any(re.search(expected, p) for p in preview.problems)
    with pytest.raises(WorkfileError, match=r"cannot save version 1: " + expected):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


def full() -> OperationalError:
    return OperationalError("INSERT INTO versions", {}, sqlite3.OperationalError(
        "database or disk is full"))


def test_database_full_while_numbering_is_a_database_error(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stalker_core.models.version import numbering

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise full()

    monkeypatch.setattr(numbering, "reserve_version", refuse)
    with pytest.raises(DatabaseError, match=r"refused the new version of task 'comp': "
                                            r"database or disk is full; free space") as err:
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert isinstance(err.value.__cause__, OperationalError)
    assert count_versions(session) == 0


def test_database_full_at_commit_is_a_database_error_and_undone(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = session.commit

    def refuse() -> None:
        monkeypatch.setattr(session, "commit", real)
        raise full()

    def hook(point: str) -> None:
        if point == "save:written":
            monkeypatch.setattr(session, "commit", refuse)

    monkeypatch.setattr(journal, "FAULT_HOOK", hook)
    with pytest.raises(DatabaseError, match="refused the commit: database or disk is full"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


class BadMetadata(FakeHost):
    def __init__(self, returns: Any) -> None:
        super().__init__()
        self.returns = returns

    def get_scene_metadata(self) -> Any:
        return self.returns


@pytest.mark.parametrize("host_made, expected", [
    (lambda: BadMetadata(None), r"get_scene_metadata must return a dict of str to str, "
                                r"not NoneType"),
    (lambda: BadMetadata({"stalker_version_id": 5}), r"must return a dict of str to str"),
    (lambda: _faulty("get_scene_metadata"), r"could not read the scene's metadata: "
                                            r"RuntimeError: cannot read fileInfo"),
    (lambda: _faulty("set_scene_metadata"), r"could not write the scene's metadata: "
                                            r"RuntimeError: cannot read fileInfo"),
])
def test_host_metadata_failures_are_workfile_errors(
    session: Any, demo: Demo, pm: Any, host_made: Any, expected: str
) -> None:
    bad = host_made()
    with pytest.raises(WorkfileError, match=rf"host 'fake'.*{expected}"):
        save_as_version(bad, demo.comp, session=session, pm=pm)
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


def _faulty(method: str) -> FakeHost:
    host = FakeHost()
    host.inject_fault(method, RuntimeError("cannot read fileInfo"), times=None)
    return host



def test_name_held_by_another_version_says_which(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    from stalker_core.models import FilenameTemplate

    for tmpl in session.scalars(select(FilenameTemplate)):
        tmpl.filename = "comp_work"  # no number: every version gets the same name
    session.commit()
    v1 = save_as_version(host, demo.comp, session=session, pm=pm)
    host.edit()
    with pytest.raises(WorkfileError) as err:
        save_as_version(host, demo.comp, session=session, pm=pm)
    message = str(err.value)
    assert f"is the work file of version 1 of task 'comp' (take 'Main', id {v1.id})" in message
    assert "without a version" not in message
    assert count_versions(session) == 1
