"""Template filters, globals and tests contributed by plugins.

Plugins implement the ``stalker_template_environment`` hook (see
:mod:`stalker_core.plugins.hookspecs`); this module turns the contributions
of a plugin manager into one :class:`~stalker_core.templates.TemplateEngine`:

* :func:`collect_template_contributions` calls every implementation (one at
  a time, so each contribution is attributed to its plugin), checks its
  shape and refuses a name contributed twice, naming both plugins;
* :func:`template_engine` builds the engine (cached per plugin manager and
  rebuilt when the plugins implementing the hook change);
* :func:`plugin_templates` installs it as the
  :func:`~stalker_core.templates.default_engine` for a ``with`` block
  (scoped to the current thread, restored on exit), for code such as
  :meth:`Version.update_paths() <stalker_core.models.version.model.Version.update_paths>`
  that renders with the default engine.

Nothing happens at import time: engines are built when first asked for.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PluginError
from stalker_core.plugins.calls import call_each

if TYPE_CHECKING:
    import pluggy

    from stalker_core.templates import TemplateEngine

#: the hook collected here
HOOK_NAME = "stalker_template_environment"

#: contribution key -> the word used in messages
KINDS: dict[str, str] = {"filters": "filter", "globals": "global", "tests": "test"}

#: plugin manager -> (implementations the engine was built from, engine)
_cache: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], TemplateEngine]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


@lru_cache(maxsize=1)
def _builtin_names() -> dict[str, frozenset[str]]:
    """Names Jinja2 (and our sandbox) already define, per contribution key."""
    from stalker_core.templates import CONTEXT_NAMES, build_environment

    env = build_environment()
    return {
        "filters": frozenset(env.filters),
        "globals": frozenset(env.globals) | CONTEXT_NAMES,
        "tests": frozenset(env.tests),
    }


def _check_name(plugin: str, key: str, name: Any) -> str:
    kind = KINDS[key]
    parts = name.split(".") if isinstance(name, str) else []
    valid = bool(parts) and all(p.isidentifier() and not p.startswith("_") for p in parts)
    if valid and key == "globals" and len(parts) > 1:
        valid = False
    if not valid:
        expected = (
            "an identifier not starting with '_'"
            if key == "globals"
            else "identifiers joined by dots, none starting with '_'"
        )
        raise PluginError(
            f"plugin {plugin!r} contributes the template {kind} {name!r} in {HOOK_NAME}; "
            f"a {kind} name should be {expected}"
        )
    if name in _builtin_names()[key]:
        from stalker_core.templates import CONTEXT_NAMES

        what = (
            "a template variable"
            if key == "globals" and name in CONTEXT_NAMES
            else f"a built-in Jinja2 {kind}"
        )
        raise PluginError(
            f"plugin {plugin!r} contributes the template {kind} {name!r} in {HOOK_NAME}, "
            f"which is {what}; choose another name (e.g. prefixed with the plugin's name)"
        )
    return name  # type: ignore[no-any-return]


def _check_contribution(plugin: str, result: Any) -> dict[str, dict[str, Any]]:
    """Validate one plugin's result; return it as ``{key: {name: value}}``."""
    if not isinstance(result, Mapping):
        raise PluginError(
            f"plugin {plugin!r} returned {type(result).__name__} from {HOOK_NAME}; expected "
            "a dict with the optional keys 'filters', 'globals' and 'tests', or None"
        )
    checked: dict[str, dict[str, Any]] = {}
    for key, values in result.items():
        if key not in KINDS:
            raise PluginError(
                f"plugin {plugin!r} returned the unknown key {key!r} from {HOOK_NAME}; "
                f"expected only {', '.join(repr(k) for k in KINDS)}"
            )
        if values is None:
            continue
        if not isinstance(values, Mapping):
            raise PluginError(
                f"plugin {plugin!r} returned {key!r} as {type(values).__name__} from "
                f"{HOOK_NAME}; expected a dict of name -> {KINDS[key]}"
            )
        for name, value in values.items():
            _check_name(plugin, key, name)
            if key != "globals" and not callable(value):
                raise PluginError(
                    f"plugin {plugin!r} contributes the template {KINDS[key]} {name!r} in "
                    f"{HOOK_NAME} as {type(value).__name__}; a {KINDS[key]} should be callable"
                )
        checked[key] = dict(values)
    return checked


def collect_template_contributions(
    pm: pluggy.PluginManager,
) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """Call every ``stalker_template_environment`` implementation of ``pm``.

    :returns: ``(plugin name, {"filters": ..., "globals": ..., "tests": ...})``
        per plugin that contributed something, in pluggy's calling order.
    :raises PluginError: a result of the wrong shape, an invalid or reserved
        name, a filter or test that is not callable, or one name contributed
        by two plugins (the message names both), or an implementation raising.
    """
    contributions = [
        (plugin, _check_contribution(plugin, result))
        for plugin, result in call_each(pm, HOOK_NAME)
    ]
    owners: dict[tuple[str, str], tuple[int, str]] = {}
    for index, (plugin, contribution) in enumerate(contributions):
        for key, values in contribution.items():
            for name in values:
                first_index, first = owners.setdefault((key, name), (index, plugin))
                if first_index == index:
                    continue
                kind = KINDS[key]
                if first == plugin:
                    detail = f"plugin {plugin!r} contributes the template {kind} {name!r} twice"
                else:
                    detail = (
                        f"plugins {first!r} and {plugin!r} both contribute the template "
                        f"{kind} {name!r}"
                    )
                err = PluginError(
                    f"{detail} ({HOOK_NAME}); a template would render differently depending "
                    "on which plugin wins, so rename it in one plugin or block one of them "
                    "(STALKER_DISABLE_PLUGINS)"
                )
                err.plugins = (first, plugin)  # type: ignore[attr-defined]
                raise err
    return contributions


def _signature(pm: pluggy.PluginManager) -> tuple[Any, ...]:
    """What the engine of ``pm`` depends on: the implementations of the hook."""
    hook = getattr(pm.hook, HOOK_NAME)
    return tuple((impl.plugin_name, impl.function) for impl in hook.get_hookimpls())


def template_engine(pm: pluggy.PluginManager) -> TemplateEngine:
    """The template engine with the filters, globals and tests of ``pm``'s plugins.

    Built on first use and kept for ``pm`` (so compiled templates are reused
    between saves); built again when plugins implementing
    ``stalker_template_environment`` are registered or unregistered. When no
    plugin implements the hook this is :func:`~stalker_core.templates.default_engine`.

    :raises PluginError: see :func:`collect_template_contributions`.
    """
    from stalker_core.templates import default_engine, engine_from_contributions

    signature = _signature(pm)
    if not signature:
        return default_engine()
    with _cache_lock:
        cached = _cache.get(pm)
    if cached is not None and cached[0] == signature:
        return cached[1]
    contributions = collect_template_contributions(pm)
    if not contributions:
        return default_engine()
    engine = engine_from_contributions(c for _, c in contributions)
    with _cache_lock:
        _cache[pm] = (signature, engine)
    return engine


@contextmanager
def plugin_templates(pm: pluggy.PluginManager) -> Iterator[TemplateEngine]:
    """Render with ``pm``'s template engine inside the ``with`` block.

    Installs :func:`template_engine` with
    :func:`~stalker_core.templates.using_engine`: scoped to the current
    thread, nested blocks allowed, the previous engine restored on exit.

    :raises PluginError: see :func:`collect_template_contributions`.
    """
    from stalker_core.templates import using_engine

    with using_engine(template_engine(pm)) as engine:
        yield engine
