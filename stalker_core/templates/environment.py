"""The one Jinja2 environment factory and a cache of compiled templates.

Templates come from the database (FilenameTemplate, Structure), so they are
untrusted: they run in the :class:`~stalker_core.templates.sandbox.StalkerSandbox`
(immutable: no list, set or dict can be changed; no loader, so no file
system access; no underscore attribute, no model object, only the read-only
values of :mod:`stalker_core.templates.values`) and within the limits of
:class:`~stalker_core.templates.limits.TemplateLimits` (steps, seconds,
characters: a :class:`~stalker_core.exceptions.TemplateLimitError` names the
template and the limit). Undefined names are errors
(:class:`~jinja2.StrictUndefined`): a missing variable raises
:class:`~stalker_core.exceptions.TemplateRenderError` naming the template and
the variable instead of producing a broken path.

Plugins add filters, tests and globals through :func:`build_engine`'s
parameters; the plugin layer collects them from its
``stalker_template_environment`` hook
(:func:`stalker_core.plugins.templates.template_engine`), merges them with
:func:`engine_from_contributions` and passes the engine explicitly where an
API takes one, or installs it for a block of code with :func:`using_engine`
(scoped to the current thread / context, restored on exit). A process-wide
default can still be replaced with :func:`set_default_engine`.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateAssertionError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from stalker_core.exceptions import PluginError, TemplateRenderError
from stalker_core.templates.limits import TemplateLimits
from stalker_core.templates.sandbox import BoundedTemplate, StalkerSandbox

_UNDEFINED_NAME_RE = re.compile(r"'([^']+)' is undefined")
_UNDEFINED_ATTR_RE = re.compile(r"has no attribute '([^']+)'")

def build_environment(
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,  # noqa: A002 - Jinja's own word
    tests: Mapping[str, Callable[..., bool]] | None = None,
    limits: TemplateLimits | None = None,
) -> StalkerSandbox:
    """Build the sandboxed, strict, bounded Jinja2 environment used for every template.

    :param filters: extra filters (e.g. from plugins), added to Jinja's built-ins.
    :param globals: extra global variables or functions available to every template.
    :param tests: extra tests (``{% if x is <test> %}``).
    :param limits: the limits of each render (default: the ``[templates]``
        settings of the configuration, read at each render).
    """
    env = StalkerSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        auto_reload=False,
        limits=limits,
    )
    if filters:
        env.filters.update(filters)
    if globals:
        env.globals.update(globals)
    if tests:
        env.tests.update(tests)
    env.wrap_filters()
    return env


class TemplateEngine:
    """A sandboxed environment plus an LRU cache of compiled templates (thread safe).

    :param environment: the environment; :func:`build_environment` by default.
    :param cache_size: how many compiled templates to keep.
    """

    def __init__(
        self, environment: SandboxedEnvironment | None = None, *, cache_size: int = 512
    ) -> None:
        self.environment = environment if environment is not None else build_environment()
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Template] = OrderedDict()
        self._lock = threading.Lock()

    def compile(self, source: str, name: str = "<template>") -> Template:
        """Return the compiled template for ``source`` (cached by source text).

        :raises TemplateRenderError: on a syntax error, naming the template and line.
        """
        with self._lock:
            tpl = self._cache.get(source)
            if tpl is not None:
                self._cache.move_to_end(source)
                return tpl
        try:
            tpl = self.environment.from_string(source)
        except TemplateAssertionError as exc:
            raise TemplateRenderError(
                f"template {name} line {exc.lineno}: {exc.message} (a filter or test that "
                "this environment does not have; is the plugin providing it loaded?)"
            ) from exc
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                f"template {name} has a syntax error on line {exc.lineno}: {exc.message}; "
                f"source: {source!r}"
            ) from exc
        with self._lock:
            self._cache[source] = tpl
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return tpl

    def check_syntax(self, source: str, name: str = "<template>") -> None:
        """Parse ``source`` only (filters and tests are resolved when rendering).

        Used by model validators: a template may use a plugin's filter even in a
        process where that plugin is not loaded.

        :raises TemplateRenderError: on a syntax error, naming the template and line.
        """
        try:
            self.environment.parse(source)
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                f"template {name} has a syntax error on line {exc.lineno}: {exc.message}; "
                f"source: {source!r}"
            ) from exc

    def render(self, source: str, context: Mapping[str, Any], name: str = "<template>") -> str:
        """Render ``source`` with ``context``.

        :param name: how to name the template in errors, e.g. ``"FilenameTemplate 'X'.path"``.
        :raises TemplateRenderError: for a syntax error, an undefined variable or
            attribute (the message names it), a refused (unsafe) access or any error
            raised while rendering.
        :raises TemplateLimitError: the render went over a limit of
            :class:`~stalker_core.templates.limits.TemplateLimits` (the message
            names the template, the setting and its value).
        """
        tpl = self.compile(source, name)
        try:
            if isinstance(tpl, BoundedTemplate):
                return tpl.render_bounded(context, name)
            return tpl.render(**context)
        except UndefinedError as exc:
            msg = str(exc.message or exc)
            m = _UNDEFINED_NAME_RE.search(msg) or _UNDEFINED_ATTR_RE.search(msg)
            variable = m.group(1) if m else msg
            err = TemplateRenderError(
                f"template {name} uses {variable!r}, which is not defined ({msg}); "
                f"available variables: {', '.join(sorted(context))}"
            )
            err.template = name  # type: ignore[attr-defined]
            err.variable = variable  # type: ignore[attr-defined]
            raise err from exc
        except SecurityError as exc:
            raise TemplateRenderError(
                f"template {name} tried an operation the sandbox refuses: {exc}"
            ) from exc
        except TemplateRenderError:
            raise
        except Exception as exc:  # a filter or a value raised: report it with the template name
            raise TemplateRenderError(
                f"template {name} failed while rendering: {type(exc).__name__}: {exc}"
            ) from exc


_default: TemplateEngine | None = None
_default_lock = threading.Lock()
#: the engine installed by :func:`using_engine` in the current context (thread)
_scoped: ContextVar[TemplateEngine | None] = ContextVar("stalker_core_template_engine",
                                                        default=None)


def build_engine(
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,  # noqa: A002
    tests: Mapping[str, Callable[..., bool]] | None = None,
    limits: TemplateLimits | None = None,
) -> TemplateEngine:
    """A :class:`TemplateEngine` over :func:`build_environment` with the given extras."""
    return TemplateEngine(
        build_environment(filters=filters, globals=globals, tests=tests, limits=limits)
    )


#: keys a plugin contribution may hold
CONTRIBUTION_KEYS = ("filters", "globals", "tests")


def engine_from_contributions(
    contributions: Iterable[Mapping[str, Mapping[str, Any]] | None],
) -> TemplateEngine:
    """Merge plugin contributions (e.g. the results of a pluggy hook) into one engine.

    Each contribution is ``{"filters": {...}, "globals": {...}, "tests": {...}}``
    (every key optional, ``None`` ignored); later contributions win on equal names.
    The plugin layer (:func:`stalker_core.plugins.templates.template_engine`)
    refuses equal names from two plugins before calling this.

    :raises PluginError: for an unknown key or a value that is not a mapping.
    """
    merged: dict[str, dict[str, Any]] = {key: {} for key in CONTRIBUTION_KEYS}
    for contribution in contributions:
        if contribution is None:
            continue
        for key, value in contribution.items():
            if key not in merged:
                raise PluginError(
                    f"template contribution key {key!r} is unknown; expected one of "
                    f"{', '.join(CONTRIBUTION_KEYS)}"
                )
            if not isinstance(value, Mapping):
                raise PluginError(
                    f"template contribution {key!r} should be a mapping of names, "
                    f"not {type(value).__name__}"
                )
            merged[key].update(value)
    return build_engine(filters=merged["filters"], globals=merged["globals"], tests=merged["tests"])


def default_engine() -> TemplateEngine:
    """The engine used by versions and structures unless one is passed explicitly.

    Inside a :func:`using_engine` block this is the engine of the block (in
    that thread or context only); otherwise the process-wide default
    (:func:`set_default_engine`, else a plain engine made on first use).
    """
    scoped = _scoped.get()
    if scoped is not None:
        return scoped
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = TemplateEngine()
    return _default


def set_default_engine(engine: TemplateEngine | None) -> TemplateEngine | None:
    """Install ``engine`` as the default (``None`` resets); returns the previous one.

    This changes every thread of the process; prefer passing an engine
    explicitly or :func:`using_engine` for a scoped change.
    """
    global _default
    with _default_lock:
        previous, _default = _default, engine
    return previous


@contextmanager
def using_engine(engine: TemplateEngine) -> Iterator[TemplateEngine]:
    """Make ``engine`` the :func:`default_engine` inside the ``with`` block.

    The change is scoped: it is seen only by the current thread (a
    :class:`contextvars.ContextVar`; new threads start without it), blocks
    nest, and the previous engine is restored on exit, also on errors::

        with using_engine(template_engine(pm)):
            version.update_paths()

    :param engine: the engine to install.
    :raises StalkerTypeError: when ``engine`` is not a :class:`TemplateEngine`.
    """
    if not isinstance(engine, TemplateEngine):
        from stalker_core.exceptions import StalkerTypeError

        raise StalkerTypeError(
            f"engine should be a TemplateEngine, not {type(engine).__name__}: {engine!r}"
        )
    token = _scoped.set(engine)
    try:
        yield engine
    finally:
        _scoped.reset(token)
