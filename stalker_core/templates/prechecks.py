"""Checks made *before* a template builds a value, so a huge one is never allocated.

Some operations make a result far larger than their operands: repetition
(``'a' * 10**9``), powers, padding (``center``, ``zfill``), ``replace``,
``join``, ``indent``, ``expandtabs``, ``translate``, ``wordwrap`` and string
formatting (a width of ``999999999``, or one big value used in many fields).
Each function here estimates the size of the result from the operands and
raises :class:`~stalker_core.exceptions.TemplateLimitError` through the
:class:`~stalker_core.templates.limits.Budget` when the estimate is over
``templates.max_output``. The sandbox calls them for operators, filters and
the methods of strings (:mod:`stalker_core.templates.sandbox`).
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from stalker_core.templates.limits import BITS_PER_DIGIT, Budget, size

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")


def _over(digits: str, limit: int) -> bool:
    """True when the decimal ``digits`` say more than ``limit`` (without parsing huge ones)."""
    return len(digits) > len(str(limit)) or int(digits) > limit


def _items(values: Any) -> tuple[Any, ...]:
    """The values formatting takes from ``values`` (a tuple, a mapping or one value)."""
    if isinstance(values, Mapping):
        return tuple(values.values())
    if isinstance(values, tuple | list):
        return tuple(values)
    return (values,)


def _ints(values: Any) -> Iterator[int]:
    for item in _items(values):
        if isinstance(item, int) and not isinstance(item, bool):
            yield abs(item)


def _largest(budget: Budget, values: Sequence[Any]) -> int:
    limit = budget.limits.max_output
    return max((size(v, limit, budget.sizes) for v in values), default=0)


def check_percent_format(budget: Budget, fmt: str, args: Any) -> None:
    """Refuse ``fmt % args`` when it would build a string over the limit."""
    limit = budget.limits.max_output
    specs = _PERCENT_SPEC.findall(fmt)
    for width, precision in specs:
        for number in (width, precision):
            if number == "*":
                if any(n > limit for n in _ints(args)):
                    raise budget.too_big("formats with a '*' width over the limit")
            elif number and _over(number, limit):
                raise budget.too_big(f"formats with a width of {number}")
    if specs:
        budget.check_count(len(fmt) + len(specs) * _largest(budget, _items(args)),
                           f"formats {len(specs)} fields")


def check_brace_format(budget: Budget, fmt: str, args: Sequence[Any],
                       kwargs: Mapping[str, Any]) -> None:
    """Refuse ``fmt.format(*args, **kwargs)`` when it would build a string over the limit."""
    limit = budget.limits.max_output
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format reports the syntax error itself
    values = (*args, *kwargs.values())
    fields = 0
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        fields += 1
        if not spec:
            continue
        if any(_over(d, limit) for d in _DIGITS.findall(spec)):
            raise budget.too_big(f"formats with the spec {spec!r}")
        if "{" in spec and any(n > limit for n in _ints(values)):
            raise budget.too_big(f"formats with a nested width over the limit ({spec!r})")
    if fields:
        budget.check_count(len(fmt) + fields * _largest(budget, values),
                           f"formats {fields} fields")


def check_binop(budget: Budget, operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` when the result would be over the limit."""
    limit = budget.limits.max_output
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple | bytes) and isinstance(times, int):
                budget.check_count(size(seq, limit, budget.sizes) * max(times, 0),
                                   f"repeats a value {times} times")
                return
        if isinstance(left, int) and isinstance(right, int):
            digits = (abs(left).bit_length() + abs(right).bit_length()) / BITS_PER_DIGIT
            budget.check_count(int(digits), "multiplies numbers into a huge one")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if right * math.log10(abs(left)) > limit:
                raise budget.too_big(f"raises {left} to the power {right}")
    elif operator == "+":
        if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            budget.check_count(len(left) + len(right), "joins two values into a huge one")
    elif operator == "%" and isinstance(left, str):
        check_percent_format(budget, left, right)


def _arg(args: Sequence[Any], kwargs: Mapping[str, Any], index: int, name: str,
         default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _estimate(name: str, value: Any, args: Sequence[Any], kwargs: Mapping[str, Any],
              limit: int) -> int | None:
    """The size of ``value.<name>(*args)`` / ``value|<name>(*args)``, when it can grow."""
    if name == "join":
        sep = _arg(args, kwargs, 0, "d", "")
        if isinstance(sep, str) and isinstance(value, list | tuple | str):
            return len(sep) * len(value) + size(value, limit)
        return None
    if not isinstance(value, str):
        return None
    n = len(value)
    if name in ("center", "ljust", "rjust", "zfill"):
        width = _arg(args, kwargs, 0, "width", 0)
        return max(n, width) if isinstance(width, int) else None
    if name == "replace":
        old, new = _arg(args, kwargs, 0, "old", None), _arg(args, kwargs, 1, "new", None)
        if isinstance(old, str) and isinstance(new, str):
            count = value.count(old) if old else n + 1
            return n + count * max(0, len(new) - len(old))
        return None
    if name == "expandtabs":
        tab = _arg(args, kwargs, 0, "tabsize", 8)
        return n + value.count("\t") * max(tab, 0) if isinstance(tab, int) else None
    if name == "indent":
        width = _arg(args, kwargs, 0, "width", 4)
        w = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        return n + (value.count("\n") + 1) * max(w, 0)
    if name == "wordwrap":
        width, wrap = _arg(args, kwargs, 0, "width", 79), _arg(args, kwargs, 2, "wrapstring", "")
        if isinstance(width, int) and width > 0:
            return n + (n // width + 1) * max(len(wrap) if isinstance(wrap, str) else 0, 2)
        return None
    if name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        return n * max(longest, 1)
    return None


def check_growth(budget: Budget, name: str, value: Any, args: Sequence[Any],
                 kwargs: Mapping[str, Any]) -> None:
    """Refuse the filter or string method ``name`` when its result would be over the limit.

    :param value: the filtered value, or the string whose method is called
        (for ``str.join``, pass the items as ``value`` and the string as the
        first argument).
    """
    limit = budget.limits.max_output
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > limit:
            raise budget.too_big(f"calls {name!r} with {arg}")
    estimate = _estimate(name, value, args, kwargs, limit)
    if estimate is not None:
        budget.check_count(estimate, f"calls {name!r}, which would build {estimate} characters")
