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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import (
    ApplicationInstall,
    bundle_version,
    debian_package_version,
    existing_installs,
    launch_hooks,
    prepend_paths,
    version_in,
)

#: the application's name in the configuration
APPLICATION = "blender"
#: the folder BLENDER_USER_SCRIPTS points to in a launched Blender
SCRIPTS_DIR = Path(__file__).resolve().parent / "blender_scripts"
#: the folder holding this package, added to STALKER_PYTHONPATH
PACKAGE_ROOT = Path(__file__).resolve().parents[1]

@dataclass(frozen=True)
class Roots:
    """Where :func:`discover` looks (tests point these at fake install trees)."""

    system_binary: Path = Path("/usr/bin/blender")
    changelog: Path = Path("/usr/share/doc/blender/changelog.Debian.gz")
    unpacked: tuple[Path, ...] = (Path("/opt"), Path.home())
    windows: Path = Path("C:/Program Files/Blender Foundation")
    macos_apps: tuple[Path, ...] = field(default=(Path("/Applications"),))


#: where the hook looks (tests replace it with fake install trees)
DEFAULT_ROOTS = Roots()


def _candidates(roots: Roots) -> Iterable[tuple[str | None, Path]]:
    if roots.system_binary.is_file():
        yield debian_package_version(roots.changelog), roots.system_binary
    for folder in roots.unpacked:
        for unpacked in sorted(folder.glob("blender-*")):
            yield version_in(unpacked.name), unpacked / "blender"
    for installed in sorted(roots.windows.glob("Blender *")):
        yield version_in(installed.name), installed / "blender.exe"
    for apps in roots.macos_apps:
        for bundle in sorted(apps.glob("Blender*.app")):
            yield bundle_version(bundle), bundle / "Contents" / "MacOS" / "Blender"


def discover(roots: Roots | None = None) -> list[ApplicationInstall]:
    """The Blender installs under ``roots`` (default: the usual places), without starting any."""
    return existing_installs(APPLICATION, "blender", _candidates(roots or DEFAULT_ROOTS))


def prepare(env: dict[str, str]) -> None:
    """Point Blender at the start-up script that loads the pipeline (see the module doc)."""
    env["BLENDER_USER_SCRIPTS"] = str(SCRIPTS_DIR)
    prepend_paths(env, "STALKER_PYTHONPATH", [PACKAGE_ROOT])


#: the launcher hooks of this plugin (its plugin module registers them)
stalker_launch_discover, stalker_launch_prepare = launch_hooks(APPLICATION, discover, prepare)


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
