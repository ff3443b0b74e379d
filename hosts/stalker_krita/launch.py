"""Launching Krita for a task: where it is installed, and how its plugin gets loaded.

* :func:`discover` (``stalker_launch_discover``): ``/usr/bin/krita`` (the
  version from the Debian package's changelog), AppImages named
  ``krita-X.Y.Z-*.appimage`` in ``/opt`` and the home folder,
  ``C:\\Program Files\\Krita (x64)\\bin\\krita.exe`` (version from the folder
  ``share/krita/...`` is not reliable there, so the Windows install is
  reported as variant ``"5"`` unless a versioned folder name says more) and
  the macOS bundle (``Info.plist``). It never starts Krita.
* :func:`prepare` (``stalker_launch_prepare``): puts this package's
  ``xdg_data`` folder first in ``XDG_DATA_DIRS``: Krita looks for Python
  plugins in ``<data dir>/krita/pykrita`` of every such folder, so nothing is
  copied into the user's resource folder. It also sets
  ``QT_PREFERRED_BINDING=PyQt5`` (Krita's binding, so Qt.py never loads a
  second Qt into Krita).
* :func:`enable_plugin` (``stalker_launch_before_start``): Krita loads a
  Python plugin only when ``[python] enable_<name>=true`` is in the user's
  ``kritarc``; the launcher writes that line (once) and says so.
"""

from __future__ import annotations

import configparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stalker_core.plugins.api import (
    ApplicationInstall,
    bundle_version,
    debian_package_version,
    existing_installs,
    hookimpl,
    launch_hooks,
    prepend_paths,
    version_in,
)

#: the application's name in the configuration
APPLICATION = "krita"
#: the folder put first in XDG_DATA_DIRS (holds krita/pykrita/...)
DATA_DIR = Path(__file__).resolve().parent / "xdg_data"
#: the Python plugin's name (its .desktop file and package)
PLUGIN_NAME = "stalker_krita_plugin"
#: the folder holding this package, added to STALKER_PYTHONPATH
PACKAGE_ROOT = Path(__file__).resolve().parents[1]

@dataclass(frozen=True)
class Roots:
    """Where :func:`discover` looks (tests point these at fake install trees)."""

    system_binary: Path = Path("/usr/bin/krita")
    changelog: Path = Path("/usr/share/doc/krita/changelog.Debian.gz")
    appimage_dirs: tuple[Path, ...] = (Path("/opt"), Path.home())
    windows: Path = Path("C:/Program Files")
    macos_apps: tuple[Path, ...] = field(default=(Path("/Applications"),))


#: where the hook looks (tests replace it with fake install trees)
DEFAULT_ROOTS = Roots()


def discover(roots: Roots | None = None) -> list[ApplicationInstall]:
    """The Krita installs under ``roots`` (default: the usual places), without starting any."""
    return existing_installs(APPLICATION, "krita", _candidates(roots or DEFAULT_ROOTS))


def _candidates(roots: Roots) -> Iterable[tuple[str | None, Path]]:
    if roots.system_binary.is_file():
        yield debian_package_version(roots.changelog), roots.system_binary
    for folder in roots.appimage_dirs:
        for image in sorted(folder.glob("krita-*")):
            if image.suffix.lower() == ".appimage":
                yield version_in(image.name), image
    for install in sorted(roots.windows.glob("Krita*")):
        yield version_in(install.name) or "5", install / "bin" / "krita.exe"
    for apps in roots.macos_apps:
        for bundle in sorted(apps.glob("krita*.app")):
            yield bundle_version(bundle), bundle / "Contents" / "MacOS" / "krita"


def prepare(env: dict[str, str]) -> None:
    """Let Krita find the Stalker plugin and keep Qt.py on Krita's PyQt5 (see the module doc)."""
    prepend_paths(env, "XDG_DATA_DIRS", [DATA_DIR], default="/usr/local/share:/usr/share")
    env["QT_PREFERRED_BINDING"] = "PyQt5"
    prepend_paths(env, "STALKER_PYTHONPATH", [PACKAGE_ROOT])


def kritarc_of(env: dict[str, str]) -> Path:
    """The ``kritarc`` Krita reads when started with ``env``."""
    config_home = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")) / ".config")
    return Path(config_home).expanduser() / "kritarc"


def enable_plugin(kritarc: Path) -> bool:
    """Write ``[python] enable_stalker_krita_plugin=true`` into ``kritarc``.

    :returns: whether the file was changed (``False`` when already enabled).
    """
    key = f"enable_{PLUGIN_NAME}"
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep Krita's case
    text = kritarc.read_text(encoding="utf-8", errors="replace") if kritarc.is_file() else ""
    parser.read_string(text)
    if parser.has_section("python") and parser.get("python", key, fallback="") == "true":
        return False
    lines = text.splitlines()
    if "[python]" in lines:
        lines = [ln for ln in lines if not ln.startswith(f"{key}=")]
        lines.insert(lines.index("[python]") + 1, f"{key}=true")
    else:
        lines += ["", "[python]", f"{key}=true"]
    kritarc.parent.mkdir(parents=True, exist_ok=True)
    kritarc.write_text("\n".join(lines).lstrip("\n") + "\n", encoding="utf-8")
    return True


#: the launcher hooks of this plugin (its plugin module registers them)
stalker_launch_discover, stalker_launch_prepare = launch_hooks(APPLICATION, discover, prepare)


@hookimpl(specname="stalker_launch_before_start")
def stalker_launch_before_start(application: str, env: dict[str, str]) -> list[str] | None:
    """Enable the Stalker plugin in the user's kritarc (Krita has no variable for it)."""
    if application != APPLICATION:
        return None
    kritarc = kritarc_of(env)
    if enable_plugin(kritarc):
        return [f"enabled Krita's Python plugin {PLUGIN_NAME} in {kritarc}"]
    return None
