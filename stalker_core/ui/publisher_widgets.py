"""The Publisher's parts: the stage progress strip, the items list and the checks tree.

Each shows a piece of :class:`~stalker_core.controllers.publisher.PublisherState`
and nothing else; states are told apart by a symbol and a word as well as a
colour ("✖ FAILED", "⚠ warning", "✔ passed" ...).
"""

from __future__ import annotations

from collections.abc import Callable

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.publisher_state import CheckRow, ItemRow, ResultRow, StageProgress

__all__ = [
    "CHECK_LABELS",
    "STAGE_LABELS",
    "ChecksTree",
    "ItemsList",
    "StageStrip",
]

#: check state -> (text, colour)
CHECK_LABELS: dict[str, tuple[str, str]] = {
    "failed": ("\u2716 FAILED", "#e5534b"),
    "warning": ("\u26a0 warning", "#d6a22a"),
    "info": ("\u2139 info", "#539bf5"),
    "passed": ("\u2714 passed", "#57ab5a"),
    "skipped": ("\u21b7 skipped", "#909090"),
}

#: result severity -> check state (for the result rows)
_SEVERITY_STATE = {"error": "failed", "warning": "warning", "info": "info"}

#: stage state -> (text, colour)
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "unused": ("not run", "#909090"),
    "waiting": ("waiting", "#909090"),
    "running": ("\u25b6 running", "#539bf5"),
    "done": ("\u2714 done", "#57ab5a"),
    "failed": ("\u2716 FAILED", "#e5534b"),
    "stopped": ("\u25a0 stopped", "#d6a22a"),
}

_ROLE = QtCore.Qt.ItemDataRole.UserRole


class _Stage(QtWidgets.QFrame):
    """One stage: its name, a progress bar, and its state in words."""

    def __init__(self, number: int, name: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"stage_{name}")
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        layout = QtWidgets.QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setVerticalSpacing(2)
        self.title = QtWidgets.QLabel(f"<b>{number}. {name.capitalize()}</b>")
        self.status = QtWidgets.QLabel()
        self.status.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight
                                 | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setFixedHeight(16)
        layout.addWidget(self.title, 0, 0)
        layout.addWidget(self.status, 0, 1)
        layout.addWidget(self.bar, 1, 0, 1, 2)

    def show_progress(self, stage: StageProgress) -> None:
        text, colour = STAGE_LABELS.get(stage.state, (stage.state, "#909090"))
        self.status.setText(f'<span style="color:{colour}">{text}</span>')
        self.bar.setRange(0, 100)
        self.bar.setValue(stage.percent)
        self.bar.setFormat(f"{stage.done}/{stage.total}" if stage.total else "")
        self.setToolTip(stage.current or text)


