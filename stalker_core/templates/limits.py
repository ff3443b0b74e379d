"""The limits of one render, and the budget that enforces them.

A template is data from the database, so a render must end soon and stay
small whatever the template says. :class:`TemplateLimits` holds the three
limits, declared once as the ``[templates]`` settings of the configuration
(``templates.max_seconds``, ``templates.max_steps``,
``templates.max_output``; :meth:`TemplateLimits.from_config`).

A :class:`Budget` is made for each render (by
:class:`~stalker_core.templates.sandbox.BoundedTemplate`) and made current
for that render only. The sandbox charges it:

* one *step* per loop iteration and per call (macro, method, filter); the
  clock is read at each step, so a render stops soon after ``max_seconds``;
* the *size* of every value the template builds: characters of a string,
  items of a list, tuple or dict (nested ones counted in full, as they would
  print), digits of a number. Repetition (``*``), powers (``**``) and
  formatting widths are checked *before* the value is built, so
  ``'a' * 10**9`` is refused without allocating anything;
* the characters of the output, as it is produced.

Going over a limit raises :class:`~stalker_core.exceptions.TemplateLimitError`
naming the setting and its value.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stalker_core.config import SETTINGS
from stalker_core.exceptions import TemplateLimitError

if TYPE_CHECKING:
    from stalker_core.config import Config

#: the clock of the time budget (a module attribute so tests can fake it)
clock = time.monotonic

#: how the limits are named in errors: the settings that declare them
SECONDS_KEY: str = SETTINGS["template_max_seconds"].key
STEPS_KEY: str = SETTINGS["template_max_steps"].key
OUTPUT_KEY: str = SETTINGS["template_max_output"].key

#: bits per decimal digit, to bound numbers by their printed length
BITS_PER_DIGIT = math.log2(10)
#: the size counted for a value that is not a string, number or container
#: (a float, a date, entity values: about what it prints as)
OTHER_SIZE = 32


@dataclass(frozen=True)
class TemplateLimits:
    """How much work one render may do (defaults: the declared defaults of the settings).

    :param max_seconds: seconds of rendering (``templates.max_seconds``).
    :param max_steps: loop iterations plus calls (``templates.max_steps``).
    :param max_output: characters of output, and the size of any built value
        (``templates.max_output``).
    :raises ValueError: for a limit that is not a positive (finite) number.
    """

    max_seconds: float = SETTINGS["template_max_seconds"].default
    max_steps: int = SETTINGS["template_max_steps"].default
    max_output: int = SETTINGS["template_max_output"].default

    def __post_init__(self) -> None:
        for name in ("max_seconds", "max_steps", "max_output"):
            value = getattr(self, name)
            integral = name != "max_seconds"
            ok = (isinstance(value, int) if integral else isinstance(value, int | float)) and (
                not isinstance(value, bool) and math.isfinite(value) and value > 0
            )
            if not ok:
                kind = "a positive integer" if integral else "a positive finite number"
                raise ValueError(f"TemplateLimits.{name} should be {kind}, not {value!r}")

    @classmethod
    def from_config(cls, config: Config | None = None) -> TemplateLimits:
        """The limits set by the ``[templates]`` settings (default: :func:`get_config`)."""
        if config is None:
            from stalker_core.config import get_config

            config = get_config()
        cached = _from_config.get(cls)
        if cached is not None and cached[0] is config:
            return cached[1]
        limits = cls(
            max_seconds=float(config.template_max_seconds),
            max_steps=int(config.template_max_steps),
            max_output=int(config.template_max_output),
        )
        _from_config[cls] = (config, limits)  # get_config() is cached: read it once
        return limits


#: class -> (the Config last read, its limits)
_from_config: dict[type, tuple[Any, TemplateLimits]] = {}


class Budget:
    """What is left of the limits during one render (see the module docstring)."""

    def __init__(self, limits: TemplateLimits, template: str = "<template>") -> None:
        self.limits = limits
        self.template = template
        self.steps = 0
        #: characters of the final output so far
        self.output = 0
        #: characters printed by ``{{ }}`` anywhere (macros and set blocks too)
        self.printed = 0
        #: sizes of the containers measured during this render (see :func:`size`)
        self.sizes: dict[int, tuple[Any, int]] = {}
        self.deadline = clock() + limits.max_seconds

    def fail(self, limit: str, allowed: float, what: str) -> TemplateLimitError:
        """The error for going over ``limit`` (``what`` says what the template did)."""
        shown = f"{allowed:g}" if isinstance(allowed, float) else str(allowed)
        return TemplateLimitError(
            f"template {self.template}: {what}; the limit is {limit} = {shown} (raise it "
            "in the [templates] table of the configuration if the template really needs "
            "more)",
            template=self.template, limit=limit, allowed=allowed,
        )

    def step(self, count: int = 1) -> None:
        """Charge ``count`` steps and look at the clock."""
        self.steps += count
        if self.steps > self.limits.max_steps:
            raise self.fail(STEPS_KEY, self.limits.max_steps,
                            f"made more than {self.limits.max_steps} loop iterations and calls")
        if clock() > self.deadline:
            raise self.fail(SECONDS_KEY, self.limits.max_seconds,
                            f"ran longer than {self.limits.max_seconds:g} seconds")

    def wrote(self, chunk: str) -> None:
        """Charge ``chunk`` of output."""
        self.output += len(chunk)
        if self.output > self.limits.max_output:
            raise self.fail(OUTPUT_KEY, self.limits.max_output,
                            f"produced more than {self.limits.max_output} characters")

    def printing(self, value: Any) -> Any:
        """Charge a value printed by ``{{ }}`` (into the output, a macro or a set block)."""
        self.printed += size(value, self.limits.max_output, self.sizes)
        if self.printed > self.limits.max_output:
            raise self.fail(OUTPUT_KEY, self.limits.max_output,
                            f"printed more than {self.limits.max_output} characters "
                            "(counting what macros and set blocks print)")
        return value

    def too_big(self, what: str) -> TemplateLimitError:
        """The error for a value over ``max_output``."""
        return self.fail(OUTPUT_KEY, self.limits.max_output,
                         f"{what}: over {self.limits.max_output} characters or items")

    def check_size(self, value: Any, what: str = "built a value") -> Any:
        """Return ``value`` if its :func:`size` is within ``max_output``."""
        if size(value, self.limits.max_output, self.sizes) > self.limits.max_output:
            raise self.too_big(what)
        return value

    def check_count(self, count: int, what: str) -> None:
        """Refuse a value that would have ``count`` characters/items, before it is built."""
        if count > self.limits.max_output:
            raise self.too_big(what)


#: the budget of the render running in this thread / context
_current: ContextVar[Budget | None] = ContextVar("stalker_core_template_budget", default=None)


def current_budget() -> Budget:
    """The budget of the running render (a fresh default one outside a render)."""
    budget = _current.get()
    return budget if budget is not None else Budget(TemplateLimits())


def activate(budget: Budget) -> Any:
    """Make ``budget`` current; returns the token for :func:`deactivate`."""
    return _current.set(budget)


def deactivate(token: Any) -> None:
    """Restore the budget that was current before :func:`activate`."""
    _current.reset(token)


def size(value: Any, limit: int, memo: dict[int, tuple[Any, int]] | None = None) -> int:
    """How big ``value`` is when printed, counted up to just over ``limit``.

    Strings count their characters, integers their decimal digits, lists,
    tuples, sets and dicts their items plus the size of each (so a list
    holding another one twice, twenty times over, counts in full). Anything
    else counts as :data:`OTHER_SIZE` (about what it prints as). Stops
    counting once past ``limit``.

    :param memo: sizes of containers already measured in this render
        (``id -> (container, size)``; the container is kept so its id is not
        reused), so building ``[x, x]`` from a measured ``x`` costs two lookups.
    """
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return max(1, int(abs(value).bit_length() / BITS_PER_DIGIT))
    if isinstance(value, Mapping):
        items: Iterable[Any] = (*value.keys(), *value.values())
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return OTHER_SIZE
    if memo is not None:
        known = memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
    total = len(value) + 1
    try:
        for item in items:
            if total > limit:
                break
            total += size(item, limit, memo)
    except RecursionError:  # nested deeper than Python can walk: too big to print anyway
        total = limit + 1
    if memo is not None:
        memo[id(value)] = (value, total)
    return total


def bounded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """Iterate ``iterable`` charging one step per item to the current budget."""
    budget = current_budget()
    for item in iterable:
        budget.step()
        yield item
