"""The Publisher panel over the real controller (offscreen, both databases)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import publish_helpers
import pytest
from Qt import QtCore, QtGui, QtWidgets
from sqlalchemy import func, select
from stalker_standalone.host import StandaloneHost
from wf_helpers import Demo, files_under, make_pm

from stalker_core.controllers.publisher import PublisherController
from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.ui.publisher import PublisherPanel, demo_state
from stalker_core.ui.publisher_demo import DEMO_PLUGIN, register_demo_checks
from stalker_core.workflows import save_as_version

ROLE = QtCore.Qt.ItemDataRole.UserRole


# the shared fixtures
saved = publish_helpers.saved
unreachable = publish_helpers.unreachable


def published(session: Any, version_id: int) -> tuple[bool, int]:
    """Whether the version is published, and how many File rows there are."""
    from stalker_core.models import File, Version

    session.expire_all()
    rows = int(session.scalar(select(func.count()).select_from(File)))
    return bool(session.get(Version, version_id).is_published), rows


def idle(qtbot: Any, panel: PublisherPanel) -> None:
    qtbot.waitUntil(lambda: not panel.controller.running, timeout=10000)


def make_panel(qtbot: Any, host: Any, session: Any, pm: Any) -> PublisherPanel:
    panel = PublisherPanel(host=host, session=session, plugin_manager=pm)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    idle(qtbot, panel)
    return panel


def check_texts(panel: PublisherPanel) -> dict[str, tuple[str, ...]]:
    """check key -> the texts of its row."""
    tree = panel.checks
    rows = {}
    for i in range(tree.topLevelItemCount()):
        row = tree.topLevelItem(i)
        assert row is not None
        rows[row.data(0, ROLE)] = tuple(row.text(c) for c in range(tree.columnCount()))
    return rows


# --- opening --------------------------------------------------------------------------


def test_opening_collects_the_items_with_checkboxes(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    register_demo_checks(pm)
    panel = make_panel(qtbot, host, session, pm)
    names = [panel.items.item(i).text() for i in range(panel.items.count())]
    assert names == ["workfile   (workfile)", "camera   (camera)", "playblast   (review)"]
    entry = panel.items.item_named("workfile")
    assert entry is not None and entry.checkState() == QtCore.Qt.CheckState.Checked
    assert entry.toolTip() == v.absolute_full_path
    assert "TP / SH001 / comp, take Main, v001" in panel.context_label.text()
    collect = panel.stages.stages["collect"]
    assert "done" in collect.status.text() and collect.bar.value() == 100
    assert "not run" in panel.stages.stages["extract"].status.text()
    assert panel.validate_button.isEnabled() and panel.publish_button.isEnabled()
    assert not panel.stop_button.isEnabled()
    assert "Collected 3 item(s)" in panel.message.text()


def test_a_scene_never_saved_shows_a_clear_notice(
    qtbot: Any, session: Any, demo: Demo, pm: Any
) -> None:
    panel = make_panel(qtbot, FakeHost(), session, pm)
    assert panel.notice.isVisible()
    assert "never been saved" in panel.notice.text()
    assert not panel.validate_button.isEnabled() and not panel.publish_button.isEnabled()
    assert not panel.banner.isVisible()


def test_database_unreachable_shows_the_banner_and_retry_works(
    qtbot: Any, session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any],
    unreachable: Any,
) -> None:
    host, v = saved
    before = files_under(demo.root)
    ctl = PublisherController(host, session=unreachable, plugin_manager=pm)
    panel = PublisherPanel(controller=ctl)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.banner.isVisible() and panel.banner.retry_button.isVisible()
    assert "cannot be reached" in panel.banner.label.text()
    assert not panel.publish_button.isEnabled()
    assert files_under(demo.root) == before and published(session, v.id) == (False, 0)
    ctl.session = session  # the database is back
    qtbot.mouseClick(panel.banner.retry_button, QtCore.Qt.MouseButton.LeftButton)
    idle(qtbot, panel)
    assert not panel.banner.isVisible()
    assert panel.items.count() == 1 and panel.publish_button.isEnabled()


# --- validating -----------------------------------------------------------------------


def test_validation_shows_each_check_state_in_words(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    register_demo_checks(pm)
    panel = make_panel(qtbot, host, session, pm)
    qtbot.mouseClick(panel.validate_button, QtCore.Qt.MouseButton.LeftButton)
    idle(qtbot, panel)
    rows = check_texts(panel)
    assert rows["studio.node_names"][:3] == ("\u2716 FAILED", "Node names", "camera")
    assert rows["studio.texture_size"][0] == "\u26a0 warning"
    assert rows["version_match"][:2] == ("\u2714 passed", "Version match")
    assert rows["studio.node_names"][4] == DEMO_PLUGIN
    # the results of a check are its children: message, item, objects
    failed = panel.checks.check_item("studio.node_names")
    assert failed is not None and failed.isExpanded() and failed.childCount() == 1
    child = failed.child(0)
    assert child is not None
    assert child.text(1).startswith("2 camera nodes do not follow")
    assert (child.text(2), child.text(3)) == ("camera", "camera1, persp_tmp")
    # the Repair button where the check offers one, and only there
    assert set(panel.checks.buttons) == {"studio.node_names"}
    assert panel.checks.buttons["studio.node_names"].text() == "Rename"
    # the details of the selected check
    panel.checks.setCurrentItem(failed)
    details = panel.details.toPlainText()
    assert "FAILED Node names" in details and "Objects: camera1, persp_tmp" in details
    assert "\u2716 FAILED: 1" in panel.summary.text()
    assert "Validation FAILED" in panel.message.text()


def test_unticked_items_are_not_validated(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    register_demo_checks(pm)
    panel = make_panel(qtbot, host, session, pm)
    entry = panel.items.item_named("camera")
    assert entry is not None
    entry.setCheckState(QtCore.Qt.CheckState.Unchecked)
    qtbot.mouseClick(panel.validate_button, QtCore.Qt.MouseButton.LeftButton)
    idle(qtbot, panel)
    assert "studio.node_names" not in check_texts(panel)
    entry = panel.items.item_named("camera")
    assert entry is not None and entry.checkState() == QtCore.Qt.CheckState.Unchecked


def test_repair_button_repairs_and_validates_again(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    checks = register_demo_checks(pm)
    panel = make_panel(qtbot, host, session, pm)
    panel.start("validate")
    idle(qtbot, panel)
    qtbot.mouseClick(panel.checks.buttons["studio.node_names"], QtCore.Qt.MouseButton.LeftButton)
    assert checks.renamed
    idle(qtbot, panel)
    assert check_texts(panel)["studio.node_names"][0] == "\u2714 passed"
    assert "studio.node_names" not in panel.checks.buttons


def test_a_plugin_raising_in_a_check_is_a_failed_check_naming_it(
    qtbot: Any, session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved

    class Raising:
        @hookimpl(specname="stalker_publish_validate")
        @check("studio.uv")
        def uv(self, item: Any) -> list[ValidationResult]:
            raise ZeroDivisionError("bad maths")

    pm.register(Raising(), name="uvcheck")
    before = files_under(demo.root)
    panel = make_panel(qtbot, host, session, pm)
    qtbot.mouseClick(panel.publish_button, QtCore.Qt.MouseButton.LeftButton)
    idle(qtbot, panel)
    row = check_texts(panel)["studio.uv"]
    assert row[0] == "\u2716 FAILED" and row[4] == "uvcheck"
    failed = panel.checks.check_item("studio.uv")
    assert failed is not None and failed.child(0) is not None
    assert "plugin 'uvcheck' raised" in failed.child(0).text(1)
    assert "Nothing was published" in panel.message.text()
    assert "FAILED" in panel.stages.stages["validate"].status.text()
    assert files_under(demo.root) == before and published(session, v.id) == (False, 0)


# --- running without freezing, stopping, closing ------------------------------------


class StopAt:
    """Clicks a button through the event loop when ``hook`` is first called."""

    def __init__(self, panel_ref: list[PublisherPanel], what: str) -> None:
        self.panel_ref = panel_ref
        self.what = what
        self.validated = 0

    def later(self) -> None:
        panel = self.panel_ref[0]
        action = panel.stop_button.click if self.what == "stop" else panel.close
        QtCore.QTimer.singleShot(0, action)

    @hookimpl
    def stalker_publish_validate(self, item: PublishItem) -> list[ValidationResult]:
        self.validated += 1
        return []

    @hookimpl
    def stalker_publish_extract(self, item: PublishItem) -> None:
        self.later()


@pytest.mark.parametrize("what", ["stop", "close"])
def test_stop_or_close_mid_publish_rolls_back_and_the_next_publish_works(
    qtbot: Any, session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any], what: str
) -> None:
    """The click is queued by an extractor: it is handled between two plugin calls."""
    host, v = saved
    ref: list[PublisherPanel] = []
    stopper = StopAt(ref, what)
    pm.register(stopper, name="stopper")
    before = files_under(demo.root)
    panel = make_panel(qtbot, host, session, pm)
    ref.append(panel)
    qtbot.mouseClick(panel.publish_button, QtCore.Qt.MouseButton.LeftButton)
    assert panel.stop_button.isEnabled() and not panel.publish_button.isEnabled()
    idle(qtbot, panel)
    state = panel.controller.state()
    assert state.outcome == "stopped"
    assert state.message == "Stopped by the user during extract. Nothing was published."
    assert panel.isVisible() == (what == "stop")
    assert files_under(demo.root) == before and published(session, v.id) == (False, 0)
    # the next publish works (in a new panel after closing)
    pm.unregister(name="stopper")
    again = panel if what == "stop" else make_panel(qtbot, host, session, pm)
    qtbot.mouseClick(again.publish_button, QtCore.Qt.MouseButton.LeftButton)
    idle(qtbot, again)
    assert again.controller.state().outcome == "published"
    assert published(session, v.id) == (True, 1)
    assert not again.publish_button.isEnabled()


def test_shown_again_after_closing_it_finds_the_scene_again(
    qtbot: Any, session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    panel = make_panel(qtbot, host, session, pm)
    panel.close()
    host.edit("more work")
    v2 = save_as_version(host, demo.comp, session=session, pm=pm)
    panel.show()  # a second menu click shows the same instance
    idle(qtbot, panel)
    state = panel.controller.state()
    assert state.version_id == v2.id != v.id and state.outcome == "collected"
    assert "v002" in panel.context_label.text()


def test_progress_moves_one_plugin_call_per_tick(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, _v = saved
    panel = make_panel(qtbot, host, session, pm)
    values: list[int] = []
    panel.start("validate")
    bar = panel.stages.stages["validate"].bar
    while panel.controller.running:
        QtWidgets.QApplication.processEvents()
        if not values or values[-1] != bar.value():
            values.append(bar.value())
    assert values == sorted(values) and len(values) > 3 and values[-1] == 100


# --- the report -----------------------------------------------------------------------


def test_copy_and_save_the_report(
    qtbot: Any, session: Any, pm: Any, saved: tuple[FakeHost, Any], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host, _v = saved
    panel = make_panel(qtbot, host, session, pm)
    panel.start("validate")
    idle(qtbot, panel)
    qtbot.mouseClick(panel.copy_button, QtCore.Qt.MouseButton.LeftButton)
    clipboard = QtGui.QGuiApplication.clipboard()
    assert clipboard is not None
    assert json.loads(clipboard.text()) == panel.controller.report()
    target = tmp_path / "report.json"
    monkeypatch.setattr(panel, "ask_report_path", lambda: str(target))
    qtbot.mouseClick(panel.save_button, QtCore.Qt.MouseButton.LeftButton)
    data = json.loads(target.read_text())
    assert data == panel.controller.report() and data["outcome"] == "valid"
    assert str(target) in panel.message.text()


# --- the demo studio, the command -----------------------------------------------------


@pytest.fixture
def demo_db(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    """A database holding the demo studio of ``stalker demo`` (standalone host)."""
    from stalker_core.cli.main import main
    from stalker_core.orm.session import DBSession

    assert main(["--db", db_url, "demo", "--root", str(tmp_path / "demo_repo")]) == 0
    capsys.readouterr()
    yield db_url
    bind = DBSession.get_bind() if DBSession.registry.has() else None
    DBSession.remove()
    if bind is not None:
        bind.dispose()


def _unpublished_file(url: str) -> Path:
    from stalker_core.models import Version
    from stalker_core.orm.session import DBSession

    version = DBSession.scalars(
        select(Version).where(Version.is_published.is_(False)).order_by(Version.id)
    ).first()
    assert version is not None
    return Path(version.absolute_full_path)


def test_demo_state_validates_with_failed_warning_and_passed_checks(
    qtbot: Any, demo_db: str
) -> None:
    from stalker_core.orm.session import DBSession

    pm = make_pm()
    panel = PublisherPanel(host=StandaloneHost(), session=DBSession, plugin_manager=pm)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    demo_state(panel)
    state = panel.controller.state()
    counts = state.counts()
    assert counts["failed"] >= 1 and counts["warning"] >= 1 and counts["passed"] >= 1
    assert [(i.name, i.chosen) for i in state.items] == [
        ("workfile", True), ("camera", True), ("playblast", False)
    ]
    current = panel.checks.currentItem()
    assert current is not None and current.data(0, ROLE) == "studio.node_names"
    assert "Node names" in panel.details.toPlainText()


def test_stalker_ui_publish_renders_a_screenshot(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.cli.main import main
    from stalker_core.ui.windows import close_panels

    workfile = _unpublished_file(demo_db)
    png = tmp_path / "shots" / "publisher.png"
    code = main(["--db", demo_db, "ui", "publish", "--file", str(workfile),
                 "--screenshot", str(png)])
    out, err = capsys.readouterr()
    close_panels()
    assert code == 0, err
    assert out.strip() == f"wrote {png}"
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
