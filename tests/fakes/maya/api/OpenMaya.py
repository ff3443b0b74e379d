"""FAKE ``maya.api.OpenMaya`` - only the scene messages the Maya host registers. Not Maya.

``MSceneMessage.addCheckCallback(kBeforeSaveCheck, func)``: the fake
``file -save`` calls ``func(clientData)`` first and refuses to save when it
returns ``False`` (API 2.0 check callbacks return whether to go on).
``MSceneMessage.addCallback(kAfterOpen, func)``: the fake ``file -open``
calls ``func(clientData)`` after reading the file.
``MMessage.removeCallback(id)`` removes either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: FAKE ONLY: callback id -> (message, function, client data)
_callbacks: dict[int, tuple[int, Callable[..., Any], Any]] = {}
_next_id = [1]


class MMessage:
    """Base of the message classes: removing callbacks."""

    @staticmethod
    def removeCallback(id: int) -> None:  # noqa: A002 - the name in the stubs
        """Remove a registered callback (``RuntimeError`` for an unknown id)."""
        if _callbacks.pop(id, None) is None:
            raise RuntimeError(f"(kInvalidParameter): no callback with id {id}")


class MSceneMessage(MMessage):
    """Scene messages: only the two the Maya host uses are modelled."""

    kAfterOpen = 3
    kBeforeSaveCheck = 34

    @staticmethod
    def _add(message: int, func: Callable[..., Any], client_data: Any) -> int:
        if not callable(func):
            raise TypeError("the callback should be callable")
        callback_id = _next_id[0]
        _next_id[0] += 1
        _callbacks[callback_id] = (message, func, client_data)
        return callback_id

    @staticmethod
    def addCheckCallback(message: int, func: Callable[..., Any], clientData: Any = None) -> int:
        """Register a check callback (only ``kBeforeSaveCheck`` is modelled)."""
        if message != MSceneMessage.kBeforeSaveCheck:
            raise RuntimeError("the fake models only kBeforeSaveCheck check callbacks")
        return MSceneMessage._add(message, func, clientData)

    @staticmethod
    def addCallback(message: int, func: Callable[..., Any], clientData: Any = None) -> int:
        """Register a callback (only ``kAfterOpen`` is modelled)."""
        if message != MSceneMessage.kAfterOpen:
            raise RuntimeError("the fake models only kAfterOpen callbacks")
        return MSceneMessage._add(message, func, clientData)


def _fire(message: int) -> bool:
    """FAKE ONLY: call the callbacks of ``message``; ``False`` when a check said no."""
    go_on = True
    for kind, func, data in list(_callbacks.values()):
        if kind == message:
            result = func(data)
            if message == MSceneMessage.kBeforeSaveCheck and result is False:
                go_on = False
    return go_on
