"""Helpers for the launcher hooks of host plugins.

For ``stalker_launch_discover``: :func:`version_in` (a variant from a path),
:func:`debian_package_version` and :func:`bundle_version` (a version without
starting the program), :func:`existing_installs`. For
``stalker_launch_prepare``: :func:`prepend_paths`, :func:`core_on_pythonpath`.
(:func:`stalker_core.plugins.api.launch_hooks` makes both hooks of a host.)
"""

from __future__ import annotations

import gzip
import os
import plistlib
import re
from collections.abc import Iterable, MutableMapping, Sequence
from pathlib import Path

from stalker_core.plugins.types import ApplicationInstall

__all__ = [
    "bundle_version",
    "core_on_pythonpath",
    "debian_package_version",
    "existing_installs",
    "prepend_paths",
    "version_in",
]


def prepend_paths(
    env: MutableMapping[str, str], name: str, paths: Sequence[str | os.PathLike[str]],
    *, default: str = "",
) -> None:
    """Put ``paths`` first in the path list ``env[name]`` (``os.pathsep`` separated), once each.

    Entries already in the list move to the front rather than appearing
    twice; the others keep their order. ``default`` is the list to extend
    when the variable is unset (``XDG_DATA_DIRS`` means
    ``/usr/local/share:/usr/share`` then).
    """
    front = [str(p) for p in paths]
    rest = [p for p in env.get(name, default).split(os.pathsep) if p and p not in front]
    env[name] = os.pathsep.join(front + rest)


_VERSION = re.compile(r"(\d+)\.(\d+)")


def version_in(text: str) -> str | None:
    """``"4.2"`` from ``"blender-4.2.1-linux-x64"``, ``"Blender 4.2"`` or ``"1:5.1.5+dfsg"``.

    The first ``major.minor`` in ``text`` (after a Debian epoch ``N:``), or ``None``.
    """
    match = _VERSION.search(text.split(":", 1)[-1])
    return f"{match.group(1)}.{match.group(2)}" if match else None


def debian_package_version(changelog: Path) -> str | None:
    """``major.minor`` of a Debian package, read from its ``changelog.Debian.gz``.

    Cheaper than starting the program to ask it; ``None`` when unreadable.
    """
    try:
        with gzip.open(changelog, "rt", errors="replace") as fh:
            first = fh.readline()
    except OSError:
        return None
    match = re.match(r"\S+ \(([^)]+)\)", first)
    return version_in(match.group(1)) if match else None


def bundle_version(bundle: Path) -> str | None:
    """``major.minor`` of a macOS application bundle (its ``Info.plist``), or ``None``."""
    try:
        with open(bundle / "Contents" / "Info.plist", "rb") as fh:
            info = plistlib.load(fh)
    except (OSError, plistlib.InvalidFileException):
        return None
    return version_in(str(info.get("CFBundleShortVersionString", "")))


def existing_installs(
    application: str, source: str, candidates: Iterable[tuple[str | None, Path]]
) -> list[ApplicationInstall]:
    """The candidates ``(variant, executable)`` that have a variant and an executable file."""
    return [ApplicationInstall(application, variant, exe, source)
            for variant, exe in candidates if variant and exe.is_file()]


def core_on_pythonpath(env: MutableMapping[str, str]) -> None:
    """Put the folders of ``STALKER_PYTHONPATH`` first on ``PYTHONPATH`` (Maya, Nuke)."""
    paths = [p for p in env.get("STALKER_PYTHONPATH", "").split(os.pathsep) if p]
    prepend_paths(env, "PYTHONPATH", paths)
