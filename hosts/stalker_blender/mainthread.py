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

from collections.abc import Callable
from typing import Any, TypeVar

import bpy

from stalker_core.mainthread import MainThreadQueue, on_main_thread

T = TypeVar("T")

#: seconds a call from another thread waits for Blender to run it, by default
DEFAULT_TIMEOUT = 30.0
#: seconds between two looks of :func:`pump` at the queue
PUMP_INTERVAL = 0.05

#: the calls waiting for Blender's main thread
_queue = MainThreadQueue("Blender")

__all__ = [
    "DEFAULT_TIMEOUT",
    "PUMP_INTERVAL",
    "install_pump",
    "on_main_thread",
    "pump",
    "remove_pump",
    "run_in_main_thread",
]


def pump() -> float:
    """Run every queued call on this (the main) thread; the timer callback.

    :returns: the seconds until Blender should call it again.
    """
    _queue.pump()
    return PUMP_INTERVAL


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
    """Return ``func(*args, **kwargs)`` computed on Blender's main thread.

    See :meth:`stalker_core.mainthread.MainThreadQueue.call`.
    """
    return _queue.call(func, args, kwargs, timeout=timeout)
