"""The lists of the Loader panel: entities by kind (lazy, paged), tasks, versions, files.

Each list is a ``QTreeWidget`` that shows rows of the Loader controller
(:mod:`stalker_core.controllers.loader`) and keeps each row on its item
(:data:`ROW_ROLE`). They hold no logic of their own: the panel
(:mod:`stalker_core.ui.loader`) asks the controller and fills them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from Qt import QtCore, QtWidgets

from stalker_core.controllers.loader import (
    EntityGroup,
    EntityRow,
    FileRow,
    Page,
    TaskRow,
    VersionRow,
)

__all__ = ["ROW_ROLE", "EntityTree", "FileList", "TaskList", "VersionList", "row_of"]

T = TypeVar("T")

#: item data role holding the controller's row (a group item holds its EntityGroup)
ROW_ROLE = QtCore.Qt.ItemDataRole.UserRole
#: item data role marking the "load more" item of a group: the offset to load from
MORE_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


def fit_columns(tree: QtWidgets.QTreeWidget, stretch: int = 0) -> None:
    """Column ``stretch`` takes the free width; the others fit their contents (plus a gap)."""
    tree.setStyleSheet("QTreeView::item { padding-right: 12px; }")
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(tree.columnCount()):
        mode = (QtWidgets.QHeaderView.ResizeMode.Stretch if column == stretch
                else QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(column, mode)


def _centre(item: QtWidgets.QTreeWidgetItem, *columns: int) -> None:
    for column in columns:
        item.setTextAlignment(column, QtCore.Qt.AlignmentFlag.AlignCenter)


def row_of(item: QtWidgets.QTreeWidgetItem | None) -> Any:
    """The controller row an item shows (``None`` for no item)."""
    return item.data(0, ROW_ROLE) if item is not None else None


class EntityTree(QtWidgets.QTreeWidget):
    """Assets, sequences, shots (and other top-level tasks), one group per kind.

    A group's entities are loaded when it is first expanded, a page at a
    time; the last child "Show more..." loads the next page when activated.
    The panel connects :attr:`wants_page` to the controller.
    """

    #: (group item, offset): the panel should add the page starting at offset
    wants_page = QtCore.Signal(object, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Asset / shot", "Type", "Published"])
        self.setUniformRowHeights(True)
        fit_columns(self)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.itemExpanded.connect(self._on_expanded)
        self.itemActivated.connect(self._on_activated)
        self.itemClicked.connect(self._on_activated)

    def set_groups(self, groups: list[EntityGroup]) -> None:
        """Show ``groups`` (collapsed, their entities not loaded yet)."""
        self.clear()
        for group in groups:
            item = QtWidgets.QTreeWidgetItem([f"{group.label} ({group.count})"])
            item.setData(0, ROW_ROLE, group)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
            item.setChildIndicatorPolicy(
                QtWidgets.QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator
            )
            self.addTopLevelItem(item)

    def group_item(self, kind: str) -> QtWidgets.QTreeWidgetItem | None:
        """The group item of entity kind ``kind`` (``"Asset"``)."""
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and row_of(item).kind == kind:
                return item
        return None

    def add_page(self, group: QtWidgets.QTreeWidgetItem, page: Page[EntityRow]) -> None:
        """Append a page of entities under ``group`` (replacing its "Show more..." item)."""
        for i in reversed(range(group.childCount())):
            child = group.child(i)
            if child is not None and child.data(0, MORE_ROLE) is not None:
                group.removeChild(child)
        for entity in page.items:
            item = QtWidgets.QTreeWidgetItem([entity.name, entity.type_name,
                                              str(entity.published)])
            item.setData(0, ROW_ROLE, entity)
            _centre(item, 2)
            item.setToolTip(0, f"{entity.kind} {entity.name}: {entity.published} published "
                               f"version(s)")
            group.addChild(item)
        if page.has_more:
            more = QtWidgets.QTreeWidgetItem([f"Show more... ({group.childCount()} shown)"])
            more.setData(0, MORE_ROLE, page.next_offset)
            more.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
            group.addChild(more)
        group.setChildIndicatorPolicy(
            QtWidgets.QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )

    def entity_item(self, entity_id: int) -> QtWidgets.QTreeWidgetItem | None:
        """The loaded item of the entity ``entity_id``."""
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            for j in range(group.childCount() if group is not None else 0):
                child = group.child(j) if group is not None else None
                row = row_of(child)
                if isinstance(row, EntityRow) and row.id == entity_id:
                    return child
        return None

    def selected_entity(self) -> EntityRow | None:
        """The selected entity, or ``None``."""
        row = row_of(self.currentItem())
        return row if isinstance(row, EntityRow) else None

    def _on_expanded(self, item: QtWidgets.QTreeWidgetItem) -> None:
        if item.parent() is None and item.childCount() == 0:
            self.wants_page.emit(item, 0)

    def _on_activated(self, item: QtWidgets.QTreeWidgetItem, _column: int = 0) -> None:
        offset = item.data(0, MORE_ROLE)
        if offset is not None and item.parent() is not None:
            self.wants_page.emit(item.parent(), int(offset))


class _RowList(QtWidgets.QTreeWidget):
    """A flat list of controller rows, one per item; column ``stretch`` takes the free width."""

    def __init__(self, headers: list[str], *, stretch: int = 0, menu: bool = False,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        fit_columns(self, stretch)
        if menu:
            self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)

    def add_row(self, row: Any, texts: list[str], centred: tuple[int, ...] = ()
                ) -> QtWidgets.QTreeWidgetItem:
        """Append an item showing ``texts`` and holding ``row``."""
        item = QtWidgets.QTreeWidgetItem(texts)
        item.setData(0, ROW_ROLE, row)
        _centre(item, *centred)
        self.addTopLevelItem(item)
        return item

    def _selected(self, kind: type[T]) -> T | None:
        row = row_of(self.currentItem())
        return row if isinstance(row, kind) else None


class TaskList(_RowList):
    """The tasks of the selected entity that have published versions."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(["Task", "Type", "Published", "Latest"], parent=parent)

    def set_tasks(self, entity: EntityRow, tasks: list[TaskRow]) -> None:
        """Show ``tasks`` of ``entity`` (its own versions are listed under its name)."""
        self.clear()
        for task in tasks:
            name = task.path or f"({entity.name} itself)"
            self.add_row(task, [name, task.type_name, str(task.published),
                                f"v{task.latest_number:03d}"], centred=(2, 3))

    def selected_task(self) -> TaskRow | None:
        """The selected task, or ``None``."""
        return self._selected(TaskRow)


