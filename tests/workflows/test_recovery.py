"""Recovery of killed saves and publishes: kill -9 at every fault point, then carry on (both DBs).

The child processes (crash_worker.py) are killed with SIGKILL at the points of
:data:`stalker_core.testing.faults.POINTS`; the next publish (or save) of the
same version must succeed and leave no journal, staging folder, temporary
folder or ``.saving`` file behind.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import publish_helpers
import pytest
from recovery_helpers import leftovers, run_killed
from wf_helpers import Demo

from stalker_core.exceptions import PublishError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.testing.faults import POINTS
from stalker_core.workflows import publish, save_as_version
from stalker_core.workflows.journal import TEMP_PREFIX, Journal, Owner, host_name
from stalker_core.workflows.reconcile import reconcile

PUBLISHED = "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"
saved = publish_helpers.saved


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The id of a process that runs for the duration of the test."""
    proc = subprocess.Popen(["sleep", "120"])
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def _temp_leftovers_of(pid: int) -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir())
            if n.startswith(TEMP_PREFIX) and f".{pid}." in n]


def _foreign_journal(dest: Path, version_id: int, owner: Owner) -> Journal:
    """A journal of a publish by ``owner`` that placed ``dest`` (written, with ``dest``)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("half a publish")
    journal = Journal(
        "publish", version_id=version_id, token=f"{owner.host}.{owner.pid}.0123abcd",
        host=owner.host, pid=owner.pid, started=owner.started, phase="placing",
        files=[str(dest)], inodes={str(dest): dest.stat().st_ino}, folders=[str(dest.parent)],
        staging=[str(dest.parent / f".stalker-staging-{owner.host}.{owner.pid}.0123abcd")],
    )
    Path(journal.staging[0]).mkdir()
    journal.write()
    return journal


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS["publish"])
def test_publish_killed_at_any_point_then_the_next_publish_succeeds(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], point: str
) -> None:
    host, v = saved
    pid = run_killed(session, "publish", v.id, point)
    published = demo.root / PUBLISHED
    session.expire_all()
    if point == "publish:committed":
        assert v.is_published and published.is_file()
        found = reconcile(session, [published.parent])  # what the next publish there runs
        assert [f.state for f in found if f.what == "publish journal"] == ["completed"]
    else:
        assert not v.is_published
        report = publish(host, v, session=session, pm=pm)
        assert report.published and report.published_paths == [published]
    assert published.read_bytes() == Path(v.absolute_full_path).read_bytes()
    assert leftovers(demo.root) == []
    assert _temp_leftovers_of(pid) == []


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS["save"])
def test_save_killed_at_any_point_then_the_next_save_cleans_up(
    session: Any, demo: Demo, pm: Any, host: FakeHost, point: str
) -> None:
    from stalker_core.models import Version

    run_killed(session, "save", demo.comp.id, point)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    committed = point == "save:committed"
    assert v.version_number == (2 if committed else 1)
    assert leftovers(demo.root) == []
    session.expire_all()
    rows = session.query(Version).filter_by(task_id=demo.comp.id).all()
    folder = Path(v.absolute_path)
    on_disk = {p.name for p in folder.iterdir() if p.is_file()}
    assert on_disk == {r.filename for r in rows}  # no placeholder, no half-written file


def test_a_publish_still_running_elsewhere_is_left_alone(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], live_pid: int
) -> None:
    host, v = saved
    dest = demo.root / PUBLISHED
    _foreign_journal(dest, v.id, Owner(host_name(), live_pid, time.time()))
    with pytest.raises(PublishError, match=f"still running.*stop process {live_pid}"):
        publish(host, v, session=session, pm=pm)
    assert dest.read_text() == "half a publish"  # someone else's: untouched
    session.rollback()
    session.expire_all()
    assert not v.is_published


def test_a_dead_publish_of_this_computer_is_undone_by_the_next_publish(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], dead_pid: int
) -> None:
    host, v = saved
    dest = demo.root / PUBLISHED
    _foreign_journal(dest, v.id, Owner(host_name(), dead_pid, time.time()))
    report = publish(host, v, session=session, pm=pm)
    assert report.published
    assert dest.read_bytes() == Path(v.absolute_full_path).read_bytes()
    assert leftovers(demo.root) == []


def test_another_computers_publish_needs_abandon_unless_stale(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    dest = demo.root / PUBLISHED
    journal = _foreign_journal(dest, v.id, Owner("renderbox-7", 4242, time.time()))
    with pytest.raises(PublishError, match=r"stalker doctor --abandon .*\.stalker-journal-"):
        publish(host, v, session=session, pm=pm)
    session.rollback()
    found = reconcile(session, [dest.parent], abandon=journal.paths)
    assert [f.state for f in found if f.what == "publish journal"] == ["undone"]
    assert not dest.exists() and leftovers(demo.root) == []
    # an old journal of another computer is stale: dead without being told
    _foreign_journal(dest, v.id, Owner("renderbox-7", 4242, time.time() - 3 * 86400))
    assert publish(host, v, session=session, pm=pm).published


def test_a_published_file_someone_registered_is_never_removed(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], dead_pid: int
) -> None:
    host, v = saved
    publish(host, v, session=session, pm=pm)
    dest = demo.root / PUBLISHED
    content = dest.read_bytes()
    journal = Journal("publish", version_id=v.id, token=f"{host_name()}.{dead_pid}.0123abcd",
                      host=host_name(), pid=dead_pid, phase="placing", files=[str(dest)],
                      inodes={str(dest): dest.stat().st_ino}, folders=[str(dest.parent)])
    journal.write()
    found = reconcile(session, [dest.parent])
    assert [f.state for f in found] == ["completed"]
    assert dest.read_bytes() == content and leftovers(demo.root) == []


def test_dry_run_changes_nothing_and_unknown_leftovers_stay(
    session: Any, demo: Demo, dead_pid: int
) -> None:
    folder = demo.root / "TP"
    folder.mkdir(parents=True, exist_ok=True)
    dead = folder / f".stalker-staging-{host_name()}.{dead_pid}.0123abcd"
    legacy = folder / ".stalker-staging-0123456789ab"  # no owner in its name
    dead.mkdir()
    legacy.mkdir()
    found = reconcile(session, [folder], dry_run=True, temp=False)
    assert {(f.path, f.state) for f in found} == {(dead, "would be removed"), (legacy, "unknown")}
    assert dead.is_dir()
    found = reconcile(session, [folder], temp=False)
    assert {(f.path, f.state) for f in found} == {(dead, "removed"), (legacy, "unknown")}
    assert not dead.exists() and legacy.is_dir()


def test_temporary_folders_of_dead_publishes_are_removed(session: Any, dead_pid: int) -> None:
    mine = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{host_name()}.{os.getpid()}.0123abcd-"))
    gone = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{host_name()}.{dead_pid}.0123abcd-"))
    try:
        found = [f.path for f in reconcile(session, []) if f.what == "temporary folder"]
        assert gone in found and mine not in found
        assert mine.is_dir() and not gone.exists()
    finally:
        mine.rmdir()


@pytest.mark.parametrize("linked", [True, False])
def test_a_save_killed_while_reserving_removes_only_its_own_placeholder(
    session: Any, demo: Demo, dead_pid: int, linked: bool
) -> None:
    folder = demo.root / "TP/SH001/comp"
    folder.mkdir(parents=True)
    work = folder / "SH001_comp_Main_v001.fake"
    journal = Journal("save", version_id=None, token=f"{host_name()}.{dead_pid}.0123abcd",
                      host=host_name(), pid=dead_pid, phase="reserving", files=[str(work)],
                      folders=[str(folder)])
    journal.write()
    marker = journal.paths[0].with_name(journal.name + ".reserve")
    marker.touch()
    if linked:
        os.link(marker, work)  # killed right after linking: the placeholder is ours
    else:
        work.touch()  # someone else's file: the link never happened
    found = reconcile(session, [folder], temp=False)
    assert [f.state for f in found] == ["undone"]
    assert work.exists() is not linked
    assert sorted(p.name for p in folder.iterdir()) == ([] if linked else [work.name])
