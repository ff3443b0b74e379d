"""The plugin layer: hookspecs, the plugin manager and the plugin author's API.

Plugin authors import from :mod:`stalker_core.plugins.api` (``hookimpl``,
``check``, the publish and scene-check types, the host protocol). The
workflows build a manager with :func:`get_plugin_manager` (see
:mod:`stalker_core.plugins.hookspecs` for every hook,
:mod:`stalker_core.plugins.manager` for discovery and attributed hook calls,
:mod:`stalker_core.plugins.checks` for check ids of publish validators and
:mod:`stalker_core.plugins.templates` for the template filters, globals and
tests plugins contribute).

This package never imports :mod:`stalker_core.workflows`: the workflows are
the layer above. The core's default plugins (:data:`DEFAULT_PLUGINS`) are
named by module, and imported only when a manager is built.
"""

from __future__ import annotations

from stalker_core.plugins.api import PROJECT_NAME, check, check_of, hookimpl
from stalker_core.plugins.manager import (
    DEFAULT_PLUGINS,
    PluginLoadError,
    StalkerPluginManager,
    call_each,
    describe_plugins,
    get_plugin_manager,
)
from stalker_core.plugins.templates import plugin_templates, template_engine

__all__ = [
    "DEFAULT_PLUGINS",
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