class VersionList(_RowList):
    """The published versions of the selected task, newest first, a page at a time."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(["Version", "Author", "Date", "Application", "Description"],
                         stretch=4, menu=True, parent=parent)

    def add_page(self, page: Page[VersionRow]) -> None:
        """Append the versions of ``page``."""
        for v in page.items:
            date = v.created.strftime("%Y-%m-%d %H:%M") if v.created is not None else ""
            missing = sum(1 for f in v.files if not f.exists)
            label = v.label + (" (missing files)" if missing and missing == len(v.files) else "")
            item = self.add_row(v, [label, v.author, date, v.created_with, v.description])
            item.setToolTip(4, v.description)

    def selected_version(self) -> VersionRow | None:
        """The selected version, or ``None``."""
        return self._selected(VersionRow)


class FileList(_RowList):
    """The files of the selected version: its published files, then its work file."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(["File", "Kind", "Status", "Folder"], stretch=3, menu=True,
                         parent=parent)

    def set_files(self, files: Iterable[FileRow]) -> None:
        """Show ``files``; a missing one says so in words, with the reason as tooltip."""
        self.clear()
        for f in files:
            status = "available" if f.exists else "MISSING"
            item = self.add_row(f, [f.path.name, f.label, status, str(f.path.parent)])
            item.setToolTip(0, str(f.path))
            item.setToolTip(3, str(f.path.parent))
            if not f.exists:
                item.setToolTip(2, f.problem or f"{f.path} does not exist (moved or deleted)")
                font = item.font(2)
                font.setBold(True)
                item.setFont(2, font)

    def selected_file(self) -> FileRow | None:
        """The selected file, or ``None``."""
        return self._selected(FileRow)
