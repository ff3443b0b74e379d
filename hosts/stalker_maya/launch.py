"""Launching Maya for a task: where it is installed, and how the pipeline loads in it.

* :func:`discover` (``stalker_launch_discover``): Autodesk's install folders,
  ``/usr/autodesk/maya<version>/bin/maya``,
  ``C:\\Program Files\\Autodesk\\Maya<version>\\bin\\maya.exe`` and
  ``/Applications/Autodesk/maya<version>/Maya.app/Contents/bin/maya``; the
  variant is the version in the folder's name. Maya is never started.
* :func:`prepare` (``stalker_launch_prepare``): this package's Maya module
  folder first in ``MAYA_MODULE_PATH`` (its ``stalker.mod`` adds the hosts
  folder to Python and its ``userSetup.py`` installs the host and the menu),
  and the folders of ``STALKER_PYTHONPATH`` on ``PYTHONPATH`` so that
  stalker_core imports in Maya's Python. Point ``launch.python_path`` at a
  folder built for Maya's Python (not the launcher's virtualenv, whose Qt
  binding must not shadow Maya's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stalker_core.plugins.api import (
    ApplicationInstall,
    core_on_pythonpath,
    existing_installs,
    launch_hooks,
    prepend_paths,
    version_in,
)

#: the application's name in the configuration
APPLICATION = "maya"
#: the Maya module folder (holds stalker.mod and scripts/userSetup.py)
MODULE_DIR = Path(__file__).resolve().parent / "module"


def _year(name: str) -> str | None:
    digits = "".join(ch for ch in name if ch.isdigit())
    return digits[:4] if len(digits) >= 4 else version_in(name)


@dataclass(frozen=True)
class Roots:
    """Where :func:`discover` looks (tests point these at fake install trees)."""

    linux: Path = Path("/usr/autodesk")
    windows: Path = Path("C:/Program Files/Autodesk")
    macos: Path = Path("/Applications/Autodesk")


#: where the hook looks (tests replace it with fake install trees)
DEFAULT_ROOTS = Roots()


def _candidates(roots: Roots) -> Iterable[tuple[str | None, Path]]:
    for folder in sorted(roots.linux.glob("maya*")):
        yield _year(folder.name), folder / "bin" / "maya"
    for folder in sorted(roots.windows.glob("Maya*")):
        yield _year(folder.name), folder / "bin" / "maya.exe"
    for folder in sorted(roots.macos.glob("maya*")):
        yield _year(folder.name), folder / "Maya.app" / "Contents" / "bin" / "maya"


def discover(roots: Roots | None = None) -> list[ApplicationInstall]:
    """The Maya installs under ``roots`` (default: Autodesk's folders), without starting any."""
    return existing_installs(APPLICATION, "maya", _candidates(roots or DEFAULT_ROOTS))


def prepare(env: dict[str, str]) -> None:
    """Maya's module path and Python path for the pipeline (see the module docstring)."""
    prepend_paths(env, "MAYA_MODULE_PATH", [MODULE_DIR])
    core_on_pythonpath(env)


#: the launcher hooks of this plugin (its plugin module registers them)
stalker_launch_discover, stalker_launch_prepare = launch_hooks(APPLICATION, discover, prepare)
