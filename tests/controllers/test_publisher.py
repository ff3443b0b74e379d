"""The Publisher controller: items, checks, repair, step-by-step runs, stop, report (both DBs)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import publish_helpers
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from stalker_standalone.host import StandaloneHost
from wf_helpers import Demo, files_under

from stalker_core.controllers.publisher import REPORT_FORMAT, PublisherController
from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version
from stalker_core.workflows.publish import RAISED_TITLE

BUILTIN_CHECKS = {  # that answer a saved scene (scene_saved answers None: not its business)
    "unsaved_changes", "version_match", "file_location", "frame_range", "fps",
    "references",
}


# the shared fixtures
saved = publish_helpers.saved
unreachable = publish_helpers.unreachable


def published_rows(session: Any) -> int:
    from stalker_core.models import File

    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(File)))


def is_published(session: Any, version_id: int) -> bool:
    from stalker_core.models import Version

    session.expire_all()
    return bool(session.get(Version, version_id).is_published)


def controller(host: Any, session: Any, pm: Any) -> PublisherController:
    ctl = PublisherController(host, session=session, plugin_manager=pm)
    ctl.load()
    return ctl


class Extras:
    """A studio plugin: a camera item, a warning check, a repairable naming check."""

    def __init__(self) -> None:
        self.validated: list[str] = []
        self.extracted: list[str] = []
        self.renamed = False

    @hookimpl
    def stalker_publish_collect(self, version: Any) -> list[PublishItem]:
        return [PublishItem("camera", "camera", version)]

    @hookimpl(specname="stalker_publish_validate")
    @check("studio.naming")
    def naming(self, item: PublishItem) -> list[ValidationResult]:
        self.validated.append(item.name)
        if item.name != "camera" or self.renamed:
            return []
        return [ValidationResult(
            "Node names", "2 nodes do not follow the studio naming", objects=("cam1", "cam2"),
            repair=lambda: setattr(self, "renamed", True), repair_label="Rename",
        )]

    @hookimpl(specname="stalker_publish_validate")
    @check("studio.size")
    def size(self, item: PublishItem) -> list[ValidationResult] | None:
        if item.name != "workfile":
            return None
        return [ValidationResult("Scene size", "the scene is large", severity="warning")]

    @hookimpl
    def stalker_publish_extract(self, item: PublishItem) -> None:
        self.extracted.append(item.name)


# --- loading -------------------------------------------------------------------------


def test_load_finds_the_version_of_the_open_scene(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    state = controller(host, session, pm).state()
    assert state.version_id == v.id and state.host == "fake"
    assert state.context == "TP / SH001 / comp, take Main, v001"
    assert state.can_validate and state.can_publish and not state.notice
    assert [s.state for s in state.stages] == ["unused"] * 4


def test_a_scene_never_saved_gets_a_clear_notice(session: Any, demo: Demo, pm: Any) -> None:
    ctl = controller(FakeHost(), session, pm)
    state = ctl.start("publish")
    assert "never been saved" in state.notice and "Save As Version" in state.notice
    assert state.version_id is None and not state.running
    assert not state.can_validate and not state.can_publish
    assert files_under(demo.root) == set()


def test_a_file_that_is_no_version_gets_a_clear_notice(
    session: Any, demo: Demo, pm: Any, tmp_path: Path
) -> None:
    loose = tmp_path / "notes.txt"
    loose.write_text("not a version")
    host = StandaloneHost()
    host.open_file(loose)
    state = controller(host, session, pm).state()
    assert "'notes.txt' is not the file of a version" in state.notice
    assert not state.can_publish


def test_database_unreachable_is_a_problem_with_retry(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], unreachable: Any
) -> None:
    host, v = saved
    before = files_under(demo.root)
    ctl = PublisherController(host, session=unreachable, plugin_manager=pm)
    state = ctl.load()
    assert state.problem is not None and state.problem.retry
    assert "cannot be reached" in state.problem.message
    assert not state.can_validate and not ctl.start("publish").running
    assert files_under(demo.root) == before
    # the database is back: Retry (load again) works
    ctl.session = session
    state = ctl.load()
    assert state.problem is None and state.version_id == v.id
    assert published_rows(session) == 0 and not is_published(session, v.id)


# --- collect and validate --------------------------------------------------------------


def test_collect_lists_the_items_ticked(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    pm.register(Extras(), name="studio")
    state = controller(host, session, pm).run("collect")
    assert state.outcome == "collected"
    assert [(i.name, i.kind, i.chosen) for i in state.items] == [
        ("workfile", "workfile", True), ("camera", "camera", True)
    ]
    assert state.items[0].path == v.absolute_full_path
    assert [(s.name, s.state) for s in state.stages] == [
        ("collect", "done"), ("validate", "unused"), ("extract", "unused"),
        ("integrate", "unused"),
    ]


def test_validation_groups_results_by_check(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    host.set_frame_range(1, 24)  # a failed check with a repair (and unsaved changes)
    pm.register(Extras(), name="studio")
    state = controller(host, session, pm).run("validate")
    assert state.outcome == "invalid" and "Validation FAILED" in state.message
    states = {row.key: row.state for row in state.checks}
    assert states == {
        "frame_range": "failed", "unsaved_changes": "failed", "studio.naming": "failed",
        "studio.size": "warning", "version_match": "passed", "file_location": "passed",
        "fps": "passed", "references": "passed",
    }  # scene_saved answers None (not its business) for a saved scene
    assert [row.state for row in state.checks] == sorted(
        (row.state for row in state.checks),
        key=["failed", "warning", "info", "passed", "skipped"].index,
    )
    naming = state.check("studio.naming")
    assert naming.title == "Node names" and naming.repair_label == "Rename"
    assert naming.items == ("workfile", "camera") and naming.plugins == ("studio",)
    assert [(r.item, r.objects, r.plugin) for r in naming.results] == [
        ("camera", ("cam1", "cam2"), "studio")
    ]
    frame = state.check("frame_range")
    assert frame.repair_label and "1-24" in frame.results[0].message
    assert state.check("version_match").description.startswith("The saved scene records")
    assert state.check("studio.size").repair_label == ""
    assert state.counts() == {"failed": 3, "warning": 1, "info": 0, "passed": 4, "skipped": 0}
    assert [(s.name, s.state) for s in state.stages][:2] == [
        ("collect", "done"), ("validate", "done")
    ]


def test_each_step_is_one_plugin_call(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    ctl = controller(host, session, pm)
    state = ctl.start("validate")
    seen: list[tuple[str, int, int]] = []
    while state.running:
        state = ctl.step()
        running = [s for s in state.stages if s.state == "running"]
        if running:
            seen.append((running[0].name, running[0].done, running[0].total))
    validators = len(pm.hook.stalker_publish_validate.get_hookimpls())
    assert seen == [("collect", 0, 1), ("collect", 1, 1)] + [
        ("validate", n, validators) for n in range(validators + 1)
    ]
    assert state.outcome == "valid" and "Ready to publish" in state.message


def test_unticked_items_are_neither_validated_nor_published(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    studio = Extras()
    pm.register(studio, name="studio")
    ctl = controller(host, session, pm)
    ctl.run("collect")
    state = ctl.choose("camera", False)
    assert [(i.name, i.chosen) for i in state.items] == [("workfile", True), ("camera", False)]
    state = ctl.run("publish")  # the failing camera check is not made
    assert state.outcome == "published", state.message
    assert studio.validated == ["workfile"] and studio.extracted == ["workfile"]
    assert [i.chosen for i in state.items] == [True, False]
    assert is_published(session, v.id)


def test_every_item_unticked_fails_clearly(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    ctl = controller(host, session, pm)
    ctl.choose("workfile", False)
    state = ctl.run("publish")
    assert state.outcome == "failed"
    assert "every collected item (workfile) is left out" in state.message
    assert "Nothing was published" in state.message
    assert not is_published(session, v.id)


def test_skipped_checks_show_who_took_them_over(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved

    class HostChecks:
        @hookimpl
        def stalker_publish_overridden_checks(self) -> list[str]:
            return ["fps"]

        @hookimpl(specname="stalker_publish_validate")
        @check("fps")
        def fps(self, item: PublishItem) -> list[ValidationResult]:
            return []

    pm.register(HostChecks(), name="hostchecks")
    state = controller(host, session, pm).run("validate")
    skipped = state.check("fps@stalker_publish.plugin")
    assert skipped.state == "skipped" and skipped.description == "taken over by hostchecks"
    assert state.check("fps").state == "passed" and state.check("fps").plugins == ("hostchecks",)


# --- repair ----------------------------------------------------------------------------


def test_repair_fixes_then_validates_again(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    studio = Extras()
    pm.register(studio, name="studio")
    ctl = controller(host, session, pm)
    assert ctl.run("validate").check("studio.naming").state == "failed"
    state = ctl.repair("studio.naming")
    assert studio.renamed and state.running and state.mode == "validate"
    assert state.message == "Repaired 'Node names'; validating again..."
    while state.running:
        state = ctl.step()
    assert state.check("studio.naming").state == "passed"
    assert state.outcome == "valid"
    with pytest.raises(KeyError, match="offers no repair"):
        ctl.repair("studio.size")


def test_a_failing_repair_is_reported(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved

    class Broken:
        @hookimpl(specname="stalker_publish_validate")
        @check("studio.broken")
        def broken(self, item: PublishItem) -> list[ValidationResult]:
            return [ValidationResult("Colour space", "wrong", repair=lambda: 1 / 0)]

    pm.register(Broken(), name="broken")
    ctl = controller(host, session, pm)
    ctl.run("validate")
    state = ctl.repair("studio.broken")
    assert not state.running
    assert state.message == (
        "The repair of 'Colour space' failed: ZeroDivisionError: division by zero"
    )


# --- faults ----------------------------------------------------------------------------


def test_a_plugin_raising_in_a_check_is_a_failed_check_and_stops_the_publish(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    studio = Extras()

    class Raising:
        @hookimpl(specname="stalker_publish_validate")
        @check("studio.uv")
        def uv(self, item: PublishItem) -> list[ValidationResult]:
            raise ZeroDivisionError("bad maths")

    pm.register(studio, name="studio")
    pm.register(Raising(), name="uvcheck")
    studio.renamed = True  # only the raising check fails
    before = files_under(demo.root)
    state = controller(host, session, pm).run("publish")
    assert state.outcome == "invalid" and "Nothing was published" in state.message
    row = state.check("studio.uv")
    assert row.state == "failed" and row.plugins == ("uvcheck",)
    assert [r.title for r in row.results] == [RAISED_TITLE] * 2  # on both items
    assert row.results[0].message.startswith(
        "plugin 'uvcheck' raised in stalker_publish_validate: ZeroDivisionError: bad maths"
    )
    # the other checks still ran, and nothing went further
    assert state.check("version_match").state == "passed"
    assert studio.extracted == []
    assert [(s.name, s.state) for s in state.stages] == [
        ("collect", "done"), ("validate", "failed"), ("extract", "waiting"),
        ("integrate", "waiting"),
    ]
    assert files_under(demo.root) == before
    assert not is_published(session, v.id) and published_rows(session) == 0


def test_publish_registers_the_outputs(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    ctl = controller(host, session, pm)
    state = ctl.run("publish")
    published = demo.root / "TP/SH001/comp/publish/SH001_comp_Main_v001.fake"
    assert state.outcome == "published" and state.message == "Published 1 file(s)."
    assert state.published_paths == (str(published),) and published.is_file()
    assert all(s.state == "done" and s.percent == 100 for s in state.stages)
    assert is_published(session, v.id) and published_rows(session) == 1
    assert not state.can_publish and state.can_validate
    again = ctl.start("publish")
    assert not again.running and again.message.startswith("v001 is already published")


def test_stopping_at_any_step_publishes_nothing_and_the_next_publish_works(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The artist closes the Publisher after k plugin calls, for every k of a publish."""
    host, v = saved
    staging = tmp_path / "staging"
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    before = files_under(demo.root)
    stopped_in: list[str] = []
    for k in range(100):
        ctl = controller(host, session, pm)
        state = ctl.start("publish")
        for _ in range(k):
            state = ctl.step()
        if not state.running:
            break  # k steps are a whole publish
        stage = next(s.name for s in state.stages if s.state in ("running", "waiting"))
        ctl.close()
        state = ctl.state()
        assert state.outcome == "stopped" and not state.running
        assert state.message == f"Stopped by the user during {stage}. Nothing was published."
        stopped_in.append(stage)
        assert files_under(demo.root) == before, k
        assert list(staging.iterdir()) == [], k
        assert not is_published(session, v.id) and published_rows(session) == 0, k
    assert set(stopped_in) == {"collect", "validate", "extract", "integrate"}
    assert state.outcome == "published"
    assert is_published(session, v.id) and published_rows(session) == 1


