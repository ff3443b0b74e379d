"""The Scene Inventory panel: the scene's containers, their versions, and updating them.

A thin Qt view over :class:`~stalker_core.controllers.inventory.InventoryController`.

* **States in words and icons**, not colour alone: the State column says
  "Outdated: v002 available", "Up to date", "Untracked" or "Missing
  version" next to a drawn badge; locked containers carry a padlock and
  "Locked" (:mod:`stalker_core.ui.inventory_model`).
* **Actions**: Update selected, Update all outdated, Set version..., Lock,
  Unlock, Remove, and in the context menu the plugins' ``"inventory"``
  actions (``stalker_ui_actions``). Host calls go through the host's main
  thread (the controller uses :func:`~stalker_core.hosts.host_run_in_main_thread`).
* **Progress**: an update runs one reference at a time from the event
  loop (a slice of about 30 ms between repaints), with a progress bar
  counting references and a Cancel button that stops between references.
* **Refreshing**: :meth:`InventoryPanel.refresh` reads the scene and the
  database again (the Refresh button). While the panel is visible a timer
  polls :meth:`~stalker_core.controllers.inventory.InventoryController.scene_changed`
  every :data:`WATCH_INTERVAL_MS` (one ``list_references`` call, no database
  query) and refreshes when the scene changed: a reference added, removed,
  replaced, locked, or another file opened.
* **Faults**: an unreachable database shows the error banner with Retry;
  a container whose version was deleted is listed as "Missing version";
  a plugin's veto keeps that container, says why in its Note, and the
  others are still updated. A host without references shows why instead
  of the table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.base import Problem, problem_of
from stalker_core.controllers.inventory import (
    ContainerRow,
    InventoryController,
    InventoryState,
    UpdateJob,
    UpdateSummary,
    VersionChoice,
)
from stalker_core.exceptions import StalkerError
from stalker_core.ui.inventory_model import (
    COLUMNS,
    LOCK,
    ROW_ROLE,
    SORT_ROLE,
    STATE,
    Index,
    InventoryModel,
    cell_text,
)
from stalker_core.ui.widgets import ErrorBanner

__all__ = ["WATCH_INTERVAL_MS", "InventoryPanel", "SetVersionDialog", "demo_state"]

#: how often a visible panel checks whether the scene changed
WATCH_INTERVAL_MS = 1000
#: the longest an update works before letting the window repaint
SLICE_SECONDS = 0.03

#: the rows the column widths are measured on
FIT_ROWS = 200
#: the narrowest each column starts (wider when its text needs it; Note takes the rest)
COLUMN_WIDTHS = {"State": 120, "Name": 110, "Task": 110, "Take": 60, "Loaded": 70,
                 "Latest": 60, "Latest published": 120, "Lock": 70}


class _Proxy(QtCore.QSortFilterProxyModel):
    """Sorts by each column's sort key; filters by text and by "outdated only"."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.outdated_only = False

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt's name
        return bool(left.data(SORT_ROLE) < right.data(SORT_ROLE))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        row: ContainerRow = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if self.outdated_only and not row.is_outdated:
            return False
        text = self.text.lower()
        return not text or text in row.name.lower() or text in row.task.lower()

    def refilter(self) -> None:
        self.invalidateFilter()


class SetVersionDialog(QtWidgets.QDialog):
    """Choose any version of the container's task and take."""

    def __init__(self, row: ContainerRow, choices: list[VersionChoice],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Set version of {row.name}")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel(
            f"{row.task} \u00b7 take {row.take} \u00b7 loaded {row.loaded_label}"))
        self.list = QtWidgets.QListWidget()
        for choice in choices:
            item = QtWidgets.QListWidgetItem(choice.label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, choice.id)
            self.list.addItem(item)
            if choice.loaded:
                self.list.setCurrentItem(item)
        layout.addWidget(self.list)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> int | None:
        """The id of the version picked, ``None`` when none is."""
        item = self.list.currentItem()
        return None if item is None else int(item.data(QtCore.Qt.ItemDataRole.UserRole))