class StageStrip(QtWidgets.QWidget):
    """The four stages side by side."""

    def __init__(self, names: tuple[str, ...], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.stages = {name: _Stage(i, name) for i, name in enumerate(names, 1)}
        for stage in self.stages.values():
            row.addWidget(stage, 1)

    def show_stages(self, stages: tuple[StageProgress, ...]) -> None:
        """Show each stage's progress and state."""
        for stage in stages:
            self.stages[stage.name].show_progress(stage)


class ItemsList(QtWidgets.QListWidget):
    """The collected items, each with a checkbox; ``on_choose(name, ticked)`` on a change."""

    def __init__(self, on_choose: Callable[[str, bool], object],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_choose = on_choose
        self._shown: tuple[ItemRow, ...] | None = None
        self.itemChanged.connect(self._changed)

    def show_items(self, items: tuple[ItemRow, ...]) -> None:
        if items == self._shown:
            return
        self._shown = items
        was = self.blockSignals(True)
        try:
            self.clear()
            for row in items:
                entry = QtWidgets.QListWidgetItem(f"{row.name}   ({row.kind})")
                entry.setData(_ROLE, row.name)
                entry.setFlags(entry.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(QtCore.Qt.CheckState.Checked if row.chosen
                                    else QtCore.Qt.CheckState.Unchecked)
                entry.setToolTip(row.path or f"{row.name} has no file")
                self.addItem(entry)
        finally:
            self.blockSignals(was)

    def item_named(self, name: str) -> QtWidgets.QListWidgetItem | None:
        """The list entry of the item ``name``."""
        for i in range(self.count()):
            entry = self.item(i)
            if entry is not None and entry.data(_ROLE) == name:
                return entry
        return None

    def _changed(self, entry: QtWidgets.QListWidgetItem) -> None:
        self._on_choose(str(entry.data(_ROLE)),
                        entry.checkState() == QtCore.Qt.CheckState.Checked)


class _WrapDelegate(QtWidgets.QStyledItemDelegate):
    """Rows as high as their text wrapped to its column's width (Qt's own hint is one line)."""

    def __init__(self, tree: QtWidgets.QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(  # noqa: N802 - Qt's name
        self,
        option: QtWidgets.QStyleOptionViewItem,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> QtCore.QSize:
        hint = super().sizeHint(option, index)
        text = index.data(QtCore.Qt.ItemDataRole.DisplayRole)
        if not text:
            return hint
        font = index.data(QtCore.Qt.ItemDataRole.FontRole)
        metrics = QtGui.QFontMetrics(font if isinstance(font, QtGui.QFont) else option.font)
        width = max(self._tree.columnWidth(index.column()) - 12, 40)
        if index.column() == 0:
            width = max(width - self._tree.indentation() * 2, 40)
        box = metrics.boundingRect(
            QtCore.QRect(0, 0, width, 100000), int(QtCore.Qt.TextFlag.TextWordWrap), str(text)
        )
        return QtCore.QSize(hint.width(), max(hint.height(), box.height() + 6))


class ChecksTree(QtWidgets.QTreeWidget):
    """Validation results grouped by check; a Repair button on the checks that offer one.

    Top-level rows are checks (state, title, items, plugin); their children
    are the results (severity, message, item, objects). ``on_repair(key)``
    is called by a Repair button.
    """

    COLUMNS = ("State", "Check / result", "Item", "Objects", "Plugin", "")

    def __init__(self, on_repair: Callable[[str], object],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_repair = on_repair
        self._shown: tuple[CheckRow, ...] | None = None
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        # long messages and object lists wrap: rows grow, no text is cut
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_WrapDelegate(self))
        header = self.header()
        # wrapped rows change height with their column: lay them out again
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())
        header.setStretchLastSection(False)
        modes = QtWidgets.QHeaderView.ResizeMode
        for column, (mode, width) in enumerate((
            (modes.Interactive, 150), (modes.Stretch, 0), (modes.Interactive, 90),
            (modes.Interactive, 130), (modes.Interactive, 170), (modes.Fixed, 90),
        )):
            header.setSectionResizeMode(column, mode)
            if width:
                self.setColumnWidth(column, width)

    def show_checks(self, checks: tuple[CheckRow, ...], enabled: bool) -> None:
        """Show ``checks`` (rebuilt only when they changed); Repair is usable when ``enabled``."""
        if checks != self._shown:
            self._shown = checks
            self._rebuild(checks)
        for button in self.buttons.values():
            button.setEnabled(enabled)

    def check_item(self, key: str) -> QtWidgets.QTreeWidgetItem | None:
        """The row of the check ``key``."""
        for i in range(self.topLevelItemCount()):
            row = self.topLevelItem(i)
            if row is not None and row.data(0, _ROLE) == key:
                return row
        return None

    def _rebuild(self, checks: tuple[CheckRow, ...]) -> None:
        current = self.currentItem()
        keep = current.data(0, _ROLE) if current is not None else None
        self.clear()
        self.buttons.clear()
        for check in checks:
            row = QtWidgets.QTreeWidgetItem(self)
            row.setData(0, _ROLE, check.key)
            _paint_state(row, check.state)
            row.setText(1, check.title)
            font = row.font(1)
            font.setBold(True)
            row.setFont(1, font)
            row.setText(2, ", ".join(check.items))
            row.setText(4, ", ".join(check.plugins))
            row.setToolTip(1, check.description or check.title)
            for result in check.results:
                self._result_row(row, check.key, result)
            if check.repair_label:
                button = QtWidgets.QPushButton(check.repair_label)
                button.setObjectName(f"repair_{check.key}")
                button.setToolTip(f"{check.repair_label}: fix '{check.title}', then validate again")
                button.clicked.connect(lambda _=False, key=check.key: self._on_repair(key))
                self.setItemWidget(row, 5, button)
                self.buttons[check.key] = button
            row.setExpanded(check.state in ("failed", "warning", "info"))
        if keep is not None:
            found = self.check_item(str(keep))
            if found is not None:
                self.setCurrentItem(found)

    @staticmethod
    def _result_row(parent: QtWidgets.QTreeWidgetItem, key: str, result: ResultRow) -> None:
        child = QtWidgets.QTreeWidgetItem(parent)
        child.setData(0, _ROLE, key)
        state = _SEVERITY_STATE.get(result.severity, "info")
        text, colour = CHECK_LABELS[state]
        child.setText(0, "  " + ("error" if state == "failed" else result.severity))
        child.setForeground(0, QtGui.QBrush(QtGui.QColor(colour)))
        child.setText(1, result.message)
        child.setText(2, result.item)
        child.setText(3, ", ".join(result.objects))
        child.setText(4, result.plugin)
        tip = f"{text} - {result.title}: {result.message}"
        if result.objects:
            tip += f"\nObjects: {', '.join(result.objects)}"
        for column in range(5):
            child.setToolTip(column, tip)


def _paint_state(row: QtWidgets.QTreeWidgetItem, state: str) -> None:
    text, colour = CHECK_LABELS[state]
    row.setText(0, text)
    row.setForeground(0, QtGui.QBrush(QtGui.QColor(colour)))
    font = row.font(0)
    font.setBold(state == "failed")
    row.setFont(0, font)
