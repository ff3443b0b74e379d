"""BlenderHost.run_in_main_thread with real bpy (the ``ui`` capability).

``bpy`` as a Python module has no event loop, so Blender never calls its
timers here: the tests that need the timer call :func:`mainthread.pump`, the
very function registered as the timer, from the main thread, the way
Blender's event loop does; without it a call from another thread times out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

import stalker_blender  # noqa: E402
from stalker_blender import mainthread  # noqa: E402
from stalker_blender.adapter import BlenderHost  # noqa: E402

from stalker_core.exceptions import HostError, ValidationError  # noqa: E402

pytestmark = pytest.mark.blender


def in_worker(call: Callable[[], Any], *, pump: bool) -> dict[str, Any]:
    """Run ``call`` in a worker thread; pump the queue meanwhile when asked; return its outcome."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 20
    while worker.is_alive() and time.monotonic() < deadline:
        if pump:
            mainthread.pump()
        time.sleep(0.005)
    worker.join(timeout=1)
    assert not worker.is_alive()
    return outcome


def test_on_the_main_thread_the_call_is_direct(host: BlenderHost) -> None:
    assert host.run_in_main_thread(host.get_frame_range) == (1, 250)
    assert host.run_in_main_thread(dict, func=1, args=2) == {"func": 1, "args": 2}
    with pytest.raises(ZeroDivisionError):
        host.run_in_main_thread(lambda: 1 / 0)
    with pytest.raises(ValidationError, match="needs a callable"):
        host.run_in_main_thread(42)  # type: ignore[arg-type]


def test_a_call_from_another_thread_runs_on_the_main_thread(host: BlenderHost) -> None:
    assert bpy.app.timers.is_registered(mainthread.pump)
    seen: list[threading.Thread] = []

    def edit(first: int, *, last: int) -> tuple[int, int]:
        seen.append(threading.current_thread())
        host.set_frame_range(first, last)
        return host.get_frame_range()

    outcome = in_worker(lambda: host.run_in_main_thread(edit, 1001, last=1048), pump=True)
    assert outcome == {"value": (1001, 1048)}
    assert seen == [threading.main_thread()]
    assert bpy.context.scene.frame_start == 1001


def test_an_error_of_the_call_is_raised_in_the_calling_thread(host: BlenderHost) -> None:
    def fail() -> None:
        raise KeyError("no such scene")

    outcome = in_worker(lambda: host.run_in_main_thread(fail), pump=True)
    assert isinstance(outcome["error"], KeyError)


def test_without_an_event_loop_a_call_from_another_thread_times_out(fresh_blender: Any) -> None:
    host = BlenderHost(main_thread_timeout=0.2)
    ran: list[bool] = []
    outcome = in_worker(lambda: host.run_in_main_thread(ran.append, True), pump=False)
    error = outcome["error"]
    assert isinstance(error, HostError)
    assert "within 0.2 s" in str(error) and "event loop is not running" in str(error)
    mainthread.pump()  # a late timer does not run the withdrawn call
    assert ran == []


def test_the_timeout_must_be_positive(fresh_blender: Any) -> None:
    for bad in (0, -1, True, "5"):
        with pytest.raises(ValidationError, match="main_thread_timeout"):
            BlenderHost(main_thread_timeout=bad)  # type: ignore[arg-type]


def test_the_timer_follows_the_add_on_and_the_host(fresh_blender: Any) -> None:
    stalker_blender.register()
    assert bpy.app.timers.is_registered(mainthread.pump)
    stalker_blender.unregister()
    assert not bpy.app.timers.is_registered(mainthread.pump)
    BlenderHost()
    assert bpy.app.timers.is_registered(mainthread.pump)
