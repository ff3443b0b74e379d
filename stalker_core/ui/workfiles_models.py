"""The Work Files panel's item views: the lazy task tree and the paged versions table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.browse import BrowseController, MyTasks, TaskNode
from stalker_core.controllers.workfiles import VersionRow, WorkFilesController
from stalker_core.exceptions import StalkerError

__all__ = ["STATUS_COLOURS", "TaskTree", "VersionsTableModel", "status_icon"]

_ROLE = QtCore.Qt.ItemDataRole
_Index = QtCore.QModelIndex | QtCore.QPersistentModelIndex
_ROOT = QtCore.QModelIndex()
#: item data: the level below was read (possibly empty)
_LOADED = _ROLE.UserRole + 1
#: a colour per task status code; the code and name are always written next to it
STATUS_COLOURS: dict[str, str] = {
    "WFD": "#8a8f98",
    "RTS": "#5b9bd5",
    "WIP": "#f0a030",
    "PREV": "#e6d23c",
    "HREV": "#e0504a",
    "DREV": "#b070d0",
    "OH": "#6c6c6c",
    "STOP": "#3a3a3a",
    "CMPL": "#4caf50",
}
_ICONS: dict[str, QtGui.QIcon] = {}


def status_icon(code: str | None) -> QtGui.QIcon:
    """A round swatch of the status colour (outlined, so dark colours show on dark themes)."""
    key = code or ""
    icon = _ICONS.get(key)
    if icon is None:
        pixmap = QtGui.QPixmap(12, 12)
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(pixmap)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(QtGui.QPen(QtGui.QColor("#202020"), 1))
        painter.setBrush(QtGui.QColor(STATUS_COLOURS.get(key, "#bbbbbb")))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _ICONS[key] = QtGui.QIcon(pixmap)
    return icon


class TaskTree(QtWidgets.QTreeWidget):
    """Tasks in two columns (name, status in words and colour), loaded a level at a time.

    A level is read from the controller when its parent is expanded for the
    first time. Errors go to ``on_error`` (the panel's banner).
    """

    NAME, STATUS = 0, 1
    taskSelected = QtCore.Signal(object)  # TaskNode or None  # noqa: N815 - Qt naming

    def __init__(
        self, controller: BrowseController, on_error: Callable[[BaseException], None],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._on_error = on_error
        self._project_id: int | None = None
        self._filter: MyTasks | None = None
        self._items: dict[int, QtWidgets.QTreeWidgetItem] = {}
        self.setHeaderLabels(["Task", "Status"])
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.NAME, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.STATUS, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.itemExpanded.connect(self._load_children)
        self.itemSelectionChanged.connect(self._selection_changed)

    # -- loading -------------------------------------------------------------------------

    def load(self, project_id: int | None, only: MyTasks | None = None) -> bool:
        """Show the root tasks of ``project_id`` (filtered by ``only``); False on error."""
        self._project_id = project_id
        self._filter = only
        self.clear()
        self._items.clear()
        if project_id is None:
            return True
        try:
            nodes = self._controller.children(project_id, None, only=only)
        except StalkerError as exc:
            self._on_error(exc)
            return False
        self._add(self.invisibleRootItem(), nodes)
        return True

    def _add(self, parent: QtWidgets.QTreeWidgetItem, nodes: list[TaskNode]) -> None:
        items = []
        for node in nodes:
            item = QtWidgets.QTreeWidgetItem([node.name, node.status_text])
            item.setData(self.NAME, _ROLE.UserRole, node)
            item.setToolTip(self.NAME, f"{node.entity_type} {self._controller.task_label(node.id)}")
            item.setIcon(self.STATUS, status_icon(node.status_code))
            item.setToolTip(self.STATUS, f"status: {node.status_text}")
            if node.has_children:
                item.setChildIndicatorPolicy(
                    QtWidgets.QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator
                )
                font = item.font(self.NAME)
                font.setBold(True)
                item.setFont(self.NAME, font)
            self._items[node.id] = item
            items.append(item)
        parent.addChildren(items)

    def _load_children(self, item: QtWidgets.QTreeWidgetItem) -> None:
        node: TaskNode = item.data(self.NAME, _ROLE.UserRole)
        if item.childCount() or self._project_id is None or item.data(self.NAME, _LOADED):
            return
        try:
            nodes = self._controller.children(self._project_id, node.id, only=self._filter)
        except StalkerError as exc:
            self._on_error(exc)
            return
        item.setData(self.NAME, _LOADED, True)
        if not nodes:
            item.setChildIndicatorPolicy(
                QtWidgets.QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator
            )
        self._add(item, nodes)

    def open_path(self, ids: list[int]) -> bool:
        """Expand the tree down ``ids`` (root first) and select the last; False if hidden."""
        item = None
        for tid in ids:
            item = self._items.get(tid)
            if item is None:
                return False
            if tid != ids[-1]:
                item.setExpanded(True)  # loads the level below
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def open_names(self, names: list[str]) -> bool:
        """Expand down the tasks named ``names`` (root first) and select the last one."""
        parent = self.invisibleRootItem()
        found = None
        for name in names:
            found = next((parent.child(i) for i in range(parent.childCount())
                          if parent.child(i).text(self.NAME) == name), None)
            if found is None:
                return False
            if name != names[-1]:
                found.setExpanded(True)
            parent = found
        if found is not None:
            self.setCurrentItem(found)
        return found is not None

    # -- selection -------------------------------------------------------------------------

    def selected_node(self) -> TaskNode | None:
        """The selected task, or ``None``."""
        items = self.selectedItems()
        return items[0].data(self.NAME, _ROLE.UserRole) if items else None

    def _selection_changed(self) -> None:
        self.taskSelected.emit(self.selected_node())


class VersionsTableModel(QtCore.QAbstractTableModel):
    """The versions of one take, newest first, read a page at a time.

    The total comes from one SQL count; Qt asks for more rows
    (:meth:`canFetchMore`/:meth:`fetchMore`) as the table scrolls, and each
    page continues after the last number shown (keyset paging).
    """

    COLUMNS = ("Version", "Author", "Date", "Description", "Published", "Application")
    VERSION, AUTHOR, DATE, DESCRIPTION, PUBLISHED, APPLICATION = range(6)
    #: emitted with the :class:`Problem` when a page cannot be read
    failed = QtCore.Signal(object)

    def __init__(
        self, controller: WorkFilesController, parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: list[VersionRow] = []
        self._texts: list[tuple[str, ...]] = []
        self._total = 0
        self._bold = QtGui.QFont()
        self._bold.setBold(True)
        self._green = QtGui.QBrush(QtGui.QColor("#2e8b3a"))
        self._task_id: int | None = None
        self._take = ""

    @property
    def total(self) -> int:
        """How many versions the take has (not only the rows loaded)."""
        return self._total

    @property
    def task_id(self) -> int | None:
        """The task shown (``None``: empty)."""
        return self._task_id

    @property
    def take(self) -> str:
        """The take shown."""
        return self._take

    def load(self, task_id: int | None, take: str = "", total: int | None = None) -> None:
        """Show the first page of ``take`` of ``task_id`` (raises the controller's errors).

        :param total: how many versions the take has, when the caller just
            counted them (the takes list does); else counted here (SQL).
        """
        rows: list[VersionRow] = []
        if task_id is None:
            total = 0
        else:
            if total is None:
                total = self._controller.version_count(task_id, take)
            rows = self._controller.versions_page(task_id, take) if total else []
        self.beginResetModel()
        self._task_id, self._take, self._rows, self._total = task_id, take, rows, total
        self._texts = [self.texts(r) for r in rows]
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing."""
        self.beginResetModel()
        self._task_id, self._take, self._rows, self._total = None, "", [], 0
        self._texts = []
        self.endResetModel()

    def row_at(self, row: int) -> VersionRow | None:
        """The version of table row ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def texts_of(self, row: int) -> tuple[str, ...]:
        """The cells of table row ``row`` as shown."""
        return self._texts[row]

    def find(self, version_id: int) -> int:
        """The table row of ``version_id`` among the loaded rows, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == version_id), -1)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802
        """The six columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == QtCore.Qt.Orientation.Horizontal and role == _ROLE.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = _ROLE.DisplayRole) -> Any:
        """Text, tooltips and fonts of a cell (texts made once per row: Qt asks often)."""
        r = index.row()
        if not 0 <= r < len(self._rows):
            return None
        col = index.column()
        if role == _ROLE.DisplayRole:
            return self._texts[r][col]
        row = self._rows[r]
        if role == _ROLE.FontRole:
            return self._bold if row.published and col in self._MARKED else None
        if role == _ROLE.ForegroundRole:
            return self._green if row.published and col == self.PUBLISHED else None
        if role == _ROLE.ToolTipRole:
            return row.description if col == self.DESCRIPTION and row.description else (
                row.filename
            )
        if role == _ROLE.UserRole:
            return row
        return None

    _MARKED = (0, 4)  # VERSION, PUBLISHED: bold on published versions

    @classmethod
    def texts(cls, row: VersionRow) -> tuple[str, ...]:
        """The cells of ``row`` as shown (the published state in words, not only bold)."""
        return (
            row.label,
            row.author or "unknown",
            _when(row.date),
            " ".join(row.description.split()),
            "\u2714 published" if row.published else "no",
            row.application or "unknown",
        )

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        """True while rows remain to be read."""
        return not parent.isValid() and self._task_id is not None and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        """Read the next page (after the last number loaded)."""
        if not self.canFetchMore(parent) or self._task_id is None:
            return
        try:
            page = self._controller.versions_page(
                self._task_id, self._take, before=self._rows[-1].number
            )
        except StalkerError as exc:
            self.failed.emit(problem_of(exc))
            return
        if not page:  # someone deleted versions meanwhile: stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QtCore.QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self._texts.extend(self.texts(r) for r in page)
        self.endInsertRows()


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else ""
