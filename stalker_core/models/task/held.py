"""Reading a task's collection without making an empty one (:func:`held`).

Its own module so that the task modules that need it (graph, status) import
it without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm.attributes import instance_state

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task


def held(task: Task, key: str) -> Any:
    """The collection ``key`` of ``task`` (e.g. ``"task_depends_on"``), read only.

    A new task (never flushed) holds in a collection only what was put in it,
    and that is in its ``__dict__``: a collection missing there is empty, and
    reading it through the attribute would make (and later flush) an empty
    list for nothing. A stored task's collection is loaded as usual.
    """
    found = task.__dict__.get(key)
    if found is not None:
        return found
    if instance_state(task).key is None:
        return ()
    return getattr(task, key)
