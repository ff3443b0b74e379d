"""Launching Blender for a task: where it is installed, and what its start-up needs.

Two hook implementations of the ``blender`` plugin (registered by
:mod:`stalker_blender.plugin`), and what the launched Blender runs:

* :func:`discover` (``stalker_launch_discover``) finds Blender where it is
  usually installed: the distribution's ``/usr/bin/blender`` (its version
  read from the package's changelog), ``/opt/blender-*``, ``~/blender-*``,
  ``C:\\Program Files\\Blender Foundation\\Blender *`` and the macOS app
  bundle (version from its ``Info.plist``). It never starts Blender.
* :func:`prepare` (``stalker_launch_prepare``) points ``BLENDER_USER_SCRIPTS``
  at this package's ``blender_scripts`` folder, whose ``startup`` script
  adds ``STALKER_PYTHONPATH`` to Blender's Python and registers the add-on.
  Nothing is copied into Blender's user folders and no preference is saved;
  the artist's own user-scripts folder is not used in a launched Blender.
* :func:`save_new_scene` runs in the launched Blender when
  ``STALKER_LAUNCH_SAVE_NEW`` is set: the new scene becomes the task's
  first version.
"""

from __future__ import annotations

import gzip
import os
import plistlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import ApplicationInstall, hookimpl

#: the application's name in the configuration
APPLICATION = "blender"
#: the folder BLENDER_USER_SCRIPTS points to in a launched Blender
SCRIPTS_DIR = Path(__file__).resolve().parent / "blender_scripts"
#: the folder holding this package, added to STALKER_PYTHONPATH
PACKAGE_ROOT = Path(__file__).resolve().parents[1]

_VERSION = re.compile(r"(\d+)\.(\d+)")


def _variant(text: str) -> str | None:
    """``"3.4"`` from ``"3.4.1+dfsg-2"``, ``"blender-4.2.1-linux-x64"`` or ``"Blender 4.2"``."""
    match = _VERSION.search(text)
    return f"{match.group(1)}.{match.group(2)}" if match else None


@dataclass(frozen=True)
class Roots:
    """Where :func:`discover` looks (tests point these at fake install trees)."""

    system_binary: Path = Path("/usr/bin/blender")
    changelog: Path = Path("/usr/share/doc/blender/changelog.Debian.gz")
    unpacked: tuple[Path, ...] = (Path("/opt"), Path.home())
    windows: Path = Path("C:/Program Files/Blender Foundation")
    macos_apps: tuple[Path, ...] = field(default=(Path("/Applications"),))


def _debian_version(changelog: Path) -> str | None:
    try:
        with gzip.open(changelog, "rt", errors="replace") as fh:
            first = fh.readline()
    except OSError:
        return None
    match = re.match(r"\S+ \(([^)]+)\)", first)
    return _variant(match.group(1)) if match else None


def _macos_version(app: Path) -> str | None:
    try:
        with open(app / "Contents" / "Info.plist", "rb") as fh:
            info = plistlib.load(fh)
    except (OSError, plistlib.InvalidFileException):
        return None
    return _variant(str(info.get("CFBundleShortVersionString", "")))


def _candidates(roots: Roots) -> Iterable[tuple[str | None, Path]]:
    if roots.system_binary.is_file():
        yield _debian_version(roots.changelog), roots.system_binary
    for folder in roots.unpacked:
        for unpacked in sorted(folder.glob("blender-*")):
            yield _variant(unpacked.name), unpacked / "blender"
    for installed in sorted(roots.windows.glob("Blender *")):
        yield _variant(installed.name), installed / "blender.exe"
    for apps in roots.macos_apps:
        for bundle in sorted(apps.glob("Blender*.app")):
            yield _macos_version(bundle), bundle / "Contents" / "MacOS" / "Blender"


def discover(roots: Roots | None = None) -> list[ApplicationInstall]:
    """The Blender installs under ``roots`` (default: the usual places), without starting any."""
    found = []
    for variant, executable in _candidates(roots or Roots()):
        if variant and executable.is_file():
            found.append(ApplicationInstall(APPLICATION, variant, executable, "blender"))
    return found


@hookimpl(specname="stalker_launch_discover")
def stalker_launch_discover(application: str) -> list[ApplicationInstall] | None:
    """Blender's installs in their usual places."""
    return discover() if application == APPLICATION else None


def prepare(env: dict[str, str]) -> None:
    """Point Blender at the start-up script that loads the pipeline (see the module doc)."""
    env["BLENDER_USER_SCRIPTS"] = str(SCRIPTS_DIR)
    paths = [p for p in env.get("STALKER_PYTHONPATH", "").split(os.pathsep) if p]
    if str(PACKAGE_ROOT) not in paths:
        paths.insert(0, str(PACKAGE_ROOT))
    env["STALKER_PYTHONPATH"] = os.pathsep.join(paths)


@hookimpl(specname="stalker_launch_prepare")
def stalker_launch_prepare(application: str, env: dict[str, str]) -> None:
    """Blender's start-up location, for the ``blender`` application only."""
    if application == APPLICATION:
        prepare(env)


def save_new_scene() -> Any:
    """Save the launched, still unsaved scene as the first version of the launcher's task.

    Run from a timer of the start-up script once Blender's event loop runs;
    returns ``None`` so the timer does not repeat.
    """
    import bpy

    from stalker_core.context import TASK_ENV_VAR

    from .runtime import runtime

    if bpy.data.filepath:
        return None
    task = runtime.scene_task()
    if task is None:
        print(f"stalker: no task to save the new scene for ({TASK_ENV_VAR} is not a task id)")
        return None
    bpy.ops.stalker.save_as_version(task_id=task.id, description="New scene from the launcher")
    return None
