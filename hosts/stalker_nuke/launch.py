"""Launching Nuke for a task: where it is installed, and how the pipeline loads in it.

* :func:`discover` (``stalker_launch_discover``): Foundry's install folders,
  ``/usr/local/Nuke<version>/Nuke<major.minor>``,
  ``C:\\Program Files\\Nuke<version>\\Nuke<major.minor>.exe`` and
  ``/Applications/Nuke<version>/Nuke<version>.app/Contents/MacOS/Nuke<major.minor>``;
  the variant is the folder's version (``15.1v1``). Nuke is never started.
* :func:`prepare` (``stalker_launch_prepare``): this package's ``nuke_path``
  folder first in ``NUKE_PATH`` (its ``init.py`` installs the host, its
  ``menu.py`` the menu) and the folders of ``STALKER_PYTHONPATH`` on
  ``PYTHONPATH`` (a folder built for Nuke's Python: ``launch.python_path``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stalker_core.plugins.api import (
    ApplicationInstall,
    core_on_pythonpath,
    existing_installs,
    launch_hooks,
    prepend_paths,
)

#: the application's name in the configuration
APPLICATION = "nuke"
#: the folder put first in NUKE_PATH (init.py, menu.py)
NUKE_PATH_DIR = Path(__file__).resolve().parent / "nuke_path"
#: "15.1v1" in a folder name
_VARIANT = re.compile(r"(\d+)\.(\d+)v(\d+)")


@dataclass(frozen=True)
class Roots:
    """Where :func:`discover` looks (tests point these at fake install trees)."""

    linux: Path = Path("/usr/local")
    windows: Path = Path("C:/Program Files")
    macos: Path = Path("/Applications")


#: where the hook looks (tests replace it with fake install trees)
DEFAULT_ROOTS = Roots()


def _candidates(roots: Roots) -> Iterable[tuple[str | None, Path]]:
    for root, exe in ((roots.linux, "Nuke{short}"), (roots.windows, "Nuke{short}.exe"),
                      (roots.macos, "Nuke{variant}.app/Contents/MacOS/Nuke{short}")):
        for folder in sorted(root.glob("Nuke*")):
            match = _VARIANT.search(folder.name)
            if match is None:
                continue
            variant = match.group(0)
            short = f"{match.group(1)}.{match.group(2)}"
            yield variant, folder / exe.format(short=short, variant=variant)


def discover(roots: Roots | None = None) -> list[ApplicationInstall]:
    """The Nuke installs under ``roots`` (default: Foundry's folders), without starting any."""
    return existing_installs(APPLICATION, "nuke", _candidates(roots or DEFAULT_ROOTS))


def prepare(env: dict[str, str]) -> None:
    """Nuke's plugin path and Python path for the pipeline (see the module docstring)."""
    prepend_paths(env, "NUKE_PATH", [NUKE_PATH_DIR])
    core_on_pythonpath(env)


#: the launcher hooks of this plugin (its plugin module registers them)
stalker_launch_discover, stalker_launch_prepare = launch_hooks(APPLICATION, discover, prepare)
