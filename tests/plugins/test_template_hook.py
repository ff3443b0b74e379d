"""The stalker_template_environment hook: merging, attribution, conflicts, caching, scoping."""

from __future__ import annotations

import threading
import types
from collections.abc import Callable
from typing import Any

import pytest

from stalker_core.exceptions import PluginError, StalkerTypeError, TemplateRenderError
from stalker_core.plugins import get_plugin_manager, plugin_templates, template_engine
from stalker_core.plugins.api import hookimpl
from stalker_core.plugins.templates import collect_template_contributions
from stalker_core.templates import TemplateEngine, build_engine, default_engine, using_engine


def contributing(name: str, result: Any) -> types.ModuleType:
    """A plugin module named ``name`` whose hook returns ``result`` (or calls it)."""
    mod = types.ModuleType(name)

    @hookimpl
    def stalker_template_environment() -> Any:
        return result() if callable(result) and not isinstance(result, dict) else result

    mod.stalker_template_environment = stalker_template_environment  # type: ignore[attr-defined]
    return mod


def make_pm(*plugins: object) -> Any:
    return get_plugin_manager({}, load_entrypoints=False, use_env=False, plugins=plugins)


def shout(text: Any) -> str:
    return f"{str(text).upper()}!"


ACME = {
    "filters": {"acme_shout": shout, "acme.dotted": lambda s: f"<{s}>"},
    "globals": {"acme_code": "ACME"},
    "tests": {"acme_short": lambda s: len(s) < 4},
}


def render(engine: TemplateEngine, source: str, **ctx: Any) -> str:
    return engine.render(source, ctx, "test")


def test_contributions_merge_into_one_engine() -> None:
    other = contributing("vfx", {"filters": {"vfx_pad": lambda n: f"{n:04d}"}, "tests": None})
    pm = make_pm(contributing("acme", ACME), other)
    engine = template_engine(pm)
    assert engine is not default_engine()
    out = render(
        engine,
        "{{acme_code}}/{{name|acme_shout}}/{{name|acme.dotted}}/{{7|vfx_pad}}/"
        "{{'yes' if name is acme_short else 'no'}}",
        name="sh1",
    )
    assert out == "ACME/SH1!/<sh1>/0007/yes"
    # the plain default engine does not know plugin filters
    with pytest.raises(TemplateRenderError, match="No filter named 'acme_shout'"):
        render(default_engine(), "{{name|acme_shout}}", name="x")


def test_contributions_are_attributed_to_their_plugins() -> None:
    pm = make_pm(contributing("acme", ACME), contributing("nothing", None))
    found = collect_template_contributions(pm)
    assert [name for name, _ in found] == ["acme"]
    assert found[0][1]["filters"]["acme_shout"] is shout


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("filters", {"slug": str.lower}),
        ("globals", {"slug": "x"}),
        ("tests", {"slug": callable}),
    ],
)
def test_same_name_from_two_plugins_names_both(key: str, value: dict[str, Any]) -> None:
    pm = make_pm(contributing("acme", {key: value}), contributing("vfx_tools", {key: value}))
    kind = {"filters": "filter", "globals": "global", "tests": "test"}[key]
    with pytest.raises(PluginError) as info:
        template_engine(pm)
    msg = str(info.value)
    assert "'acme'" in msg and "'vfx_tools'" in msg, msg
    assert f"template {kind} 'slug'" in msg and "stalker_template_environment" in msg
    assert set(info.value.plugins) == {"acme", "vfx_tools"}  # type: ignore[attr-defined]


def test_same_name_under_different_kinds_is_fine() -> None:
    pm = make_pm(contributing("a", {"filters": {"hero": str.upper}}),
                 contributing("b", {"tests": {"hero": lambda s: s == "x"}}))
    assert render(template_engine(pm), "{{ 'x'|hero }} {{ 'x' is hero }}") == "X True"


