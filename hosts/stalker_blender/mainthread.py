"""Run callables on Blender's main thread: the UI capability of the Blender host.

Blender's data and operators may only be touched from its main thread.
:func:`run_in_main_thread` calls the function directly when it is already on
the main thread. From any other thread it puts the call on a queue and waits:
the queue is emptied on the main thread by :func:`pump`, a persistent
``bpy.app.timers`` timer (the pattern Blender's documentation gives for
threads), installed from the main thread by :func:`install_pump` (every
:class:`~stalker_blender.adapter.BlenderHost` and the add-on's ``register`` do).

Blender runs timers only from its event loop: in the Blender application,
with or without its UI, while the loop is idle. As a Python module
(``import bpy``) or while the main thread is busy (for instance blocked
waiting for the very thread that asks), no timer runs; the waiting thread
then gives up after the timeout with a :class:`~stalker_core.exceptions.HostError`
that says so, instead of hanging. The call is withdrawn from the queue, so it
never runs later by surprise.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import bpy

from stalker_core.exceptions import HostError, ValidationError

T = TypeVar("T")

#: seconds a call from another thread waits for Blender to run it, by default
DEFAULT_TIMEOUT = 30.0
#: seconds between two looks of :func:`pump` at the queue
PUMP_INTERVAL = 0.05

_Call = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]
_calls: queue.SimpleQueue[_Call] = queue.SimpleQueue()


def on_main_thread() -> bool:
    """Whether the calling thread is the main thread (the one Blender runs Python on)."""
    return threading.current_thread() is threading.main_thread()


def pump() -> float:
    """Run every queued call on this (the main) thread; the timer callback.

    Calls whose caller gave up waiting are skipped. The outcome (result or
    exception) goes back to the waiting thread.

    :returns: the seconds until Blender should call it again.
    """
    while True:
        try:
            future, func, args, kwargs = _calls.get_nowait()
        except queue.Empty:
            return PUMP_INTERVAL
        if not future.set_running_or_notify_cancel():
            continue  # the caller timed out and withdrew it
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, who re-raises it
            future.set_exception(exc)
        else:
            future.set_result(result)


def install_pump() -> bool:
    """Register :func:`pump` as a persistent Blender timer (main thread only, once).

    :returns: whether the pump is registered afterwards (``False`` when called
        from another thread, where Blender's timers must not be touched).
    """
    if not on_main_thread():
        return bool(bpy.app.timers.is_registered(pump))
    if not bpy.app.timers.is_registered(pump):
        bpy.app.timers.register(pump, first_interval=0.0, persistent=True)
    return True


def remove_pump() -> None:
    """Unregister the :func:`pump` timer (main thread; no error when it is not registered)."""
    if bpy.app.timers.is_registered(pump):
        bpy.app.timers.unregister(pump)


def run_in_main_thread(
    func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], timeout: float
) -> T:
    """Return ``func(*args, **kwargs)`` computed on the main thread.

    :param timeout: the seconds to wait, from another thread, for Blender to
        start the call; once started, the call is waited for until it ends.
    :raises HostError: no Blender timer ran the call within ``timeout``.
    :raises ValidationError: ``func`` is not callable.
    :raises Exception: whatever ``func`` raised, re-raised in the calling thread.
    """
    if not callable(func):
        raise ValidationError(f"run_in_main_thread needs a callable, not {func!r}")
    if on_main_thread():
        return func(*args, **kwargs)
    future: Future[T] = Future()
    _calls.put((future, func, args, kwargs))
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        if future.cancel():
            name = getattr(func, "__qualname__", repr(func))
            raise HostError(
                f"Blender did not run {name} on its main thread within {timeout:g} s: "
                f"its event loop is not running (Blender as a Python module, or a busy "
                f"main thread); call it from the main thread instead"
            ) from None
    return future.result()  # started meanwhile: wait for it to end
