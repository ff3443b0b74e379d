"""FAKE ``maya.utils``: deferred calls, calls from other threads, ``processIdleEvents``.

Not Maya. Maya runs deferred callables, and calls other threads hand to its
main thread, from its idle queue; ``processIdleEvents`` runs that queue. The
fake has no event loop, so nothing queued runs until a test calls
:func:`processIdleEvents` on the main thread (as the Maya host's contract test
does in ``process_events``).

* :func:`executeInMainThreadWithResult` on the main thread calls at once (as
  Maya does); from another thread it queues the call and waits for
  :func:`processIdleEvents`. Maya would wait forever; the FAKE gives up after
  :data:`WAIT_LIMIT` seconds with an error saying so, so a test that forgets to
  process the queue fails instead of hanging. An exception of the callable is
  raised again in the waiting thread.
* :func:`executeDeferred` queues the call (a MEL/Python string is not modelled).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stalker_core.mainthread import MainThreadQueue

#: FAKE ONLY: seconds a thread waits for :func:`processIdleEvents` (Maya: forever)
WAIT_LIMIT = 30.0

#: FAKE ONLY: calls waiting for the main thread (``executeInMainThreadWithResult``)
_calls = MainThreadQueue("the FAKE Maya")
#: FAKE ONLY: deferred callables, in order
_deferred: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []


def executeDeferred(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue ``fn(*args, **kwargs)`` to run when the (fake) Maya is idle."""
    if not callable(fn):
        raise TypeError("executeDeferred: the fake models only a callable argument")
    _deferred.append((fn, args, kwargs))


def executeInMainThreadWithResult(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Return ``fn(*args, **kwargs)`` computed on the main thread (see the module docstring)."""
    if not callable(fn):
        raise TypeError("executeInMainThreadWithResult: the fake models only a callable")
    return _calls.call(fn, args, kwargs, timeout=WAIT_LIMIT)


def processIdleEvents() -> None:
    """Run what waits for the idle queue: calls from other threads, then deferred ones."""
    _calls.pump()
    queued = list(_deferred)
    _deferred.clear()
    for fn, args, kwargs in queued:
        fn(*args, **kwargs)
