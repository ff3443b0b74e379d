"""The plugin manager: discovery, registration and attributed hook calls.

:func:`get_plugin_manager` builds a fresh manager every time it is called
(nothing happens at import time):

1. the hookspecs of :mod:`stalker_core.plugins.hookspecs` are added;
2. the built-in plugins (:data:`BUILTIN_PLUGINS`, module names) are
   registered unless blocked;
3. the ``stalker_core`` entry-point group is loaded one entry point at a
   time: a plugin that fails to import or register is recorded in
   :attr:`StalkerPluginManager.load_errors` (name and error) and the others
   still load, unless the strict setting asks to fail with
   :class:`~stalker_core.exceptions.PluginError`;
4. the modules named in ``STALKER_PLUGINS`` (comma separated) are imported
   and registered the same way;
5. ``stalker_plugins_configure`` is called and ``check_pending()`` makes a
   misspelled hook implementation fail at start-up.

Settings come from keyword arguments, then from the configuration object
(``plugins.blocked``, ``plugins.strict``, ``plugins.autoload`` as attributes
or mapping keys), then from the environment: ``STALKER_DISABLE_PLUGINS``
(names to block, comma separated), ``STALKER_PLUGINS_STRICT=1`` and
``STALKER_DISABLE_PLUGIN_AUTOLOAD=1``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from stalker_core.config import environment
from stalker_core.exceptions import PluginError, StalkerError
from stalker_core.plugins import hookspecs

log = logging.getLogger(__name__)

#: the core's own plugins (module names); a studio may block any of them by name
BUILTIN_PLUGINS: tuple[str, ...] = ("stalker_core.plugins.builtin",)

#: environment variables read by :func:`get_plugin_manager`
ENV_PLUGINS = "STALKER_PLUGINS"
ENV_DISABLE = "STALKER_DISABLE_PLUGINS"
ENV_STRICT = "STALKER_PLUGINS_STRICT"
ENV_NO_AUTOLOAD = "STALKER_DISABLE_PLUGIN_AUTOLOAD"

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class PluginLoadError:
    """A plugin that could not be loaded: its name, where it came from, the error."""

    name: str
    source: str
    error: BaseException

    def __str__(self) -> str:
        return f"plugin {self.name!r} ({self.source}) failed to load: {_describe(self.error)}"


class StalkerPluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` that remembers where each plugin came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        #: plugin name -> where it came from ("built-in", "entry point ...", ...)
        self.sources: dict[str, str] = {}
        #: plugins that failed to load
        self.load_errors: list[PluginLoadError] = []

    def register_from(self, plugin: object, name: str, source: str) -> str | None:
        """Register ``plugin`` as ``name`` and remember ``source``; ``None`` when blocked."""
        registered = self.register(plugin, name=name)
        if registered is not None:
            self.sources[registered] = source
        return registered


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _setting(config: Any, key: str) -> Any:
    """Read ``plugins.<key>`` from an attribute object or a mapping (``None`` if absent)."""
    if config is None:
        return None
    section: Any = (
        config.get("plugins") if isinstance(config, dict) else getattr(config, "plugins", None)
    )
    if section is not None:
        value = section.get(key) if isinstance(section, dict) else getattr(section, key, None)
        if value is not None:
            return value
    flat = f"plugins_{key}"
    return config.get(flat) if isinstance(config, dict) else getattr(config, flat, None)


def _names(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v and v.strip()]


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def _default_config() -> Any:
    """The project configuration, when :mod:`stalker_core.config` can provide one."""
    try:
        from stalker_core import config as config_module

        return config_module.get_config()
    except Exception as exc:  # noqa: BLE001 - a broken config must not hide plugins
        log.debug("no configuration for plugins: %s", exc)
        return None


def get_plugin_manager(
    config: Any = None,
    *,
    builtins: Iterable[str] | None = None,
    blocked: Iterable[str] | None = None,
    strict: bool | None = None,
    load_entrypoints: bool | None = None,
    plugins: Iterable[object] = (),
    use_env: bool = True,
) -> StalkerPluginManager:
    """Build a plugin manager with the built-in, installed and requested plugins.

    :param config: a configuration object or mapping with a ``plugins``
        section (``blocked``, ``strict``, ``autoload``); ``None`` reads
        :func:`stalker_core.config.get_config` when it offers these settings.
    :param builtins: module names of the built-in plugins (default
        :data:`BUILTIN_PLUGINS`).
    :param blocked: plugin names never to register (built-in module names,
        entry-point names or ``STALKER_PLUGINS`` module names).
    :param strict: raise :class:`PluginError` when any plugin fails to load.
    :param load_entrypoints: load the ``stalker_core`` entry-point group
        (default: yes, unless ``STALKER_DISABLE_PLUGIN_AUTOLOAD`` is set).
    :param plugins: extra plugin objects to register (tests, embedding apps).
    :param use_env: honour the ``STALKER_*`` environment variables.
    :returns: the manager; failed plugins are listed in ``load_errors``.
    :raises PluginError: in strict mode, naming the plugin that failed; or
        when a hook implementation does not match any hookspec.
    """
    if config is None:
        config = _default_config()
    env = environment() if use_env else {}
    blocked_names = set(_names(blocked)) | set(_names(_setting(config, "blocked")))
    blocked_names |= set(_names(env.get(ENV_DISABLE)))
    if strict is None:
        strict = _flag(_setting(config, "strict")) or _flag(env.get(ENV_STRICT, ""))
    if load_entrypoints is None:
        autoload = _setting(config, "autoload")
        load_entrypoints = (autoload is None or _flag(autoload)) and not _flag(
            env.get(ENV_NO_AUTOLOAD, "")
        )

    pm = StalkerPluginManager()
    pm.add_hookspecs(hookspecs)
    for name in blocked_names:
        pm.set_blocked(name)

    def fail(name: str, source: str, exc: BaseException) -> None:
        error = PluginLoadError(name, source, exc)
        if strict:
            raise PluginError(str(error)) from exc
        pm.load_errors.append(error)
        log.warning("%s", error)

    for module_name in BUILTIN_PLUGINS if builtins is None else tuple(builtins):
        if pm.is_blocked(module_name):
            continue
        try:
            pm.register_from(importlib.import_module(module_name), module_name, "built-in")
        except Exception as exc:  # noqa: BLE001 - reported by name
            fail(module_name, "built-in", exc)

    if load_entrypoints:
        for ep in _entry_points():
            if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
                continue
            source = _entry_point_source(ep)
            try:
                pm.register_from(ep.load(), ep.name, source)
            except Exception as exc:  # noqa: BLE001 - one broken plugin must not stop the rest
                fail(ep.name, source, exc)

    for module_name in _names(env.get(ENV_PLUGINS)):
        if pm.is_blocked(module_name) or pm.has_plugin(module_name):
            continue
        try:
            pm.register_from(importlib.import_module(module_name), module_name, ENV_PLUGINS)
        except Exception as exc:  # noqa: BLE001
            fail(module_name, ENV_PLUGINS, exc)

    for plugin in plugins:
        name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{id(plugin):x}"
        pm.register_from(plugin, name, "registered by the caller")

    pm.hook.stalker_plugins_configure.call_historic(kwargs={"config": config})
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}") from exc
    return pm


def _entry_points() -> list[EntryPoint]:
    return sorted(entry_points(group=hookspecs.PROJECT_NAME), key=lambda ep: ep.name)


def _entry_point_source(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    where = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {ep.name} = {ep.value}{where}"


# -------------------------------------------------------------------------
# calling hooks one implementation at a time
# -------------------------------------------------------------------------


def plugin_name(pm: pluggy.PluginManager, impl: pluggy.HookImpl) -> str:
    """The registered name of the plugin of ``impl``."""
    return pm.get_name(impl.plugin) or impl.plugin_name


def call_each(
    pm: pluggy.PluginManager,
    hook_name: str,
    /,
    *,
    select: Callable[[str, pluggy.HookImpl], bool] | None = None,
    **kwargs: Any,
) -> list[tuple[str, Any]]:
    """Call every implementation of a collect-all hook and attribute the results.

    Implementations are called in pluggy's order (``tryfirst`` first, then the
    most recently registered first, ``trylast`` last); wrappers are skipped.

    :param select: when given, called as ``select(plugin name, hookimpl)``
        before each implementation; ``False`` skips it (the publish workflow
        skips validators whose check another plugin overrides).
    :returns: ``(plugin name, result)`` pairs for every non-``None`` result.
    :raises StalkerError: a deliberate error of a plugin (e.g.
        :class:`~stalker_core.exceptions.VetoError`) passes unchanged, with
        the plugin's name in its ``plugin`` attribute.
    :raises PluginError: any other exception, naming the plugin and the hook.
    """
    return [
        (name, result)
        for name, _impl, result in call_each_impl(pm, hook_name, select=select, **kwargs)
    ]


def call_each_impl(
    pm: pluggy.PluginManager,
    hook_name: str,
    /,
    *,
    select: Callable[[str, pluggy.HookImpl], bool] | None = None,
    **kwargs: Any,
) -> list[tuple[str, pluggy.HookImpl, Any]]:
    """Like :func:`call_each`, with the implementation of each result.

    :returns: ``(plugin name, hookimpl, result)`` for every non-``None`` result.
    """
    hook = getattr(pm.hook, hook_name)
    results: list[tuple[str, pluggy.HookImpl, Any]] = []
    for impl in reversed(hook.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        name = plugin_name(pm, impl)
        if select is not None and not select(name, impl):
            continue
        args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
        missing = [k for k in impl.argnames if k not in kwargs]
        if missing:
            raise PluginError(
                f"plugin {name!r} implements {hook_name} with unknown arguments {missing}"
            )
        try:
            result = impl.function(**args)
        except StalkerError as exc:
            if getattr(exc, "plugin", None) is None:
                exc.plugin = name  # type: ignore[attr-defined]
            raise
        except Exception as exc:
            raise PluginError(
                f"plugin {name!r} raised in {hook_name}: {_describe(exc)}"
            ) from exc
        if result is not None:
            results.append((name, impl, result))
    return results


def describe_plugins(pm: StalkerPluginManager) -> list[dict[str, Any]]:
    """Describe every registered plugin: name, source and implemented hooks."""
    rows = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda np: np[0]):
        if plugin is None:
            continue
        hooks = sorted(
            caller.name for caller in (pm.get_hookcallers(plugin) or [])
        )
        rows.append(
            {
                "name": name,
                "source": pm.sources.get(name, "registered"),
                "module": getattr(plugin, "__name__", type(plugin).__module__),
                "hooks": hooks,
            }
        )
    return rows
