"""open_version, update_references and the reference validators (both DBs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo

from stalker_core.exceptions import UnsavedChangesError, VetoError, WorkfileError
from stalker_core.plugins import hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import (
    find_outdated,
    open_version,
    publish,
    save_as_version,
    update_references,
    validate,
)


def published_model_versions(session: Any, demo: Demo, pm: Any, n: int = 2) -> list[Any]:
    """``n`` published versions of the model task."""
    host = FakeHost(capabilities=())  # a model needs no capability; publish falls back
    out = []
    for i in range(n):
        host.edit(f"model {i}")
        v = save_as_version(host, demo.model, session=session, pm=pm)
        publish(host, v, session=session, pm=pm)
        out.append(v)
    return out


def test_open_refuses_unsaved_changes(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost()
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    host.new_file()
    host.edit("precious")
    with pytest.raises(UnsavedChangesError, match="never saved.*has unsaved changes.*force=True"):
        open_version(host, v, session=session, pm=pm)
    assert host.called("open_file") == []
    result = open_version(host, v, force=True, session=session, pm=pm)
    assert host.current_file() == Path(v.absolute_full_path) == result.path
    assert result.checks == []


def test_open_unknown_dirtiness_is_refused_by_default(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost(knows_changes=False)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    with pytest.raises(UnsavedChangesError, match="may have unsaved changes"):
        open_version(host, v, session=session, pm=pm)
    open_version(host, v, session=session, pm=pm, unknown_is_dirty=False)


def test_open_missing_file(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost()
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    Path(v.absolute_full_path).unlink()
    with pytest.raises(WorkfileError, match="is missing"):
        open_version(host, v, session=session, pm=pm)


def test_before_open_veto(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost()
    v = save_as_version(host, demo.comp, session=session, pm=pm)

    class Lock:
        @hookimpl
        def stalker_workfile_before_open(self, path: Path) -> None:
            raise VetoError(f"{path.name} is opened by another artist")

    pm.register(Lock(), name="locks")
    host.new_file()
    with pytest.raises(VetoError, match="opened by another artist"):
        open_version(host, v, session=session, pm=pm)
    assert host.current_file() is None


def test_after_open_reports_outdated_references_with_fix(
    session: Any, demo: Demo, pm: Any
) -> None:
    m1, m2 = published_model_versions(session, demo, pm)
    host = FakeHost()
    host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    comp = save_as_version(host, demo.comp, session=session, pm=pm)
    host.new_file()
    result = open_version(host, comp, session=session, pm=pm)
    [check] = result.checks
    assert check.title == "Outdated references" and check.plugin == "stalker_core.workflows.builtin"
    assert "v001 -> v002" in check.message and check.severity == "warning"
    assert check.fix is not None
    check.fix()
    [ref] = host.list_references()
    assert ref.version_id == m2.id and ref.path == Path(m2.absolute_full_path)


def test_update_references_honours_locks_and_subset(
    session: Any, demo: Demo, pm: Any
) -> None:
    m1, m2 = published_model_versions(session, demo, pm)
    host = FakeHost()
    a = host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    b = host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    c = host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    host.lock_reference(b)
    assert len(find_outdated(host, session=session)) == 3

    report = update_references(host, subset=[a.name, b.name], session=session, pm=pm)
    assert [u[0].name for u in report.updated] == [a.name]
    assert [x.name for x in report.locked] == [b.name]
    refs = {r.name: r for r in host.list_references()}
    assert refs[a.name].version_id == m2.id
    assert refs[b.name].version_id == m1.id and refs[c.name].version_id == m1.id

    report = update_references(host, session=session, pm=pm)
    assert [u[0].name for u in report.updated] == [c.name]
    assert [x.name for x in report.up_to_date] == [a.name]


def test_update_references_veto_keeps_one(session: Any, demo: Demo, pm: Any) -> None:
    m1, m2 = published_model_versions(session, demo, pm)
    host = FakeHost()
    a = host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)

    class Keep:
        @hookimpl
        def stalker_references_before_update(self, container: Any) -> None:
            raise VetoError("approved look, keep it")

    pm.register(Keep(), name="keep")
    report = update_references(host, session=session, pm=pm)
    assert report.vetoed == [(a, "approved look, keep it")] and report.updated == []


def test_latest_target_includes_unpublished(session: Any, demo: Demo, pm: Any) -> None:
    (m1,) = published_model_versions(session, demo, pm, n=1)
    mh = FakeHost()
    m2 = save_as_version(mh, demo.model, session=session, pm=pm)  # not published
    host = FakeHost()
    host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    assert find_outdated(host, session=session) == []
    [s] = find_outdated(host, "latest", session=session)
    assert s.latest is m2


def test_reference_validator_blocks_outdated_and_unpublished(
    session: Any, demo: Demo, pm: Any
) -> None:
    m1, m2 = published_model_versions(session, demo, pm)
    mh = FakeHost()
    m3 = save_as_version(mh, demo.model, session=session, pm=pm)  # unpublished
    host = FakeHost(frame_range=(1001, 1050))
    host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    host.load_reference(Path(m3.absolute_full_path), version_id=m3.id)
    locked = host.load_reference(Path(m1.absolute_full_path), version_id=m1.id)
    host.lock_reference(locked)
    comp = save_as_version(host, demo.comp, session=session, pm=pm)
    report = validate(host, comp, session=session, pm=pm)
    got = sorted((r.title, r.severity) for r in report.results)
    assert got == [
        ("Outdated reference", "error"),
        ("Outdated reference", "warning"),
        ("Unpublished reference", "error"),
    ]
    assert all(r.plugin == "publish.references" for r in report.results)
    assert m2.is_published


def test_reference_without_version_warns(session: Any, demo: Demo, pm: Any, tmp_path: Path) -> None:
    loose = tmp_path / "loose.fake"
    FakeHost().save_file(loose)
    host = FakeHost(frame_range=(1001, 1050))
    host.load_reference(loose)
    comp = save_as_version(host, demo.comp, session=session, pm=pm)
    report = validate(host, comp, session=session, pm=pm)
    assert [(r.title, r.severity) for r in report.results] == [("Unknown reference", "warning")]
