"""Validators of shared attributes as attribute events (:func:`on_set`, :func:`on_append`).

SQLAlchemy allows one ``@validates`` per attribute in a class hierarchy, so
validators of attributes that subclasses share are attribute events instead:
subclasses owned by other modules stay free to add their own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event


def on_set(attr: Any, check: Any) -> None:
    """Run ``check(target, key, value) -> value`` whenever ``attr`` is set."""
    key = attr.key

    def _listener(target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
        return check(target, key, value)

    event.listen(attr, "set", _listener, retval=True, propagate=True)


def on_append(attr: Any, check: Any) -> None:
    """Run ``check(target, key, item) -> item`` whenever an item joins collection ``attr``."""
    key = attr.key

    def _listener(target: Any, value: Any, _initiator: Any) -> Any:
        return check(target, key, value)

    event.listen(attr, "append", _listener, retval=True, propagate=True)
