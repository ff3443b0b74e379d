"""The Loader panel: browse published versions and load them with the host's Loader actions.

A thin Qt view over :class:`~stalker_core.controllers.loader.LoaderController`:
the project and the filters on top; then the entities grouped by kind (loaded
when a group opens, a page at a time), the tasks of the selected entity, its
published versions (newest first, paged) and the files of the selected
version; under them one button per Loader action (the ``stalker_ui_actions``
hook), enabled for the files it accepts. The same actions are in the context
menu of the versions and of the files.

Database trouble shows in the error banner, with Retry when the database was
unreachable. The outcome of a load (what was loaded, or which action of which
plugin failed and why, or that the file is missing) shows in words under the
lists. A host that can load nothing says why instead of showing buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from Qt import QtCore, QtWidgets

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.loader import (
    PAGE_SIZE,
    FileRow,
    LoaderController,
    LoaderFilter,
    LoadResult,
    VersionRow,
    normalise_extension,
)
from stalker_core.exceptions import StalkerError
from stalker_core.plugins.api import UIAction
from stalker_core.ui.loader_lists import EntityTree, FileList, TaskList, VersionList, row_of
from stalker_core.ui.widgets import ErrorBanner

__all__ = ["LoaderPanel", "demo_state"]

T = TypeVar("T")

#: milliseconds the search waits for more typing before it filters
SEARCH_DELAY_MS = 300
ANY_FILE = "Any file type"
_RESULT_STYLE = {
    "ok": "background: #1f4d2b; color: #dfd; border: 1px solid #3a7;",
    "failed": "background: #5c1f1f; color: #fdd; border: 1px solid #a33;",
    "note": "background: #3a3a22; color: #ffd; border: 1px solid #886;",
}


class LoaderPanel(QtWidgets.QWidget):
    """The Loader (see the module docstring).

    :param host: the host to load into (``None``: browse only).
    :param session: the database session (default ``DBSession``).
    :param plugin_manager: the plugin manager offering the Loader actions.
    """

    #: emitted with the :class:`~stalker_core.controllers.loader.LoadResult` of a load that worked
    loaded = QtCore.Signal(object)

    def __init__(
        self,
        host: Any = None,
        parent: QtWidgets.QWidget | None = None,
        session: Any = None,
        plugin_manager: Any = None,
    ) -> None:
        super().__init__(parent)
        self.controller = LoaderController(host, session=session, plugin_manager=plugin_manager)
        self.project_id: int | None = None
        self.filter = LoaderFilter()
        self._actions: list[UIAction] = []
        self._version_offset = 0
        #: rows per page of entities and of versions
        self.page_size = PAGE_SIZE
        self._build()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = ErrorBanner(self)
        self.project_combo = QtWidgets.QComboBox()
        # as wide as its longest project name: the name is what tells projects apart
        self.project_combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Search assets and shots by name")
        self.search.setClearButtonEnabled(True)
        self.entity_type_combo = QtWidgets.QComboBox()
        self.task_type_combo = QtWidgets.QComboBox()
        self.extension_combo = QtWidgets.QComboBox()
        self.extension_combo.setEditable(True)
        self.extension_combo.setToolTip("Only versions with files of this extension "
                                        "(type one, or several separated by commas)")
        self.refresh_button = QtWidgets.QPushButton("Refresh")
        filters = QtWidgets.QHBoxLayout()
        for label, widget, stretch in (
            ("Project", self.project_combo, 0), ("Search", self.search, 3),
            ("Asset/shot type", self.entity_type_combo, 1), ("Task type", self.task_type_combo, 1),
            ("File type", self.extension_combo, 1),
        ):
            filters.addWidget(QtWidgets.QLabel(label))
            filters.addWidget(widget, stretch)
        filters.addWidget(self.refresh_button)

        self.entity_tree = EntityTree()
        self.task_list = TaskList()
        self.version_list = VersionList()
        self.more_versions = QtWidgets.QPushButton("Show more versions")
        self.more_versions.hide()
        self.file_list = FileList()
        self.action_bar = QtWidgets.QHBoxLayout()
        self.action_label = QtWidgets.QLabel("Load with:")
        self.action_bar.addWidget(self.action_label)
        self.action_bar.addStretch(1)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"QLabel {{ {_RESULT_STYLE['note']} padding: 4px; }}")
        self.note.hide()
        self.action_buttons: dict[str, QtWidgets.QPushButton] = {}

        right = QtWidgets.QWidget()
        side = QtWidgets.QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QtWidgets.QLabel("Published versions"))
        side.addWidget(self.version_list, 3)
        side.addWidget(self.more_versions)
        side.addWidget(QtWidgets.QLabel("Files of the version"))
        side.addWidget(self.file_list, 2)
        side.addLayout(self.action_bar)
        side.addWidget(self.note)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.entity_tree)
        self.splitter.addWidget(self.task_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([300, 250, 730])

        self.result = QtWidgets.QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.result)

        self._search_timer = QtCore.QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self.project_combo.currentIndexChanged.connect(self._on_project_changed)
        self.entity_type_combo.currentIndexChanged.connect(self.apply_filters)
        self.task_type_combo.currentIndexChanged.connect(self.apply_filters)
        self.extension_combo.activated.connect(self.apply_filters)
        line = self.extension_combo.lineEdit()
        if line is not None:
            line.returnPressed.connect(self.apply_filters)
        self.refresh_button.clicked.connect(self.refresh)
        self.entity_tree.wants_page.connect(self._load_entities)
        self.entity_tree.currentItemChanged.connect(lambda *_: self._show_tasks())
        self.task_list.currentItemChanged.connect(lambda *_: self._show_versions())
        self.version_list.currentItemChanged.connect(lambda *_: self._show_files())
        self.file_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.more_versions.clicked.connect(self._more_versions)
        self.version_list.customContextMenuRequested.connect(self._version_menu)
        self.file_list.customContextMenuRequested.connect(self._file_menu)

    # -- guarded controller calls -------------------------------------------------------------

    def _guard(self, work: Callable[[], T], retry: Callable[[], object] | None = None) -> T | None:
        """Run ``work``; a StalkerError shows in the banner (Retry runs ``retry``)."""
        try:
            return work()
        except StalkerError as exc:
            self.banner.show_problem(problem_of(exc), retry or self.refresh)
            return None

    def refresh(self) -> None:
        """Read everything again: projects, actions, the selected project's lists."""
        self.banner.clear()
        self._guard(self._refresh)

    def _refresh(self) -> None:
        ctl = self.controller
        projects = ctl.projects()
        wanted = self.project_id or ctl.initial_project_id()
        self._actions = ctl.actions()
        self._set_actions(self._actions, ctl.why_nothing_loads())
        self._fill_extensions()
        with _signals_blocked(self.project_combo):
            self.project_combo.clear()
            for p in projects:
                self.project_combo.addItem(f"{p.name} ({p.code})", p.id)
            index = max(self.project_combo.findData(wanted), 0) if wanted is not None else 0
            self.project_combo.setCurrentIndex(index)
        self.project_id = self.project_combo.currentData()
        if self.project_id is None:
            self.entity_tree.set_groups([])
            self._clear_from_tasks()
            self._show_result("note", "There is no project in the database yet.")
            return
        self._load_project()

    def _fill_extensions(self) -> None:
        """Offer the extensions the actions take and the host's work files (typing others works)."""
        keep = self.extension_combo.currentText() or ANY_FILE
        exts = {e for a in self._actions for e in a.extensions}
        exts.update(getattr(self.controller.host, "workfile_extensions", ()) or ())
        with _signals_blocked(self.extension_combo):
            self.extension_combo.clear()
            self.extension_combo.addItem(ANY_FILE)
            self.extension_combo.addItems(sorted(exts))
            self.extension_combo.setCurrentText(keep)

    def _on_project_changed(self) -> None:
        self.project_id = self.project_combo.currentData()
        if self.project_id is not None:
            self._guard(self._load_project)

    def _load_project(self) -> None:
        assert self.project_id is not None
        choices = self.controller.type_choices(self.project_id)
        for combo, rows, anything in (
            (self.entity_type_combo, choices.entity_types, "Any asset/shot type"),
            (self.task_type_combo, choices.task_types, "Any task type"),
        ):
            keep = combo.currentData()
            with _signals_blocked(combo):
                combo.clear()
                combo.addItem(anything, None)
                for t in rows:
                    combo.addItem(t.name, t.id)
                combo.setCurrentIndex(max(combo.findData(keep), 0))
        self._read_filter()
        self._load_groups()

    def apply_filters(self) -> None:
        """Read the filter widgets and list again what matches."""
        self.banner.clear()
        if self.project_id is None:
            return
        if self._read_filter():
            self._guard(self._load_groups, self.apply_filters)

    def _read_filter(self) -> bool:
        text = self.extension_combo.currentText().strip()
        exts: set[str] = set()
        if text and text != ANY_FILE:
            try:
                exts = {normalise_extension(e) for e in text.replace(",", " ").split()}
            except StalkerError as exc:
                self._show_result("failed", f"File type: {exc}")
                return False
        entity_type, task_type = (self.entity_type_combo.currentData(),
                                  self.task_type_combo.currentData())
        self.filter = LoaderFilter(
            entity_type_ids=frozenset({entity_type} if entity_type is not None else ()),
            task_type_ids=frozenset({task_type} if task_type is not None else ()),
            extensions=frozenset(exts),
            search=self.search.text(),
        )
        return True

    # -- the lists ----------------------------------------------------------------------------

    def _load_groups(self) -> None:
        assert self.project_id is not None
        groups = self.controller.entity_groups(self.project_id, self.filter)
        self.entity_tree.set_groups(groups)
        self._clear_from_tasks()
        if not groups:
            self._show_result("note", "No published version matches: change the filters or "
                                      "the project.")
        else:
            self.result.hide()

    def _load_entities(self, group: Any, offset: int) -> None:
        project_id, kind = self.project_id, row_of(group).kind

        def work() -> None:
            assert project_id is not None
            page = self.controller.entities(project_id, kind, self.filter, offset=offset,
                                            limit=self.page_size)
            self.entity_tree.add_page(group, page)

        self._guard(work, lambda: self._load_entities(group, offset))

    def _clear_from_tasks(self) -> None:
        self.task_list.clear()
        self._clear_from_versions()

    def _clear_from_versions(self) -> None:
        self.version_list.clear()
        self.more_versions.hide()
        self.file_list.clear()
        self._update_buttons()

    def _show_tasks(self) -> None:
        entity = self.entity_tree.selected_entity()
        self._clear_from_tasks()
        if entity is None:
            return
        tasks = self._guard(lambda: self.controller.tasks(entity.id, self.filter))
        if tasks:
            self.task_list.set_tasks(entity, tasks)
            _select_first(self.task_list)

    def _show_versions(self) -> None:
        self._clear_from_versions()
        self._version_offset = 0
        self._more_versions()
        _select_first(self.version_list)

    def _more_versions(self) -> None:
        task = self.task_list.selected_task()
        entity = self.entity_tree.selected_entity()
        if task is None or entity is None or self.project_id is None:
            return
        project_id = self.project_id
        page = self._guard(lambda: self.controller.versions(
            project_id, self.filter, entity_id=entity.id, task_id=task.id,
            offset=self._version_offset, limit=self.page_size))
        if page is None:
            return
        self.version_list.add_page(page)
        self._version_offset = page.next_offset
        self.more_versions.setVisible(page.has_more)
        self.more_versions.setText(f"Show more versions ({page.next_offset} shown)")

    def _show_files(self) -> None:
        version = self.version_list.selected_version()
        self.file_list.set_files(version.files if version is not None else ())
        if version is None:
            self._update_buttons()
            return
        default = version.file_for(self._actions[0] if self._actions else None)
        for i in range(self.file_list.topLevelItemCount()):
            item = self.file_list.topLevelItem(i)
            if item is not None and row_of(item) == default:
                self.file_list.setCurrentItem(item)
                return
        self._update_buttons()

    # -- actions ------------------------------------------------------------------------------

    def _set_actions(self, actions: list[UIAction], why_not: str | None) -> None:
        for button in self.action_buttons.values():
            self.action_bar.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for i, action in enumerate(actions):
            button = QtWidgets.QPushButton(action.label)
            button.setObjectName(f"loader_action_{action.name}")
            button.clicked.connect(lambda _checked=False, a=action: self.run_action(a))
            self.action_bar.insertWidget(1 + i, button)
            self.action_buttons[action.name] = button
        self.action_label.setVisible(bool(actions))
        self.note.setText(f"Note: {why_not}" if why_not else "")
        self.note.setVisible(bool(why_not))
        self._update_buttons()

    def _why_disabled(self, action: UIAction, file: FileRow | None) -> str | None:
        if file is None:
            return "Select a published version and one of its files."
        if not file.exists:
            return f"The file is missing: {file.path}"
        if not action.accepts(file.path):
            return f"{action.label} takes {', '.join(action.extensions)} files, not " \
                   f"{file.extension or 'files without an extension'}."
        return None

    def _update_buttons(self) -> None:
        file = self.file_list.selected_file()
        for action in self._actions:
            button = self.action_buttons.get(action.name)
            if button is None:
                continue
            why = self._why_disabled(action, file)
            button.setEnabled(why is None)
            button.setToolTip(why or action.description or action.label)

    def run_action(self, action: UIAction, version: VersionRow | None = None,
                   file: FileRow | None = None) -> LoadResult | None:
        """Load ``file`` of ``version`` (default: the selected ones) with ``action``."""
        version = version or self.version_list.selected_version()
        file = file or self.file_list.selected_file()
        if version is None:
            return None
        path = file.path if file is not None else None
        result = self._guard(lambda: self.controller.load(version.id, action.name, path))
        if result is None:
            return None
        if result.ok:
            text = result.message
            if result.warnings:
                text += "\nWarning: " + " ".join(result.warnings)
            self._show_result("ok", text)
            self.loaded.emit(result)
        else:
            self._show_result("failed", "Not loaded: " + result.message)
            self._reread_version(version)
        return result

    def _reread_version(self, version: VersionRow) -> None:
        """Show the version's files again (one may have gone missing meanwhile)."""
        fresh = self._guard(lambda: self.controller.version(version.id, self.filter))
        item = self.version_list.currentItem()
        if fresh is not None and item is not None and row_of(item) == version:
            item.setData(0, QtCore.Qt.ItemDataRole.UserRole, fresh)
            self._show_files()

    def _show_result(self, kind: str, text: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"QLabel {{ {_RESULT_STYLE[kind]} padding: 4px; }}")
        self.result.setProperty("state", kind)
        self.result.show()

    def action_menu(self, version: VersionRow, file: FileRow | None = None) -> QtWidgets.QMenu:
        """The context menu: one entry per action, for ``file`` (default: each action's own)."""
        menu = QtWidgets.QMenu(self)
        for action in self._actions:
            target = file or version.file_for(action)
            entry = menu.addAction(action.label)
            why = self._why_disabled(action, target)
            entry.setEnabled(why is None)
            entry.setToolTip(why or action.description)
            entry.triggered.connect(
                lambda _checked=False, a=action, f=target: self.run_action(a, version, f)
            )
        return menu

    def _popup(self, version: VersionRow | None, file: FileRow | None,
               where: QtWidgets.QAbstractScrollArea, pos: QtCore.QPoint) -> None:
        if version is not None and self._actions:
            self.action_menu(version, file).popup(where.viewport().mapToGlobal(pos))

    def _version_menu(self, pos: QtCore.QPoint) -> None:
        self._popup(row_of(self.version_list.itemAt(pos)), None, self.version_list, pos)

    def _file_menu(self, pos: QtCore.QPoint) -> None:
        file = row_of(self.file_list.itemAt(pos))
        self._popup(self.version_list.selected_version(), file, self.file_list, pos)


def _select_first(tree: QtWidgets.QTreeWidget) -> None:
    item = tree.topLevelItem(0)
    if item is not None:
        tree.setCurrentItem(item)


@contextmanager
def _signals_blocked(widget: QtCore.QObject) -> Iterator[None]:
    """Change ``widget`` without emitting its signals."""
    was = widget.blockSignals(True)
    try:
        yield
    finally:
        widget.blockSignals(was)


def demo_state(widget: QtWidgets.QWidget) -> None:
    """Select the first entity of the first group, its first task, version and file.

    Over the demo studio (``stalker demo``) that is the asset Hero, its model
    task and its newest published version.
    """
    panel = widget if isinstance(widget, LoaderPanel) else widget.findChild(LoaderPanel)
    if panel is None:
        return
    tree = panel.entity_tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        if group is None:
            continue
        group.setExpanded(True)
        if group.childCount():
            tree.setCurrentItem(group.child(0))
            return
