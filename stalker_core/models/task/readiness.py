"""May a task start? Its dependencies, and those of its parents (a parent's hold its children).

* :func:`satisfied` - does a dependency in a status allow work (``onend``:
  it is done; ``onstart``: it has started)?
* :func:`chain_dependencies` - the dependencies of a task and of its parents
  with the status of what they wait for: read as rows in one statement when
  the stored rows are the objects in memory, else from the loaded objects;
* :func:`deps_satisfied`, :func:`initial_code` - WFD when one is not
  satisfied yet, else RTS;
* :func:`leaves` - the leaves below a task (what a container's dependency holds).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from stalker_core.exceptions import StatusError
from stalker_core.models.base import mapped_class
from stalker_core.models.task.ancestry import load_ancestors, stored_dependencies, stored_is_current
from stalker_core.models.task.held import held
from stalker_core.models.task.status_lookup import (
    DONE,
    NOT_STARTED,
    code_for_id,
    code_of,
    session_of,
)

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task


def satisfied(code: str | None, target: str) -> bool:
    """Does a dependency in status ``code`` allow its dependent to work?

    ``onend``: the dependency is CMPL or STOP. ``onstart``: it has started.
    """
    if code is None:
        return False
    if target == "onstart":
        return code not in NOT_STARTED
    return code in DONE


def chain_dependencies(
    task: Task, without: Collection[Any] = ()
) -> list[tuple[Any, str, str | None]]:
    """``(depends_on, target, code)`` of each dependency of ``task`` and of its ancestors.

    ``depends_on`` is the Task waited for when it is in the session, else its
    id (see :func:`dependency_task`); ``code`` its status code (in-memory
    state first). Dependencies in ``without`` (being removed) and those
    deleted in the task's session do not count.

    When the stored rows equal the objects in memory
    (:func:`~stalker_core.models.task.ancestry.stored_is_current`), one
    statement reads them and nothing is loaded; otherwise the parents and
    their dependency collections are loaded and read.
    """
    session = object_session(task)
    found: list[tuple[Any, str, str | None]] = []
    if session is not None and not without and stored_is_current(session, task):
        task_cls = mapped_class("Task")
        for dep_id, target, status_id in stored_dependencies(session, task):
            obj = session.identity_map.get(identity_key(task_cls, dep_id))
            if obj is not None:
                found.append((obj, target or "onend", code_of(obj)))
            else:
                found.append((dep_id, target or "onend", code_for_id(session, status_id)))
        return found
    gone = deleted_in(session)
    for node in [task, *load_ancestors(task, dependencies=True)]:
        found.extend(own_dependencies(node, gone, without))
    return found


def own_dependencies(
    node: Task, gone: Collection[Any] = (), without: Collection[Any] = ()
) -> Iterator[tuple[Task, str, str | None]]:
    """``(depends_on, target, code)`` of the dependency rows ``node`` holds in memory,
    except those in ``gone`` (deleted) or ``without`` (being removed)."""
    for td in held(node, "task_depends_on"):
        if td in gone or any(td is w for w in without):
            continue
        dep = td.depends_on
        if dep is not None:
            yield dep, td.dependency_target or "onend", code_of(dep)


def dependency_task(task: Task, depends_on: Any) -> Task:
    """The Task of a :func:`chain_dependencies` entry (loaded when it is an id)."""
    if not isinstance(depends_on, int):
        return depends_on  # type: ignore[no-any-return]
    session = session_of(task)
    with session.no_autoflush:
        found = session.get(mapped_class("Task"), depends_on)
    if found is None:
        raise StatusError(
            f"task {task.name!r} depends on the task with id {depends_on}, which is gone "
            "(deleted by another session?); reload the task"
        )
    return found  # type: ignore[no-any-return]


def deps_satisfied(task: Task, without: Collection[Any] = ()) -> bool:
    """Are the dependencies of ``task`` and of all its ancestors satisfied?

    A dependency without a status yet (a new task) has not started, so it
    satisfies nothing. Dependencies in ``without`` (being removed) and those
    deleted in the task's session do not count (see :func:`chain_dependencies`).
    """
    return all(satisfied(code, target) for _dep, target, code in chain_dependencies(task, without))


def initial_code(task: Task, without: Collection[Any] = ()) -> str:
    """WFD when a dependency is not satisfied yet, else RTS (see :func:`deps_satisfied`)."""
    return "RTS" if deps_satisfied(task, without) else "WFD"


def leaves(task: Task) -> Iterator[Task]:
    """``task`` itself when a leaf, else the leaves below it."""
    stack = [task]
    while stack:
        node = stack.pop()
        if node.child_count:
            stack.extend(node.children)
        else:
            yield node


def deleted_in(session: Session | None) -> Any:
    """The objects deleted in ``session`` (nothing without a session)."""
    return session.deleted if session is not None else ()
