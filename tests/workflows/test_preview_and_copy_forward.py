"""preview_save (what a save would make, nothing written) and open_as_new_version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo, files_under

from stalker_core.exceptions import UnsavedChangesError, WorkfileError
from stalker_core.testing import FakeHost
from stalker_core.workflows import save_as_version
from stalker_core.workflows.open import open_as_new_version
from stalker_core.workflows.save import preview_save, save_problems


def _count(session: Any, task: Any) -> int:
    from stalker_core.models import Version

    return int(session.scalar(
        select(func.count()).select_from(Version).where(Version.task_id == task.id)
    ) or 0)


def test_the_preview_is_what_the_save_then_makes(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    save_as_version(host, demo.comp, session=session, pm=pm)
    preview = preview_save(demo.comp, host=host, session=session, pm=pm)
    assert preview.can_save and (preview.number, preview.latest) == (2, 1)
    before = files_under(demo.root)
    assert not session.new and not session.dirty  # nothing left in the session
    assert _count(session, demo.comp) == 1 and files_under(demo.root) == before
    version = save_as_version(host, demo.comp, session=session, pm=pm)
    assert (version.version_number, version.path, version.filename) == (
        preview.number, preview.path, preview.filename,
    )
    assert version.absolute_full_path == preview.absolute_full_path


def test_the_preview_reads_the_stored_maximum_again(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Task
    from stalker_core.orm.session import StalkerSession

    assert preview_save(demo.comp, host=host, session=session, pm=pm).number == 1
    other = StalkerSession(bind=session.get_bind(), expire_on_commit=False)
    try:
        save_as_version(FakeHost(), other.get(Task, demo.comp.id), session=other, pm=pm)
    finally:
        other.close()
    session.rollback()  # a new transaction: the other writer's row is visible
    assert preview_save(demo.comp, host=host, session=session, pm=pm).number == 2


def test_the_preview_without_a_host_renders_without_extension(
    session: Any, demo: Demo, pm: Any
) -> None:
    preview = preview_save(demo.comp, "Alt", session=session, pm=pm)
    assert preview.filename == "SH001_comp_Alt_v001"
    bad = preview_save(demo.comp, extension="ma", session=session, pm=pm)
    assert bad.problems == ("extension should look like '.ext', not 'ma'",)


def test_save_problems_of_a_leaf_task_are_none(session: Any, demo: Demo) -> None:
    assert save_problems(demo.comp) == []
    assert save_problems(demo.shot) == [
        "SH001 is a container of 2 task(s); save versions on one of the tasks inside it"
    ]


def test_open_as_new_version_copies_forward_with_the_parent_set(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    first = save_as_version(host, demo.comp, description="v1", session=session, pm=pm)
    host.edit("more work")
    save_as_version(host, demo.comp, session=session, pm=pm)
    result = open_as_new_version(host, first, session=session, pm=pm)
    new = result.version
    assert (new.version_number, new.parent, new.description) == (
        3, first, "copied forward from v001",
    )
    assert result.path == Path(new.absolute_full_path) == host.current_file()
    assert "more work" not in result.path.read_text()  # v001's scene went forward, not v002's


def test_open_as_new_version_checks_unsaved_changes(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    first = save_as_version(host, demo.comp, session=session, pm=pm)
    host.edit("unsaved")
    with pytest.raises(UnsavedChangesError):
        open_as_new_version(host, first, session=session, pm=pm)
    assert _count(session, demo.comp) == 1


def test_a_failed_copy_leaves_the_old_file_open_and_nothing_written(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    first = save_as_version(host, demo.comp, session=session, pm=pm)
    before = files_under(demo.root)
    host.inject_fault("save_file", OSError(28, "No space left on device"), partial=True)
    with pytest.raises(WorkfileError, match="No space left"):
        open_as_new_version(host, first, session=session, pm=pm)
    assert host.current_file() == Path(first.absolute_full_path)
    assert _count(session, demo.comp) == 1 and files_under(demo.root) == before
