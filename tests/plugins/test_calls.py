"""call_each: wrappers run around attributed calls; refused wrappers name plugin and hook."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pluggy
import pytest

from stalker_core.exceptions import PluginError, VetoError
from stalker_core.plugins import get_plugin_manager, hookspecs
from stalker_core.plugins.api import HookFailure, hookimpl
from stalker_core.plugins.calls import call_each, call_each_impl

HOOK = "stalker_workfile_after_open"
KWARGS: dict[str, Any] = dict(host=None, context=None, version=None, path="p")


def bare_pm() -> Any:
    return get_plugin_manager({}, builtins=(), load_entrypoints=False, use_env=False)


class Plain:
    def __init__(self, value: Any) -> None:
        self.value = value

    @hookimpl
    def stalker_workfile_after_open(self) -> Any:
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


def test_wrapper_sees_the_results_and_may_change_them() -> None:
    a, b = ["a"], ["b"]
    seen: list[Any] = []

    class Studio:
        @hookimpl(wrapper=True)
        def stalker_workfile_after_open(self, path: str) -> Generator[None, Any, Any]:
            results = yield
            seen.append(list(results))
            return [r for r in results if r is not b] + [[f"studio:{path}"]]

    pm = bare_pm()
    pm.register(Plain(a), name="a")
    pm.register(Plain(b), name="b")
    pm.register(Studio(), name="studio")
    assert seen == []
    got = call_each_impl(pm, HOOK, **KWARGS)
    assert seen == [[b, a]]
    # what the wrapper passed on keeps its plugin; what it added is the wrapper's
    assert [(name, result) for name, _impl, result in got] == [("a", a), ("studio", ["studio:p"])]
    assert got[0][1].plugin.__class__ is Plain and got[1][1].wrapper


def test_wrappers_nest_tryfirst_outermost_and_see_errors() -> None:
    events: list[str] = []

    def wrapper(label: str, **opts: Any) -> Any:
        class W:
            @hookimpl(wrapper=True, **opts)
            def stalker_workfile_after_open(self) -> Generator[None, Any, Any]:
                events.append(f"{label} in")
                try:
                    return (yield)
                except PluginError as exc:
                    events.append(f"{label} saw {exc}")
                    raise
                finally:
                    events.append(f"{label} out")

        return W()

    pm = bare_pm()
    pm.register(Plain(KeyError("oops")), name="bad")
    pm.register(wrapper("outer", tryfirst=True), name="outer")
    pm.register(wrapper("inner"), name="inner")
    with pytest.raises(PluginError, match="plugin 'bad' raised in stalker_workfile_after_open"):
        call_each(pm, HOOK, **KWARGS)
    message = "plugin 'bad' raised in stalker_workfile_after_open: KeyError: 'oops'"
    assert events == [
        "outer in", "inner in",
        f"inner saw {message}", "inner out",
        f"outer saw {message}", "outer out",
    ]


def test_wrapper_may_swallow_an_error_or_replace_it() -> None:
    class Forgiving:
        @hookimpl(wrapper=True)
        def stalker_workfile_after_open(self) -> Generator[None, Any, Any]:
            try:
                return (yield)
            except VetoError:
                return [["vetoed, but carry on"]]

    pm = bare_pm()
    pm.register(Plain(VetoError("no")), name="veto")
    pm.register(Forgiving(), name="forgiving")
    assert call_each(pm, HOOK, **KWARGS) == [("forgiving", ["vetoed, but carry on"])]

    class Angry:
        @hookimpl(wrapper=True, tryfirst=True)
        def stalker_workfile_after_open(self) -> Generator[None, Any, Any]:
            yield
            raise RuntimeError("angry")

    pm.register(Angry(), name="angry")
    with pytest.raises(PluginError, match="plugin 'angry' raised in .*RuntimeError: angry"):
        call_each(pm, HOOK, **KWARGS)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("none", "wrapper of plugin 'w' for stalker_workfile_after_open returned None; "
                 "a wrapper returns the list of results"),
        ("twice", "wrapper of plugin 'w' for stalker_workfile_after_open yielded twice"),
        ("never", "wrapper of plugin 'w' for stalker_workfile_after_open returned without "
                  "yielding"),
    ],
)
def test_misbehaving_wrappers_are_named(body: str, message: str) -> None:
    class W:
        @hookimpl(wrapper=True)
        def stalker_workfile_after_open(self) -> Generator[None, Any, Any]:
            if body == "never":
                return None
            yield
            if body == "twice":
                yield
            return None

    pm = bare_pm()
    pm.register(Plain(["a"]), name="a")
    pm.register(W(), name="w")
    with pytest.raises(PluginError, match=message):
        call_each(pm, HOOK, **KWARGS)


def test_old_style_hookwrapper_refused_at_registration() -> None:
    class Old:
        @hookimpl(hookwrapper=True)
        def stalker_publish_validate(self) -> Generator[None, Any, None]:
            yield

    pm = bare_pm()
    with pytest.raises(PluginError, match="plugin 'old' implements stalker_publish_validate "
                       r"with hookwrapper=True; .* use @hookimpl\(wrapper=True\)"):
        pm.register(Old(), name="old")
    assert not pm.has_plugin("old")
    # a blocked plugin is not looked at
    pm.set_blocked("old")
    assert pm.register(Old(), name="old") is None


def test_wrapper_of_a_historic_hook_refused_at_registration() -> None:
    class Configure:
        @hookimpl(wrapper=True)
        def stalker_plugins_configure(self) -> Generator[None, Any, Any]:
            return (yield)

    pm = bare_pm()
    with pytest.raises(PluginError, match="plugin 'cfg' implements stalker_plugins_configure "
                       "with wrapper=True; stalker_plugins_configure is a historic hook"):
        pm.register(Configure(), name="cfg")
    assert not pm.has_plugin("cfg")


def test_other_refusals_are_plugin_errors_too() -> None:
    class NotAGenerator:
        @hookimpl(wrapper=True)
        def stalker_workfile_after_open(self) -> None:
            return None

    pm = bare_pm()
    with pytest.raises(PluginError, match="plugin 'ng' was refused: .*not a generator"):
        pm.register(NotAGenerator(), name="ng")


def test_refused_wrapper_of_an_entry_point_is_a_load_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from importlib.metadata import EntryPoint

    from stalker_core.plugins import manager

    (tmp_path / "plug_oldwrap.py").write_text(
        "from stalker_core.plugins.api import hookimpl\n"
        "@hookimpl(hookwrapper=True)\n"
        "def stalker_workfile_after_save():\n"
        "    yield\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [EntryPoint(name="oldwrap", value="plug_oldwrap", group="stalker_core")]
    monkeypatch.setattr(manager, "_entry_points", lambda: eps)
    pm = get_plugin_manager({}, use_env=False)
    assert not pm.has_plugin("oldwrap")
    assert "stalker_workfile_after_save with hookwrapper=True" in str(pm.load_errors[0])


def test_firstresult_hooks_run_wrappers_through_pluggy() -> None:
    class App:
        @hookimpl
        def stalker_host_get(self) -> str:
            return "host"

    class Timing:
        @hookimpl(wrapper=True)
        def stalker_host_get(self) -> Generator[None, Any, Any]:
            host = yield
            return f"timed {host}"

    pm = bare_pm()
    pm.register(App(), name="app")
    pm.register(Timing(), name="timing")
    assert pm.hook.stalker_host_get(context=None) == "timed host"


def test_failures_are_collected_and_the_others_still_run() -> None:
    ran: list[str] = []

    class Notifier:
        def __init__(self, name: str, error: Exception | None) -> None:
            self.name, self.error = name, error

        @hookimpl
        def stalker_workfile_after_open(self) -> list[str]:
            ran.append(self.name)
            if self.error is not None:
                raise self.error
            return [self.name]

    class Wrap:
        @hookimpl(wrapper=True)
        def stalker_workfile_after_open(self) -> Generator[None, Any, Any]:
            results = yield
            ran.append(f"wrapper saw {results}")
            raise RuntimeError("wrapper broke")

    pm = bare_pm()
    pm.register(Notifier("one", ConnectionError("down")), name="one")
    pm.register(Notifier("two", None), name="two")
    pm.register(Notifier("three", VetoError("not now")), name="three")
    pm.register(Wrap(), name="wrap")
    failures: list[HookFailure] = []
    assert call_each(pm, HOOK, failures=failures, **KWARGS) == [("two", ["two"])]
    assert ran == ["three", "two", "one", "wrapper saw [['two']]"]
    assert [(f.plugin, f.hook, str(f.error)) for f in failures] == [
        ("three", HOOK, "not now"),
        ("one", HOOK, "down"),
        ("wrap", HOOK, "wrapper broke"),
    ]


def test_a_bare_pluggy_manager_with_a_hookwrapper_is_refused() -> None:
    class Old:
        @hookimpl(hookwrapper=True)
        def stalker_workfile_after_open(self) -> Generator[None, Any, None]:
            yield

    pm = pluggy.PluginManager("stalker_core")
    pm.add_hookspecs(hookspecs)
    pm.register(Old(), name="old")
    with pytest.raises(PluginError, match="plugin 'old' implements stalker_workfile_after_open "
                       "with hookwrapper=True"):
        call_each(pm, HOOK, **KWARGS)
