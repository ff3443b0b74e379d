"""The Loader panel over the real controller (offscreen Qt, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from loader_helpers import actions_plugin, add_output, publish_new
from Qt import QtCore, QtGui, QtWidgets
from wf_helpers import Demo

from stalker_core.controllers.loader import EntityRow
from stalker_core.plugins.api import UIAction
from stalker_core.testing import FakeHost
from stalker_core.ui.loader import LoaderPanel, demo_state
from stalker_core.ui.loader_lists import row_of


@pytest.fixture
def make_panel(qtbot: Any, session: Any, pm: Any) -> Any:
    def make(host: Any = None, **kwargs: Any) -> LoaderPanel:
        panel = LoaderPanel(host=host, session=kwargs.pop("db", session),
                            plugin_manager=kwargs.pop("plugins", pm), **kwargs)
        qtbot.addWidget(panel)
        panel.resize(1280, 800)
        return panel

    return make


def texts(tree: QtWidgets.QTreeWidget, parent: QtWidgets.QTreeWidgetItem | None = None,
          column: int = 0) -> list[str]:
    count = parent.childCount() if parent is not None else tree.topLevelItemCount()
    items = [parent.child(i) if parent is not None else tree.topLevelItem(i)
             for i in range(count)]
    return [item.text(column) for item in items if item is not None]


def open_entity(panel: LoaderPanel, kind: str, name: str) -> None:
    group = panel.entity_tree.group_item(kind)
    assert group is not None, texts(panel.entity_tree)
    group.setExpanded(True)
    for i in range(group.childCount()):
        child = group.child(i)
        if child is not None and child.text(0) == name:
            panel.entity_tree.setCurrentItem(child)
            return
    raise AssertionError(f"{name} not in {texts(panel.entity_tree, group)}")


def test_browse_and_reference(make_panel: Any, session: Any, demo: Demo, pm: Any) -> None:
    v1, v2 = publish_new(session, pm, demo.model, 2)
    publish_new(session, pm, demo.comp)
    host = FakeHost()
    panel = make_panel(host)
    assert panel.project_combo.currentText() == "Project TP (TP)"
    assert texts(panel.entity_tree) == ["Assets (1)", "Shots (1)"]
    assert panel.entity_tree.group_item("Asset").childCount() == 0  # loaded when opened
    assert "loader.entities" not in [c.label for c in panel.controller.call_log.calls]

    open_entity(panel, "Asset", "Hero")
    assert texts(panel.task_list) == ["model"]
    assert texts(panel.version_list) == ["Main v002", "Main v001"]  # newest first, selected
    assert panel.version_list.selected_version().id == v2.id
    assert texts(panel.file_list, column=1) == ["published file", "work file"]
    assert texts(panel.file_list, column=2) == ["available", "available"]
    assert panel.file_list.selected_file().kind == "published"
    button = panel.action_buttons["core.reference"]
    assert button.isEnabled() and button.text() == "Reference"
    assert panel.note.isHidden()

    with QtTestSignal(panel.loaded) as loaded:
        button.click()
    [container] = host.list_references()
    assert container.version_id == v2.id
    assert loaded.args[0].container == container
    assert panel.result.property("state") == "ok"
    assert panel.result.text().startswith("Loaded Hero / model Main v002")


class QtTestSignal:
    """Record the first emission of a signal inside a ``with`` block."""

    def __init__(self, signal: Any) -> None:
        self.signal, self.args = signal, None

    def _got(self, *args: Any) -> None:
        self.args = args

    def __enter__(self) -> QtTestSignal:
        self.signal.connect(self._got)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.signal.disconnect(self._got)
        assert self.args is not None, "the signal was not emitted"


def test_entities_and_versions_come_by_page(make_panel: Any, session: Any, demo: Demo,
                                            pm: Any) -> None:
    from stalker_core.models import Asset

    props = [Asset(name=f"Prop{i}", code=f"P{i}", project=demo.project, type=demo.asset.type)
             for i in range(3)]
    session.add_all(props)
    session.commit()
    for a in props:
        publish_new(session, pm, a)
    publish_new(session, pm, demo.model, 3)
    panel = make_panel(FakeHost())
    panel.page_size = 2
    group = panel.entity_tree.group_item("Asset")
    group.setExpanded(True)
    assert texts(panel.entity_tree, group) == ["Hero", "Prop0", "Show more... (2 shown)"]
    more = group.child(2)
    panel.entity_tree.itemClicked.emit(more, 0)
    assert texts(panel.entity_tree, group) == ["Hero", "Prop0", "Prop1", "Prop2"]
    assert isinstance(row_of(group.child(3)), EntityRow)

    open_entity(panel, "Asset", "Hero")
    assert texts(panel.version_list) == ["Main v003", "Main v002"]
    assert panel.more_versions.isVisibleTo(panel)
    panel.more_versions.click()
    assert texts(panel.version_list) == ["Main v003", "Main v002", "Main v001"]
    assert not panel.more_versions.isVisibleTo(panel)


def test_filters(make_panel: Any, qtbot: Any, session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import Asset, Type

    prop = Type(name="Prop", code="PROP", target_entity_type="Asset")
    chair = Asset(name="Chair", code="CHAIR", project=demo.project, type=prop)
    session.add(chair)
    session.commit()
    publish_new(session, pm, demo.model)
    [chair_v] = publish_new(session, pm, chair)
    add_output(session, chair_v, "chair.abc")
    publish_new(session, pm, demo.comp)
    panel = make_panel(FakeHost())
    assert texts(panel.entity_tree) == ["Assets (2)", "Shots (1)"]

    panel.search.setText("chai")
    qtbot.waitUntil(lambda: texts(panel.entity_tree) == ["Assets (1)"])
    panel.search.clear()
    qtbot.waitUntil(lambda: texts(panel.entity_tree) == ["Assets (2)", "Shots (1)"])

    combo = panel.entity_type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Any asset/shot type", "Character", "Prop"]
    combo.setCurrentIndex(2)
    assert texts(panel.entity_tree) == ["Assets (1)"]
    open_entity(panel, "Asset", "Chair")
    combo.setCurrentIndex(0)

    panel.extension_combo.setCurrentText("ABC")
    panel.apply_filters()
    assert texts(panel.entity_tree) == ["Assets (1)"]
    open_entity(panel, "Asset", "Chair")
    assert texts(panel.file_list) == ["chair.abc"]  # only the files of the extension
    assert texts(panel.task_list) == ["(Chair itself)"]

    panel.extension_combo.setCurrentText("*")
    panel.apply_filters()
    assert panel.result.property("state") == "failed"
    assert "File type: a file extension should look like '.abc'" in panel.result.text()
    panel.extension_combo.setCurrentText("Any file type")
    panel.apply_filters()
    assert texts(panel.entity_tree) == ["Assets (2)", "Shots (1)"]


def test_missing_file_is_shown_and_not_loaded(make_panel: Any, session: Any, demo: Demo,
                                              pm: Any) -> None:
    [v] = publish_new(session, pm, demo.model)
    host = FakeHost()
    panel = make_panel(host)
    open_entity(panel, "Asset", "Hero")
    published = panel.file_list.selected_file()
    published.path.unlink()
    panel.run_action(panel._actions[0])
    assert panel.result.property("state") == "failed"
    assert f"Not loaded: The published file of Hero / model Main v001 is missing: " \
           f"{published.path}" in panel.result.text()
    assert host.list_references() == []
    # the files were read again: the missing one says so in words, its button is off
    assert texts(panel.file_list, column=2) == ["MISSING", "available"]
    button = panel.action_buttons["core.reference"]
    assert not button.isEnabled() and "missing" in button.toolTip()
    menu = panel.action_menu(panel.version_list.selected_version(),
                             panel.file_list.selected_file())
    [entry] = menu.actions()
    assert entry.text() == "Reference" and not entry.isEnabled()
    # the work file of the version is still there and loads
    panel.file_list.setCurrentItem(panel.file_list.topLevelItem(1))
    assert button.isEnabled()
    button.click()
    assert [c.version_id for c in host.list_references()] == [v.id]


def test_failing_action_names_action_and_plugin(make_panel: Any, session: Any, demo: Demo,
                                                pm: Any) -> None:
    publish_new(session, pm, demo.model)

    def broken(host: Any, version: Any, path: Path) -> None:
        host.load_reference(path, version_id=version.id)
        raise RuntimeError("no rig in this file")

    pm.register(actions_plugin("studio_rigs", UIAction("studio.rig", "Load Rig", "loader",
                                                       broken)), name="studio_rigs")
    host = FakeHost()
    panel = make_panel(host)
    assert list(panel.action_buttons) == ["core.reference", "studio.rig"]
    open_entity(panel, "Asset", "Hero")
    version = panel.version_list.selected_version()
    menu = panel.action_menu(version)
    assert [a.text() for a in menu.actions()] == ["Reference", "Load Rig"]
    menu.actions()[1].trigger()
    text = panel.result.text()
    assert "'Load Rig' (studio.rig from plugin 'studio_rigs') failed" in text
    assert "RuntimeError: no rig in this file" in text
    assert host.list_references() == []  # nothing half-loaded
    assert not panel.banner.isVisibleTo(panel)


def test_host_that_can_load_nothing_says_why(make_panel: Any, session: Any, demo: Demo,
                                            pm: Any) -> None:
    publish_new(session, pm, demo.model)
    panel = make_panel(FakeHost(capabilities=set()))
    assert panel.action_buttons == {}
    assert panel.note.isVisibleTo(panel)
    assert "Nothing can be loaded in 'fake': it has no 'references' capability" in (
        panel.note.text())
    open_entity(panel, "Asset", "Hero")  # browsing works all the same
    assert texts(panel.version_list) == ["Main v001"]


def test_unreachable_database_shows_banner_and_retry(make_panel: Any, session: Any,
                                                     demo: Demo, pm: Any,
                                                     tmp_path: Path) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    publish_new(session, pm, demo.model)
    engine = create_engine(f"sqlite:///{tmp_path}/gone/stalker.db")
    panel = make_panel(FakeHost(), db=Session(engine))
    assert panel.banner.isVisibleTo(panel)
    assert "cannot be reached" in panel.banner.label.text()
    assert panel.banner.retry_button.isVisibleTo(panel)
    assert panel.entity_tree.topLevelItemCount() == 0
    panel.controller.session = session  # the server is back
    panel.banner.retry_button.click()
    assert not panel.banner.isVisibleTo(panel)
    assert texts(panel.entity_tree) == ["Assets (1)"]
    engine.dispose()


def test_demo_state_selects_a_published_version(make_panel: Any, session: Any,
                                                tmp_path: Path, pm: Any) -> None:
    from stalker_core.cli.demo_cmd import build_demo

    demo = build_demo(session, tmp_path / "demo")
    publish_new(session, pm, demo.tasks["Hero/model"], login="demo_anna")
    panel = make_panel(FakeHost())
    demo_state(panel)
    assert panel.entity_tree.selected_entity().name == "Hero"
    assert texts(panel.task_list) == ["model"]
    assert panel.version_list.selected_version() is not None
    assert panel.file_list.selected_file() is not None


# -- stalker ui loader --screenshot ---------------------------------------------------------------


@pytest.fixture
def cli_url(db_url: str) -> Iterator[str]:
    """A database for the CLI; its connection is closed before the database is dropped."""
    from stalker_core.ui.windows import close_panels

    yield db_url
    close_panels()
    from stalker_core.orm.session import DBSession

    bind = DBSession.get_bind() if DBSession.registry.has() else None
    DBSession.remove()
    if bind is not None:
        bind.dispose()


def test_ui_loader_screenshot(qapp: Any, cli_url: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    from stalker_core.cli.main import main

    assert main(["--db", cli_url, "demo", "--root", str(tmp_path / "repo")]) == 0
    png = tmp_path / "shots" / "ui_loader.png"
    assert main(["--db", cli_url, "ui", "loader", "--screenshot", str(png)]) == 0
    assert f"wrote {png}" in capsys.readouterr().out
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    QtCore.QCoreApplication.processEvents()
