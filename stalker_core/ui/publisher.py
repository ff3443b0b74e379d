"""The Publisher panel: collected items, checks grouped by check, progress, Stop, report.

A thin view over :class:`~stalker_core.controllers.publisher.PublisherController`.
The plugins run on this (the UI, the host's main) thread one call at a
time: a zero-delay ``QTimer`` calls :meth:`PublisherController.step` once per
tick, so between two plugin calls the window repaints and answers Stop or
its closing (which stops the run; a publish is then rolled back). Why not a
worker thread is explained in :mod:`stalker_core.controllers.publisher`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from Qt import QtCore, QtGui, QtWidgets

from stalker_core.controllers.publisher import PublisherController, PublisherState
from stalker_core.ui.publisher_widgets import CHECK_LABELS, ChecksTree, ItemsList, StageStrip
from stalker_core.ui.widgets import ErrorBanner
from stalker_core.workflows.publish import STAGES

if TYPE_CHECKING:
    import pluggy

__all__ = ["PublisherPanel", "demo_state"]

_OUTCOME_COLOURS = {
    "valid": CHECK_LABELS["passed"][1], "published": CHECK_LABELS["passed"][1],
    "invalid": CHECK_LABELS["failed"][1], "failed": CHECK_LABELS["failed"][1],
    "stopped": CHECK_LABELS["warning"][1],
}


class PublisherPanel(QtWidgets.QWidget):
    """Publish the version open in the host: tick items, validate, repair, publish.

    Built by :func:`stalker_core.ui.show` as ``PublisherPanel(host=...,
    parent=..., session=..., plugin_manager=...)``. It finds the scene's
    version and collects at once.
    """

    def __init__(
        self,
        host: Any = None,
        parent: QtWidgets.QWidget | None = None,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
        controller: PublisherController | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller or PublisherController(
            host, session=session, plugin_manager=plugin_manager
        )
        self.setMinimumSize(900, 560)
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._closed = False
        self._build()
        self.reload()

    # --- layout -------------------------------------------------------------------

    def _build(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        self.notice = QtWidgets.QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "#notice { background: #4a3f1a; color: #fde9b0; border: 1px solid #a08020; "
            "border-radius: 3px; padding: 6px; }"
        )
        self.notice.hide()
        layout.addWidget(self.notice)
        self.context_label = QtWidgets.QLabel()
        self.context_label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.context_label)
        self.stages = StageStrip(STAGES, self)
        layout.addWidget(self.stages)

        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal, self)
        items_box = QtWidgets.QGroupBox("Items to publish")
        items_layout = QtWidgets.QVBoxLayout(items_box)
        self.items = ItemsList(self._choose, items_box)
        items_layout.addWidget(self.items)
        hint = QtWidgets.QLabel("Unticked items are not validated nor published.")
        hint.setWordWrap(True)
        items_layout.addWidget(hint)
        split.addWidget(items_box)

        checks_box = QtWidgets.QGroupBox("Validation, by check")
        checks_layout = QtWidgets.QVBoxLayout(checks_box)
        self.summary = QtWidgets.QLabel()
        checks_layout.addWidget(self.summary)
        self.checks = ChecksTree(self._repair, checks_box)
        self.checks.currentItemChanged.connect(lambda *_: self._show_details())
        checks_layout.addWidget(self.checks, 3)
        self.details = QtWidgets.QTextBrowser()
        self.details.setObjectName("details")
        self.details.setMinimumHeight(90)
        checks_layout.addWidget(self.details, 1)
        split.addWidget(checks_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([250, 1000])
        layout.addWidget(split, 1)

        self.message = QtWidgets.QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QtWidgets.QHBoxLayout()
        self.validate_button = QtWidgets.QPushButton("Validate")
        self.publish_button = QtWidgets.QPushButton("Publish")
        self.stop_button = QtWidgets.QPushButton("\u25a0 Stop")
        self.copy_button = QtWidgets.QPushButton("Copy report")
        self.save_button = QtWidgets.QPushButton("Save report\u2026")
        self.validate_button.setToolTip("Collect and check, without writing anything")
        self.publish_button.setToolTip("Collect, check, extract and integrate the ticked items")
        self.stop_button.setToolTip("Stop after the current plugin call; a publish is "
                                    "rolled back")
        self.copy_button.setToolTip("Copy the report (JSON) to the clipboard")
        self.save_button.setToolTip("Save the report as a JSON file")
        self.validate_button.clicked.connect(lambda: self.start("validate"))
        self.publish_button.clicked.connect(lambda: self.start("publish"))
        self.stop_button.clicked.connect(self.stop)
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button.clicked.connect(self.save_report)
        for button in (self.validate_button, self.publish_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    # --- actions --------------------------------------------------------------------

    def reload(self) -> None:
        """Find the scene's version again (also the banner's Retry), then collect."""
        self._timer.stop()
        self.banner.clear()
        state = self.controller.load()
        self._show(state)
        if state.can_validate:
            self.start("collect")

    def start(self, mode: str) -> None:
        """Start a run (``"collect"``, ``"validate"``, ``"publish"``) driven by the timer."""
        self._follow(self.controller.start(mode))

    def stop(self) -> None:
        """Stop the run after the current plugin call."""
        self._timer.stop()
        self._show(self.controller.stop())

    def run_now(self, mode: str) -> PublisherState:
        """Run ``mode`` to its end without returning to the event loop (scripts, screenshots)."""
        self._timer.stop()
        state = self.controller.run(mode)
        self._show(state)
        return state

    def copy_report(self) -> None:
        """Put the JSON report on the clipboard."""
        clipboard = QtGui.QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.controller.report_json())
            self.message.setText("The report (JSON) is on the clipboard.")

    def save_report(self) -> None:
        """Ask where, then save the JSON report there."""
        path = self.ask_report_path()
        if not path:
            return
        try:
            saved = self.controller.save_report(path)
        except OSError as exc:
            self.message.setText(f"Could not save the report: {exc}")
            return
        self.message.setText(f"Report saved to {saved}")

    def ask_report_path(self) -> str:
        """The file the report goes to ("" when the artist cancels)."""
        state = self.controller.state()
        name = f"publish_report_{state.version_id or 'scene'}.json"
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(
            self, "Save the publish report", str(Path.home() / name), "JSON (*.json)"
        )
        return str(path)

    def _choose(self, name: str, chosen: bool) -> None:
        self.controller.choose(name, chosen)

    def _repair(self, key: str) -> None:
        self._follow(self.controller.repair(key))

    def _follow(self, state: PublisherState) -> None:
        self._show(state)
        if state.running:
            self._timer.start()

    def _tick(self) -> None:
        state = self.controller.step()
        if not state.running:
            self._timer.stop()
        self._show(state)

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Shown again after being closed (a menu click): the scene may have changed, reload."""
        super().showEvent(event)
        if self._closed and not event.spontaneous():
            self._closed = False
            self.reload()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing stops the run; a publish is rolled back."""
        self._timer.stop()
        self.controller.close()
        self._closed = True
        super().closeEvent(event)

    # --- showing the state ----------------------------------------------------------

    def _show(self, state: PublisherState) -> None:
        if state.problem is not None:
            self.banner.show_problem(state.problem, self.reload)
        self.notice.setText("\u2139 " + state.notice if state.notice else "")
        self.notice.setVisible(bool(state.notice))
        self.context_label.setText(
            f"<b>Publishing</b> {html.escape(state.context)} "
            f"<span style='color:#909090'>(host: {html.escape(state.host)})</span>"
            if state.context else "<b>Publishing</b>: no version"
        )
        self.stages.show_stages(state.stages)
        self.items.show_items(state.items)
        self.items.setEnabled(not state.running)
        self.checks.show_checks(state.checks, not state.running)
        counts = state.counts()
        self.summary.setText(
            "  ".join(f"{CHECK_LABELS[s][0]}: {n}" for s, n in counts.items() if n)
            if state.checks else
            "No check has run yet" + (": press Validate." if state.can_validate else ".")
        )
        colour = _OUTCOME_COLOURS.get(state.outcome)
        text = html.escape(state.message)
        call = next((s.current for s in state.stages if s.state == "running"), "")
        if state.running and call:
            text += f" <span style='color:#909090'>(last call: {html.escape(call)})</span>"
        self.message.setText(f"<span style='color:{colour}'><b>{text}</b></span>"
                             if colour else text)
        self.validate_button.setEnabled(state.can_validate)
        self.publish_button.setEnabled(state.can_publish)
        self.stop_button.setEnabled(state.running)
        self.copy_button.setEnabled(bool(state.mode))
        self.save_button.setEnabled(bool(state.mode))
        self._show_details()

    def _show_details(self) -> None:
        item = self.checks.currentItem()
        if item is None:
            self.details.setHtml(
                "<span style='color:#909090'>Select a check to read its results.</span>")
            return
        try:
            key = str(item.data(0, QtCore.Qt.ItemDataRole.UserRole))
            check = self.controller.state().check(key)
        except KeyError:
            self.details.clear()
            return
        text, colour = CHECK_LABELS[check.state]
        parts = [f"<b style='color:{colour}'>{text}</b> <b>{html.escape(check.title)}</b>"
                 f" <span style='color:#909090'>({html.escape(', '.join(check.plugins))})"
                 "</span>"]
        if check.description:
            parts.append(f"<i>{html.escape(check.description)}</i>")
        for result in check.results:
            line = (f"&bull; <b>{html.escape(result.title)}</b> [{html.escape(result.item)}]: "
                    f"{html.escape(result.message)}")
            if result.objects:
                line += f"<br>&nbsp;&nbsp;Objects: {html.escape(', '.join(result.objects))}"
            parts.append(line)
        if check.state == "passed":
            parts.append("Nothing to report.")
        self.details.setHtml("<br>".join(parts))


def demo_state(widget: QtWidgets.QWidget) -> None:
    """Validate a demo version with a failed check, a warning and passed checks.

    Over the demo studio (``stalker demo``): when the host has no version
    open, the newest unpublished demo version (of a shot task, when there
    is one) is opened; the demo checks of
    :mod:`stalker_core.ui.publisher_demo` are added to the plugin manager
    (a camera and a playblast item, a failing "Node names" check with a
    repair, a "Texture size" warning), the playblast is unticked, the run
    validates and the failed check is selected.
    """
    from stalker_core.ui.publisher_demo import open_demo_version, register_demo_checks

    panel = widget if isinstance(widget, PublisherPanel) else widget.findChild(PublisherPanel)
    if panel is None:
        return
    ctl = panel.controller
    register_demo_checks(ctl.plugin_manager)
    if ctl.state().version_id is None:
        open_demo_version(ctl.host, ctl.session)
    panel.reload()
    panel.run_now("collect")
    panel.controller.choose("playblast", False)
    state = panel.run_now("validate")
    failed = next((c for c in state.checks if c.state == "failed"), None)
    if failed is not None:
        row = panel.checks.check_item(failed.key)
        if row is not None:
            panel.checks.setCurrentItem(row)
