"""The plugin layer: hookspecs, the ``hookimpl`` marker and the plugin manager.

Implement hooks with :data:`hookimpl` and build a manager with
:func:`get_plugin_manager` (see :mod:`stalker_core.plugins.hookspecs` for
every hook, :mod:`stalker_core.plugins.manager` for discovery and
:mod:`stalker_core.plugins.checks` for check ids of publish validators and
:mod:`stalker_core.plugins.templates` for the template filters, globals and
tests plugins contribute).
"""

from __future__ import annotations

import pluggy

from stalker_core.plugins.checks import check, check_of
from stalker_core.plugins.hookspecs import PROJECT_NAME
from stalker_core.plugins.manager import (
    BUILTIN_PLUGINS,
    PluginLoadError,
    StalkerPluginManager,
    call_each,
    describe_plugins,
    get_plugin_manager,
)
from stalker_core.plugins.templates import plugin_templates, template_engine

#: decorator marking a hook implementation of a stalker_core plugin
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

__all__ = [
    "BUILTIN_PLUGINS",
    "PROJECT_NAME",
    "PluginLoadError",
    "StalkerPluginManager",
    "call_each",
    "check",
    "check_of",
    "describe_plugins",
    "get_plugin_manager",
    "hookimpl",
    "plugin_templates",
    "template_engine",
]
