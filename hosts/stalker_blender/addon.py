"""Register and unregister the add-on's classes (called by the package's ``register``)."""

from __future__ import annotations

import bpy

from . import mainthread, operators, panel
from .runtime import runtime
from .tracking import get_tracker

#: everything the add-on registers, in order (operators before the panel using them)
CLASSES: tuple[type, ...] = operators.CLASSES + panel.CLASSES


def is_registered() -> bool:
    """Whether the add-on's classes are registered."""
    return all(getattr(cls, "is_registered", False) for cls in CLASSES)


def register() -> None:
    """Register the operators and the panel; install the change tracker's handlers.

    Also installs the timer that runs other threads' calls on the main thread
    (:mod:`.mainthread`).
    """
    # handlers must run from the first load on; a load makes the panel re-fetch
    get_tracker().on_load(runtime.forget_scene)
    mainthread.install_pump()
    for cls in CLASSES:
        if not getattr(cls, "is_registered", False):
            bpy.utils.register_class(cls)


def unregister() -> None:
    """Unregister in reverse order, remove the tracker's handlers and timer, forget state.

    A :class:`~stalker_blender.adapter.BlenderHost` created later installs the
    handlers and the timer again (the host works without the add-on's UI).
    """
    for cls in reversed(CLASSES):
        if getattr(cls, "is_registered", False):
            bpy.utils.unregister_class(cls)
    tracker = get_tracker()
    tracker.remove_on_load(runtime.forget_scene)
    tracker.uninstall()
    mainthread.remove_pump()
    runtime.last_results = []
    runtime.invalidate()
