"""One launch: its plan (program, arguments, work file, environment, log) and the process."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import platformdirs

from stalker_core.config import APP_AUTHOR, APP_NAME, get_config
from stalker_core.exceptions import LaunchError
from stalker_core.plugins.calls import call_each
from stalker_core.workflows.common import plugin_manager_or_default, session_or_default
from stalker_core.workflows.launch.apps import Application, get_application, resolve_install
from stalker_core.workflows.launch.environment import build_environment, launcher_prefix

if TYPE_CHECKING:
    import pluggy

    from stalker_core.config import Config
    from stalker_core.plugins.api import ApplicationInstall

__all__ = ["Launch", "LaunchPlan", "latest_workfile", "log_dir", "plan_launch", "start"]


def log_dir() -> Path:
    """Where the logs of launched applications go (the platformdirs user log folder)."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)) / "launch"


@dataclass(frozen=True)
class LaunchPlan:
    """Everything about one launch, decided before anything starts."""

    application: Application
    install: ApplicationInstall
    task_id: int
    task_name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(repr=False)
    workfile: Path | None
    save_new: bool
    log_path: Path

    def __str__(self) -> str:
        what = str(self.workfile) if self.workfile else (
            "a new scene, saved as the first version" if self.save_new else "a new scene")
        return (f"{self.application.label} {self.install.variant} for task {self.task_name!r} "
                f"(id {self.task_id}): {what}")


def latest_workfile(session: Any, task: Any, app: Application) -> Path | None:
    """The newest version's file of ``task`` made for ``app`` (by extension) that exists."""
    from sqlalchemy import or_, select

    from stalker_core.models import Version

    if not app.extensions:
        return None
    query = (
        select(Version)
        .where(Version.task_id == task.id)
        .where(or_(*(Version.filename.ilike(f"%{ext}") for ext in app.extensions)))
        .order_by(Version.date_created.desc(), Version.id.desc())
        .limit(20)
    )
    for version in session.scalars(query):
        path = Path(version.absolute_full_path)
        if path.is_file() and path.stat().st_size > 0:
            return path
    return None


def _task(session: Any, task: Any) -> Any:
    from stalker_core.models import Task

    if isinstance(task, Task):
        return task
    if isinstance(task, bool) or not isinstance(task, int):
        raise LaunchError(f"task should be a Task or a task id, not {task!r}")
    found = session.get(Task, task)
    if found is None:
        raise LaunchError(f"there is no task with id {task}; see `stalker task list`")
    return found


def _check_task(task: Any) -> None:
    if task.is_container:
        raise LaunchError(
            f"task {task.name!r} (id {task.id}) has child tasks; launch one of its leaf tasks"
        )
    project = task.project
    if project is None or not list(project.repositories):
        raise LaunchError(
            f"the project of task {task.name!r} (id {task.id}) has no repository; add one "
            f"before launching (work files are saved in it)"
        )


def plan_launch(
    application: str,
    task: Any,
    *,
    variant: str | None = None,
    new: bool = False,
    extra_args: Sequence[str] = (),
    base_env: Mapping[str, str],
    session: Any = None,
    plugin_manager: pluggy.PluginManager | None = None,
    config: Config | None = None,
    database_url: str | None = None,
) -> LaunchPlan:
    """Decide how to start ``application`` for ``task``; start nothing.

    :param task: a Task or a task id.
    :param new: start with a new scene even when a work file exists.
    :param extra_args: passed to the program unchanged, after the file.
    :param base_env: the launcher's environment (``dict(os.environ)``).
    :param database_url: the database the application connects to (default:
        the session's URL).
    :raises LaunchError: unknown application, no install, unknown task, a
        task with children or without a repository.
    """
    config = config or get_config()
    session = session_or_default(session)
    pm = plugin_manager_or_default(plugin_manager)
    app = get_application(application, config)
    task = _task(session, task)
    _check_task(task)
    install = resolve_install(app, variant, pm)
    workfile = None if new else latest_workfile(session, task, app)
    save_new = workfile is None and config.launch_save_new
    url = database_url or session.get_bind().url.render_as_string(hide_password=False)
    env = build_environment(app, install, task, base_env=base_env, config=config,
                            database_url=url, save_new=save_new, launcher=launcher_prefix(),
                            plugin_manager=pm)
    argv = [str(install.executable), *app.args]
    if workfile is not None:
        argv += [a.replace("{file}", str(workfile)) for a in app.file_args]
    argv += list(extra_args)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    log_path = log_dir() / f"{app.name}-{install.variant}-task{task.id}-{stamp}.log"
    return LaunchPlan(app, install, task.id, task.name, tuple(argv), env, workfile, save_new,
                      log_path)


@dataclass
class Launch:
    """A started application: its process and log."""

    plan: LaunchPlan
    process: subprocess.Popen[bytes]
    _log: IO[bytes] = field(repr=False)
    #: what the plugins prepared on disk before the start (``stalker_launch_before_start``)
    notes: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def poll(self) -> int | None:
        """The exit code, or ``None`` while it runs."""
        code = self.process.poll()
        if code is not None:
            self._log.close()
        return code

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the application to exit and return its exit code."""
        code = self.process.wait(timeout)
        self._log.close()
        return code

    def log_tail(self, lines: int = 20) -> str:
        """The last ``lines`` lines of the log."""
        if not self._log.closed:
            self._log.flush()
        try:
            text = self.plan.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def check_startup(self, seconds: float) -> int | None:
        """Wait up to ``seconds`` for an early exit; return its code, or ``None`` if running."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            code = self.poll()
            if code is not None:
                return code
            time.sleep(0.05)
        return None


def start(plan: LaunchPlan, plugin_manager: pluggy.PluginManager | None = None) -> Launch:
    """Start the planned application, its output going to ``plan.log_path``.

    The ``stalker_launch_before_start`` hooks run first; what they say they
    did is in :attr:`Launch.notes`.

    :raises LaunchError: the program cannot be started (the message names it).
    """
    pm = plugin_manager_or_default(plugin_manager)
    notes: list[str] = []
    for _plugin, said in call_each(pm, "stalker_launch_before_start",
                                   application=plan.application.name,
                                   variant=plan.install.variant, env=dict(plan.env)):
        notes.extend(str(s) for s in said)
    plan.log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(plan.log_path, "ab")  # noqa: SIM115 - closed when the process ends
    log.write(f"# {' '.join(plan.argv)}\n".encode())
    log.flush()
    try:
        process = subprocess.Popen(
            list(plan.argv), env=dict(plan.env), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=str(plan.workfile.parent) if plan.workfile else None,
            start_new_session=os.name != "nt",
        )
    except OSError as exc:
        log.close()
        raise LaunchError(f"could not start {plan.argv[0]}: {exc.strerror or exc}") from exc
    return Launch(plan, process, log, notes)
