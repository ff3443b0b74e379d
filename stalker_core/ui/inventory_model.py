"""The Scene Inventory's table model and its state icons (drawn, so no icon theme is needed).

Every state is told three ways: an icon, words in the State column
("Outdated: v002 available", "Missing version") and a row tint; a locked
container has a padlock icon and the word "Locked". Colour is never alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from Qt import QtCore, QtGui

from stalker_core.controllers.inventory import ContainerRow

#: what Qt passes for an index (PySide6 types the overridden methods with both)
Index = QtCore.QModelIndex | QtCore.QPersistentModelIndex

__all__ = [
    "COLUMNS", "LOCK", "ROW_ROLE", "SORT_ROLE", "STATE", "Index", "InventoryModel", "cell_text",
    "lock_icon", "state_icon",
]

#: the columns, in order
COLUMNS: tuple[str, ...] = (
    "State", "Name", "Task", "Take", "Loaded", "Latest", "Latest published", "Lock", "Note",
)
STATE, NAME, TASK, TAKE, LOADED, LATEST, PUBLISHED, LOCK, NOTE = range(len(COLUMNS))

#: the :class:`ContainerRow` of an index
ROW_ROLE = int(QtCore.Qt.ItemDataRole.UserRole) + 1
#: the value the proxy sorts a column by
SORT_ROLE = int(QtCore.Qt.ItemDataRole.UserRole) + 2

#: state -> (icon colour, row tint with alpha so it reads on light and dark palettes)
STATE_COLOURS: dict[str, tuple[str, tuple[int, int, int, int] | None]] = {
    "up_to_date": ("#3c9a4b", None),
    "outdated": ("#e0a000", (255, 176, 0, 70)),
    "untracked": ("#7f8790", (127, 135, 144, 45)),
    "missing": ("#c83c3c", (220, 60, 60, 70)),
}
#: sort order of the states: the ones needing attention first
STATE_ORDER = {"missing": 0, "outdated": 1, "untracked": 2, "up_to_date": 3}

_ICONS: dict[str, QtGui.QIcon] = {}


def _pen(colour: str, width: float) -> QtGui.QPen:
    pen = QtGui.QPen(QtGui.QColor(colour))
    pen.setWidthF(width)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    return pen


def _draw(key: str, paint: Any, size: int = 16) -> QtGui.QIcon:
    icon = _ICONS.get(key)
    if icon is None:
        pixmap = QtGui.QPixmap(size * 2, size * 2)  # drawn at 2x, crisp on high-DPI screens
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(pixmap)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.scale(2, 2)
        paint(painter)
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        icon = _ICONS[key] = QtGui.QIcon(pixmap)
    return icon


def state_icon(state: str) -> QtGui.QIcon:
    """A round badge per state: a tick, an up arrow, a question mark, a cross."""
    colour = STATE_COLOURS[state][0]

    def paint(p: QtGui.QPainter) -> None:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor(colour))
        p.drawEllipse(QtCore.QRectF(1, 1, 14, 14))
        white = _pen("#ffffff", 1.8)
        p.setPen(white)
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        if state == "up_to_date":
            p.drawPolyline([QtCore.QPointF(4.5, 8.2), QtCore.QPointF(7, 10.8),
                            QtCore.QPointF(11.5, 5.2)])
        elif state == "outdated":
            p.drawLine(QtCore.QPointF(8, 12), QtCore.QPointF(8, 4.5))
            p.drawPolyline([QtCore.QPointF(4.8, 7.6), QtCore.QPointF(8, 4.4),
                            QtCore.QPointF(11.2, 7.6)])
        elif state == "missing":
            p.drawLine(QtCore.QPointF(5.2, 5.2), QtCore.QPointF(10.8, 10.8))
            p.drawLine(QtCore.QPointF(10.8, 5.2), QtCore.QPointF(5.2, 10.8))
        else:  # untracked: a question mark
            path = QtGui.QPainterPath(QtCore.QPointF(5.6, 6.2))
            path.cubicTo(5.6, 3.4, 10.6, 3.4, 10.6, 6.2)
            path.cubicTo(10.6, 8.0, 8.0, 8.0, 8.0, 9.8)
            p.drawPath(path)
            p.setBrush(QtGui.QColor("#ffffff"))
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.drawEllipse(QtCore.QRectF(7, 11, 2, 2))

    return _draw(f"state:{state}", paint)


def lock_icon() -> QtGui.QIcon:
    """A padlock."""

    def paint(p: QtGui.QPainter) -> None:
        p.setPen(_pen("#5a6470", 1.8))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawArc(QtCore.QRectF(4.5, 1.5, 7, 9), 0, 180 * 16)
        p.drawLine(QtCore.QPointF(4.5, 6), QtCore.QPointF(4.5, 7.5))
        p.drawLine(QtCore.QPointF(11.5, 6), QtCore.QPointF(11.5, 7.5))
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor("#5a6470"))
        p.drawRoundedRect(QtCore.QRectF(2.5, 7, 11, 8), 1.5, 1.5)
        p.setBrush(QtGui.QColor("#ffffff"))
        p.drawEllipse(QtCore.QRectF(7, 9.5, 2, 2))

    return _draw("lock", paint)


#: the ContainerRow attribute each column shows, in column order
CELL_ATTRIBUTES: tuple[str, ...] = (
    "state_label", "name", "task", "take", "loaded_label", "latest_label",
    "latest_published_label", "lock_label", "note",
)


def cell_text(row: ContainerRow, column: int) -> str:
    """The text of ``row`` in ``column``."""
    return str(getattr(row, CELL_ATTRIBUTES[column]))


def _sort_key(row: ContainerRow, column: int) -> Any:
    if column == STATE:
        return (STATE_ORDER[row.state], row.name.lower())
    numbers = {LOADED: row.loaded, LATEST: row.latest, PUBLISHED: row.latest_published}
    if column in numbers:
        value = numbers[column]
        return -1 if value is None else value
    if column == LOCK:
        return (0 if row.locked else 1, row.name.lower())
    return cell_text(row, column).lower()


class InventoryModel(QtCore.QAbstractTableModel):
    """The containers as a table; :meth:`set_rows` replaces them all at once."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ContainerRow] = []

    def set_rows(self, rows: Sequence[ContainerRow]) -> None:
        """Show ``rows`` (one model reset: cheap for thousands of rows)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ContainerRow]:
        """The rows shown, in scene order."""
        return list(self._rows)

    def rowCount(self, parent: Index = QtCore.QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QtCore.QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: QtCore.Qt.Orientation,
        role: int = QtCore.Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (orientation == QtCore.Qt.Orientation.Horizontal
                and role == QtCore.Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = QtCore.Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == QtCore.Qt.ItemDataRole.DecorationRole:
            if column == STATE:
                return state_icon(row.state)
            if column == LOCK and row.locked:
                return lock_icon()
            return None
        if role == QtCore.Qt.ItemDataRole.BackgroundRole:
            tint = STATE_COLOURS[row.state][1]
            return QtGui.QBrush(QtGui.QColor(*tint)) if tint else None
        if (role == QtCore.Qt.ItemDataRole.FontRole and column == STATE
                and row.state != "up_to_date"):
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            lines = [f"{row.name}: {row.state_label}" + (" (locked)" if row.locked else ""),
                     str(row.path)]
            if row.version_id is not None:
                lines.append(f"version id {row.version_id}")
            if row.note:
                lines.append(row.note)
            return "\n".join(lines)
        return None
