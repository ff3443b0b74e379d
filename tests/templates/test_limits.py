"""The work of one render is bounded: steps, time, size of values and of the output."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from stalker_core.exceptions import TemplateLimitError, TemplateRenderError
from stalker_core.templates import TemplateEngine, TemplateLimits, build_engine

NAME = "FilenameTemplate 'Evil'.filename"


def render(source: str, engine: TemplateEngine | None = None, **context: Any) -> str:
    return (engine or TemplateEngine()).render(source, context, NAME)


def limit_error(source: str, engine: TemplateEngine | None = None,
                **context: Any) -> TemplateLimitError:
    with pytest.raises(TemplateLimitError) as info:
        render(source, engine, **context)
    err = info.value
    assert NAME in str(err)
    assert err.template == NAME
    assert isinstance(err, TemplateRenderError)  # callers catching render errors catch it
    return err


def test_nested_loops_stop_at_the_step_limit() -> None:
    err = limit_error(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    assert err.limit == "templates.max_steps"
    assert err.allowed == TemplateLimits().max_steps
    assert "templates.max_steps" in str(err) and f"{err.allowed}" in str(err)


def test_loops_over_strings_and_lists_count_too() -> None:
    small = build_engine(limits=TemplateLimits(max_steps=500))
    limit_error("{% for a in s %}{% for b in s %}{{ '' }}{% endfor %}{% endfor %}",
                small, s="x" * 100)
    limit_error("{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
                small, l=list(range(100)))
    assert render("{% for a in s %}{{ a }}{% endfor %}", small, s="abc") == "abc"


def test_a_range_larger_than_the_step_limit_is_refused_at_once() -> None:
    err = limit_error("{{ range(10**9)|list|length }}")
    assert err.limit == "templates.max_steps"
    assert "range" in str(err)


def test_recursive_loops_are_bounded() -> None:
    small = build_engine(limits=TemplateLimits(max_steps=1000))
    limit_error(
        "{% for x in l recursive %}{{ loop(l) if x == 0 else '' }}{% endfor %}",
        small, l=list(range(200)),
    )


def test_exponential_macro_recursion_is_bounded() -> None:
    err = limit_error(
        "{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% endif %}"
        "{% endmacro %}{{ twice(60) }}"
    )
    assert err.limit in ("templates.max_steps", "templates.max_seconds")


def test_deep_recursion_is_a_limit_error() -> None:
    big = build_engine(limits=TemplateLimits(max_steps=10**9))
    err = limit_error("{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}", big)
    assert "deep" in str(err)


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**9 }}",
        "{{ 10**9 * 'a' }}",
        "{{ [1] * 10**9 }}",
        "{{ 'a' * 999999999 }}",
        "{{ ('ab' * 600000) + ('ab' * 600000) }}",
    ],
)
def test_huge_values_are_refused_before_they_are_built(source: str) -> None:
    err = limit_error(source)
    assert err.limit == "templates.max_output"
    assert str(TemplateLimits().max_output) in str(err)


@pytest.mark.parametrize(
    "source",
    [
        "{{ 10 ** (10 ** 8) }}",
        "{{ 7 ** 9999999 }}",
        "{% set ns = namespace(n=10**1000) %}"
        "{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n > 1 }}",
    ],
)
def test_huge_numbers_are_refused(source: str) -> None:
    assert limit_error(source).limit == "templates.max_output"


@pytest.mark.parametrize(
    "source",
    [
        # doubling a string with ~ in a loop
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        # doubling a nested list: small in memory, huge once printed
        "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}"
        "{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}",
        "{% set ns = namespace(l=(1,)) %}{% for i in range(60) %}"
        "{% set ns.l = (ns.l, ns.l) %}{% endfor %}{{ ns.l|string|length }}",
        "{% set ns = namespace(d={}) %}{% for i in range(60) %}"
        "{% set ns.d = {'a': ns.d, 'b': ns.d} %}{% endfor %}{{ ns.d }}",
        # a filter making a huge string
        "{{ 'x'|center(10**9) }}",
        "{{ 'x'|center(1000000000) }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s|replace('a', 'aa')|replace('b', 'bb') %}{% endfor %}",
        # string formatting with a huge width
        "{{ '%01000000000d' % 1 }}",
        "{{ '%*d' % (1000000000, 1) }}",
        "{{ '%01000000000d'|format(1) }}",
        "{{ '{:>1000000000}'.format(1) }}",
        "{{ '{:>{w}}'.format(1, w=1000000000) }}",
        "{{ '{0:>{1}}'.format(1, 1000000000) }}",
        # string methods and filters that grow their input
        "{{ 'abc'.zfill(10**9) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ ('\t' * 100000).expandtabs(1000000) }}",
        "{{ ('a' * 100000).replace('', 'x' * 1000) }}",
        "{{ ('a' * 100000)|replace('a', 'x' * 1000) }}",
        "{{ ('x' * 1000).join(range(2000)|map('string')) }}",
        "{{ range(2000)|map('string')|join('x' * 1000) }}",
        "{{ ('\n' * 100000)|indent(1000) }}",
        "{{ ('a' * 100000).translate({97: 'x' * 1000}) }}",
        "{{ ('a b ' * 10000)|wordwrap(1, wrapstring='x' * 10000) }}",
        # one big value used many times
        "{% set x = 'a' * 900000 %}{{ (x ~ x ~ x)|length }}",
        "{% set x = 'a' * 900000 %}{{ ('%s%s%s' % (x, x, x))|length }}",
        "{% set x = 'a' * 900000 %}{{ ('%(a)s%(a)s' % {'a': x})|length }}",
        "{% set x = 'a' * 900000 %}{{ '{0}{0}{0}'.format(x)|length }}",
        "{% set x = 'a' * 900000 %}{{ ([x] * 3)|join|length }}",
        # printed into a set block or a macro, never into the output
        "{% set x = 'a' * 500000 %}{% set s %}{% for i in range(5000) %}{{ x }}"
        "{% endfor %}{% endset %}{{ s|length }}",
        "{% set x = 'a' * 500000 %}{% macro m() %}{% for i in range(5000) %}{{ x }}"
        "{% endfor %}{% endmacro %}{{ m()|length }}",
    ],
)
def test_values_larger_than_the_output_limit_are_refused(source: str) -> None:
    assert limit_error(source).limit == "templates.max_output"


def test_the_output_is_bounded() -> None:
    small = build_engine(limits=TemplateLimits(max_output=10_000))
    err = limit_error("{% for i in range(100) %}{{ 'x' * 1000 }}{% endfor %}", small)
    assert err.limit == "templates.max_output"
    assert err.allowed == 10_000
    assert render("{% for i in range(9) %}{{ 'x' * 1000 }}{% endfor %}", small) == "x" * 9000


def test_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A render stops once it has run longer than templates.max_seconds (clock faked)."""
    from stalker_core.templates import limits as limits_module

    now = iter(range(0, 10**9, 1))  # each look at the clock: one second later

    def clock() -> float:
        return float(next(now))

    monkeypatch.setattr(limits_module, "clock", clock)
    timed = build_engine(limits=TemplateLimits(max_seconds=5, max_steps=10**6))
    err = limit_error("{% for i in range(1000) %}{{ i }}{% endfor %}", timed)
    assert err.limit == "templates.max_seconds"
    assert err.allowed == 5


