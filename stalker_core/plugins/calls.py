"""Attributed hook calls: one implementation at a time, wrappers around them.

The workflows call collect-all hooks through :func:`call_each` rather than
``pm.hook.<name>(...)`` so that every result and every error names the plugin
that produced it (``ValidationResult.plugin``, ``PluginError`` messages,
``HookFailure``). New-style wrappers (``@hookimpl(wrapper=True)``) run around
those calls with pluggy's semantics; old-style ``hookwrapper=True``
implementations never get here (the manager refuses them at registration).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, cast

import pluggy

from stalker_core.exceptions import PluginError, StalkerError
from stalker_core.plugins.api import HookFailure

__all__ = ["call_each", "call_each_impl", "describe_error", "plugin_name"]


def describe_error(exc: BaseException) -> str:
    """``"KeyError: 'oops'"``: the exception's type and message, for error messages."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def plugin_name(pm: pluggy.PluginManager, impl: pluggy.HookImpl) -> str:
    """The registered name of the plugin of ``impl``."""
    return pm.get_name(impl.plugin) or impl.plugin_name


def call_each(
    pm: pluggy.PluginManager,
    hook_name: str,
    /,
    *,
    select: Callable[[str, pluggy.HookImpl], bool] | None = None,
    failures: list[HookFailure] | None = None,
    **kwargs: Any,
) -> list[tuple[str, Any]]:
    """Call every implementation of a collect-all hook and attribute the results.

    Implementations are called in pluggy's order (``tryfirst`` first, then the
    most recently registered first, ``trylast`` last). New-style wrappers
    (``@hookimpl(wrapper=True)``) run around them with pluggy's semantics, the
    outermost first: ``result = yield`` gives a wrapper the list of results
    (or raises the exception) of everything inside it, and what it returns
    (a list) or raises replaces that. A result a wrapper passes on keeps its
    plugin; a result it adds is attributed to the wrapper's plugin.

    :param select: when given, called as ``select(plugin name, hookimpl)``
        before each implementation (not wrapper); ``False`` skips it (the
        publish workflow skips validators whose check another plugin
        overrides).
    :param failures: when given, an implementation or wrapper that raises an
        :class:`Exception` does not stop the call: a :class:`HookFailure` is
        appended here and the others still run (``stalker_publish_after``).
    :returns: ``(plugin name, result)`` pairs for every non-``None`` result.
    :raises StalkerError: a deliberate error of a plugin (e.g.
        :class:`~stalker_core.exceptions.VetoError`) passes unchanged, with
        the plugin's name in its ``plugin`` attribute.
    :raises PluginError: any other exception, naming the plugin and the hook;
        also a wrapper that does not yield exactly once or does not return a
        list.
    """
    return [
        (name, result)
        for name, _impl, result in call_each_impl(
            pm, hook_name, select=select, failures=failures, **kwargs
        )
    ]


def call_each_impl(
    pm: pluggy.PluginManager,
    hook_name: str,
    /,
    *,
    select: Callable[[str, pluggy.HookImpl], bool] | None = None,
    failures: list[HookFailure] | None = None,
    **kwargs: Any,
) -> list[tuple[str, pluggy.HookImpl, Any]]:
    """Like :func:`call_each`, with the implementation of each result.

    :returns: ``(plugin name, hookimpl, result)`` for every non-``None``
        result (the wrapper's hookimpl for a result a wrapper added).
    """
    call = _Call(hook_name, kwargs, failures)
    ordered = list(reversed(getattr(pm.hook, hook_name).get_hookimpls()))
    for impl in ordered:
        if impl.hookwrapper:  # StalkerPluginManager refuses these; a bare pluggy manager not
            raise PluginError(
                f"plugin {plugin_name(pm, impl)!r} implements {hook_name} with "
                "hookwrapper=True, which stalker_core does not run: use wrapper=True"
            )
    wrappers = [impl for impl in ordered if impl.wrapper]
    impls = [impl for impl in ordered if not impl.wrapper]

    started: list[tuple[str, pluggy.HookImpl, Generator[None, Any, Any]]] = []
    results: list[tuple[str, pluggy.HookImpl, Any]] = []
    error: BaseException | None = None
    try:
        for impl in wrappers:
            name = plugin_name(pm, impl)
            gen = call.start_wrapper(name, impl)
            if gen is not None:
                started.append((name, impl, gen))
        for impl in impls:
            name = plugin_name(pm, impl)
            if select is not None and not select(name, impl):
                continue
            ok, result = call.invoke(name, impl)
            if ok and result is not None:
                results.append((name, impl, result))
    except BaseException as exc:  # noqa: BLE001 - handed to the wrappers, then re-raised
        error = exc
    for name, impl, gen in reversed(started):
        results, error = call.finish_wrapper(name, impl, gen, results, error)
    if error is not None:
        raise error
    return results


