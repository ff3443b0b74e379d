"""Widgets the panels share."""

from __future__ import annotations

from collections.abc import Callable

from Qt import QtCore, QtWidgets

from stalker_core.controllers.base import Problem

__all__ = ["ErrorBanner"]


class ErrorBanner(QtWidgets.QFrame):
    """A banner at the top of a panel: what went wrong, and Retry when it may help.

    Hidden until :meth:`show_problem`; :meth:`clear` hides it again.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stalker_error_banner")
        self.setStyleSheet(
            "#stalker_error_banner { background: #5c1f1f; border: 1px solid #a33; "
            "border-radius: 3px; } QLabel { color: #fdd; }"
        )
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.icon = QtWidgets.QLabel("\u26a0 Error:")
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QtWidgets.QPushButton("Retry")
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self._retry: Callable[[], object] | None = None
        self.retry_button.clicked.connect(self._on_retry)
        self.hide()

    def show_problem(self, problem: Problem, retry: Callable[[], object] | None = None) -> None:
        """Show ``problem``; the Retry button calls ``retry`` when the problem allows it."""
        self.label.setText(problem.message)
        self._retry = retry
        self.retry_button.setVisible(problem.retry and retry is not None)
        self.show()

    def clear(self) -> None:
        """Hide the banner."""
        self.label.clear()
        self._retry = None
        self.hide()

    def _on_retry(self) -> None:
        retry = self._retry
        self.clear()
        if retry is not None:
            retry()