def test_database_lost_during_the_commit_is_a_problem_and_nothing_is_written(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, v = saved
    before = files_under(demo.root)
    ctl = controller(host, session, pm)

    def lost() -> None:
        raise sa_exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(session, "commit", lost)
    state = ctl.run("publish")
    monkeypatch.undo()
    assert state.outcome == "failed" and state.problem is not None and state.problem.retry
    assert "server closed the connection" in state.problem.message
    assert [s.state for s in state.stages] == ["done", "done", "done", "failed"]
    assert files_under(demo.root) == before
    assert not is_published(session, v.id) and published_rows(session) == 0
    assert ctl.run("publish").outcome == "published"


def test_database_lost_in_a_collector_is_a_problem(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved

    class Lost:
        @hookimpl
        def stalker_publish_collect(self) -> None:
            raise sa_exc.OperationalError("SELECT", {}, Exception("connection refused"))

    pm.register(Lost(), name="lost")
    state = controller(host, session, pm).run("validate")
    assert state.outcome == "failed" and state.problem is not None and state.problem.retry


def test_an_extractor_raising_fails_the_publish_naming_the_plugin(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved

    class Broken:
        @hookimpl
        def stalker_publish_extract(self, item: Any, staging_dir: Path) -> None:
            raise ZeroDivisionError("bad maths")

    pm.register(Broken(), name="alembic")
    state = controller(host, session, pm).run("publish")
    assert state.outcome == "failed" and state.problem is None
    assert state.message == (
        "The publish failed during extract: plugin 'alembic' raised in "
        "stalker_publish_extract: ZeroDivisionError: bad maths. Nothing was published."
    )
    assert not is_published(session, v.id)


# --- the report ------------------------------------------------------------------------


def test_report_is_json_that_parses_back(
    session: Any, pm: Any, saved: tuple[FakeHost, Any], tmp_path: Path
) -> None:
    host, v = saved
    pm.register(Extras(), name="studio")
    ctl = controller(host, session, pm)
    ctl.run("validate")
    data = ctl.report()
    assert json.loads(ctl.report_json()) == data
    saved_to = ctl.save_report(tmp_path / "report.json")
    assert json.loads(saved_to.read_text()) == data
    assert data["format"] == REPORT_FORMAT and data["outcome"] == "invalid"
    assert data["version"] == {"id": v.id, "number": 1, "context": ctl.state().context}
    assert [s["state"] for s in data["stages"]] == ["done", "done", "unused", "unused"]
    assert {c["key"] for c in data["checks"]} == BUILTIN_CHECKS | {"studio.naming", "studio.size"}
    naming = next(c for c in data["checks"] if c["key"] == "studio.naming")
    assert naming["results"][0]["objects"] == ["cam1", "cam2"]
    assert naming["repair_label"] == "Rename"
    assert data["started"] <= data["finished"]


# --- the standalone host ---------------------------------------------------------------


def test_standalone_host_publishes_a_saved_version(
    session: Any, demo: Demo, pm: Any, tmp_path: Path
) -> None:
    source = tmp_path / "model.txt"
    source.write_text("a model")
    host = StandaloneHost()
    host.open_file(source)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    ctl = controller(host, session, pm)
    state = ctl.run("validate")
    assert state.outcome == "valid"
    # no timeline: the frame checks say they were not made
    assert {c.key for c in state.checks if c.state == "info"} == {"frame_range", "fps"}
    state = ctl.run("publish")
    assert state.outcome == "published"
    assert Path(state.published_paths[0]).read_text() == "a model"
    assert is_published(session, v.id)