class _Call:
    """One attributed call of a hook: error attribution and the wrapper protocol."""

    def __init__(
        self, hook_name: str, kwargs: dict[str, Any], failures: list[HookFailure] | None
    ) -> None:
        self.hook_name = hook_name
        self.kwargs = kwargs
        self.failures = failures

    def arguments(self, name: str, impl: pluggy.HookImpl) -> dict[str, Any]:
        missing = [k for k in impl.argnames if k not in self.kwargs]
        if missing:
            raise PluginError(
                f"plugin {name!r} implements {self.hook_name} with unknown arguments {missing}"
            )
        wanted = (*impl.argnames, *impl.kwargnames)
        return {k: self.kwargs[k] for k in wanted if k in self.kwargs}

    def attributed(self, name: str, exc: Exception) -> Exception:
        """``exc`` with the plugin named: ours tagged, any other one wrapped in PluginError."""
        if isinstance(exc, StalkerError):
            if getattr(exc, "plugin", None) is None:
                exc.plugin = name  # type: ignore[attr-defined]
            return exc
        error = PluginError(f"plugin {name!r} raised in {self.hook_name}: {describe_error(exc)}")
        error.__cause__ = exc
        return error

    def failed(self, name: str, exc: Exception) -> bool:
        """Record ``exc`` when failures are collected (then ``True``: carry on)."""
        if self.failures is None:
            return False
        self.failures.append(HookFailure(name, self.hook_name, exc))
        return True

    def invoke(self, name: str, impl: pluggy.HookImpl) -> tuple[bool, Any]:
        """Call one implementation: ``(True, result)``, or ``(False, None)`` when it failed."""
        args = self.arguments(name, impl)
        try:
            return True, impl.function(**args)
        except StalkerError as exc:
            if self.failed(name, exc):
                return False, None
            raise self.attributed(name, exc)  # noqa: B904 - the plugin's own error, tagged
        except Exception as exc:
            if self.failed(name, exc):
                return False, None
            raise self.attributed(name, exc) from exc

    def start_wrapper(
        self, name: str, impl: pluggy.HookImpl
    ) -> Generator[None, Any, Any] | None:
        """Run a wrapper up to its ``yield``; ``None`` when it failed and failures are kept."""
        args = self.arguments(name, impl)
        try:
            # pluggy refused wrappers that are not generator functions at registration
            gen = cast(Generator[None, Any, Any], impl.function(**args))
            next(gen)
        except StopIteration:
            no_yield = PluginError(
                f"wrapper of plugin {name!r} for {self.hook_name} returned without yielding"
            )
            if self.failed(name, no_yield):
                return None
            raise no_yield from None
        except StalkerError as exc:
            if self.failed(name, exc):
                return None
            raise self.attributed(name, exc)  # noqa: B904 - the plugin's own error, tagged
        except Exception as exc:
            if self.failed(name, exc):
                return None
            raise self.attributed(name, exc) from exc
        return gen

    def finish_wrapper(
        self,
        name: str,
        impl: pluggy.HookImpl,
        gen: Generator[None, Any, Any],
        results: list[tuple[str, pluggy.HookImpl, Any]],
        error: BaseException | None,
    ) -> tuple[list[tuple[str, pluggy.HookImpl, Any]], BaseException | None]:
        """Send the results (or throw the error) into a wrapper; return what it made of them."""
        try:
            if error is not None:
                gen.throw(error)
            else:
                gen.send([result for _name, _impl, result in results])
        except StopIteration as stop:
            try:
                return self.reattributed(name, impl, stop.value, results), None
            except PluginError as exc:
                return results, None if self.failed(name, exc) else exc
        except Exception as exc:
            if exc is error:
                return results, error
            return results, None if self.failed(name, exc) else self.attributed(name, exc)
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt & co. go on outwards
            return results, exc
        gen.close()
        twice = PluginError(f"wrapper of plugin {name!r} for {self.hook_name} yielded twice")
        return results, None if self.failed(name, twice) else twice

    def reattributed(
        self,
        name: str,
        impl: pluggy.HookImpl,
        value: Any,
        results: list[tuple[str, pluggy.HookImpl, Any]],
    ) -> list[tuple[str, pluggy.HookImpl, Any]]:
        """What a wrapper returned, each result attributed to who produced it."""
        if not isinstance(value, list):
            raise PluginError(
                f"wrapper of plugin {name!r} for {self.hook_name} returned {value!r}; "
                "a wrapper returns the list of results it received (``return (yield)``) "
                "or a replacement list"
            )
        origin = {id(result): (who, by) for who, by, result in results}
        return [
            (*origin.get(id(result), (name, impl)), result)
            for result in value
            if result is not None
        ]