def _ask_version(parent: QtWidgets.QWidget, row: ContainerRow,
                 choices: list[VersionChoice]) -> int | None:
    dialog = SetVersionDialog(row, choices, parent)
    return dialog.chosen() if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted else None


def _confirm(parent: QtWidgets.QWidget, title: str, text: str) -> bool:
    answer = QtWidgets.QMessageBox.question(parent, title, text)
    return bool(answer == QtWidgets.QMessageBox.StandardButton.Yes)


class InventoryPanel(QtWidgets.QWidget):
    """The Scene Inventory (the ``inventory`` panel of ``stalker ui``).

    :param host: the current host; without the ``references`` capability
        the panel explains that instead of showing a table.
    :param session: the database session (default ``DBSession``).
    :param plugin_manager: the plugin manager (default: the installed plugins).
    """

    #: emitted when an update job ends (finished or cancelled) with its summary
    update_finished = QtCore.Signal(object)

    def __init__(self, host: Any = None, parent: QtWidgets.QWidget | None = None, *,
                 session: Any = None, plugin_manager: Any = None) -> None:
        super().__init__(parent)
        self.controller = InventoryController(host, session=session,
                                              plugin_manager=plugin_manager)
        self.state = InventoryState()
        self.job: UpdateJob | None = None
        #: asks which version to set (tests replace it): (row, choices) -> version id
        self.choose_version: Callable[[ContainerRow, list[VersionChoice]], int | None] = (
            lambda row, choices: _ask_version(self, row, choices))
        #: asks a yes/no question (tests replace it): (title, text) -> bool
        self.confirm: Callable[[str, str], bool] = lambda t, x: _confirm(self, t, x)
        self._build()
        # the update runs a slice per tick of this timer; owned by the panel, it dies with it
        self.slice_timer = QtCore.QTimer(self)
        self.slice_timer.setSingleShot(True)
        self.slice_timer.setInterval(0)
        self.slice_timer.timeout.connect(self._run_slice)
        self.watch_timer = QtCore.QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.check_scene)
        self.resize(1100, 600)
        self.refresh()

    # --- layout -------------------------------------------------------------------

    def _button(self, text: str, slot: Callable[[], object], tip: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda *_: slot())
        self.toolbar.addWidget(button)
        return button

    def _build(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)

        self.toolbar = QtWidgets.QHBoxLayout()
        self.refresh_button = self._button("Refresh", self.refresh,
                                           "Read the scene and the database again")
        self.update_button = self._button("Update selected", self.update_selected,
                                          "Update the selected outdated, unlocked containers")
        self.update_all_button = self._button("Update all outdated", self.update_all,
                                              "Update every outdated, unlocked container")
        self.set_version_button = self._button("Set version\u2026", self.set_version,
                                               "Load another version of the same task and take")
        self.lock_button = self._button("Lock", lambda: self.lock(True),
                                        "Keep the selected containers at their version")
        self.unlock_button = self._button("Unlock", lambda: self.lock(False),
                                          "Let updates change the selected containers again")
        self.remove_button = self._button("Remove", self.remove,
                                          "Remove the selected containers from the scene")
        self.toolbar.addStretch(1)
        self.outdated_only = QtWidgets.QCheckBox("Outdated only")
        self.toolbar.addWidget(self.outdated_only)
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name or task")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(200)
        self.toolbar.addWidget(self.filter_edit)
        layout.addLayout(self.toolbar)

        self.model = InventoryModel(self)
        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, QtCore.Qt.SortOrder.AscendingOrder)  # scene order
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(
            QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        header = self.table.horizontalHeader()
        for i, name in enumerate(COLUMNS):
            if name in COLUMN_WIDTHS:
                header.resizeSection(i, COLUMN_WIDTHS[name])
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.filter_edit.textChanged.connect(self._filter)
        self.outdated_only.toggled.connect(self._filter)

        # page 0: the table; page 1: why there is none (a host without references)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(self.table)
        notice_page = QtWidgets.QWidget()
        notice_layout = QtWidgets.QVBoxLayout(notice_page)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        self.notice = QtWidgets.QLabel()
        self.notice.setObjectName("stalker_inventory_notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.notice.setStyleSheet(
            "#stalker_inventory_notice { border: 1px solid #888; border-radius: 4px; "
            "padding: 16px; font-size: 14px; }")
        self.notice_title = QtWidgets.QLabel()
        font = self.notice_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.notice_title.setFont(font)
        notice_layout.addWidget(self.notice_title)
        notice_layout.addWidget(self.notice)
        notice_layout.addStretch(1)
        self.pages.addWidget(notice_page)
        layout.addWidget(self.pages, 1)

        progress = QtWidgets.QHBoxLayout()
        self.progress_label = QtWidgets.QLabel()
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFormat("%v / %m references")
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the reference being updated")
        self.cancel_button.clicked.connect(lambda *_: self.cancel_update())
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.cancel_button)
        self.progress_row = QtWidgets.QWidget()
        self.progress_row.setLayout(progress)
        progress.setContentsMargins(0, 0, 0, 0)
        self.progress_row.hide()
        layout.addWidget(self.progress_row)

        self.summary_label = QtWidgets.QLabel()
        self.result_label = QtWidgets.QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.result_label)

    # --- reading ------------------------------------------------------------------

    def set_host(self, host: Any) -> None:
        """Show the scene of another host (same session and plugins)."""
        self.controller = InventoryController(
            host, session=self.controller.session, plugin_manager=self.controller.plugin_manager,
            target=self.controller.target)
        self.refresh()

    def refresh(self) -> None:
        """Read the scene and the database again; keeps the selection by name."""
        if self.job is not None:
            return
        selected = set(self.selected_names())
        try:
            self.state = self.controller.load()
        except (StalkerError, OSError) as exc:
            self.banner.show_problem(problem_of(exc), retry=self.refresh)
            self.model.set_rows([])
            self.state = InventoryState()
            self._enable()
            return
        self.banner.clear()
        supported = self.state.supported
        self.notice.setText(self.state.message)
        self.notice_title.setText("" if supported else "No references to list in this host")
        self.pages.setCurrentIndex(0 if supported else 1)
        self.summary_label.setVisible(supported)
        for i in range(self.toolbar.count()):
            item = self.toolbar.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setVisible(supported)
        self.model.set_rows(self.state.rows)
        self._fit_columns()
        self.select(selected)
        self.summary_label.setText(self.state.summary)
        self._enable()

    def _fit_columns(self) -> None:
        """Widen the columns to their text (never narrower than the defaults); Note stretches.

        Measured on the distinct texts of the first :data:`FIT_ROWS` rows with the
        font metrics: Qt's ``sizeHintForColumn`` asks the model for every row.
        """
        header = self.table.horizontalHeader()
        plain = self.table.fontMetrics()
        bold_font = self.table.font()
        bold_font.setBold(True)
        bold = QtGui.QFontMetrics(bold_font)
        rows = self.state.rows[:FIT_ROWS]
        for i, name in enumerate(COLUMNS[:-1]):
            texts = {cell_text(r, i) for r in rows}
            metrics = bold if i == STATE else plain
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            icon = 22 if i in (STATE, LOCK) else 0
            wanted = max(COLUMN_WIDTHS.get(name, 0), widest + icon + 14,
                         plain.horizontalAdvance(name) + 20)
            if header.sectionSize(i) < wanted:
                header.resizeSection(i, wanted)

    def check_scene(self) -> bool:
        """Refresh when the scene changed since the last refresh; return whether it did."""
        if self.job is not None or not self.isVisible():
            return False
        try:
            changed = self.controller.scene_changed()
        except (StalkerError, OSError) as exc:
            self.banner.show_problem(problem_of(exc), retry=self.refresh)
            return False
        if changed:
            self.refresh()
        return changed

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.watch_timer.start()
        self.check_scene()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Closing the panel stops a running update after the current reference."""
        self.cancel_update()
        super().closeEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.watch_timer.stop()
        super().hideEvent(event)

    # --- selection ----------------------------------------------------------------

    def selected_rows(self) -> list[ContainerRow]:
        """The selected containers, in table order."""
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [i.data(ROW_ROLE) for i in indexes]

    def selected_names(self) -> list[str]:
        """The names of the selected containers."""
        return [r.name for r in self.selected_rows()]

    def select(self, names: set[str] | list[str]) -> None:
        """Select the containers called ``names`` (others are deselected)."""
        wanted = set(names)
        selection = QtCore.QItemSelection()
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(ROW_ROLE).name in wanted:
                last = self.proxy.index(r, len(COLUMNS) - 1)
                selection.select(index, last)
        self.table.selectionModel().select(
            selection, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _filter(self, *_: Any) -> None:
        self.proxy.text = self.filter_edit.text()
        self.proxy.outdated_only = self.outdated_only.isChecked()
        self.proxy.refilter()

    def _enable(self) -> None:
        rows = self.selected_rows()
        idle = self.job is None
        self.refresh_button.setEnabled(idle)
        self.update_button.setEnabled(idle and any(r.can_update for r in rows))
        n = len(self.state.outdated)
        self.update_all_button.setText(f"Update all outdated ({n})")
        self.update_all_button.setEnabled(idle and n > 0)
        self.set_version_button.setEnabled(idle and len(rows) == 1 and rows[0].can_set_version)
        self.lock_button.setEnabled(idle and any(not r.locked for r in rows))
        self.unlock_button.setEnabled(idle and any(r.locked for r in rows))
        self.remove_button.setEnabled(idle and bool(rows))

    # --- actions ------------------------------------------------------------------

    def _guard(self, work: Callable[[], object]) -> bool:
        """Run ``work``; a StalkerError is shown in the banner. Then refresh."""
        failure: BaseException | None = None
        try:
            work()
        except (StalkerError, OSError) as exc:
            failure = exc
        self.refresh()
        if failure is not None:
            self.banner.show_problem(problem_of(failure), retry=self.refresh)
        return failure is None

    def update_selected(self) -> None:
        """Update the selected outdated, unlocked containers."""
        names = [r.name for r in self.selected_rows() if r.can_update]
        if names:
            self._start(lambda: self.controller.update(names))

    def update_all(self) -> None:
        """Update every outdated, unlocked container."""
        self._start(lambda: self.controller.update())

    def set_version(self) -> None:
        """Ask for a version of the selected container's task and take, and load it."""
        rows = self.selected_rows()
        if len(rows) != 1 or not rows[0].can_set_version:
            return
        row = rows[0]
        try:
            choices = self.controller.versions_for(row.name)
        except (StalkerError, OSError) as exc:
            self.banner.show_problem(problem_of(exc), retry=self.refresh)
            return
        chosen = self.choose_version(row, choices)
        if chosen is None:
            return
        if self._guard(lambda: self.controller.set_version(row.name, chosen)):
            self.result_label.setText(f"{row.name}: {self.controller.notes.get(row.name, '')}")

    def lock(self, locked: bool = True) -> None:
        """Lock (``False``: unlock) the selected containers."""
        names = [r.name for r in self.selected_rows() if r.locked != locked]
        if names:
            self._guard(lambda: self.controller.lock(names, locked))

    def remove(self) -> None:
        """Remove the selected containers from the scene, after asking."""
        names = self.selected_names()
        if not names:
            return
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        if self.confirm("Remove containers",
                        f"Remove {len(names)} container(s) from the scene: {listed}?"):
            self._guard(lambda: self.controller.remove(names))

    def run_action(self, action: Any) -> None:
        """Run a plugin's inventory action on the selected containers."""
        names = self.selected_names()
        self._guard(lambda: self.controller.run_action(action, names))

    def context_menu(self) -> QtWidgets.QMenu:
        """The table's context menu: the panel's actions, then the plugins'."""
        menu = QtWidgets.QMenu(self)
        for button in (self.update_button, self.set_version_button, self.lock_button,
                       self.unlock_button, self.remove_button):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(lambda *_, b=button: b.click())
        try:
            plugin_actions = self.controller.actions()
        except StalkerError as exc:
            self.banner.show_problem(problem_of(exc))
            plugin_actions = []
        if plugin_actions:
            menu.addSeparator()
        rows = self.selected_rows()
        for ui_action in plugin_actions:
            item = menu.addAction(ui_action.label)
            item.setToolTip(ui_action.description)
            item.setEnabled(bool(rows) and self.job is None)
            item.triggered.connect(lambda *_, a=ui_action: self.run_action(a))
        return menu

    def _show_context_menu(self, pos: QtCore.QPoint) -> None:
        self.context_menu().exec(self.table.viewport().mapToGlobal(pos))

    # --- the update job -------------------------------------------------------------

    def _start(self, make_job: Callable[[], UpdateJob]) -> None:
        if self.job is not None:
            return
        self.result_label.clear()
        try:
            job = make_job()
        except (StalkerError, OSError) as exc:
            self.banner.show_problem(problem_of(exc), retry=self.refresh)
            return
        self.job = job
        self.progress.setRange(0, max(job.total, 1))
        self.progress.setValue(0)
        self.progress_label.setText(f"Updating {job.total} reference(s)")
        self.cancel_button.setEnabled(True)
        self.progress_row.show()
        self._enable()
        self.slice_timer.start()

    def _run_slice(self) -> None:
        job = self.job
        if job is None:
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        try:
            # at least one reference per slice, then more while the slice lasts
            while job.step() is not None and time.perf_counter() < deadline:
                pass
        except (StalkerError, OSError) as exc:
            job.cancel()
            self.banner.show_problem(problem_of(exc), retry=self.refresh)
        self.progress.setValue(job.done)
        if job.last is not None:
            self.progress_label.setText(f"Updating {job.last.status.container.name}")
        if job.finished:
            self._finish(job)
        else:
            self.slice_timer.start()

    def cancel_update(self) -> None:
        """Stop the running update after the reference being updated."""
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)

    def _finish(self, job: UpdateJob) -> None:
        self.job = None
        self.progress_row.hide()
        summary: UpdateSummary = job.summary
        self.result_label.setText(summary.text)
        problem = self.banner.isVisible()
        self.refresh()
        if problem:
            self.banner.show()
        self.update_finished.emit(summary)


def demo_state(widget: InventoryPanel) -> None:
    """A scene worth a screenshot: up to date, outdated, locked, untracked and missing.

    Over the demo studio (``stalker demo``). A host without references (the
    standalone host) is swapped for a FakeHost scene with one container per
    state (:func:`stalker_core.ui.inventory_demo.demo_scene`); the outdated
    ``hero_crowd`` is selected.
    """
    from stalker_core.ui.inventory_demo import demo_scene

    ctl = widget.controller
    if not ctl.supported or not ctl.containers():
        try:
            host = demo_scene(ctl.session, ctl.plugin_manager)
        except LookupError as exc:
            widget.banner.show_problem(Problem(str(exc)))
            return
        widget.set_host(host)
    widget.refresh()
    widget.select(["hero_crowd"])
    widget.result_label.setText(
        "Select containers and Update, or Update all outdated; locked ones are kept.")
