"""The launcher window as plain data: my tasks, the applications for one, launches and recents.

:class:`LauncherController` (a :class:`~stalker_core.controllers.browse.BrowseController`)
answers what the launcher window shows, without Qt:

* the projects, then the current user's tasks in one project
  (:meth:`~LauncherController.my_task_rows`, filtered by status);
* the configured applications with the installs found for each
  (:meth:`~LauncherController.applications`: configured executables and host
  plugin discovery, looked up once per controller);
* :meth:`~LauncherController.launch` plans and starts an application for a
  task (:mod:`stalker_core.workflows.launch`) and keeps a
  :class:`LaunchRecord`; :meth:`~LauncherController.poll` tells which are
  running, finished or failed (with the end of the log);
* the recent launches (:meth:`~LauncherController.recent`), kept in
  ``recent.json`` next to the launch logs, newest first.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select

from stalker_core.config import process_environment
from stalker_core.controllers.browse import BrowseController
from stalker_core.controllers.inventory import load_task_paths
from stalker_core.workflows.launch import applications as configured_applications
from stalker_core.workflows.launch import find_installs, plan_launch, start
from stalker_core.workflows.launch.run import log_dir

if TYPE_CHECKING:
    from stalker_core.workflows.launch import Launch

__all__ = ["AppChoice", "LaunchRecord", "LauncherController", "RecentLaunch", "TaskRow"]

#: how many recent launches are kept
RECENT_SIZE = 8
#: the state of a launch
LaunchState = Literal["running", "finished", "failed"]


@dataclass(frozen=True)
class TaskRow:
    """One of my tasks: what its row shows."""

    id: int
    path: str
    status_code: str
    status_name: str

    @property
    def status_text(self) -> str:
        """``WIP - Work In Progress``: never a colour alone."""
        return f"{self.status_code} - {self.status_name}" if self.status_name else self.status_code


@dataclass(frozen=True)
class AppChoice:
    """An application and its installs found here."""

    name: str
    label: str
    #: ``(variant, executable)`` of each install, the default first
    installs: tuple[tuple[str, str], ...]

    @property
    def installed(self) -> bool:
        """Whether anything can be started."""
        return bool(self.installs)


@dataclass(frozen=True)
class RecentLaunch:
    """A launch the artist made before (kept in ``recent.json``)."""

    task_id: int
    task_path: str
    application: str
    variant: str
    when: str

    @property
    def label(self) -> str:
        """``anim (SEQ01/SH10/anim) in Blender 3.4``."""
        return f"{self.task_path} - {self.application} {self.variant}"


@dataclass
class LaunchRecord:
    """A launch of this window: its state, and where its log is."""

    task_path: str
    application: str
    variant: str
    pid: int
    log_path: Path
    state: LaunchState = "running"
    exit_code: int | None = None
    log_tail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """One line for the notices list, in words."""
        what = f"{self.application} {self.variant} for {self.task_path}"
        if self.state == "running":
            return f"RUNNING: {what} (pid {self.pid})"
        if self.state == "finished":
            return f"FINISHED: {what}"
        return f"FAILED (exit code {self.exit_code}): {what}"


class LauncherController(BrowseController):
    """What the launcher window shows and does (see the module docstring).

    :param recent_file: where the recent launches are kept (default: next to the logs).
    """

    def __init__(self, *args: Any, recent_file: Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent_file = recent_file or log_dir().parent / "recent.json"
        self._apps: list[AppChoice] | None = None
        self._running: list[tuple[LaunchRecord, Launch]] = []
        #: every launch made by this controller, newest last
        self.launches: list[LaunchRecord] = []

    # -- tasks --------------------------------------------------------------------------

    def my_task_rows(self, project_id: int, status: str | None = None) -> list[TaskRow]:
        """The user's leaf tasks in ``project_id``, by path; only ``status`` when given."""
        mine = self.my_tasks(project_id).mine
        if not mine:
            return []
        return self.read(  # type: ignore[no-any-return]
            "launcher.tasks", self._rows, mine, status)

    def _rows(self, ids: frozenset[int], status: str | None) -> list[TaskRow]:
        from stalker_core.models.task.model import Task

        tasks = Task.__table__
        found = self.session.execute(
            select(tasks.c.id, tasks.c.status_id).where(tasks.c.id.in_(ids))
        ).all()
        statuses = self._statuses({sid for _, sid in found if sid is not None})
        paths = load_task_paths(self.session, [tid for tid, _ in found])
        rows = []
        for tid, sid in found:
            code, name = statuses.get(sid, ("", "")) if sid is not None else ("", "")
            if status is None or code == status:
                rows.append(TaskRow(tid, paths.get(tid, str(tid)), code, name))
        return sorted(rows, key=lambda r: r.path)

    # -- applications --------------------------------------------------------------------

    def applications(self) -> list[AppChoice]:
        """The configured applications and their installs here (found once, then kept)."""
        if self._apps is None:
            self._apps = [
                AppChoice(app.name, app.label, tuple(
                    (i.variant, str(i.executable))
                    for i in find_installs(app, self.plugin_manager)))
                for app in configured_applications().values()
            ]
        return list(self._apps)

    # -- launching -------------------------------------------------------------------------

    def launch(self, task_id: int, application: str, variant: str | None = None,
               *, new: bool = False) -> LaunchRecord:
        """Start ``application`` for the task; remember it as a recent launch.

        :raises LaunchError: see :func:`~stalker_core.workflows.launch.plan_launch`.
        """
        plan = self.db_call("launcher.plan", plan_launch, application, task_id,
                            variant=variant, new=new, base_env=process_environment(),
                            session=self.session, plugin_manager=self.plugin_manager)
        running = start(plan, self.plugin_manager)
        path = load_task_paths(self.session, [task_id]).get(task_id, plan.task_name)
        record = LaunchRecord(path, plan.application.label, plan.install.variant,
                              running.pid, plan.log_path, notes=list(running.notes))
        self._running.append((record, running))
        self.launches.append(record)
        self._remember(RecentLaunch(task_id, path, application, plan.install.variant,
                                    datetime.now().isoformat(timespec="seconds")))
        return record

    def poll(self) -> list[LaunchRecord]:
        """Update the state of the running launches; return those that just ended."""
        ended = []
        for record, running in list(self._running):
            code = running.poll()
            if code is None:
                continue
            record.exit_code = code
            record.state = "finished" if code == 0 else "failed"
            record.log_tail = running.log_tail()
            self._running.remove((record, running))
            ended.append(record)
        return ended

    # -- recent ------------------------------------------------------------------------------

    def recent(self) -> list[RecentLaunch]:
        """The recent launches, newest first (an unreadable file counts as none)."""
        try:
            data = json.loads(self.recent_file.read_text(encoding="utf-8"))
            return [RecentLaunch(**item) for item in data][:RECENT_SIZE]
        except (OSError, ValueError, TypeError):
            return []

    def _remember(self, launch: RecentLaunch) -> None:
        same = (launch.task_id, launch.application, launch.variant)
        kept = [r for r in self.recent() if (r.task_id, r.application, r.variant) != same]
        self.recent_file.parent.mkdir(parents=True, exist_ok=True)
        items = [asdict(r) for r in [launch, *kept][:RECENT_SIZE]]
        self.recent_file.write_text(json.dumps(items, indent=1), encoding="utf-8")
