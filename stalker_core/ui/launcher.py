"""The launcher window (Qt.py): my tasks, the applications for one, launches and their logs.

A view over :class:`~stalker_core.controllers.launcher.LauncherController`:
a project and a status filter, the user's tasks, one row per configured
application (its variants, "Launch"; "not installed here" when nothing was
found), a row of recent launches, and the notices of this window's launches
(running, finished, failed in words) with "Open log" one click away. A
timer polls the running launches twice a second.
"""

from __future__ import annotations

from typing import Any

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.launcher import LauncherController, LaunchRecord
from stalker_core.ui.widgets import ErrorBanner

__all__ = ["LauncherWindow", "demo_state"]

_ROLE = QtCore.Qt.ItemDataRole
#: milliseconds between two looks at the running launches
POLL_MS = 500
#: statuses offered by the filter (code, label); "" is every status
STATUS_FILTER = (("", "Any status"), ("RTS", "RTS - Ready To Start"),
                 ("WIP", "WIP - Work In Progress"), ("PREV", "PREV - Pending Review"),
                 ("HREV", "HREV - Has Revision"), ("WFD", "WFD - Waiting For Dependency"))


class LauncherWindow(QtWidgets.QWidget):
    """The standalone launcher (see the module docstring)."""

    def __init__(self, host: Any = None, parent: QtWidgets.QWidget | None = None, *,
                 session: Any = None, plugin_manager: Any = None,
                 controller: LauncherController | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Stalker - Launcher")
        self.controller = controller or LauncherController(
            host, session=session, plugin_manager=plugin_manager)
        self.banner = ErrorBanner(self)
        self.project_box = QtWidgets.QComboBox()
        self.status_box = QtWidgets.QComboBox()
        for code, label in STATUS_FILTER:
            self.status_box.addItem(label, code)
        self.user_label = QtWidgets.QLabel()
        self.tasks = QtWidgets.QTreeWidget()
        self.tasks.setHeaderLabels(["My task", "Status"])
        self.tasks.setRootIsDecorated(False)
        self.tasks.header().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.apps = QtWidgets.QWidget()
        self.apps_layout = QtWidgets.QGridLayout(self.apps)
        self.apps_layout.setColumnStretch(3, 1)
        self.recent_row = QtWidgets.QHBoxLayout()
        self.notices = QtWidgets.QListWidget()
        self.open_log = QtWidgets.QPushButton("Open log")
        self.open_log.setEnabled(False)
        self.new_scene = QtWidgets.QCheckBox("New scene (do not open the latest work file)")
        self._build_layout()
        self.project_box.currentIndexChanged.connect(self.refresh_tasks)
        self.status_box.currentIndexChanged.connect(self.refresh_tasks)
        self.tasks.currentItemChanged.connect(self._task_changed)
        self.notices.currentRowChanged.connect(self._notice_changed)
        self.notices.itemDoubleClicked.connect(lambda _item: self._open_log())
        self.open_log.clicked.connect(self._open_log)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.resize(1000, 640)
        self.reload()

    def _build_layout(self) -> None:
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Project:"))
        top.addWidget(self.project_box, 1)
        top.addWidget(QtWidgets.QLabel("Status:"))
        top.addWidget(self.status_box)
        top.addWidget(self.user_label)
        recent = QtWidgets.QHBoxLayout()
        recent.addWidget(QtWidgets.QLabel("Recent:"))
        recent.addLayout(self.recent_row, 1)
        right = QtWidgets.QVBoxLayout()
        right.addWidget(QtWidgets.QLabel("Applications for the selected task"))
        right.addWidget(self.apps)
        right.addWidget(self.new_scene)
        right.addStretch(1)
        right.addWidget(QtWidgets.QLabel("Launches"))
        right.addWidget(self.notices, 2)
        right.addWidget(self.open_log, 0, QtCore.Qt.AlignmentFlag.AlignRight)
        body = QtWidgets.QHBoxLayout()
        body.addWidget(self.tasks, 1)
        body.addLayout(right, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(recent)
        layout.addLayout(body, 1)

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the projects, the user, the recent row and the applications again."""
        self.banner.clear()
        try:
            projects = self.controller.projects()
            user = self.controller.user
            self.controller.applications()
        except Exception as exc:  # noqa: BLE001 - shown in the banner, never a traceback
            self.banner.show_problem(problem_of(exc), self.reload)
            return
        self.user_label.setText(f"  {user.name} ({user.login})" if user else
                                "  no user has your login: no tasks of your own")
        self.project_box.blockSignals(True)
        self.project_box.clear()
        for project in projects:
            self.project_box.addItem(project.label, project.id)
        self.project_box.blockSignals(False)
        self._fill_recent()
        self.refresh_tasks()

    def refresh_tasks(self) -> None:
        """List my tasks of the chosen project and status."""
        self.tasks.clear()
        project_id = self.project_box.currentData()
        if project_id is None:
            return
        try:
            rows = self.controller.my_task_rows(project_id, self.status_box.currentData() or None)
        except Exception as exc:  # noqa: BLE001
            self.banner.show_problem(problem_of(exc), self.refresh_tasks)
            return
        for row in rows:
            item = QtWidgets.QTreeWidgetItem([row.path, row.status_text])
            item.setData(0, _ROLE.UserRole, row.id)
            self.tasks.addTopLevelItem(item)
        first = self.tasks.topLevelItem(0)
        if first is not None:
            self.tasks.setCurrentItem(first)
        self._task_changed()

    def _fill_recent(self) -> None:
        _clear(self.recent_row)
        recent = self.controller.recent()
        if not recent:
            self.recent_row.addWidget(QtWidgets.QLabel("nothing launched yet"))
        for launch in recent[:4]:
            button = QtWidgets.QPushButton(launch.label)
            button.setToolTip(f"launched {launch.when}")
            button.clicked.connect(lambda _c=False, r=launch: self._start(
                r.task_id, r.application, r.variant))
            self.recent_row.addWidget(button)
        self.recent_row.addStretch(1)

    def _task_changed(self, *_args: Any) -> None:
        _clear(self.apps_layout)
        item = self.tasks.currentItem()
        for row, app in enumerate(self.controller.applications()):
            name = QtWidgets.QLabel(f"<b>{app.label}</b>")
            variants = QtWidgets.QComboBox()
            for variant, executable in app.installs:
                variants.addItem(variant, variant)
                variants.setItemData(variants.count() - 1, executable, _ROLE.ToolTipRole)
            button = QtWidgets.QPushButton("Launch")
            note = QtWidgets.QLabel("" if app.installed else "not installed here")
            button.setEnabled(app.installed and item is not None)
            variants.setEnabled(app.installed)
            if item is not None:
                task_id = item.data(0, _ROLE.UserRole)
                button.clicked.connect(lambda _c=False, a=app.name, v=variants, t=task_id:
                                       self._start(t, a, v.currentData()))
            for column, widget in enumerate((name, variants, button, note)):
                self.apps_layout.addWidget(widget, row, column)

    # -- launching ------------------------------------------------------------------------

    def _start(self, task_id: int, application: str, variant: str | None) -> None:
        try:
            record = self.controller.launch(task_id, application, variant,
                                            new=self.new_scene.isChecked())
        except Exception as exc:  # noqa: BLE001 - a clear line, nothing started
            self.banner.show_problem(problem_of(exc))
            return
        self._add_notice(record)
        self._fill_recent()

    def _add_notice(self, record: LaunchRecord) -> None:
        item = QtWidgets.QListWidgetItem(record.text)
        item.setData(_ROLE.UserRole, len(self.controller.launches) - 1)
        item.setToolTip(str(record.log_path))
        self.notices.insertItem(0, item)
        self.notices.setCurrentRow(0)

    def poll(self) -> None:
        """Update the notices of the launches that ended."""
        if not self.controller.poll():
            return
        for i in range(self.notices.count()):
            item = self.notices.item(i)
            record = self.controller.launches[item.data(_ROLE.UserRole)]
            item.setText(record.text)
            if record.state == "failed":
                item.setForeground(QtGui.QBrush(QtGui.QColor("#b3261e")))
                item.setToolTip(f"{record.log_path}\n\n{record.log_tail}")

    def _notice_changed(self, row: int) -> None:
        self.open_log.setEnabled(row >= 0)

    def selected_record(self) -> LaunchRecord | None:
        """The launch whose notice is selected."""
        item = self.notices.currentItem()
        return None if item is None else self.controller.launches[item.data(_ROLE.UserRole)]

    def _open_log(self) -> None:
        record = self.selected_record()
        if record is not None:
            QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(record.log_path)))

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.timer.stop()
        super().closeEvent(event)


def _clear(layout: QtWidgets.QLayout) -> None:
    """Remove and delete every widget of ``layout``."""
    while layout.count():
        taken = layout.takeAt(0)
        widget = taken.widget() if taken is not None else None
        if widget is not None:
            widget.deleteLater()


def demo_state(widget: QtWidgets.QWidget) -> None:
    """Choose the demo project (``stalker demo``) and its first task of mine."""
    if not isinstance(widget, LauncherWindow):
        return
    for i in range(widget.project_box.count()):
        if "DEMO" in widget.project_box.itemText(i):
            widget.project_box.setCurrentIndex(i)
            break
