"""FAKE ``maya.OpenMayaUI`` (Maya Python API 1.0): only ``MQtUtil.mainWindow()``. Not Maya.

Maya's main window is a ``QMainWindow`` whose object name is ``MayaWindow``;
``MQtUtil.mainWindow()`` returns its address (a SWIG pointer that ``int()``
converts) or ``None`` in batch mode. The fake makes such a window (through
Qt.py) the first time it is asked, in the running ``QApplication``, and
returns its address as an ``int``; with no ``QApplication`` (a test without
Qt) or in batch mode (``maya.cmds._batch``) it returns ``None``.
"""

from __future__ import annotations

from typing import Any

from . import cmds as _cmds

#: FAKE ONLY: the fake main window, made on first use
_window: list[Any] = []


class MQtUtil:
    """Qt utilities of Maya: only ``mainWindow`` is modelled."""

    @staticmethod
    def mainWindow() -> int | None:  # noqa: N802 - Maya's name
        """The address of the ``MayaWindow`` main window, ``None`` in batch mode."""
        if _cmds._batch:
            return None
        from Qt import QtCompat, QtWidgets

        if QtWidgets.QApplication.instance() is None:
            return None
        if not _window or not QtCompat.isValid(_window[0]):
            window = QtWidgets.QMainWindow()
            window.setObjectName("MayaWindow")
            window.setWindowTitle("FAKE Maya")
            _window[:] = [window]
        pointer = QtCompat.getCppPointer(_window[0])
        return int(pointer[0] if isinstance(pointer, (tuple, list)) else pointer)
