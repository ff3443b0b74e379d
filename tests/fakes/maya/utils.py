"""FAKE ``maya.utils`` - only ``executeDeferred`` and ``executeInMainThreadWithResult``. Not Maya.

Deferred callables are queued; :func:`_run_deferred` (fake-only) runs them, as
Maya does once it is idle after start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_deferred: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []


def executeDeferred(func: Callable[..., Any], *args: Any) -> None:
    """Queue ``func(*args)`` to run when the (fake) Maya is idle."""
    if not callable(func):
        raise TypeError("executeDeferred: the fake models only a callable argument")
    _deferred.append((func, args))


def executeInMainThreadWithResult(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` and return its result (the fake has only the main thread)."""
    return func(*args, **kwargs)


def _run_deferred() -> int:
    """FAKE ONLY: run and clear the queued callables; return how many ran."""
    queued = list(_deferred)
    _deferred.clear()
    for func, args in queued:
        func(*args)
    return len(queued)
