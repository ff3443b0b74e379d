"""The plugin author's API: every name a stalker_core plugin needs, in one module.

Import from here, and only from here, when writing a plugin::

    from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl

It holds the data types the hooks receive and return, so that the hook
specifications (:mod:`stalker_core.plugins.hookspecs`) and the workflows
that call them share one definition:

* marking implementations: :data:`hookimpl`, :func:`check` and
  :func:`check_of` (publish check ids, see :mod:`stalker_core.plugins.checks`),
  :data:`PROJECT_NAME` (the pluggy project and entry-point group);
* the context of a hook call: :class:`Context` and :class:`Version` (loaded
  on first access: they need SQLAlchemy, and importing this module must stay
  cheap inside a DCC);
* hosts (from :mod:`stalker_core.hosts`): the required protocol
  :class:`Host`; the optional capabilities :class:`TimelineHost`,
  :class:`ReferenceHost` (with its :class:`Container`), :class:`ExportHost`
  and :class:`UIHost`; :func:`host_supports` and :func:`host_capabilities`
  to test for them (never ``isinstance`` against an adapter's class);
* opening a scene: :class:`SceneCheck` and its :data:`Severity`;
* publishing: :class:`PublishItem`, :class:`ValidationResult`,
  :class:`Representation`, :class:`PublishTransaction` (what an integrator
  may do with the publish's file transaction), :class:`PublishReport` and
  :class:`HookFailure` (an implementation that raised in a hook whose
  failures do not stop the others);
* shot timing for publish checks (from :mod:`stalker_core.plugins.timing`):
  :func:`shot_of`, :func:`shot_timing` (:class:`ShotTiming`),
  :func:`frame_range_result` and :func:`timeline_not_checked`, so that every
  host's validators judge a scene's frame range the same way; and
  :func:`image_format_of` (:class:`ImageFormatData`) for resolution checks;
* refusing an operation: :class:`VetoError`; failing a publish stage:
  :class:`PublishError`;
* the scene-metadata key under which a scene records its version:
  :data:`VERSION_ID_KEY`; whether a file lies inside a repository folder:
  :func:`path_inside`;
* the user interface: :class:`PanelSpec` (a panel for the host menus and
  ``stalker ui``) and :class:`UIAction` (a menu, Loader or Scene Inventory
  action at one of the :data:`ACTION_LOCATIONS`, typed :data:`ActionLocation`);
* launching applications: :class:`ApplicationInstall` (an install that
  ``stalker_launch_discover`` found), the discovery helpers
  :func:`version_in`, :func:`debian_package_version`, :func:`bundle_version`
  and :func:`existing_installs`, :func:`prepend_paths` and
  :func:`core_on_pythonpath` (put folders first in a path-list variable, for
  ``stalker_launch_prepare``), and :func:`launch_hooks` (both hooks of a host).

The data types are defined in :mod:`stalker_core.plugins.types` and the
timing helpers in :mod:`stalker_core.plugins.timing`; this module gathers them.

This module imports nothing from :mod:`stalker_core.workflows` (the
workflows are the layer above and import it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

from stalker_core.exceptions import PublishError, VetoError
from stalker_core.hosts import (
    VERSION_ID_KEY,
    Container,
    ExportHost,
    Host,
    ReferenceHost,
    TimelineHost,
    UIHost,
    host_capabilities,
    host_supports,
)
from stalker_core.plugins.checks import check, check_of
from stalker_core.plugins.launching import (
    bundle_version,
    core_on_pythonpath,
    debian_package_version,
    existing_installs,
    prepend_paths,
    version_in,
)
from stalker_core.plugins.timing import (
    ImageFormatData,
    ShotTiming,
    frame_range_result,
    image_format_of,
    shot_of,
    shot_timing,
    timeline_not_checked,
)
from stalker_core.plugins.types import (
    ACTION_LOCATIONS,
    ActionLocation,
    ApplicationInstall,
    HookFailure,
    PanelSpec,
    PublishItem,
    PublishReport,
    PublishTransaction,
    Representation,
    SceneCheck,
    Severity,
    UIAction,
    ValidationResult,
)
from stalker_core.workfiles import path_inside

if TYPE_CHECKING:
    from stalker_core.context import Context
    from stalker_core.models.version.model import Version

__all__ = [
    "ACTION_LOCATIONS",
    "ActionLocation",
    "ApplicationInstall",
    "Container",
    "Context",
    "ExportHost",
    "HookFailure",
    "Host",
    "ImageFormatData",
    "PROJECT_NAME",
    "PanelSpec",
    "PublishError",
    "PublishItem",
    "PublishReport",
    "PublishTransaction",
    "ReferenceHost",
    "Representation",
    "SceneCheck",
    "Severity",
    "ShotTiming",
    "TimelineHost",
    "UIAction",
    "UIHost",
    "VERSION_ID_KEY",
    "ValidationResult",
    "Version",
    "VetoError",
    "bundle_version",
    "check",
    "check_of",
    "core_on_pythonpath",
    "debian_package_version",
    "existing_installs",
    "frame_range_result",
    "hookimpl",
    "host_capabilities",
    "host_supports",
    "image_format_of",
    "launch_hooks",
    "path_inside",
    "prepend_paths",
    "shot_of",
    "shot_timing",
    "timeline_not_checked",
    "version_in",
]

#: the pluggy project name of stalker_core (also its entry-point group)
PROJECT_NAME = "stalker_core"

#: decorator marking a hook implementation of a stalker_core plugin
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: names loaded on first access (they import SQLAlchemy), name -> module
_LAZY = {
    "Context": "stalker_core.context",
    "Version": "stalker_core.models.version.model",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def launch_hooks(
    name: str,
    discover: Callable[[], list[ApplicationInstall]],
    prepare: Callable[[dict[str, str]], None],
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The two launcher hooks of a host plugin for the application ``name``.

    ``stalker_launch_discover`` answers ``discover()`` for ``name`` only, and
    ``stalker_launch_prepare`` calls ``prepare(env)`` for ``name`` only; put
    both in the plugin module::

        stalker_launch_discover, stalker_launch_prepare = launch_hooks("maya", discover, prepare)
    """
    @hookimpl(specname="stalker_launch_discover")
    def discover_hook(application: str) -> list[ApplicationInstall] | None:
        return discover() if application == name else None

    @hookimpl(specname="stalker_launch_prepare")
    def prepare_hook(application: str, env: dict[str, str]) -> None:
        if application == name:
            prepare(env)

    discover_hook.__doc__ = f"Installs of {name} in their usual places."
    prepare_hook.__doc__ = f"The start-up environment of {name}, for {name!r} only."
    return discover_hook, prepare_hook
