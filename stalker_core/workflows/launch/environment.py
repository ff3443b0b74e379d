"""The environment an application starts with: a pure function of its arguments.

Nothing here reads ``os.environ``: the launcher passes its environment as
``base_env``, and the result depends only on the arguments and on the
``stalker_launch_prepare`` implementations of the plugins.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.plugins.calls import call_each
from stalker_core.workflows.common import plugin_manager_or_default
from stalker_core.workflows.launch.apps import Application, expand

if TYPE_CHECKING:
    import pluggy

    from stalker_core.config import Config
    from stalker_core.plugins.api import ApplicationInstall

__all__ = ["LEAKING_VARIABLES", "build_environment", "core_python_path", "launcher_prefix"]

#: variables of the launcher's own Python and Qt that must not reach the application
LEAKING_VARIABLES: tuple[str, ...] = (
    "VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONEXECUTABLE",
    "QT_PLUGIN_PATH", "QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_PLATFORM", "QT_API",
    "QT_PREFERRED_BINDING", "QML2_IMPORT_PATH", "PYSIDE_DESIGNER_PLUGINS",
)


def launcher_prefix() -> Path | None:
    """The launcher's virtualenv (``sys.prefix``), or ``None`` outside a virtualenv."""
    return Path(sys.prefix) if sys.prefix != sys.base_prefix else None


def core_python_path(config: Config) -> list[str]:
    """The folders the application's Python needs for stalker_core and its dependencies.

    ``launch.python_path`` when the studio sets it (a deploy folder built
    for the applications' Python); else the folder holding the
    ``stalker_core`` package, then the launcher's site-packages.
    """
    if config.launch_python_path:
        return list(config.launch_python_path)
    package_root = str(Path(__file__).resolve().parents[3])
    paths = [package_root]
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path not in paths:
            paths.append(path)
    return paths


def _without(value: str, prefix: Path | None) -> str:
    """A path list (``PATH``, ``PYTHONPATH``) without the entries inside ``prefix``."""
    if prefix is None:
        return value
    kept = [p for p in value.split(os.pathsep)
            if p and not Path(p).resolve().is_relative_to(prefix.resolve())]
    return os.pathsep.join(kept)


def build_environment(
    app: Application,
    install: ApplicationInstall,
    task: Any,
    *,
    base_env: Mapping[str, str],
    config: Config,
    database_url: str,
    save_new: bool = False,
    launcher: Path | None = None,
    python_path: Sequence[str] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> dict[str, str]:
    """The environment to start ``install`` with for ``task``.

    1. ``base_env`` (the launcher's environment) without
       :data:`LEAKING_VARIABLES`, and without the ``PATH``/``PYTHONPATH``
       entries inside the launcher's virtualenv ``launcher``;
    2. ``STALKER_TASK_ID``, ``STALKER_DATABASE_URL``, ``STALKER_PYTHONPATH``
       (``python_path``, default :func:`core_python_path`) and
       ``STALKER_LAUNCH_SAVE_NEW`` when ``save_new``;
    3. the application's configured ``env`` (``{version}``/``{short}`` filled in);
    4. the ``stalker_launch_prepare`` hooks, in order, each changing the mapping.

    :returns: a new mapping; ``base_env`` is not changed.
    """
    env = {k: v for k, v in base_env.items() if k not in LEAKING_VARIABLES}
    for name in ("PATH", "PYTHONPATH"):
        if name in env:
            env[name] = _without(env[name], launcher)
            if not env[name]:
                del env[name]
    env["STALKER_TASK_ID"] = str(task.id)
    env["STALKER_DATABASE_URL"] = database_url
    paths = core_python_path(config) if python_path is None else list(python_path)
    env["STALKER_PYTHONPATH"] = os.pathsep.join(paths)
    if save_new:
        env["STALKER_LAUNCH_SAVE_NEW"] = "1"
    else:
        env.pop("STALKER_LAUNCH_SAVE_NEW", None)
    env.update({k: expand(v, install.variant) for k, v in app.env.items()})
    pm = plugin_manager_or_default(plugin_manager)
    call_each(pm, "stalker_launch_prepare", application=app.name, variant=install.variant,
              task=task, env=env)
    return env
