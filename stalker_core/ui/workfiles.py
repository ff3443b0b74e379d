"""The Work Files panel: find a task's versions, save as version, open.

From left to right: the project and the task tree (loaded a level at a time,
"My tasks" keeps the artist's tasks and their parents; each status written
out next to its colour), the takes of the selected task, and its versions
(read a page at a time as the table scrolls). Below, Save As Version (the
dialog of :mod:`stalker_core.ui.save_dialog`), Open and Open as New Version.

Everything it knows comes from
:class:`~stalker_core.controllers.workfiles.WorkFilesController`; errors
show in the banner at the top (with Retry when the database could not be
reached), never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from Qt import QtCore, QtWidgets

from stalker_core.controllers.base import Problem, problem_of
from stalker_core.controllers.browse import ProjectItem, TaskNode, TaskNotFoundError
from stalker_core.controllers.workfiles import (
    OpenChoice,
    OpenOutcome,
    TakeItem,
    UnsavedPrompt,
    VersionRow,
    WorkFilesController,
)
from stalker_core.exceptions import StalkerError
from stalker_core.ui.save_dialog import SaveAsVersionDialog
from stalker_core.ui.widgets import ErrorBanner
from stalker_core.ui.workfiles_models import TaskTree, VersionsTableModel

if TYPE_CHECKING:
    import pluggy

__all__ = ["WorkFilesPanel", "demo_state"]

_ROLE = QtCore.Qt.ItemDataRole


class WorkFilesPanel(QtWidgets.QWidget):
    """The Work Files panel (a view over :class:`WorkFilesController`).

    :param host: the host that saves and opens (``None``: browse only).
    :param session: the database session (default ``DBSession``).
    :param plugin_manager: the plugin manager.
    :param user: the artist (default: the user of the OS login).
    :param controller: a ready controller (the other arguments are then ignored).
    """

    def __init__(
        self,
        host: Any = None,
        parent: QtWidgets.QWidget | None = None,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
        *,
        user: Any = None,
        controller: WorkFilesController | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller or WorkFilesController(
            host, session=session, plugin_manager=plugin_manager, user=user
        )
        self.setMinimumSize(900, 520)
        self.banner = ErrorBanner(self)

        self.project_box = QtWidgets.QComboBox()
        self.project_box.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents
        )
        self.project_box.setMinimumContentsLength(24)
        self.my_tasks_box = QtWidgets.QCheckBox("My tasks")
        self.refresh_button = QtWidgets.QPushButton("Refresh")
        self.refresh_button.setToolTip("Read projects, tasks and versions again")

        self.tree = TaskTree(self.controller, self._show_error)
        self.takes_list = QtWidgets.QListWidget()
        self.takes_list.setSelectionMode(
            QtWidgets.QAbstractItemView.SelectionMode.SingleSelection
        )
        self.versions_model = VersionsTableModel(self.controller, self)
        self.versions_view = QtWidgets.QTableView()
        self.versions_view.setModel(self.versions_model)
        self.versions_view.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.versions_view.setSelectionMode(
            QtWidgets.QAbstractItemView.SelectionMode.SingleSelection
        )
        self.versions_view.setAlternatingRowColors(True)
        # a long description wraps (never cut): its row alone grows (see _fit_rows)
        self.versions_view.setWordWrap(True)
        rows = self.versions_view.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.versions_view.fontMetrics().height() + 8)
        self._tall_rows: set[int] = set()
        self._fit_timer = QtCore.QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(lambda: self._fit_rows())
        #: the take and version to select when a task is selected by code (None: the first)
        self._wanted: tuple[str | None, int | None] = (None, None)
        self._size_columns()
        self.versions_title = QtWidgets.QLabel("Versions")
        self.versions_title.setWordWrap(True)

        self.save_button = QtWidgets.QPushButton("Save As Version\u2026")
        self.open_button = QtWidgets.QPushButton("Open")
        self.open_new_button = QtWidgets.QPushButton("Open as New Version")
        self.open_new_button.setToolTip(
            "Open the selected (published or older) version and save it at once as the next "
            "version of its take"
        )
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self._layout()
        self._connect()
        self._update_buttons()
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _size_columns(self) -> None:
        header = self.versions_view.horizontalHeader()
        model = VersionsTableModel
        fixed = {model.VERSION: "v0000", model.AUTHOR: "Anna Artist ", model.DATE:
                 "2026-12-31 23:59 ", model.PUBLISHED: "\u2714 published ",
                 model.APPLICATION: "standalone "}
        metrics = self.versions_view.fontMetrics()
        for column, sample in fixed.items():
            title = model.COLUMNS[column]
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) + 24
            self.versions_view.setColumnWidth(column, width)
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(model.DESCRIPTION, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("v000") + 16)

    def _rows_reset(self) -> None:
        """A new take is shown: every row is one line high again; measure once laid out."""
        self._tall_rows.clear()
        self._fit_timer.start()

    def _fit_rows(self, first: int = 0, last: int | None = None) -> None:
        """Give the rows whose description does not fit on one line the height it needs.

        Only those rows are measured (a width from the font metrics per row),
        so a page of many rows costs little; the others keep the default height.
        """
        view, model = self.versions_view, self.versions_model
        last = model.rowCount() - 1 if last is None else last
        room = view.columnWidth(VersionsTableModel.DESCRIPTION) - 12
        metrics = view.fontMetrics()
        default = view.verticalHeader().defaultSectionSize()
        for r in range(first, last + 1):
            text = model.texts_of(r)[VersionsTableModel.DESCRIPTION]
            if metrics.horizontalAdvance(text) > room:
                view.resizeRowToContents(r)
                self._tall_rows.add(r)
            elif r in self._tall_rows:
                view.setRowHeight(r, default)
                self._tall_rows.discard(r)

    def _layout(self) -> None:
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Project:"))
        top.addWidget(self.project_box)
        top.addWidget(self.my_tasks_box)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        def column(title: str | QtWidgets.QLabel, widget: QtWidgets.QWidget) -> QtWidgets.QWidget:
            box = QtWidgets.QWidget()
            lay = QtWidgets.QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QtWidgets.QLabel(title) if isinstance(title, str) else title)
            lay.addWidget(widget, 1)
            return box

        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        self.splitter.addWidget(column("Tasks", self.tree))
        self.splitter.addWidget(column("Takes", self.takes_list))
        self.splitter.addWidget(column(self.versions_title, self.versions_view))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 6)
        self.splitter.setSizes([390, 110, 780])
        self.splitter.setChildrenCollapsible(False)

        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.open_new_button)
        buttons.addWidget(self.save_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.project_box.currentIndexChanged.connect(lambda _i: self._project_changed())
        self.my_tasks_box.toggled.connect(lambda _on: self._project_changed())
        self.refresh_button.clicked.connect(self.refresh)
        self.tree.taskSelected.connect(lambda node: self._task_changed(node))
        self.takes_list.currentItemChanged.connect(lambda *_: self._take_changed())
        self.versions_view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.versions_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.versions_model.failed.connect(lambda problem: self._show_problem(problem))
        self.versions_model.modelReset.connect(self._rows_reset)
        self.versions_model.rowsInserted.connect(
            lambda _parent, first, last: self._fit_rows(first, last)
        )
        self.versions_view.horizontalHeader().sectionResized.connect(
            # the header tells before it has the new width: measure once it has
            lambda column, _old, _new: column == VersionsTableModel.DESCRIPTION
            and self._fit_timer.start()
        )
        self.save_button.clicked.connect(self.save_as_version)
        self.open_button.clicked.connect(self.open_selected)
        self.open_new_button.clicked.connect(self.open_selected_as_new)

    # -- errors -----------------------------------------------------------------------------

    def _show_problem(self, problem: Problem) -> None:
        self.banner.show_problem(problem, retry=self.refresh)

    def _show_error(self, exc: BaseException) -> None:
        """Show ``exc`` in the banner; a deleted task reloads the tree."""
        self._show_problem(problem_of(exc))
        if isinstance(exc, TaskNotFoundError):
            self._reload_tree()

    def _guard(self, action: Callable[[], object]) -> bool:
        """Run ``action``; a StalkerError goes to the banner. True when it succeeded."""
        try:
            action()
        except StalkerError as exc:
            self._show_error(exc)
            self._update_buttons()
            return False
        return True

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read everything again, keeping the selection where it still exists."""
        task = self.tree.selected_node()
        take = self.current_take()
        self.banner.clear()
        if not self._guard(self._load_projects):
            self._set_enabled(False)
            return
        self._set_enabled(True)
        if task is not None:
            self.select_task(task.id, take)
        elif not self._select_scene_task():
            self._task_changed(None)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.project_box, self.tree, self.takes_list, self.versions_view):
            widget.setEnabled(on)
        if not on:
            self.my_tasks_box.setEnabled(False)
            self.tree.clear()
            self.takes_list.clear()
            self.versions_model.clear()
        self._update_buttons()

    def _load_projects(self) -> None:
        projects = self.controller.projects()
        current = self.project_box.currentData(_ROLE.UserRole)
        user = self.controller.user
        self.my_tasks_box.setEnabled(user is not None)
        self.my_tasks_box.setToolTip(
            f"Only the tasks of {user.name} ({user.login}) and their parents" if user
            else "No user has your login name, so there are no tasks of yours to show"
        )
        self.project_box.blockSignals(True)
        self.project_box.clear()
        for item in projects:
            self.project_box.addItem(item.label, item)
        index = next((i for i, p in enumerate(projects)
                      if current is not None and p.id == current.id), 0)
        self.project_box.setCurrentIndex(index if projects else -1)
        self.project_box.blockSignals(False)
        self._reload_tree()

    def current_project(self) -> ProjectItem | None:
        """The selected project."""
        return self.project_box.currentData(_ROLE.UserRole)  # type: ignore[no-any-return]

    def _project_changed(self) -> None:
        self._reload_tree()
        self._task_changed(None)

    def _reload_tree(self) -> None:
        project = self.current_project()
        only = None
        if project is not None and self.my_tasks_box.isChecked():
            try:
                only = self.controller.my_tasks(project.id)
            except StalkerError as exc:
                self._show_problem(problem_of(exc))
                return
        self.tree.load(project.id if project is not None else None, only)

    def _select_scene_task(self) -> bool:
        """Select the task and take of the scene open in the host, when known."""
        try:
            selection = self.controller.current_selection()
        except StalkerError as exc:
            self._show_error(exc)
            return False
        if selection is None:
            return False
        index = next((i for i in range(self.project_box.count())
                      if self.project_box.itemData(i, _ROLE.UserRole).id == selection.project_id),
                     -1)
        if index < 0:
            return False
        self.project_box.setCurrentIndex(index)
        return self.select_task(selection.task_id, selection.take, selection.version_id)

    def select_task(self, task_id: int, take: str | None = None,
                    version_id: int | None = None) -> bool:
        """Open the tree down to ``task_id`` and select it (and ``take``, ``version_id``)."""
        try:
            path = self.controller.task_path(task_id)
        except StalkerError as exc:
            self._show_error(exc)
            self._task_changed(None)
            return False
        self._wanted = (take, version_id)
        found = self.tree.open_path(path)
        self._wanted = (None, None)
        if not found:
            self._task_changed(None)
        return found

    def _task_changed(self, node: TaskNode | None) -> None:
        take, version_id = self._wanted
        self.takes_list.blockSignals(True)
        self.takes_list.clear()
        self.takes_list.blockSignals(False)
        if node is None:
            self.versions_model.clear()
            self._show_title()
            self._update_buttons()
            return
        takes: list[TakeItem] = []
        if not self._guard(lambda: takes.extend(self.controller.takes(node.id))):
            self.versions_model.clear()
            return
        self.takes_list.blockSignals(True)
        for item in takes:
            entry = QtWidgets.QListWidgetItem(item.label)
            entry.setData(_ROLE.UserRole, item)
            self.takes_list.addItem(entry)
        names = [t.name for t in takes]
        self.takes_list.setCurrentRow(names.index(take) if take in names else 0)
        self.takes_list.blockSignals(False)
        self._take_changed(version_id)

    def current_take(self) -> str | None:
        """The selected take."""
        item = self.takes_list.currentItem()
        return item.data(_ROLE.UserRole).name if item is not None else None

    def _take_changed(self, version_id: int | None = None) -> None:
        node = self.tree.selected_node()
        item = self.takes_list.currentItem()
        take: TakeItem | None = item.data(_ROLE.UserRole) if item is not None else None
        if node is None or take is None:
            self.versions_model.clear()
        elif not self._guard(lambda: self.versions_model.load(node.id, take.name, take.count)):
            self.versions_model.clear()
        if version_id is not None:
            self.select_version(version_id)
        self._show_title()
        self._update_buttons()

    def _show_title(self) -> None:
        node = self.tree.selected_node()
        if node is None:
            self.versions_title.setText("Versions (select a task)")
            return
        total = self.versions_model.total
        label = self.controller.task_label(node.id)
        self.versions_title.setText(
            f"Versions of {label}, take {self.current_take() or '-'}: {total:,}"
        )

    #: pages read at most to find a version to select (an old one of a long take is not)
    SELECT_PAGES = 5

    def select_version(self, version_id: int) -> bool:
        """Select ``version_id``'s row, reading up to :attr:`SELECT_PAGES` more pages."""
        model = self.versions_model
        row = model.find(version_id)
        pages = 0
        while row < 0 and pages < self.SELECT_PAGES and model.canFetchMore(QtCore.QModelIndex()):
            model.fetchMore(QtCore.QModelIndex())
            row = model.find(version_id)
            pages += 1
        if row < 0:
            return False
        self.versions_view.selectRow(row)
        self.versions_view.scrollTo(model.index(row, 0))
        return True

    def selected_version(self) -> VersionRow | None:
        """The selected version."""
        rows = self.versions_view.selectionModel().selectedRows()
        return self.versions_model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        node = self.tree.selected_node()
        version = self.selected_version()
        has_host = self.controller.host is not None
        self.save_button.setEnabled(has_host and node is not None and not node.has_children)
        self.save_button.setToolTip(
            "" if has_host else "There is no application to save from"
        )
        self.open_button.setEnabled(has_host and version is not None)
        self.open_new_button.setEnabled(has_host and version is not None)

    # -- actions --------------------------------------------------------------------------

    def save_as_version(self) -> None:
        """Show the Save As Version dialog for the selected task and take."""
        node = self.tree.selected_node()
        if node is None or not self._guard(lambda: self.controller.task_path(node.id)):
            return  # a task deleted meanwhile: the banner says so and the tree was reloaded
        dialog = self.make_save_dialog(node.id, self.current_take() or "Main")
        if dialog is None:
            return
        if dialog.exec() and dialog.outcome is not None and dialog.outcome.version is not None:
            self._after(dialog.outcome.message, dialog.outcome.version)

    def make_save_dialog(self, task_id: int, take: str) -> SaveAsVersionDialog | None:
        """The Save As Version dialog (tests drive it without ``exec``)."""
        try:
            return SaveAsVersionDialog(self.controller, task_id, take, self)
        except StalkerError as exc:
            self._show_error(exc)
            return None

    def open_selected(self) -> None:
        """Open the selected version (asking about unsaved changes first)."""
        self._open(as_new=False)

    def open_selected_as_new(self) -> None:
        """Open the selected version and save it at once as the next version."""
        self._open(as_new=True)

    def _open(self, *, as_new: bool) -> None:
        version = self.selected_version()
        if version is None:
            return
        call = self.controller.open_as_new_version if as_new else self.controller.open
        result: list[OpenOutcome] = []
        if not self._guard(lambda: result.append(call(version.id))):
            return
        outcome = result[0]
        if outcome.status == "needs_choice" and outcome.prompt is not None:
            choice = self.ask_unsaved(outcome.prompt)
            if choice is OpenChoice.CANCEL:
                self.status_label.setText("Nothing was opened.")
                return
            result.clear()
            if not self._guard(lambda: result.append(call(version.id, choice))):
                return
            outcome = result[0]
        if outcome.status == "refused":
            self._show_problem(Problem(outcome.message))
            return
        if outcome.opened and outcome.version is not None:
            message = outcome.message
            if outcome.saved_first is not None:
                message = f"saved the changes as {outcome.saved_first.label}, then {message}"
            problems = [c for c in outcome.checks if c.severity != "info"]
            if problems:
                message += " \u2014 " + "; ".join(f"{c.title}: {c.message}" for c in problems)
            self._after(message, outcome.version)

    def ask_unsaved(self, prompt: UnsavedPrompt) -> OpenChoice:
        """Ask the artist what to do with unsaved changes (a QMessageBox)."""
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(prompt.question)
        answers: dict[Any, OpenChoice] = {}
        labels = {
            OpenChoice.SAVE_FIRST: ("Save First", QtWidgets.QMessageBox.ButtonRole.AcceptRole),
            OpenChoice.DISCARD: ("Discard Changes",
                                 QtWidgets.QMessageBox.ButtonRole.DestructiveRole),
            OpenChoice.CANCEL: ("Cancel", QtWidgets.QMessageBox.ButtonRole.RejectRole),
        }
        for choice in prompt.choices:
            text, role = labels[choice]
            answers[box.addButton(text, role)] = choice
        cancel = next(b for b, c in answers.items() if c is OpenChoice.CANCEL)
        box.setEscapeButton(cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return answers.get(box.clickedButton(), OpenChoice.CANCEL)

    def _after(self, message: str, version: VersionRow) -> None:
        """After a save or an open: show the message, reload the take, select ``version``."""
        self.banner.clear()
        self.status_label.setText(message[:1].upper() + message[1:])
        node = self.tree.selected_node()
        if node is not None:
            self._wanted = (version.take, version.id)
            self._task_changed(node)
            self._wanted = (None, None)


def demo_state(widget: QtWidgets.QWidget) -> None:
    """Select the demo's modelling task (``stalker demo``) and its newest version."""
    if not isinstance(widget, WorkFilesPanel):
        return
    box = widget.project_box
    for i in range(box.count()):
        if box.itemData(i, _ROLE.UserRole).code.startswith("DEMO"):
            box.setCurrentIndex(i)
            break
    if widget.tree.open_names(["SEQ01", "SH10"]):  # the shot's tasks show their statuses too
        widget.tree.currentItem().setExpanded(True)
    for path in (["Hero", "model"], ["SEQ01", "SH10", "anim"]):
        if widget.tree.open_names(path):
            break
    if widget.versions_model.rowCount():
        widget.versions_view.selectRow(0)
    QtWidgets.QApplication.processEvents()  # long descriptions get their row heights
