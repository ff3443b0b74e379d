"""save_as_version: numbering, paths, hooks, and no trace left on any failure (both DBs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo, files_under

from stalker_core.exceptions import PluginError, ValidationError, VetoError, WorkfileError
from stalker_core.hosts import VERSION_ID_KEY
from stalker_core.plugins import hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version


def count_versions(session: Any) -> int:
    from stalker_core.models import Version

    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(Version)))


def test_save_creates_committed_version_and_file(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    host.edit("first")
    v = save_as_version(host, demo.comp, description="blocking", user=demo.user,
                        session=session, pm=pm)
    path = Path(v.absolute_full_path)
    assert v.version_number == 1 and v.take_name == "Main"
    assert path == demo.root / "TP/SH001/comp/SH001_comp_Main_v001.fake"
    assert path.is_file() and "first" in json.loads(path.read_text())["content"]
    assert v.created_with == "fake" and v.created_by is demo.user
    assert v.description == "blocking"
    assert host.current_file() == path and host.has_unsaved_changes() is False
    assert host.get_scene_metadata()[VERSION_ID_KEY] == str(v.id)
    session.rollback()  # the version is committed: a rollback keeps it
    assert count_versions(session) == 1


def test_second_save_numbers_and_parents(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    v1 = save_as_version(host, demo.comp, session=session, pm=pm)
    host.edit()
    v2 = save_as_version(host, demo.comp, session=session, pm=pm)
    assert (v1.version_number, v2.version_number) == (1, 2)
    assert v2.parent is v1
    assert Path(v1.absolute_full_path).is_file() and Path(v2.absolute_full_path).is_file()
    other = save_as_version(host, demo.comp, take_name="Alt", session=session, pm=pm)
    assert other.version_number == 1 and other.parent is v2  # made from the open scene


def test_extension_override(session: Any, demo: Demo, host: FakeHost, pm: Any) -> None:
    v = save_as_version(host, demo.comp, extension=".json", session=session, pm=pm)
    assert v.filename.endswith("_v001.json") and Path(v.absolute_full_path).is_file()


def test_bad_extension_refused(session: Any, demo: Demo, host: FakeHost, pm: Any) -> None:
    with pytest.raises(ValueError, match="extension"):
        save_as_version(host, demo.comp, extension="json", session=session, pm=pm)
    assert count_versions(session) == 0


def test_not_a_host_refused(session: Any, demo: Demo, pm: Any) -> None:
    with pytest.raises(TypeError, match="object lacks name, workfile_extensions, current_file"):
        save_as_version(object(), demo.comp, session=session, pm=pm)  # type: ignore[arg-type]


class Vetoer:
    def __init__(self) -> None:
        self.seen: list[Path] = []

    @hookimpl
    def stalker_workfile_before_save(self, version: Any, path: Path) -> None:
        self.seen.append(path)
        raise VetoError(f"{version.task.name} is locked for review")


@pytest.mark.parametrize("code", ["CMPL", "STOP"])
def test_a_closed_task_takes_no_version(
    session: Any, demo: Demo, host: FakeHost, pm: Any, code: str
) -> None:
    from stalker_core.models.task.status import get_status

    demo.comp.status = get_status(session, code)
    session.commit()
    before = files_under(demo.root)
    with pytest.raises(ValidationError, match=rf"no version saved: .*comp is closed .*{code}.*"
                                              "reopened"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert count_versions(session) == 0 and files_under(demo.root) == before
    assert host.called("save_file") == []


def test_before_save_veto_leaves_nothing(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    vetoer = Vetoer()
    pm.register(vetoer, name="vetoer")
    before = files_under(demo.root)
    with pytest.raises(VetoError, match="locked for review") as info:
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert info.value.plugin == "vetoer"  # type: ignore[attr-defined]
    assert vetoer.seen and not vetoer.seen[0].exists()
    assert not (demo.root / "TP").exists()  # folders made for the save are gone
    assert files_under(demo.root) == before
    assert host.called("save_file") == []
    assert count_versions(session) == 0
    assert host.get_scene_metadata().get(VERSION_ID_KEY, "") == ""


def test_host_save_failing_halfway_leaves_nothing(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    save_as_version(host, demo.comp, session=session, pm=pm)
    before = {p: p.read_bytes() for p in demo.root.rglob("*") if p.is_file()}
    host.edit()
    host.inject_fault("save_file", OSError(28, "No space left on device"), partial=True)
    with pytest.raises(WorkfileError, match="No space left"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    after = {p: p.read_bytes() for p in demo.root.rglob("*") if p.is_file()}
    assert after == before  # the truncated v002 is gone, v001 untouched
    assert count_versions(session) == 1


class Raiser:
    def __init__(self, hook_name: str) -> None:
        self.hook_name = hook_name

    @hookimpl
    def stalker_workfile_after_save(self, path: Path) -> None:
        assert path.is_file()
        raise RuntimeError("thumbnail server down")


def test_plugin_raising_after_save_rolls_back(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    pm.register(Raiser("after"), name="thumbnails")
    with pytest.raises(PluginError, match="plugin 'thumbnails' raised in "
                       "stalker_workfile_after_save: RuntimeError: thumbnail server down"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert files_under(demo.root) == set()
    assert count_versions(session) == 0


def test_stray_file_is_never_overwritten(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    stray = demo.root / "TP/SH001/comp/SH001_comp_Main_v001.fake"
    stray.parent.mkdir(parents=True)
    stray.write_text("precious work of another tool")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert v.version_number == 2
    assert stray.read_text() == "precious work of another tool"
    assert Path(v.absolute_full_path).name == "SH001_comp_Main_v002.fake"


def test_commit_failure_removes_file(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_commit() -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(session, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="connection lost"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    monkeypatch.undo()
    assert files_under(demo.root) == set()
    assert count_versions(session) == 0


def test_hooks_receive_context(session: Any, demo: Demo, host: FakeHost, pm: Any) -> None:
    seen: dict[str, Any] = {}

    class Spy:
        @hookimpl
        def stalker_workfile_before_save(self, context: Any, host: Any) -> None:
            seen["before"] = (context.project, context.task, context.user, host)

        @hookimpl
        def stalker_workfile_after_save(self, context: Any, version: Any) -> None:
            seen["after"] = (context.version, version)

    pm.register(Spy(), name="spy")
    v = save_as_version(host, demo.comp, user="artist", session=session, pm=pm)
    assert seen["before"] == (demo.project, demo.comp, demo.user, host)
    assert seen["after"] == (v, v)