def test_limits_come_from_the_configuration() -> None:
    from stalker_core import config

    config.configure(template_max_steps=50)
    try:
        err = limit_error("{% for i in range(100) %}{{ i }}{% endfor %}")
        assert err.allowed == 50
    finally:
        config.reset()
    assert render("{% for i in range(100) %}{% endfor %}ok") == "ok"


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_steps"):
        TemplateLimits(max_steps=0)
    with pytest.raises(ValueError, match="max_seconds"):
        TemplateLimits(max_seconds=float("nan"))


def test_ordinary_templates_are_untouched() -> None:
    """The bounded sandbox renders what the default templates need."""
    source = (
        "{% for p in parts %}{{ p|upper }}/{% endfor %}{{ '%03d'|format(n) }}"
        "{{ ['a', 'b']|join('-') }}{{ {'k': 1}['k'] }}{{ (1, 2)[0] }}{{ 2 ** 10 }}"
        "{{ 'x' * 3 }}{{ 'a' ~ 'b' }}{{ '{:>4}'.format(n) }}"
        "{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}"
    )
    out = render(source, parts=["sh", "comp"], n=7, pairs=[(1, 2)])
    assert out == "SH/COMP/007a-b111024xxxab   712"


def test_memory_error_becomes_a_limit_error() -> None:
    def hungry(_: Any) -> str:
        raise MemoryError

    engine = build_engine(filters={"hungry": hungry})
    assert limit_error("{{ 1|hungry }}", engine).limit == "memory"


def iter_forever() -> Iterator[int]:
    i = 0
    while True:
        yield i
        i += 1


def test_an_endless_iterable_from_a_plugin_stops() -> None:
    engine = build_engine(globals={"forever": iter_forever},
                          limits=TemplateLimits(max_steps=1000))
    assert limit_error("{% for i in forever() %}{% endfor %}", engine).limit == (
        "templates.max_steps"
    )


def test_lipsum_is_not_available() -> None:
    with pytest.raises(TemplateRenderError, match="lipsum"):
        render("{{ lipsum(100000) }}")
