"""Starting an application for a task: which program, which file, which environment.

* :mod:`~stalker_core.workflows.launch.apps`: the applications of the
  configuration (:class:`Application`) and their installs, configured or
  discovered by host plugins (``stalker_launch_discover``);
* :mod:`~stalker_core.workflows.launch.environment`: the environment a
  program starts with, a pure function of its arguments extended by the
  ``stalker_launch_prepare`` hooks;
* :mod:`~stalker_core.workflows.launch.run`: the plan of one launch
  (:func:`plan_launch`: program, arguments, work file, environment, log
  file) and starting it (:func:`start`), used by ``stalker launch``.
"""

from __future__ import annotations

from stalker_core.workflows.launch.apps import (
    Application,
    applications,
    find_installs,
    get_application,
    resolve_install,
)
from stalker_core.workflows.launch.environment import (
    LEAKING_VARIABLES,
    build_environment,
    core_python_path,
)
from stalker_core.workflows.launch.run import (
    Launch,
    LaunchPlan,
    latest_workfile,
    plan_launch,
    start,
)

__all__ = [
    "LEAKING_VARIABLES",
    "Application",
    "Launch",
    "LaunchPlan",
    "applications",
    "build_environment",
    "core_python_path",
    "find_installs",
    "get_application",
    "latest_workfile",
    "plan_launch",
    "resolve_install",
    "start",
]
