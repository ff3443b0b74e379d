"""The sandboxed, strict template environment and its compiled-template cache."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2.sandbox import SandboxedEnvironment

from stalker_core.exceptions import TemplateError, TemplateRenderError
from stalker_core.templates import (
    TemplateEngine,
    build_engine,
    build_environment,
    default_engine,
    set_default_engine,
)


class Thing:
    """A plain object for attribute access tests."""

    def __init__(self) -> None:
        self.code = "FC"
        self._secret = "hidden"

    def delete_everything(self) -> str:
        return "deleted"


def test_environment_is_sandboxed_and_strict() -> None:
    env = build_environment()
    assert isinstance(env, SandboxedEnvironment)
    assert env.loader is None  # templates come from the database, never from files
    assert env.from_string("{{ a }}-{{ '%03d'|format(n) }}").render(a="x", n=7) == "x-007"


def test_missing_variable_names_template_and_variable() -> None:
    engine = TemplateEngine()
    with pytest.raises(TemplateRenderError) as info:
        engine.render("$REPO/{{ projct.code }}", {"project": Thing()}, "FilenameTemplate 'T'.path")
    msg = str(info.value)
    assert "FilenameTemplate 'T'.path" in msg
    assert "'projct'" in msg
    assert info.value.variable == "projct"  # type: ignore[attr-defined]
    assert info.value.template == "FilenameTemplate 'T'.path"  # type: ignore[attr-defined]


def test_missing_attribute_is_named() -> None:
    with pytest.raises(TemplateRenderError, match="'cod'"):
        TemplateEngine().render("{{ project.cod }}", {"project": Thing()}, "T")


def test_syntax_error_is_our_error_with_line() -> None:
    with pytest.raises(TemplateRenderError, match=r"syntax error on line 2") as info:
        TemplateEngine().compile("ok\n{% for p in x %}", "Broken")
    assert "Broken" in str(info.value)
    assert isinstance(info.value, TemplateError)


@pytest.mark.parametrize(
    "source",
    [
        "{{ thing._secret }}",
        "{{ thing.__class__ }}",
        "{{ thing.__class__.__mro__ }}",
        "{{ ''.__class__.__base__.__subclasses__() }}",
        "{{ thing.delete_everything.__globals__ }}",
    ],
)
def test_python_internals_refused(source: str) -> None:
    with pytest.raises(TemplateRenderError):
        TemplateEngine().render(source, {"thing": Thing()}, "T")


def test_database_handles_refused() -> None:
    class Model:
        query = "the session"

    with pytest.raises(TemplateRenderError, match="query"):
        TemplateEngine().render("{{ m.query }}", {"m": Model()}, "T")


def test_no_file_system_access() -> None:
    engine = TemplateEngine()
    with pytest.raises(TemplateRenderError):
        engine.render("{% include '/etc/passwd' %}", {}, "T")
    with pytest.raises(TemplateRenderError):
        engine.render("{% import 'os' as os %}", {}, "T")


def test_extra_filters_and_globals_for_plugins() -> None:
    engine = build_engine(
        filters={"shout": lambda s: s.upper()},
        globals={"studio_code": "MGS"},
        tests={"short": lambda s: len(s) < 4},
    )
    out = engine.render("{{ studio_code }}/{{ 'comp'|shout }}/{{ 'ab' is short }}", {}, "T")
    assert out == "MGS/COMP/True"
    with pytest.raises(TemplateRenderError, match="shout"):
        TemplateEngine().compile("{{ 'x'|shout }}", "T")


def test_compiled_templates_are_cached() -> None:
    engine = TemplateEngine(cache_size=2)
    first = engine.compile("{{ a }}")
    assert engine.compile("{{ a }}") is first
    engine.compile("{{ b }}")
    engine.compile("{{ c }}")  # evicts the least recently used one
    assert engine.compile("{{ a }}") is not first


def test_error_raised_by_a_filter_is_wrapped() -> None:
    with pytest.raises(TemplateRenderError, match="failed while rendering"):
        TemplateEngine().render("{{ '%d'|format('x') }}", {}, "T")


def test_default_engine_can_be_replaced() -> None:
    original = default_engine()
    custom = build_engine(globals={"g": 1})
    try:
        assert set_default_engine(custom) is original
        assert default_engine() is custom
    finally:
        set_default_engine(original)
    assert default_engine() is original


def test_default_engine_reset_builds_fresh() -> None:
    original = default_engine()
    try:
        set_default_engine(None)
        fresh = default_engine()
        assert fresh is not original
        assert isinstance(fresh, TemplateEngine)
    finally:
        set_default_engine(original)


def _unused(_: Any) -> None:
    """Keep Any imported for the annotations above."""


def test_unknown_filter_is_named_when_rendering() -> None:
    with pytest.raises(TemplateRenderError, match="shout.*plugin"):
        TemplateEngine().render("{{ 'x'|shout }}", {}, "T")


def test_check_syntax_accepts_plugin_filters_it_does_not_know() -> None:
    engine = TemplateEngine()
    engine.check_syntax("{{ 'x'|shout }}", "T")  # resolved when rendering
    with pytest.raises(TemplateRenderError, match="syntax error on line 1"):
        engine.check_syntax("{{ 'x'|shout ", "T")


def test_engine_from_plugin_contributions() -> None:
    from stalker_core.exceptions import PluginError
    from stalker_core.templates import engine_from_contributions

    engine = engine_from_contributions(
        [
            {"filters": {"shout": str.upper}, "globals": {"site": "IST"}},
            None,
            {"globals": {"site": "LON"}, "tests": {"empty": lambda s: not s}},
        ]
    )
    assert engine.render("{{ site }}-{{ 'a'|shout }}-{{ '' is empty }}", {}, "T") == "LON-A-True"
    with pytest.raises(PluginError, match="'filter'"):
        engine_from_contributions([{"filter": {}}])
    with pytest.raises(PluginError, match="mapping"):
        engine_from_contributions([{"filters": [str.upper]}])


def test_model_objects_are_refused() -> None:
    """A template never reads a model object: it gets read-only values instead."""
    from stalker_core.models import Studio
    from stalker_core.templates import TemplateEngine

    engine = TemplateEngine()
    studio = Studio(name="S")
    with pytest.raises(TemplateRenderError, match="read-only values"):
        engine.render("{{ s.name }}", {"s": studio}, "T")
    with pytest.raises(TemplateRenderError):
        engine.render("{{ s.schedule() }}", {"s": studio}, "T")
    # other objects' methods are still callable
    assert engine.render("{{ 'a'.upper() }}", {}, "T") == "A"


@pytest.mark.parametrize(
    "source",
    [
        "{{ l.append(1) }}",
        "{{ l.clear() }}",
        "{{ d.update({'a': 2}) }}",
        "{{ d.pop('a') }}",
        "{{ s.add(3) }}",
        "{{ l|attr('append') }}",
    ],
)
def test_no_list_dict_or_set_can_be_changed(source: str) -> None:
    data: dict[str, Any] = {"l": [1], "d": {"a": 1}, "s": {1}}
    with pytest.raises(TemplateRenderError):
        TemplateEngine().render(source, data, "T")
    assert data == {"l": [1], "d": {"a": 1}, "s": {1}}
