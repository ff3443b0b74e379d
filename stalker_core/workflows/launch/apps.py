"""The applications of the configuration and where they are installed."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.config import get_config
from stalker_core.exceptions import LaunchError
from stalker_core.plugins.api import ApplicationInstall
from stalker_core.plugins.calls import call_each
from stalker_core.workflows.common import plugin_manager_or_default

if TYPE_CHECKING:
    import pluggy

    from stalker_core.config import Config

__all__ = [
    "Application",
    "applications",
    "current_platform",
    "expand",
    "find_installs",
    "get_application",
    "resolve_install",
]

#: where the installs found through the configured executable patterns come from
CONFIGURED = "configuration"


def current_platform() -> str:
    """``"linux"``, ``"darwin"`` or ``"windows"``: the key of this OS in ``executables``."""
    if sys.platform.startswith("win"):
        return "windows"
    return "darwin" if sys.platform == "darwin" else "linux"


def expand(pattern: str, version: str) -> str:
    """``pattern`` with ``{version}`` and ``{short}`` (the version up to a ``v``) filled in.

    :raises LaunchError: the pattern names another placeholder.
    """
    try:
        return pattern.format(version=version, short=version.split("v", 1)[0])
    except (KeyError, IndexError, ValueError) as exc:
        raise LaunchError(
            f"the pattern {pattern!r} should use only {{version}} and {{short}} ({exc})"
        ) from None


@dataclass(frozen=True)
class Application:
    """One ``[applications.NAME]`` table of the configuration."""

    name: str
    label: str
    icon: str
    variants: tuple[str, ...]
    executables: Mapping[str, str]
    args: tuple[str, ...]
    file_args: tuple[str, ...]
    env: Mapping[str, str]
    extensions: tuple[str, ...]

    @classmethod
    def from_config(cls, name: str, data: Mapping[str, Any]) -> Application:
        """Build it from a validated configuration table (missing keys take their defaults)."""
        return cls(
            name=name,
            label=data.get("label", name),
            icon=data.get("icon", ""),
            variants=tuple(data.get("variants", ())),
            executables=dict(data.get("executables", {})),
            args=tuple(data.get("args", ())),
            file_args=tuple(data.get("file_args", ("{file}",))),
            env=dict(data.get("env", {})),
            extensions=tuple(data.get("extensions", ())),
        )

    def configured_install(self, variant: str, platform: str | None = None) -> Path | None:
        """The configured executable of ``variant`` on ``platform``, when that file exists."""
        pattern = self.executables.get(platform or current_platform())
        if not pattern:
            return None
        path = Path(expand(pattern, variant))
        return path if path.is_file() else None


def applications(config: Config | None = None) -> dict[str, Application]:
    """Every configured application, by name."""
    config = config or get_config()
    return {name: Application.from_config(name, d) for name, d in config.applications.items()}


def get_application(name: str, config: Config | None = None) -> Application:
    """The application called ``name``.

    :raises LaunchError: no such application (the message lists the configured ones).
    """
    apps = applications(config)
    if name not in apps:
        known = ", ".join(sorted(apps)) or "none"
        raise LaunchError(
            f"no application is called {name!r}; the configured ones are: {known} "
            f"(add an [applications.{name}] table to the studio configuration)"
        )
    return apps[name]


def _version_key(variant: str) -> tuple[tuple[int, str], ...]:
    parts = variant.replace("v", ".").split(".")
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def find_installs(
    app: Application,
    plugin_manager: pluggy.PluginManager | None = None,
    *,
    platform: str | None = None,
) -> list[ApplicationInstall]:
    """The installs of ``app``: the configured variants first, in their order, then the
    discovered ones, newest first. One install per variant; the configuration wins.
    """
    found: dict[str, ApplicationInstall] = {}
    for variant in app.variants:
        path = app.configured_install(variant, platform)
        if path is not None:
            found[variant] = ApplicationInstall(app.name, variant, path, CONFIGURED)
    pm = plugin_manager_or_default(plugin_manager)
    discovered: list[ApplicationInstall] = []
    for plugin, answer in call_each(pm, "stalker_launch_discover", application=app.name):
        for install in answer:
            if not isinstance(install, ApplicationInstall):
                raise LaunchError(
                    f"plugin {plugin!r} returned {install!r} from stalker_launch_discover; "
                    f"expected ApplicationInstall"
                )
            if install.application == app.name:
                discovered.append(
                    install if install.source else
                    ApplicationInstall(install.application, install.variant,
                                       install.executable, plugin)
                )
    for install in sorted(discovered, key=lambda i: _version_key(i.variant), reverse=True):
        found.setdefault(install.variant, install)
    return list(found.values())


def resolve_install(
    app: Application,
    variant: str | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> ApplicationInstall:
    """The install to start: of ``variant`` when given, else the first found.

    :raises LaunchError: nothing is installed (the message says where it looked).
    """
    installs = find_installs(app, plugin_manager)
    if variant is not None:
        for install in installs:
            if install.variant == variant:
                return install
    elif installs:
        return installs[0]
    pattern = app.executables.get(current_platform(), "")
    looked = [expand(pattern, v) for v in ([variant] if variant else app.variants) if pattern]
    where = f"looked at {', '.join(looked)} and asked the host plugins" if looked else (
        f"no executable is configured for {current_platform()} and no host plugin found one")
    which = f"{app.label} {variant}" if variant else app.label
    others = ", ".join(i.variant for i in installs)
    also = f"; installed variants: {others}" if others else ""
    raise LaunchError(
        f"{which} is not installed here ({where}){also}; set "
        f"applications.{app.name}.executables in the studio configuration"
    )
