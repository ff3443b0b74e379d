"""The plugin manager: discovery, registration and attributed hook calls.

:func:`get_plugin_manager` builds a fresh manager every time it is called
(nothing happens at import time):

1. the hookspecs of :mod:`stalker_core.plugins.hookspecs` are added;
2. the core's default plugins (:data:`DEFAULT_PLUGINS`, module names, as
   pytest's ``default_plugins``) are imported and registered unless blocked;
3. the ``stalker_core`` entry-point group is loaded one entry point at a
   time: a plugin that fails to import or register is recorded in
   :attr:`StalkerPluginManager.load_errors` (name and error) and the others
   still load, unless the strict setting asks to fail with
   :class:`~stalker_core.exceptions.PluginError`;
4. the modules named in ``STALKER_PLUGINS`` (comma separated) are imported
   and registered the same way;
5. a plugin implementing a hook that does not exist (a misspelt name) is
   treated like a plugin that fails to load: unregistered and recorded in
   ``load_errors`` with the hook and the nearest hook name ("did you mean"),
   or, in strict mode, a :class:`~stalker_core.exceptions.PluginError`
   saying so in one line;
6. ``stalker_plugins_configure`` is called and ``check_pending()`` checks
   what is left.

Settings come from keyword arguments, then from the configuration object
(``plugins.blocked``, ``plugins.strict``, ``plugins.autoload`` as attributes
or mapping keys), then from the environment: ``STALKER_DISABLE_PLUGINS``
(names to block, comma separated), ``STALKER_PLUGINS_STRICT=1`` and
``STALKER_DISABLE_PLUGIN_AUTOLOAD=1``.

:class:`StalkerPluginManager` refuses old-style ``hookwrapper=True``
implementations and wrappers of historic hooks at registration, because
the workflows call collect-all hooks through
:func:`~stalker_core.plugins.calls.call_each` (one implementation at a time,
every result and error attributed), which runs new-style wrappers only.
``call_each``, ``call_each_impl`` and ``plugin_name`` are importable from
here too.
"""

from __future__ import annotations

import difflib
import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from stalker_core.config import environment
from stalker_core.exceptions import PluginError
from stalker_core.plugins import hookspecs
from stalker_core.plugins.calls import call_each, call_each_impl, describe_error, plugin_name

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginLoadError",
    "StalkerPluginManager",
    "call_each",
    "call_each_impl",
    "describe_plugins",
    "get_plugin_manager",
    "plugin_name",
]

#: the core's default plugins, as module names imported when a manager is built
#: (so this layer never imports the workflows they live in); a studio may block
#: any of them by name
DEFAULT_PLUGINS: tuple[str, ...] = ("stalker_core.workflows.builtin",)

#: earlier names of default plugins -> their names now, so a studio's
#: ``blocked`` list written for an older version keeps blocking them
RENAMED_PLUGINS: dict[str, str] = {"stalker_core.plugins.builtin": "stalker_core.workflows.builtin"}

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
        named = f"plugin {self.name!r} "
        text = str(self.error)
        if isinstance(self.error, PluginError) and text.startswith(named):
            # our own message names the plugin already: say it once
            return f"{named}({self.source}) {text[len(named):]}"
        return f"{named}({self.source}) failed to load: {describe_error(self.error)}"


class StalkerPluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` that remembers where each plugin came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        #: plugin name -> where it came from ("built-in", "entry point ...", ...)
        self.sources: dict[str, str] = {}
        #: plugins that failed to load
        self.load_errors: list[PluginLoadError] = []

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register ``plugin`` like pluggy does, refusing the wrappers we cannot run.

        :raises PluginError: naming the plugin and the hook, for an
            old-style ``hookwrapper=True`` implementation (use
            ``wrapper=True``), a wrapper of a historic hook, or any other
            implementation pluggy refuses (e.g. an argument the hookspec
            does not have).
        """
        shown = name or self.get_canonical_name(plugin)
        if self.is_blocked(shown):
            return None
        for attr in dir(plugin):
            opts = self.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                continue
            hook_name = opts.get("specname") or attr
            caller = getattr(self.hook, hook_name, None)
            if opts.get("hookwrapper"):
                raise PluginError(
                    f"plugin {shown!r} implements {hook_name} with hookwrapper=True; "
                    "stalker_core runs only new-style wrappers: use @hookimpl(wrapper=True)"
                )
            if opts.get("wrapper") and caller is not None and caller.is_historic():
                raise PluginError(
                    f"plugin {shown!r} implements {hook_name} with wrapper=True; "
                    f"{hook_name} is a historic hook, which takes no wrappers"
                )
        try:
            return super().register(plugin, name)
        except pluggy.PluginValidationError as exc:
            reason = "; ".join(str(exc).splitlines())
            raise PluginError(f"plugin {shown!r} was refused: {reason}") from exc

    def register_from(self, plugin: object, name: str, source: str) -> str | None:
        """Register ``plugin`` as ``name`` and remember ``source``; ``None`` when blocked."""
        registered = self.register(plugin, name=name)
        if registered is not None:
            self.sources[registered] = source
        return registered


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
    """The project configuration (:func:`stalker_core.config.get_config`).

    :raises ConfigError: the configuration is invalid. A broken file is never
        skipped: its ``plugins.blocked`` list may be what keeps a plugin out.
    """
    from stalker_core import config as config_module

    return config_module.get_config()


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
        :func:`stalker_core.config.get_config`.
    :param builtins: module names of the default plugins to register
        (default :data:`DEFAULT_PLUGINS`; ``()`` for none).
    :param blocked: plugin names never to register (default plugins' module names,
        entry-point names or ``STALKER_PLUGINS`` module names).
    :param strict: raise :class:`PluginError` when any plugin fails to load.
    :param load_entrypoints: load the ``stalker_core`` entry-point group
        (default: yes, unless ``STALKER_DISABLE_PLUGIN_AUTOLOAD`` is set).
    :param plugins: extra plugin objects to register (tests, embedding apps).
    :param use_env: honour the ``STALKER_*`` environment variables.
    :returns: the manager; failed plugins are listed in ``load_errors``.
    :raises PluginError: in strict mode, naming the plugin that failed; or
        when a hook implementation does not match any hookspec.
    :raises ConfigError: ``config`` is ``None`` and the configuration files
        are invalid (naming the file and the key); no plugin is loaded.
    """
    if config is None:
        config = _default_config()
    env = environment() if use_env else {}
    blocked_names = set(_names(blocked)) | set(_names(_setting(config, "blocked")))
    blocked_names |= set(_names(env.get(ENV_DISABLE)))
    blocked_names |= {RENAMED_PLUGINS[n] for n in blocked_names if n in RENAMED_PLUGINS}
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

    for module_name in DEFAULT_PLUGINS if builtins is None else tuple(builtins):
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

    for name, plugin, error in _unknown_hooks(pm):
        pm.unregister(plugin)
        fail(name, pm.sources.pop(name, "registered"), error)

    pm.hook.stalker_plugins_configure.call_historic(kwargs={"config": config})
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}") from exc
    return pm


def _unknown_hooks(pm: StalkerPluginManager) -> list[tuple[str, object, PluginError]]:
    """Plugins implementing a hook that has no hookspec: (name, plugin, error naming the hook)."""
    known = sorted(n for n, c in vars(pm.hook).items() if not n.startswith("_") and c.has_spec())
    found: dict[str, tuple[object, list[str]]] = {}
    for hook_name, caller in sorted(vars(pm.hook).items()):
        if hook_name.startswith("_") or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook:
                continue
            name = pm.get_name(impl.plugin) or impl.plugin_name
            found.setdefault(name, (impl.plugin, []))[1].append(hook_name)
    out = []
    for name, (plugin, hooks) in found.items():
        parts = []
        for hook_name in hooks:
            near = difflib.get_close_matches(hook_name, known, n=1)
            parts.append(f"{hook_name!r}" + (f" (did you mean {near[0]!r}?)" if near else ""))
        what = "an unknown hook" if len(parts) == 1 else "unknown hooks"
        out.append((name, plugin, PluginError(
            f"plugin {name!r} implements {what} {', '.join(parts)} "
            "(the hooks are listed in docs/hooks.md)"
        )))
    return out


def _entry_points() -> list[EntryPoint]:
    return sorted(entry_points(group=hookspecs.PROJECT_NAME), key=lambda ep: ep.name)


def _entry_point_source(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    where = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {ep.name} = {ep.value}{where}"


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
