"""The Save As Version dialog: the next number and the file name before saving, or why not.

It shows the plan of :meth:`~stalker_core.controllers.workfiles.WorkFilesController.save_plan`
(the number, the file name as the template renders it, the folder) and
updates it when the take or the extension changes. When saving is
impossible, Save is disabled and the reasons are written out. Save goes
through :meth:`~stalker_core.controllers.workfiles.WorkFilesController.save`:
when someone saved a newer version since the dialog opened, the dialog says
so, shows the next free number and waits for a second Save.
"""

from __future__ import annotations

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.workfiles import (
    SaveOutcome,
    SavePlan,
    SaveRequest,
    WorkFilesController,
)
from stalker_core.exceptions import StalkerError

__all__ = ["SaveAsVersionDialog", "breakable"]

_ZWSP = "\u200b"


def breakable(path: str) -> str:
    """``path`` with a break opportunity after each separator (long paths wrap, never cut)."""
    return path.replace("/", "/" + _ZWSP).replace("\\", "\\" + _ZWSP)


def _note(object_name: str, colours: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(
        f"#{object_name} {{ {colours} border-radius: 3px; padding: 6px; }}"
    )
    label.hide()
    return label


class SaveAsVersionDialog(QtWidgets.QDialog):
    """Ask for a take and a description, show what will be saved, then save.

    :param controller: the Work Files controller (its host saves).
    :param task_id: the task to save a version of.
    :param take: the take to start with.
    After ``exec()``, :attr:`outcome` holds the saved version's outcome
    (``None`` when cancelled).
    """

    def __init__(
        self,
        controller: WorkFilesController,
        task_id: int,
        take: str = "Main",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save As Version")
        self.setObjectName("stalker_save_as_version")
        self.setMinimumWidth(560)
        self._controller = controller
        self._task_id = task_id
        #: the outcome of the save (``None`` until saved)
        self.outcome: SaveOutcome | None = None
        #: the plan shown
        self.plan: SavePlan | None = None

        self.task_label = QtWidgets.QLabel()
        font = self.task_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.task_label.setFont(font)
        self.task_label.setWordWrap(True)

        self.take_box = QtWidgets.QComboBox()
        self.take_box.setEditable(True)
        self.take_box.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.take_box.setToolTip("Letters, digits, '_' and '-'; type a new name for a new take")
        self.extension_box = QtWidgets.QComboBox()
        self.description = QtWidgets.QPlainTextEdit()
        self.description.setPlaceholderText("What changed in this version")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 4 + 12)

        self.number_label = QtWidgets.QLabel()
        big = self.number_label.font()
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.6)
        self.number_label.setFont(big)
        self.latest_label = QtWidgets.QLabel()
        self.latest_label.setWordWrap(True)
        # the paths are not selectable: their break opportunities are invisible characters;
        # the tooltips hold the plain text
        mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.filename_label = QtWidgets.QLabel()
        self.filename_label.setFont(mono)
        self.folder_label = QtWidgets.QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setFont(mono)
        self.problems_label = _note(
            "stalker_save_problems", "background: #5c1f1f; color: #fdd; border: 1px solid #a33;"
        )
        self.conflict_label = _note(
            "stalker_save_conflict",
            "background: #5a4a12; color: #fff4cc; border: 1px solid #b8962e;",
        )

        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Task:", self.task_label)
        form.addRow("Take:", self.take_box)
        form.addRow("File type:", self.extension_box)
        form.addRow("Description:", self.description)
        number_row = QtWidgets.QHBoxLayout()
        number_row.addWidget(self.number_label)
        number_row.addWidget(self.latest_label, 1)
        form.addRow("Next version:", number_row)
        form.addRow("File name:", self.filename_label)
        form.addRow("Folder:", self.folder_label)

        self.buttons = QtWidgets.QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Save", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.conflict_label)
        layout.addWidget(self.problems_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._fill_takes(take)
        self.take_box.editTextChanged.connect(lambda _text: self.refresh_plan())
        self.extension_box.currentIndexChanged.connect(lambda _i: self.refresh_plan())
        self.refresh_plan()

    # -- plan ------------------------------------------------------------------------------

    @property
    def take(self) -> str:
        """The take typed or chosen."""
        return self.take_box.currentText().strip()

    @property
    def extension(self) -> str | None:
        """The chosen extension (``None``: the host's default)."""
        return self.extension_box.currentText() or None

    def _fill_takes(self, take: str) -> None:
        try:
            names = [t.name for t in self._controller.takes(self._task_id)]
        except StalkerError:
            names = []
        if take not in names:
            names.append(take)
        self.take_box.blockSignals(True)
        self.take_box.addItems(names)
        self.take_box.setCurrentText(take)
        self.take_box.blockSignals(False)
        host = self._controller.host
        extensions = list(host.workfile_extensions) if host is not None else []
        self.extension_box.blockSignals(True)
        self.extension_box.addItems(extensions)
        self.extension_box.blockSignals(False)
        self.extension_box.setEnabled(len(extensions) > 1)

    def refresh_plan(self) -> None:
        """Ask the controller what a save would make now and show it."""
        try:
            plan = self._controller.save_plan(self._task_id, self.take or "Main", self.extension)
        except StalkerError as exc:
            self._show_error(problem_of(exc).message)
            return
        self.show_plan(plan)

    def show_plan(self, plan: SavePlan) -> None:
        """Show ``plan``: number, file name, folder, and why not when it cannot save."""
        self.plan = plan
        self.task_label.setText(breakable(plan.task_label))
        self.number_label.setText(plan.version_label)
        self.latest_label.setText(
            f"latest saved: v{plan.latest:03d}" if plan.latest else "the first version of this take"
        )
        self.filename_label.setText(plan.filename or "(not rendered)")
        self.filename_label.setToolTip(plan.filename)
        self.folder_label.setText(breakable(plan.folder) if plan.folder else "(not rendered)")
        self.folder_label.setToolTip(plan.folder)
        self.conflict_label.setText(plan.conflict)
        self.conflict_label.setVisible(bool(plan.conflict))
        if plan.problems:
            lines = "\n".join(f"\u2022 {p}" for p in plan.problems)
            self.problems_label.setText(f"Cannot save:\n{lines}")
        self.problems_label.setVisible(bool(plan.problems))
        self.save_button.setEnabled(plan.can_save)
        self.save_button.setText(f"Save {plan.version_label}" if plan.can_save else "Save")
        self.adjustSize()

    def _show_error(self, message: str) -> None:
        self.problems_label.setText(f"Cannot save:\n\u2022 {message}")
        self.problems_label.show()
        self.save_button.setEnabled(False)

    # -- save ------------------------------------------------------------------------------

    def _save(self) -> None:
        plan = self.plan
        if plan is None or not plan.can_save:
            return
        request = SaveRequest(
            self._task_id, plan.take, self.description.toPlainText().strip(), plan.number,
            self.extension,
        )
        try:
            outcome = self._controller.save(request)
        except StalkerError as exc:
            self._show_error(problem_of(exc).message)
            return
        if outcome.saved:
            self.outcome = outcome
            self.accept()
            return
        self.show_plan(outcome.plan)
