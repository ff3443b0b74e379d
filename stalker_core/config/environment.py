"""The environment variables stalker_core reads, each declared once (:data:`ENV_VARS`).

Code reads a variable only through :func:`env_value`, :func:`env_flag`,
:func:`env_names` or :func:`environment`, which refuse an undeclared name;
``python -m stalker_core.config --write`` documents the declarations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from stalker_core.exceptions import ConfigError

#: the variable naming the studio configuration file
ENV_VAR = "STALKER_CONFIG"


@dataclass(frozen=True)
class EnvVar:
    """The declaration of one environment variable stalker_core reads.

    :param name: the variable.
    :param doc: what it means and which values it takes.
    :param reader: the code that uses it.
    :param setting: the dotted key of the setting it acts on, if any.
    :param for_tests: read only by the test suite and the benchmarks.
    :param runs: what the variable makes stalker_core run (see :attr:`Setting.runs`).
    """

    name: str
    doc: str
    reader: str
    setting: str | None = None
    for_tests: bool = False
    runs: str = ""


ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(ENV_VAR, "Path of the studio configuration file; when set, the site and user "
           "files are not read. A missing file is an error.", "stalker_core.config"),
    EnvVar("STALKER_PLUGINS", "Module names (comma separated) imported and registered as "
           "plugins, also when plugins.autoload is false.", "the plugin manager",
           runs="The named Python modules: imported (their code runs) by every program that "
                "builds a plugin manager (the stalker command, the hosts, the panels)."),
    EnvVar("STALKER_DISABLE_PLUGINS", "Plugin names (comma separated) never registered, "
           "added to plugins.blocked.", "the plugin manager", "plugins.blocked"),
    EnvVar("STALKER_PLUGINS_STRICT", "1/true/yes/on: a plugin that fails to load is an "
           "error, whatever plugins.strict says.", "the plugin manager", "plugins.strict"),
    EnvVar("STALKER_DISABLE_PLUGIN_AUTOLOAD", "1/true/yes/on: entry-point plugins are not "
           "loaded, whatever plugins.autoload says.", "the plugin manager", "plugins.autoload"),
    EnvVar("STALKER_TASK_ID", "The id of the task an application was started for (set by a "
           "launcher); the context of a scene that is not a version.",
           "stalker_core.context, the Blender add-on"),
    EnvVar("STALKER_DATABASE_URL", "SQLAlchemy URL of the database, over every file "
           "(set by the launcher for the applications it starts).", "stalker_core.config",
           "database.url"),
    EnvVar("STALKER_PYTHONPATH", "Folders (os.pathsep separated) holding stalker_core and "
           "its dependencies, set by the launcher; the Blender start-up script adds them to "
           "Blender's Python.", "stalker_blender's start-up script",
           runs="The Python code in these folders, imported by the applications started "
                "with it (launch.python_path)."),
    EnvVar("STALKER_LAUNCH_SAVE_NEW", "1: the launched application saves its new scene as "
           "the task's first version at start-up (launch.save_new).", "the host add-ons",
           "launch.save_new"),
    EnvVar("STALKER_KRITA_SCRIPT", "A Python file the Krita plugin runs once Krita's window "
           "is up (batch jobs; the Krita tests drive the contract suite with it).",
           "stalker_krita.startup"),
    EnvVar("STALKER_PASSWORD", "The password of the user the command line acts as "
           "(--as or --user); lets anyone act as that user, and is required when "
           "permissions.require_password is true.", "the stalker command",
           "permissions.require_password"),
    EnvVar("STALKER_DEBUG", "1/true/yes/on: the command line prints tracebacks "
           "(like --debug).", "the stalker command"),
    EnvVar("STALKER_PG_BIN", "Directory holding PostgreSQL's initdb and pg_ctl for the "
           "throwaway test server.", "stalker_core.testing.pgserver", for_tests=True),
    EnvVar("STALKER_TEST_PG_URL", "Admin URL of an existing PostgreSQL server for the test "
           "suite (with CREATE DATABASE rights) instead of a throwaway server.",
           "tests/conftest.py, benchmarks/bench_workflows.py", for_tests=True),
    EnvVar("STALKER_BENCH_PG_URL", "Admin URL of an existing PostgreSQL server for the "
           "benchmarks instead of a throwaway server.", "benchmarks/_harness.py",
           for_tests=True),
    EnvVar("STALKER_NUKE", "The Nuke executable (`nuke -t`): the NukeHost contract suite "
           "also runs inside the real Nuke.", "tests/hosts/nuke/test_nuke_real.py",
           for_tests=True),
    EnvVar("STALKER_MAYAPY", "The `mayapy` executable: the MayaHost contract suite also "
           "runs inside the real Maya.", "tests/hosts/maya/test_maya_real.py",
           for_tests=True),
)
_ENV: dict[str, EnvVar] = {v.name: v for v in ENV_VARS}
_TRUE = frozenset({"1", "true", "yes", "on"})
#: prefix of the repository path variables (``REPO<id>``, ``REPO<code>``)
REPO_ENV_PREFIX = "REPO"


def _declared(name: str) -> str:
    if name not in _ENV:
        raise ConfigError(
            f"environment variable {name!r} is not declared; declare it in "
            "stalker_core.config.ENV_VARS (name, meaning, reader) before reading it"
        )
    return name


def env_value(name: str) -> str | None:
    """The stripped value of the declared variable ``name``; ``None`` when unset or blank.

    :raises ConfigError: ``name`` is not in :data:`ENV_VARS`.
    """
    value = os.environ.get(_declared(name), "").strip()
    return value or None


def env_flag(name: str) -> bool:
    """True when the declared variable ``name`` is ``1``, ``true``, ``yes`` or ``on``."""
    return (env_value(name) or "").lower() in _TRUE


def env_names(name: str) -> list[str]:
    """The comma-separated names in the declared variable ``name`` (blanks dropped)."""
    return [n.strip() for n in (env_value(name) or "").split(",") if n.strip()]


def environment() -> dict[str, str]:
    """The declared variables that are set, as a new mapping (for code taking ``environ``)."""
    return {name: os.environ[name] for name in _ENV if name in os.environ}


def process_environment() -> dict[str, str]:
    """The whole environment of this process, as a new mapping.

    Only for starting other programs (the launcher builds an application's
    environment from it); settings and flags are read with :func:`env_value`.
    """
    return dict(os.environ)


def repository_env(key: str | int) -> str | None:
    """The path in ``REPO<key>`` (a repository's id or code), or ``None`` when unset.

    These variables are runtime state, not settings: a :class:`Repository`
    exports them when it is loaded or saved so that ``$REPO<id>`` paths
    expand in this process and in the programs it starts.
    """
    return os.environ.get(f"{REPO_ENV_PREFIX}{key}")


