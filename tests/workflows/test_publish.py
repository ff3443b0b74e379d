"""publish: stages, validation as data, repair, all-or-nothing integration (both DBs)."""

from __future__ import annotations

import errno
import logging
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo, files_under

from stalker_core.exceptions import (
    IntegrationError,
    PluginError,
    PublishError,
    PublishValidationError,
    VetoError,
)
from stalker_core.plugins.api import PublishReport, ValidationResult, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import (
    FileTransaction,
    publish,
    repair,
    save_as_version,
    validate,
)
from stalker_core.workflows import transaction as tx_module


def count_files(session: Any) -> int:
    from stalker_core.models import File

    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(File)))


@pytest.fixture
def saved(session: Any, demo: Demo, pm: Any) -> tuple[FakeHost, Any]:
    host = FakeHost(frame_range=(1001, 1050))
    host.edit("comp work")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    return host, v


def test_publish_success_registers_outputs(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    report = publish(host, v, session=session, pm=pm)
    published = demo.root / "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"
    assert report.published and report.ok
    assert report.published_paths == [published]
    assert published.read_bytes() == Path(v.absolute_full_path).read_bytes()
    session.expire_all()
    assert v.is_published
    assert [f.full_path for f in v.outputs] == ["$REPORTP/TP/SH001/comp/publish/" + published.name]
    assert [i.name for i in report.items] == ["workfile"]
    assert not any(p.name.startswith(".stalker-staging") for p in published.parent.iterdir())


def test_publish_twice_refused(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    publish(host, v, session=session, pm=pm)
    with pytest.raises(PublishError, match="already published"):
        publish(host, v, session=session, pm=pm)


def test_publishing_a_version_that_is_not_open_fails_clearly(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v1 = saved
    host.edit()
    save_as_version(host, demo.comp, session=session, pm=pm)  # the scene is now v002
    before = files_under(demo.root)
    with pytest.raises(PublishValidationError) as info:
        publish(host, v1, session=session, pm=pm)
    titles = {r.title for r in info.value.results}
    assert {"Not the version being published", "Wrong file"} <= titles
    assert "open that version first" in str(info.value)
    assert files_under(demo.root) == before
    session.expire_all()
    assert not v1.is_published and count_files(session) == 0


def test_unsaved_changes_fail_validation(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    host.edit("not saved")
    report = validate(host, v, session=session, pm=pm)
    assert [r.title for r in report.errors] == ["Unsaved changes"]
    r = report.errors[0]
    assert r.plugin == "publish.unsaved_changes" and r.item == "workfile" and r.severity == "error"
    assert r.check == "unsaved_changes"
    assert report.overridden == {} and report.skipped == []


def test_frame_range_repair_then_revalidate(
    session: Any, demo: Demo, pm: Any
) -> None:
    host = FakeHost(frame_range=(1, 24), fps=24.0)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    report = validate(host, v, session=session, pm=pm)
    by_title = {r.title: r for r in report.errors}
    assert set(by_title) == {"Frame range", "Frame rate"}
    message = by_title["Frame range"].message
    assert "1-24" in message and "1001-1050" in message
    assert repair(report.results) == []
    assert host.get_frame_range() == (1001, 1050) and host.get_fps() == 25.0
    again = validate(host, v, session=session, pm=pm)
    assert [r.title for r in again.errors] == ["Unsaved changes"]  # repaired, must be saved


def test_auto_repair_publishes_when_repairs_suffice(
    session: Any, demo: Demo, pm: Any, tmp_path: Path
) -> None:
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)

    fixed = []

    class Checker:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[ValidationResult]:
            if fixed:
                return []
            return [ValidationResult("Naming", "bad node names", repair=lambda: fixed.append(1))]

    pm.register(Checker(), name="naming")
    with pytest.raises(PublishValidationError, match="Naming: bad node names"):
        publish(host, v, session=session, pm=pm)
    report = publish(host, v, session=session, pm=pm, auto_repair=True)
    assert report.published and fixed == [1]


def test_validation_failure_stops_before_extraction(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    extracted = []

    class Blocker:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[ValidationResult]:
            return [ValidationResult("Blocked", "always fails", severity="error")]

        @hookimpl
        def stalker_publish_extract(self, item: Any, staging_dir: Path) -> None:
            extracted.append(item)

    pm.register(Blocker(), name="blocker")
    with pytest.raises(PublishValidationError) as info:
        publish(host, v, session=session, pm=pm)
    assert extracted == []
    assert [(r.plugin, r.title) for r in info.value.results] == [("blocker", "Blocked")]


def test_warnings_do_not_stop_publish(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved

    class Warner:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[ValidationResult]:
            return [ValidationResult("Heavy", "scene is large", severity="warning")]

    pm.register(Warner(), name="warner")
    report = publish(host, v, session=session, pm=pm)
    assert report.published and [r.title for r in report.results] == ["Heavy"]


@pytest.mark.parametrize("fail_at", [1, 2])
def test_disk_full_during_integration_rolls_back_everything(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch, fail_at: int,
) -> None:
    """Second file fails (at staging or at placement): nothing placed remains, DB unchanged."""
    host, v = saved

    class Extra:
        @hookimpl
        def stalker_publish_extract(self, item: Any, staging_dir: Path) -> list[Any]:
            from stalker_core.workflows import Representation

            p = staging_dir / "preview.txt"
            p.write_text("preview")
            return [Representation("preview", p)]

    pm.register(Extra(), name="extra")
    before = files_under(demo.root)
    calls = {"n": 0}
    real_copy, real_link = tx_module._copy_file, tx_module._link

    def copy(src: Path, dst: Path) -> None:
        calls["n"] += 1
        if fail_at == 1 and calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real_copy(src, dst)

    def link(src: Path, dst: Path) -> None:
        if fail_at == 2 and dst.name == "preview.txt":
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real_link(src, dst)

    monkeypatch.setattr(tx_module, "_copy_file", copy)
    monkeypatch.setattr(tx_module, "_link", link)
    with pytest.raises(IntegrationError, match="No space left on device; nothing was published"):
        publish(host, v, session=session, pm=pm)
    assert files_under(demo.root) == before
    assert not (demo.root / "TP/SH001/comp/publish").exists()
    session.expire_all()
    assert not v.is_published and count_files(session) == 0


def test_permission_error_during_integration(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, v = saved

    def denied(src: Path, dst: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(tx_module, "_copy_file", denied)
    with pytest.raises(IntegrationError, match="Permission denied"):
        publish(host, v, session=session, pm=pm)
    session.expire_all()
    assert not v.is_published and count_files(session) == 0


def test_existing_published_file_is_never_overwritten(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    target = demo.root / "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"
    target.parent.mkdir(parents=True)
    target.write_text("someone else's publish")
    with pytest.raises(IntegrationError, match="refusing to overwrite"):
        publish(host, v, session=session, pm=pm)
    assert target.read_text() == "someone else's publish"
    session.expire_all()
    assert not v.is_published


def test_db_commit_failure_removes_placed_files(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, v = saved
    before = files_under(demo.root)

    def broken() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(session, "commit", broken)
    with pytest.raises(RuntimeError, match="went away"):
        publish(host, v, session=session, pm=pm)
    monkeypatch.undo()
    assert files_under(demo.root) == before
    session.expire_all()
    assert not v.is_published and count_files(session) == 0


def test_plugin_raising_in_extractor(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved

    class Broken:
        @hookimpl
        def stalker_publish_extract(self, item: Any, staging_dir: Path) -> None:
            (staging_dir / "half.abc").write_text("half")
            raise ZeroDivisionError("bad maths")

    pm.register(Broken(), name="alembic")
    before = files_under(demo.root)
    with pytest.raises(PluginError, match="plugin 'alembic' raised in stalker_publish_extract"):
        publish(host, v, session=session, pm=pm)
    assert files_under(demo.root) == before
    session.expire_all()
    assert not v.is_published


def test_after_publish_runs_every_notifier_and_reports_each_failure(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    host, v = saved
    notified: list[str] = []

    class Notifier:
        def __init__(self, name: str, error: Exception | None = None) -> None:
            self.name, self.error = name, error

        @hookimpl
        def stalker_publish_after(self, version: Any, report: PublishReport) -> None:
            assert report.published and version.is_published
            notified.append(self.name)
            if self.error is not None:
                raise self.error

    pm.register(Notifier("chat", ConnectionError("chat server down")), name="chat")
    pm.register(Notifier("mail"), name="mail")
    pm.register(Notifier("tracker", VetoError("tracker is read-only")), name="tracker")
    published = demo.root / "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"
    with caplog.at_level(logging.WARNING, logger="stalker_core.workflows.publish"):
        report = publish(host, v, session=session, pm=pm)
    # every notifier ran (most recently registered first), the failing ones did not stop it
    assert notified == ["tracker", "mail", "chat"]
    assert [(f.plugin, f.hook, type(f.error)) for f in report.failures] == [
        ("tracker", "stalker_publish_after", VetoError),
        ("chat", "stalker_publish_after", ConnectionError),
    ]
    assert report.warnings == [
        "plugin 'tracker' raised in stalker_publish_after: VetoError: tracker is read-only",
        "plugin 'chat' raised in stalker_publish_after: ConnectionError: chat server down",
    ]
    assert [r.getMessage() for r in caplog.records] == [
        f"{w} (the publish of version {v.id} is kept)" for w in report.warnings
    ]
    # the committed publish is kept
    assert report.published and published.is_file()
    session.expire_all()
    assert v.is_published and len(v.outputs) == 1


def test_after_publish_without_failures_reports_none(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    report = publish(host, v, session=session, pm=pm)
    assert report.published and report.failures == [] and report.warnings == []


def test_a_wrapper_around_validation_keeps_the_attribution(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    """A studio wrapper turns one plugin's errors into warnings; the publish goes on."""
    host, v = saved
    seen: list[list[str]] = []

    class Blocker:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[ValidationResult]:
            return [ValidationResult("Naming", "not the studio's naming", severity="error")]

    class Lenient:
        @hookimpl(wrapper=True)
        def stalker_publish_validate(
            self, item: Any
        ) -> Generator[None, list[list[ValidationResult]], list[list[ValidationResult]]]:
            found = yield
            seen.append([r.title for results in found for r in results])
            for results in found:
                for r in results:
                    if r.title == "Naming":
                        r.severity = "warning"
            return found

    pm.register(Blocker(), name="blocker")
    pm.register(Lenient(), name="lenient")
    report = publish(host, v, session=session, pm=pm)
    assert seen == [["Naming"]]
    assert report.published
    assert [(r.plugin, r.item, r.severity) for r in report.results] == [
        ("blocker", "workfile", "warning")
    ]


def test_nothing_collected_is_an_error(session: Any, demo: Demo, saved: Any) -> None:
    from stalker_core.plugins import get_plugin_manager

    host, v = saved
    bare = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    with pytest.raises(PublishError, match="no publish collector"):
        publish(host, v, session=session, pm=bare)


def test_file_transaction_unit(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("A")
    tx = FileTransaction()
    tx.add(src, tmp_path / "out" / "deep" / "a.txt")
    with pytest.raises(IntegrationError, match="two files"):
        tx.add(src, tmp_path / "out" / "deep" / "a.txt")
    with pytest.raises(IntegrationError, match="absolute"):
        tx.add(src, "relative.txt")
    placed = tx.commit()
    assert placed[0].read_text() == "A"
    tx.rollback()
    assert not (tmp_path / "out").exists()
