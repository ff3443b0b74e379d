"""The flush step of task statuses, and what a transaction's end forgets.

:func:`settle_statuses` is the ``task_statuses`` step of the flush pipeline
(:mod:`stalker_core.models.flush`): new tasks get their first status, the
containers queued by :func:`~stalker_core.models.task.status.parent_changed`
are re-derived, deleted tasks and dependency rows leave their parents and
dependents. The rules themselves are in :mod:`~stalker_core.models.task.status`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from stalker_core.models.base import mapped_class
from stalker_core.models.task import status as task_status
from stalker_core.models.task.ancestry import MAX_DEPTH, forget_moves
from stalker_core.models.task.rollup import forget_calendar
from stalker_core.models.task.status_lookup import code_of, forget_statuses, status_for

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task


def _depth(task: Task) -> int:
    d, node = 0, task.parent
    while node is not None and d < MAX_DEPTH:
        d, node = d + 1, node.parent
    return d


def settle_statuses(session: Session) -> None:
    """Flush step: first statuses of new tasks, then queued container roll-ups.

    New leaves get RTS or WFD (:func:`~stalker_core.models.task.status.initial_code`);
    containers whose children changed (queued by
    :func:`~stalker_core.models.task.status.queue_refresh` /
    :func:`~stalker_core.models.task.status.parent_changed`, new ones, parents
    of deleted tasks) are re-derived deepest first, and their dependents react
    to a changed container status.
    """
    task_cls = mapped_class("Task")
    new_tasks = [o for o in session.new if isinstance(o, task_cls)]
    queue = task_status.queued_containers(session)
    _deleted_tasks(session, queue)
    _deleted_dependencies(session)
    if not new_tasks and not queue:
        return
    with task_status.deferred(session), session.no_autoflush:
        for t in new_tasks:
            if not t.child_count and t.status_id is None and t.__dict__.get("status") is None:
                t.status = status_for(session, t, task_status.initial_code(t))
            if t.child_count:
                queue.add(t)
            if t.parent is not None:
                queue.add(t.parent)
        while queue:
            todo = sorted(queue, key=_depth, reverse=True)
            queue.clear()
            for c in todo:
                old = code_of(c)
                task_status.refresh_container(c)
                new = code_of(c)
                if old is not None and new is not None and new != old:
                    with task_status.deferred(session, on=False):
                        task_status.dependents_react(c, old, new)


def _deleted_dependencies(session: Session) -> None:
    """A deleted dependency row (``session.delete(td)``) leaves both tasks' lists in memory
    (the session keeps loaded lists after commit), which frees the leaves that waited."""
    dep_cls = mapped_class("TaskDependency")
    gone = session.deleted
    with session.no_autoflush:
        for td in [o for o in gone if isinstance(o, dep_cls)]:
            dep, task = td.depends_on, td.task
            if dep is not None and dep not in gone and any(
                    x is td for x in dep.task_dependent_of):
                dep.task_dependent_of.remove(td)
            if task is None or task in gone:
                continue
            if any(x is td for x in task.task_depends_on):
                task.task_depends_on.remove(td)  # its remove event moves the statuses
            else:
                task_status.dependencies_changed(task)


def _deleted_tasks(session: Session, queue: set[Task]) -> None:
    """Deleted tasks leave their (surviving) parents' roll-ups and statuses."""
    gone = [o for o in session.deleted if isinstance(o, mapped_class("Task"))]
    if not gone:
        return
    with session.no_autoflush:
        for t in gone:
            parent = t.parent
            if parent is not None and parent not in session.deleted:
                t.parent = None  # the validator moves the roll-ups off the parent
                queue.add(parent)


def after_rollback(session: Session) -> None:
    """The transaction rolled back: forget the status catalog, the queued containers,
    the calendar and the moves."""
    forget_statuses(session)
    task_status.forget_queue(session)
    forget_calendar(session)
    forget_moves(session)


def after_commit(session: Session) -> None:
    """The transaction committed: forget the status catalog and the calendar (another
    transaction may change them before this session's next one)."""
    forget_statuses(session)
    forget_calendar(session)