def test_one_plugin_contributing_a_name_twice() -> None:
    mod = types.ModuleType("twice")

    @hookimpl(specname="stalker_template_environment")
    def first() -> Any:
        return {"filters": {"dup": str}}

    @hookimpl(specname="stalker_template_environment")
    def second() -> Any:
        return {"filters": {"dup": str}}

    mod.first, mod.second = first, second  # type: ignore[attr-defined]
    with pytest.raises(PluginError,
                       match="plugin 'twice' contributes the template filter 'dup' twice"):
        template_engine(make_pm(mod))


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (["filters"], "returned list from stalker_template_environment; expected a dict"),
        ({"macros": {}}, "unknown key 'macros'"),
        ({"filters": [shout]}, "returned 'filters' as list"),
        ({"filters": {"loud": "LOUD"}}, "filter 'loud' .* as str; a filter should be callable"),
        ({"tests": {"big": 3}}, "template test 'big' .* a test should be callable"),
        ({"filters": {"has space": str}}, "template filter 'has space' .* should be identifiers"),
        ({"filters": {"_private": str}}, "template filter '_private'"),
        ({"filters": {3: str}}, "template filter 3 "),
        ({"globals": {"a.b": 1}}, "template global 'a.b' .* an identifier"),
        ({"filters": {"upper": str}}, "'upper' .* which is a built-in Jinja2 filter"),
        ({"tests": {"defined": callable}}, "'defined' .* built-in Jinja2 test"),
        ({"globals": {"range": list}}, "'range' .* built-in Jinja2 global"),
        ({"globals": {"task": "T"}}, "'task' .* which is a template variable"),
        ({"globals": {"extension": ".x"}}, "'extension' .* template variable"),
    ],
)
def test_bad_contributions_name_the_plugin(result: Any, expected: str) -> None:
    pm = make_pm(contributing("acme", result))
    with pytest.raises(PluginError, match=f"plugin 'acme' .*{expected}"):
        template_engine(pm)


def test_a_raising_implementation_is_a_plugin_error() -> None:
    def boom() -> Any:
        raise RuntimeError("no config")

    with pytest.raises(PluginError,
                       match="plugin 'acme' raised in stalker_template_environment: .*no config"):
        template_engine(make_pm(contributing("acme", boom)))


def test_without_contributions_the_default_engine_is_used() -> None:
    assert template_engine(make_pm()) is default_engine()
    assert template_engine(make_pm(contributing("quiet", None))) is default_engine()


def test_engine_is_cached_per_manager_and_rebuilt_when_plugins_change() -> None:
    calls: list[int] = []

    def counted() -> Any:
        calls.append(1)
        return {"filters": {"acme_shout": shout}}

    pm = make_pm(contributing("acme", counted))
    engine = template_engine(pm)
    assert template_engine(pm) is engine and len(calls) == 1
    assert template_engine(make_pm(contributing("acme", counted))) is not engine  # per manager
    extra = contributing("vfx", {"filters": {"vfx_pad": str}})
    pm.register(extra, name="vfx")
    rebuilt = template_engine(pm)
    assert rebuilt is not engine and "vfx_pad" in rebuilt.environment.filters
    pm.unregister(extra)
    assert "vfx_pad" not in template_engine(pm).environment.filters


def test_plugin_templates_is_scoped_and_restored() -> None:
    before = default_engine()
    pm = make_pm(contributing("acme", ACME))
    with plugin_templates(pm) as engine:
        assert default_engine() is engine is template_engine(pm)
        inner = build_engine()
        with using_engine(inner):
            assert default_engine() is inner
        assert default_engine() is engine
        seen: list[TemplateEngine] = []
        worker = threading.Thread(target=lambda: seen.append(default_engine()))
        worker.start()
        worker.join()
        assert seen == [before]  # other threads keep the process default
    assert default_engine() is before
    with pytest.raises(ValueError, match="boom"), plugin_templates(pm):
        raise ValueError("boom")
    assert default_engine() is before


def test_using_engine_refuses_other_objects() -> None:
    with pytest.raises(StalkerTypeError, match="engine should be a TemplateEngine, not dict"):
        with using_engine({}):  # type: ignore[arg-type]
            pass


def test_conflict_in_plugin_templates_installs_nothing() -> None:
    before = default_engine()
    pm = make_pm(contributing("a", {"filters": {"dup": str}}),
                 contributing("b", {"filters": {"dup": str}}))
    entered: list[Callable[[], None]] = []
    with pytest.raises(PluginError, match="plugins '[ab]' and '[ab]' both contribute"):
        with plugin_templates(pm):
            entered.append(lambda: None)
    assert entered == [] and default_engine() is before
