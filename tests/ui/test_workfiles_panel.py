"""The Work Files panel over the real controller (pytest-qt, offscreen), SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from panel_helpers import other_session, unreachable_session
from Qt import QtCore, QtGui, QtWidgets
from wf_helpers import Demo, files_under

from stalker_core.controllers.workfiles import OpenChoice, SaveRequest, WorkFilesController
from stalker_core.testing import FakeHost
from stalker_core.ui.save_dialog import SaveAsVersionDialog
from stalker_core.ui.workfiles import WorkFilesPanel, demo_state
from stalker_core.ui.workfiles_models import VersionsTableModel
from stalker_core.workflows import save_as_version


def make_panel(qtbot: Any, session: Any, pm: Any, host: Any = None, **kw: Any) -> WorkFilesPanel:
    controller = WorkFilesController(host, session=session, plugin_manager=pm,
                                     user=kw.pop("user", "artist"), **kw)
    panel = WorkFilesPanel(controller=controller)
    qtbot.addWidget(panel)
    return panel


def dialog_for(qtbot: Any, panel: WorkFilesPanel, task: Any,
               take: str = "Main") -> SaveAsVersionDialog:
    """The Save As Version dialog of ``panel`` for ``task``, shown (not run modally)."""
    dialog = SaveAsVersionDialog(panel.controller, task.id, take, panel)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save_versions(session: Any, pm: Any, host: FakeHost, task: Any, n: int,
                  take: str = "Main") -> list[Any]:
    return [save_as_version(host, task, take, f"pass {i + 1}", "artist", session=session, pm=pm)
            for i in range(n)]


def tree_rows(panel: WorkFilesPanel) -> list[tuple[int, str, str]]:
    """(depth, name, status text) of every item of the tree, in order."""
    out: list[tuple[int, str, str]] = []

    def walk(item: QtWidgets.QTreeWidgetItem, depth: int) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            out.append((depth, child.text(0), child.text(1)))
            walk(child, depth + 1)

    walk(panel.tree.invisibleRootItem(), 0)
    return out


def table_column(panel: WorkFilesPanel, column: int) -> list[str]:
    model = panel.versions_model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


# -- browsing ------------------------------------------------------------------------------------


def test_the_panel_lists_projects_and_root_tasks(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    panel = make_panel(qtbot, session, pm, host)
    assert panel.project_box.currentText() == "Project TP (TP)"
    assert tree_rows(panel) == [
        (0, "Hero", "RTS - Ready To Start"), (0, "SH001", "RTS - Ready To Start"),
    ]
    assert not panel.banner.isVisible()
    assert not panel.save_button.isEnabled()  # no task selected


def test_selecting_a_task_shows_its_takes_and_versions(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    save_versions(session, pm, host, demo.comp, 2)
    save_versions(session, pm, host, demo.comp, 1, take="Alt")
    host.new_file()
    panel = make_panel(qtbot, session, pm, host)
    assert panel.select_task(demo.comp.id)
    assert tree_rows(panel)[2:4] == [(1, "anim", "RTS - Ready To Start"),
                                     (1, "comp", "RTS - Ready To Start")]
    takes = [panel.takes_list.item(i).text() for i in range(panel.takes_list.count())]
    assert takes == ["Main (2)", "Alt (1)"]
    assert table_column(panel, 0) == ["v002", "v001"]
    assert table_column(panel, 3) == ["pass 2", "pass 1"]
    assert table_column(panel, 5) == ["fake", "fake"]
    assert panel.versions_title.text() == "Versions of SH001/comp, take Main: 2"
    panel.takes_list.setCurrentRow(1)
    assert table_column(panel, 0) == ["v001"]
    assert panel.save_button.isEnabled() and not panel.open_button.isEnabled()
    panel.versions_view.selectRow(0)
    assert panel.open_button.isEnabled() and panel.open_new_button.isEnabled()


def test_the_panel_selects_the_task_of_the_open_scene(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    versions = save_versions(session, pm, host, demo.anim, 3)
    panel = make_panel(qtbot, session, pm, host)
    node = panel.tree.selected_node()
    assert node is not None and node.id == demo.anim.id
    selected = panel.selected_version()
    assert selected is not None and selected.id == versions[-1].id


def test_published_versions_are_written_out(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    first, _ = save_versions(session, pm, host, demo.comp, 2)
    first.is_published = True
    session.commit()
    panel = make_panel(qtbot, session, pm, host)
    assert table_column(panel, 4) == ["no", "\u2714 published"]
    model = panel.versions_model
    assert model.data(model.index(1, 4), QtCore.Qt.ItemDataRole.FontRole).bold()


def test_my_tasks_keeps_the_artist_s_tasks_and_their_parents(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    demo.comp.resources.append(demo.user)
    session.commit()
    panel = make_panel(qtbot, session, pm, host)
    assert panel.my_tasks_box.isEnabled()
    panel.my_tasks_box.setChecked(True)
    assert [r[1] for r in tree_rows(panel)] == ["SH001"]
    panel.tree.topLevelItem(0).setExpanded(True)
    assert [r[1] for r in tree_rows(panel)] == ["SH001", "comp"]
    panel.my_tasks_box.setChecked(False)
    assert [r[1] for r in tree_rows(panel)] == ["Hero", "SH001"]


def test_without_a_known_user_my_tasks_is_disabled(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    panel = make_panel(qtbot, session, pm, host, user="nobody_has_this_login")
    assert not panel.my_tasks_box.isEnabled()
    assert "No user has your login name" in panel.my_tasks_box.toolTip()


def test_the_versions_table_reads_more_pages_as_it_scrolls(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    save_versions(session, pm, host, demo.comp, 7)
    host.new_file()
    panel = make_panel(qtbot, session, pm, host, page_size=3)
    panel.select_task(demo.comp.id)
    model, root = panel.versions_model, QtCore.QModelIndex()
    assert (model.rowCount(), model.total) == (3, 7)
    assert "workfiles.takes" in [c.label for c in panel.controller.call_log.calls]  # counted
    assert model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount() == 6
    panel.versions_view.scrollToBottom()  # the view asks for the last page itself
    qtbot.waitUntil(lambda: model.rowCount() == 7)
    assert not model.canFetchMore(root)
    assert table_column(panel, 0) == [f"v{n:03d}" for n in range(7, 0, -1)]
    assert panel.select_version(model.row_at(6).id)  # type: ignore[union-attr]
    alone = VersionsTableModel(panel.controller)
    alone.load(demo.comp.id, "Main")  # no count given: the model asks for one (SQL)
    assert (alone.rowCount(), alone.total) == (3, 7)
    assert panel.controller.call_log.calls[-2].label == "workfiles.version_count"


def test_a_long_description_wraps_in_a_taller_row(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    long_text = " ".join(["the shoulders were retopologised for the rig test"] * 6)
    save_as_version(host, demo.comp, "Main", "short", "artist", session=session, pm=pm)
    save_as_version(host, demo.comp, "Main", long_text, "artist", session=session, pm=pm)
    panel = make_panel(qtbot, session, pm, host)
    panel.resize(1280, 800)
    panel.show()
    view = panel.versions_view
    assert table_column(panel, 3)[0] == long_text  # the whole text, never shortened
    qtbot.waitUntil(lambda: view.rowHeight(0) >= 2 * view.rowHeight(1))
    panel.resize(2 * view.fontMetrics().horizontalAdvance(long_text) + 2000, 800)
    qtbot.waitUntil(lambda: view.rowHeight(0) == view.rowHeight(1))  # wide enough: one line


def test_an_old_version_of_a_long_take_is_not_hunted_for(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    oldest, *_ = save_versions(session, pm, host, demo.comp, WorkFilesPanel.SELECT_PAGES + 2)
    host.new_file()
    panel = make_panel(qtbot, session, pm, host, page_size=1)
    panel.select_task(demo.comp.id)
    assert not panel.select_version(oldest.id)  # 1 + SELECT_PAGES rows read, then it stops
    assert panel.versions_model.rowCount() == 1 + WorkFilesPanel.SELECT_PAGES


# -- save as version ---------------------------------------------------------------------------


def test_the_save_dialog_shows_the_next_number_and_file_name(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    save_versions(session, pm, host, demo.comp, 2)
    panel = make_panel(qtbot, session, pm, host)
    dialog = panel.make_save_dialog(demo.comp.id, "Main")
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.number_label.text() == "v003"
    assert dialog.latest_label.text() == "latest saved: v002"
    assert dialog.filename_label.text() == "SH001_comp_Main_v003.fake"
    assert dialog.folder_label.toolTip() == str(demo.root / "TP" / "SH001" / "comp")
    assert dialog.save_button.isEnabled() and dialog.save_button.text() == "Save v003"
    assert not dialog.problems_label.isVisible() and not dialog.conflict_label.isVisible()
    dialog.take_box.setCurrentText("Blocking")
    assert (dialog.number_label.text(), dialog.filename_label.text()) == (
        "v001", "SH001_comp_Blocking_v001.fake",
    )
    dialog.take_box.setCurrentText("two words")
    assert not dialog.save_button.isEnabled()
    assert "take_name" in dialog.problems_label.text()


def test_saving_from_the_dialog_goes_through_the_host(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Version

    panel = make_panel(qtbot, session, pm, host)
    dialog = dialog_for(qtbot, panel, demo.comp, "Main")
    dialog.description.setPlainText("first pass")
    dialog.save_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert dialog.outcome is not None and dialog.outcome.version is not None
    version = session.get(Version, dialog.outcome.version.id)
    assert (version.version_number, version.description, version.created_with) == (
        1, "first pass", "fake",
    )
    assert host.current_file() == Path(version.absolute_full_path)


def test_the_panel_s_save_button_saves_and_selects_the_new_version(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run(dialog: SaveAsVersionDialog) -> int:
        dialog.description.setPlainText("from the panel")
        dialog.save_button.click()
        return int(dialog.result())

    monkeypatch.setattr(SaveAsVersionDialog, "exec", run)
    panel = make_panel(qtbot, session, pm, host)
    panel.select_task(demo.comp.id)
    panel.save_button.click()
    assert table_column(panel, 0) == ["v001"]
    selected = panel.selected_version()
    assert selected is not None and selected.description == "from the panel"
    assert panel.status_label.text() == "Saved v001 as SH001_comp_Main_v001.fake"


@pytest.mark.parametrize("which, words", [
    ("container", "is a container of 2 task(s)"),
    ("closed", "is closed (Completed, CMPL)"),
    ("no repository", "has no repository to save into"),
])
def test_the_dialog_says_why_it_cannot_save(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost, which: str, words: str
) -> None:
    from stalker_core.models.task.status import set_status

    task = demo.shot if which == "container" else demo.comp
    if which == "closed":
        set_status(demo.comp, "CMPL")
    if which == "no repository":
        demo.project.repositories = []
    session.commit()
    panel = make_panel(qtbot, session, pm, host)
    dialog = dialog_for(qtbot, panel, task, "Main")
    assert not dialog.save_button.isEnabled()
    assert dialog.problems_label.isVisible()
    assert words in dialog.problems_label.text()
    assert dialog.problems_label.text().startswith("Cannot save:")
    dialog.save_button.click()
    assert dialog.outcome is None and files_under(demo.root) == set()


def test_the_dialog_offers_the_next_number_when_someone_saved_meanwhile(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Task

    panel = make_panel(qtbot, session, pm, host)
    dialog = dialog_for(qtbot, panel, demo.comp, "Main")
    assert dialog.number_label.text() == "v001"
    with other_session(session) as other:
        save_as_version(FakeHost(name="nuke"), other.get(Task, demo.comp.id), "Main", "theirs",
                        "artist", session=other, pm=pm)
    dialog.save_button.click()
    assert dialog.outcome is None and dialog.isVisible()  # nothing saved yet
    assert dialog.conflict_label.isVisible()
    assert "v001 is taken" in dialog.conflict_label.text()
    assert dialog.number_label.text() == "v002" and dialog.save_button.text() == "Save v002"
    dialog.save_button.click()
    assert dialog.outcome is not None and dialog.outcome.version is not None
    assert dialog.outcome.version.number == 2


# -- open ------------------------------------------------------------------------------------------


def _panel_with_versions(qtbot: Any, session: Any, demo: Demo, pm: Any,
                         host: FakeHost) -> WorkFilesPanel:
    save_versions(session, pm, host, demo.comp, 2)
    panel = make_panel(qtbot, session, pm, host)
    panel.versions_view.selectRow(1)  # v001
    return panel


@pytest.mark.parametrize("choice", list(OpenChoice))
def test_open_over_unsaved_changes_asks_first(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch, choice: OpenChoice,
) -> None:
    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    host.edit("a cube")
    asked: list[Any] = []

    def answer(prompt: Any) -> OpenChoice:
        asked.append(prompt)
        return choice

    monkeypatch.setattr(panel, "ask_unsaved", answer)
    panel.open_button.click()
    assert len(asked) == 1 and "has unsaved changes" in asked[0].question
    opened = host.current_file()
    assert opened is not None
    if choice is OpenChoice.CANCEL:
        assert opened.name.endswith("v002.fake") and host.has_unsaved_changes()
        assert panel.status_label.text() == "Nothing was opened."
        return
    assert opened.name.endswith("v001.fake") and not host.has_unsaved_changes()
    count = 3 if choice is OpenChoice.SAVE_FIRST else 2
    assert panel.versions_model.total == count
    assert panel.status_label.text().startswith(
        "Saved the changes as v003, then opened v001" if choice is OpenChoice.SAVE_FIRST
        else "Opened v001"
    )


def test_a_clean_scene_opens_without_a_question(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    monkeypatch.setattr(panel, "ask_unsaved", lambda prompt: pytest.fail("asked"))
    panel.versions_view.doubleClicked.emit(panel.versions_model.index(1, 0))
    assert host.current_file().name.endswith("v001.fake")  # type: ignore[union-attr]


@pytest.mark.parametrize("button, choice", [
    ("Save First", OpenChoice.SAVE_FIRST),
    ("Discard Changes", OpenChoice.DISCARD),
    ("Cancel", OpenChoice.CANCEL),
])
def test_the_question_is_a_message_box(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch, button: str, choice: OpenChoice,
) -> None:
    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    host.edit("a cube")
    prompt = panel.controller.unsaved_prompt()
    assert prompt is not None
    seen: list[list[str]] = []

    def click(box: QtWidgets.QMessageBox) -> int:
        seen.append([b.text() for b in box.buttons()])
        assert box.text() == prompt.question
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", click)
    assert panel.ask_unsaved(prompt) is choice
    assert sorted(seen[0]) == ["Cancel", "Discard Changes", "Save First"]


def test_a_scene_of_no_task_is_not_offered_save_first(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    host.new_file()
    host.edit("scratch")
    prompt = panel.controller.unsaved_prompt()
    assert prompt is not None
    buttons: list[str] = []

    def close(box: QtWidgets.QMessageBox) -> int:
        buttons.extend(b.text() for b in box.buttons())
        box.escapeButton().click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", close)
    assert panel.ask_unsaved(prompt) is OpenChoice.CANCEL
    assert sorted(buttons) == ["Cancel", "Discard Changes"]


def test_open_as_new_version_adds_and_selects_the_copy(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    panel.open_new_button.click()
    assert table_column(panel, 0) == ["v003", "v002", "v001"]
    selected = panel.selected_version()
    assert selected is not None and selected.number == 3
    assert selected.description == "copied forward from v001"
    assert panel.status_label.text().startswith("Opened v001 as the new v003")


def test_open_as_new_version_refused_on_a_closed_task_shows_why(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models.task.status import set_status

    panel = _panel_with_versions(qtbot, session, demo, pm, host)
    set_status(demo.comp, "CMPL")
    session.commit()
    panel.open_new_button.click()
    assert panel.banner.isVisibleTo(panel)
    assert "is closed" in panel.banner.label.text()
    assert not panel.banner.retry_button.isVisibleTo(panel)
    assert panel.versions_model.total == 2


# -- faults ----------------------------------------------------------------------------------


def test_an_unreachable_database_shows_a_banner_with_retry(qtbot: Any, pm: Any) -> None:
    host = FakeHost()
    with unreachable_session() as session:
        panel = make_panel(qtbot, session, pm, host)
        panel.show()
        assert panel.banner.isVisible()
        assert "cannot be reached" in panel.banner.label.text()
        assert panel.banner.retry_button.isVisible()
        assert panel.tree.topLevelItemCount() == 0
        assert not panel.save_button.isEnabled() and not panel.open_button.isEnabled()
        before = len(panel.controller.call_log.calls)
        panel.banner.retry_button.click()  # tries again, fails again, says so again
        assert len(panel.controller.call_log.calls) > before
        assert panel.banner.isVisible()
    assert not [c for c in host.calls if c.method in ("save_file", "open_file")]
    assert QtWidgets.QApplication.activeModalWidget() is None  # no traceback dialog


def test_a_task_deleted_while_the_panel_is_open(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stalker_core.models import Task

    monkeypatch.setattr(SaveAsVersionDialog, "exec", lambda d: pytest.fail("dialog shown"))
    panel = make_panel(qtbot, session, pm, host)
    panel.select_task(demo.anim.id)
    anim_id = demo.anim.id
    with other_session(session) as other:
        other.delete(other.get(Task, anim_id))
        other.commit()
    panel.save_button.click()
    assert panel.banner.isVisibleTo(panel)
    assert "'SH001/anim'" in panel.banner.label.text()
    assert "no longer exists" in panel.banner.label.text()
    assert [r[1] for r in tree_rows(panel)] == ["Hero", "SH001"]  # reloaded
    panel.tree.topLevelItem(1).setExpanded(True)
    assert [r[1] for r in tree_rows(panel)] == ["Hero", "SH001", "comp"]
    assert files_under(demo.root) == set()


def test_a_stale_task_selected_in_the_tree(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Task

    panel = make_panel(qtbot, session, pm, host)
    panel.tree.topLevelItem(1).setExpanded(True)
    anim_id = demo.anim.id
    with other_session(session) as other:
        other.delete(other.get(Task, anim_id))
        other.commit()
    stale = panel.tree.topLevelItem(1).child(0)
    assert stale.text(0) == "anim"
    panel.tree.setCurrentItem(stale)  # the artist clicks the deleted task
    assert "no longer exists" in panel.banner.label.text()
    assert panel.tree.selected_node() is None and panel.versions_model.rowCount() == 0


def test_save_request_of_the_controller_is_what_the_dialog_sends(
    qtbot: Any, session: Any, demo: Demo, pm: Any, host: FakeHost,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = make_panel(qtbot, session, pm, host)
    sent: list[SaveRequest] = []
    real = panel.controller.save
    monkeypatch.setattr(panel.controller, "save", lambda r: sent.append(r) or real(r))
    dialog = dialog_for(qtbot, panel, demo.comp, "Alt")
    dialog.description.setPlainText("  blocking  ")
    dialog.save_button.click()
    assert sent == [SaveRequest(demo.comp.id, "Alt", "blocking", 1, ".fake")]


# -- demo and the command line -----------------------------------------------------------------


def test_demo_state_selects_a_task_with_versions(
    qtbot: Any, session: Any, pm: Any, tmp_path: Path
) -> None:
    from stalker_core.cli.demo_cmd import build_demo

    demo = build_demo(session, tmp_path / "repo")
    host = FakeHost()
    save_as_version(host, demo.tasks["Hero/model"], "Main", "sculpt", demo.users[0],
                    session=session, pm=pm)
    host.new_file()
    panel = make_panel(qtbot, session, pm, host, user="demo_anna")
    panel.resize(1280, 800)
    demo_state(panel)
    node = panel.tree.selected_node()
    assert node is not None and panel.controller.task_label(node.id) == "Hero/model"
    assert panel.selected_version() is not None


@pytest.mark.slow
def test_stalker_ui_workfiles_screenshot(
    qtbot: Any, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stalker_core.cli.main import main
    from stalker_core.orm.session import DBSession
    from stalker_core.ui.windows import close_panels

    monkeypatch.setenv("COLUMNS", "200")
    png = tmp_path / "shot" / "workfiles.png"
    try:
        assert main(["--db", db_url, "demo", "--root", str(tmp_path / "repo")]) == 0
        assert main(["--db", db_url, "ui", "workfiles", "--screenshot", str(png)]) == 0
    finally:
        close_panels()
        bind = DBSession.get_bind() if DBSession.registry.has() else None
        DBSession.remove()
        if bind is not None:
            bind.dispose()
    image = QtGui.QImage(str(png))
    assert not image.isNull()
    assert abs(image.width() - 1280) <= 16 and abs(image.height() - 800) <= 16
