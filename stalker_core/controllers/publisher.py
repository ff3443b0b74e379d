"""The Publisher panel's controller: collect, validate, repair and publish the open scene.

No Qt here: plain data classes in and out (:class:`PublisherState` and the
rows in it), the host through its protocol, the database through the
controller's session. The view (:mod:`stalker_core.ui.publisher`) only shows
the state and forwards clicks.

**How the plugins run without freezing the window.** Everything runs on the
thread that calls the controller, which for the panel is the UI thread, that
is the host's main thread. :meth:`PublisherController.start` prepares a
:class:`~stalker_core.workflows.publish.PublishRun`;
:meth:`PublisherController.step` makes its next plugin call, one call only,
and the view calls it from a zero-delay ``QTimer``, so the window repaints,
moves its progress bars and answers Stop (or its closing) between two plugin
calls. Stop closes the run there: while extracting or integrating, the
database is rolled back and nothing is published (the files are placed only
by the last step, together with the commit). A worker thread was not chosen:
the host APIs (``maya.cmds``, ``nuke``, ``bpy``) must be called on the main
thread, so a worker would hand nearly every plugin call back to it anyway,
and the SQLAlchemy session (``DBSession`` is a scoped session: one session
per thread) and the objects loaded in it cannot cross to another thread. The
cost: one slow plugin call (a long extraction) holds the window until it
returns; the progress line names that call.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Generator, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.context import find_version_by_path
from stalker_core.controllers.base import (
    PanelController,
    Problem,
    _is_connection_error,
    problem_of,
)
from stalker_core.controllers.publisher_state import (
    CheckRow,
    ItemRow,
    PublisherState,
    ResultRow,
    StageProgress,
    check_groups,
    check_rows,
    count_states,
)
from stalker_core.exceptions import (
    DatabaseUnavailableError,
    PluginError,
    PublishValidationError,
    StalkerError,
)
from stalker_core.plugins.calls import describe_error
from stalker_core.workflows.publish import STAGES, PublishRun, PublishStep, ValidatorCall, repair

if TYPE_CHECKING:
    import pluggy

    from stalker_core.hosts import Host
    from stalker_core.models.version.model import Version
    from stalker_core.plugins.api import PublishItem

__all__ = [
    "MODES",
    "REPORT_FORMAT",
    "CheckRow",
    "ItemRow",
    "PublisherController",
    "PublisherState",
    "ResultRow",
    "StageProgress",
    "check_rows",
    "count_states",
]

log = logging.getLogger(__name__)

#: what the panel can run -> the last stage it runs
MODES: dict[str, str] = {"collect": "collect", "validate": "validate", "publish": "integrate"}

#: the ``format`` of the JSON report
REPORT_FORMAT = "stalker.publish-report/1"

def _plain(rows: Iterable[Any]) -> list[Any]:
    """Rows (dataclasses) as JSON data: dicts, with lists for tuples."""

    def plain(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return [plain(asdict(row)) for row in rows]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PublisherController(PanelController):
    """Collect, validate, repair and publish the version open in ``host``, one call at a time.

    :meth:`load` finds the version; :meth:`start` begins a run (``"collect"``,
    ``"validate"`` or ``"publish"``), :meth:`step` makes its next plugin call
    and :meth:`stop` (or :meth:`close`) ends it. :meth:`run` does all of that
    at once (tests, scripts). Every method returns the :class:`PublisherState`.
    """

    def __init__(
        self,
        host: Host | None,
        *,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> None:
        super().__init__(host, session=session, plugin_manager=plugin_manager)
        #: the version published (the open scene's), once :meth:`load` found it
        self.version: Version | None = None
        self._version_id: int | None = None
        self._version_number = 0
        self._context = ""
        self._notice = ""
        self._problem: Problem | None = None
        self._is_published = False
        self._chosen: dict[str, bool] = {}
        self._run: PublishRun | None = None
        self._steps: Generator[PublishStep, None, None] | None = None
        self._reset("")

    def _reset(self, mode: str) -> None:
        self._mode = mode
        self._outcome = "running" if mode else ""
        self._message = ""
        self._items: list[PublishItem] = []
        self._calls: list[ValidatorCall] = []
        self._checks: tuple[CheckRow, ...] = ()
        self._skipped: list[tuple[str, str]] = []
        self._overridden: dict[str, tuple[str, ...]] = {}
        self._published_paths: tuple[str, ...] = ()
        self._warnings: tuple[str, ...] = ()
        self._started = _now() if mode else ""
        self._finished = ""
        last = STAGES.index(MODES[mode]) if mode else -1
        self._stages = {
            s: StageProgress(s, "waiting" if i <= last else "unused")
            for i, s in enumerate(STAGES)
        }

    # --- loading ----------------------------------------------------------------

    def load(self) -> PublisherState:
        """Find the version whose file is open in the host; forget the last run.

        A database that cannot be reached is reported in ``state.problem``
        (with Retry), a scene that is not a saved version in ``state.notice``.
        """
        self.stop()
        self._reset("")
        self.version, self._version_id = None, None
        self._context, self._notice, self._problem = "", "", None
        try:
            with self.timed("find the scene's version"):
                version, self._notice = self._scene_version()
                if version is not None:
                    # kept: after a rollback reading them would query the database again
                    self._context = self._describe(version)
                    self._is_published = bool(version.is_published)
                    self._version_id, self._version_number = version.id, version.version_number
                    self.version = version
        except DatabaseUnavailableError as exc:
            self._problem = problem_of(exc)
        return self.state()

    def _scene_version(self) -> tuple[Version | None, str]:
        if self.host is None:
            return None, "No application is connected: the Publisher needs a host."
        current = self.host.current_file()
        if current is None:
            return None, (
                "The scene has never been saved, so there is no version to publish: save it "
                "as a version first (Work Files > Save As Version), then publish it."
            )
        version = find_version_by_path(current, session=self.session)
        if version is None:
            return None, (
                f"The open file {Path(current).name!r} is not the file of a version: open a "
                "version (Work Files) or save this scene as a version, then publish it."
            )
        return version, ""

    @staticmethod
    def _describe(version: Version) -> str:
        task = version.task
        path = " / ".join(t.name for t in [*task.parents, task])
        project = task.project.code if task.project is not None else "?"
        return f"{project} / {path}, take {version.take_name}, v{version.version_number:03d}"

    # --- state --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while a run is going on."""
        return self._steps is not None

    def state(self) -> PublisherState:
        """What the panel shows now."""
        ready = self.version is not None and not self.running
        return PublisherState(
            context=self._context,
            version_id=self._version_id,
            host=str(getattr(self.host, "name", "")),
            notice=self._notice,
            problem=self._problem,
            mode=self._mode,
            running=self.running,
            outcome=self._outcome,
            message=self._message,
            stages=tuple(self._stages[s] for s in STAGES),
            items=tuple(
                ItemRow(i.name, i.kind, str(i.path or ""), self._chosen.get(i.name, True))
                for i in self._items
            ),
            checks=self._checks,
            published_paths=self._published_paths,
            warnings=self._warnings,
            can_validate=ready,
            can_publish=ready and not self._is_published,
        )

    def choose(self, name: str, chosen: bool) -> PublisherState:
        """Tick or untick the item ``name`` (taken into account by the next run)."""
        self._chosen[name] = bool(chosen)
        return self.state()

    # --- running ------------------------------------------------------------------

    def start(self, mode: str) -> PublisherState:
        """Begin a run of ``mode`` (see :data:`MODES`); nothing when one is going on.

        Unticked items are left out; items collected for the first time are ticked.
        """
        if mode not in MODES:
            raise ValueError(f"mode should be one of {', '.join(MODES)}, not {mode!r}")
        if self.running or self.version is None:
            return self.state()
        if mode == "publish" and self._is_published:
            self._message = (
                f"v{self._version_number:03d} is already published; save a new "
                "version to publish again"
            )
            return self.state()
        self._reset(mode)
        self._problem = None
        self._run = PublishRun(
            self.host,  # type: ignore[arg-type]  # a version was found, so there is a host
            self.version, session=self.session, pm=self.plugin_manager,
            leave_out=[name for name, chosen in self._chosen.items() if not chosen],
            keep_going=True,
        )
        self._steps = self._run.steps(MODES[mode])
        self._message = {"collect": "Collecting...", "validate": "Validating...",
                         "publish": "Publishing..."}[mode]
        return self.state()

    def step(self) -> PublisherState:
        """Make the next plugin call of the run (nothing when no run is going on)."""
        steps = self._steps
        if steps is None:
            return self.state()
        stage = self._current_stage()
        try:
            with self.timed(f"publish step ({stage})"):
                try:
                    step = next(steps, None)
                except PluginError as exc:
                    cause = exc.__cause__
                    if cause is not None and _is_connection_error(cause):
                        raise cause from exc  # timed() makes it DatabaseUnavailableError
                    raise
        except PublishValidationError:
            self._finish("invalid")
        except DatabaseUnavailableError as exc:
            self._problem = problem_of(exc)
            self._finish("failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - a plugin's or the run's error, shown
            if not isinstance(exc, StalkerError):
                log.exception("the %s failed", self._mode)
            self._finish("failed", str(exc) if isinstance(exc, StalkerError)
                         else describe_error(exc))
        else:
            if step is None:
                self._finish("done")
            else:
                self._advance(step)
        return self.state()

    def stop(self) -> PublisherState:
        """Stop the run between two plugin calls; a publish is rolled back."""
        steps = self._steps
        if steps is None:
            return self.state()
        try:
            with self.timed("stop the run"):
                steps.close()
        except Exception as exc:  # noqa: BLE001 - stopping never fails; the cause is logged
            log.warning("stopping the %s: %s", self._mode, describe_error(exc))
        self._finish("stopped")
        return self.state()

    def close(self) -> None:
        """The panel closes: stop any run (a publish is rolled back)."""
        self.stop()

    def run(self, mode: str) -> PublisherState:
        """:meth:`start` ``mode`` and make every step; return the final state."""
        state = self.start(mode)
        while state.running:
            state = self.step()
        return state

    def _current_stage(self) -> str:
        for name in STAGES:
            if self._stages[name].state == "running":
                return name
        return next((s for s in STAGES if self._stages[s].state == "waiting"), "")

    def _advance(self, step: PublishStep) -> None:
        for name in STAGES[: STAGES.index(step.stage)]:
            if self._stages[name].state in ("waiting", "running"):
                self._stages[name] = StageProgress(
                    name, "done", self._stages[name].done, self._stages[name].total
                )
        self._stages[step.stage] = StageProgress(
            step.stage, "running", step.done, step.total, str(step) if step.plugin else ""
        )
        self._sync()

    def _sync(self) -> None:
        """Copy what the run found so far (items, checks) into the controller."""
        run = self._run
        if run is None:
            return
        self._items = list(run.collected)
        for item in self._items:
            self._chosen.setdefault(item.name, True)
        self._calls = run.calls
        self._skipped = list(run.report.skipped)
        self._overridden = dict(run.report.overridden)
        self._checks = check_rows(self._calls, self._skipped, self._overridden)

    def _finish(self, how: str, error: str = "") -> None:
        """End the run: ``how`` is ``"done"``, ``"invalid"``, ``"stopped"`` or ``"failed"``."""
        self._steps = None
        self._finished = _now()
        self._sync()
        current = self._current_stage()
        counts = count_states(self._checks)
        failed, warned = counts["failed"], counts["warning"]
        mode = self._mode
        if how == "done":
            for name, stage in self._stages.items():
                if stage.state != "unused":
                    self._stages[name] = StageProgress(name, "done", stage.done, stage.total)
            how = {"collect": "collected", "validate": "invalid" if failed else "valid",
                   "publish": "published"}[mode]
        elif current:
            stage = self._stages[current]
            self._stages[current] = StageProgress(
                current, "stopped" if how == "stopped" else "failed",
                stage.done, stage.total, stage.current,
            )
        self._outcome = how
        report = self._run.report if self._run is not None else None
        if how == "published" and report is not None:
            self._is_published = True
            self._published_paths = tuple(str(p) for p in report.published_paths)
        if report is not None:
            self._warnings = tuple(report.warnings)
        nothing = " Nothing was published." if mode == "publish" else ""
        self._message = {
            "collected": f"Collected {len(self._items)} item(s). Untick what should not be "
                         "published, then Validate or Publish.",
            "valid": f"Validation passed: {counts['passed']} check(s) passed, {warned} "
                     "warning(s). Ready to publish.",
            "invalid": f"Validation FAILED: {failed} check(s) failed. Repair them or fix the "
                       f"scene, then validate again.{nothing}",
            "published": f"Published {len(self._published_paths)} file(s)"
                         + (f" with {len(self._warnings)} warning(s)." if self._warnings
                            else "."),
            "stopped": f"Stopped by the user during {current or mode}.{nothing}",
            "failed": f"The {mode} failed during {current or mode}: {error.rstrip('.')}."
                      f"{nothing}",
        }[how]

    # --- repair -------------------------------------------------------------------

    def repair(self, key: str) -> PublisherState:
        """Run the repairs of the check ``key``, then validate again.

        A repair that raises is reported in ``state.message`` and nothing is
        validated again.

        :raises KeyError: there is no such check with a repair.
        """
        if self.running:
            return self.state()
        group = check_groups(self._calls, self._skipped, self._overridden).get(key)
        fixable = [r for r in group.results if r.is_error and r.repair is not None] if group else []
        if group is None or not fixable:
            raise KeyError(f"the check {key!r} offers no repair")
        title = group.row().title
        failed = repair(fixable)
        if failed:
            self._message = "; ".join(
                f"The repair of {title!r} failed: {error}" for _r, error in failed
            )
            return self.state()
        self.start("validate")
        self._message = f"Repaired {title!r}; validating again..."
        return self.state()

    # --- report -------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """The last run as JSON-able data (what Copy and Save write)."""
        state = self.state()
        return {
            "format": REPORT_FORMAT,
            "version": None if self._version_id is None else {
                "id": self._version_id, "number": self._version_number,
                "context": state.context,
            },
            "host": state.host,
            "mode": state.mode,
            "outcome": state.outcome,
            "message": state.message,
            "started": self._started,
            "finished": self._finished,
            "stages": _plain(state.stages),
            "items": _plain(state.items),
            "checks": _plain(state.checks),
            "published_paths": list(state.published_paths),
            "warnings": list(state.warnings),
        }

    def report_json(self) -> str:
        """:meth:`report` as indented JSON text."""
        return json.dumps(self.report(), indent=2)

    def save_report(self, path: str | Path) -> Path:
        """Write :meth:`report_json` to ``path`` and return it."""
        target = Path(path)
        target.write_text(self.report_json() + "\n", encoding="utf-8")
        return target
