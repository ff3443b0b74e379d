"""Calls handed to a host's main thread: the queue behind ``run_in_main_thread``.

A DCC lets only its main thread touch the scene. A host whose application
offers no "run this on the main thread" call of its own keeps a
:class:`MainThreadQueue`: ``run_in_main_thread`` calls the function directly
on the main thread; from any other thread it queues the call and waits,
while the application's event loop (a timer, an idle callback) empties the
queue on the main thread with :meth:`MainThreadQueue.pump`.

When no loop runs (a DCC used as a Python module, or a main thread blocked
waiting for the very thread that asks), the waiting thread gives up after
its timeout with a :class:`~stalker_core.exceptions.HostError` that says so,
instead of hanging; the call is withdrawn, so it never runs later by surprise.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from stalker_core.exceptions import HostError, ValidationError

T = TypeVar("T")

_Call = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def on_main_thread() -> bool:
    """Whether the calling thread is the process's main thread."""
    return threading.current_thread() is threading.main_thread()


class MainThreadQueue:
    """Calls waiting for a host's main thread (see the module docstring).

    :param host: how errors name the application (``"Blender"``).
    """

    def __init__(self, host: str) -> None:
        self.host = host
        self._calls: queue.SimpleQueue[_Call] = queue.SimpleQueue()

    def __repr__(self) -> str:
        return f"<MainThreadQueue of {self.host} ({self._calls.qsize()} waiting)>"

    def pump(self) -> int:
        """Run every queued call on this (the main) thread; return how many ran.

        Calls whose caller gave up waiting are skipped. The outcome (result or
        exception) goes back to the waiting thread.
        """
        ran = 0
        while True:
            try:
                future, func, args, kwargs = self._calls.get_nowait()
            except queue.Empty:
                return ran
            if not future.set_running_or_notify_cancel():
                continue  # the caller timed out and withdrew it
            ran += 1
            try:
                result = func(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who re-raises it
                future.set_exception(exc)
            else:
                future.set_result(result)

    def call(
        self,
        func: Callable[..., T],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        timeout: float,
    ) -> T:
        """Return ``func(*args, **kwargs)`` computed on the main thread.

        :param timeout: the seconds to wait, from another thread, for the main
            thread to start the call; once started, it is waited for until it ends.
        :raises HostError: the main thread did not start the call within ``timeout``.
        :raises ValidationError: ``func`` is not callable.
        :raises Exception: whatever ``func`` raised, re-raised in the calling thread.
        """
        if not callable(func):
            raise ValidationError(f"run_in_main_thread needs a callable, not {func!r}")
        kwargs = {} if kwargs is None else kwargs
        if on_main_thread():
            return func(*args, **kwargs)
        future: Future[T] = Future()
        self._calls.put((future, func, args, kwargs))
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            if future.cancel():
                name = getattr(func, "__qualname__", repr(func))
                raise HostError(
                    f"{self.host} did not run {name} on its main thread within {timeout:g} s: "
                    "its event loop is not running (the application used as a Python "
                    "module, or a busy main thread); call it from the main thread instead"
                ) from None
        return future.result()  # started meanwhile: wait for it to end


def outcome_of(func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Future[T]:
    """Call ``func(*args, **kwargs)`` now; return a finished Future holding its outcome.

    For a DCC's own "run on the main thread and wait" call (Maya's and Nuke's
    ``executeInMainThreadWithResult``) that returns the callable's result
    but may lose an exception on the way: hand it ``outcome_of`` instead of
    ``func`` and call ``.result()`` on what comes back, which returns the
    result or raises the exception in the calling thread.
    """
    future: Future[T] = Future()
    future.set_running_or_notify_cancel()
    try:
        future.set_result(func(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - carried to the caller, who re-raises it
        future.set_exception(exc)
    return future
