"""Fast task look-ups for task lists (a user's tasks by status, ...).

The queries join the link tables directly and filter by primary keys taken
from the identity of the given objects, so they neither reload an expired
user nor build correlated sub-queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from stalker_core.exceptions import type_error
from stalker_core.models.task.status import get_status

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User


def _pk(obj: Any) -> Any:
    state = sa_inspect(obj)
    if state.key is not None:
        return state.key[1][0]
    return obj.id


def tasks_of_user(
    session: Session | scoped_session,
    user: User,
    statuses: Iterable[str] = ("WIP",),
    *,
    project: Any = None,
) -> list[Task]:
    """The tasks ``user`` is a resource of, in one of the status ``statuses``.

    :param statuses: status codes, e.g. ``("WIP", "HREV")``.
    :param project: only this project's tasks, when given.
    """
    from stalker_core.models.task.model import Task, task_resources
    from stalker_core.models.user import User

    if not isinstance(user, User):
        raise type_error("tasks_of_user", "user", "a User", user)
    real = session() if callable(session) and not isinstance(session, Session) else session
    status_ids = [_pk(get_status(real, code)) for code in statuses]
    stmt = (
        select(Task)
        .join(task_resources, task_resources.c.task_id == Task.id)
        .where(task_resources.c.user_id == _pk(user), Task.status_id.in_(status_ids))
        .order_by(Task.id)
    )
    if project is not None:
        stmt = stmt.where(Task.project_id == _pk(project))
    return list(real.scalars(stmt).all())


def project_task_paths(session: Any, project_ids: Iterable[int]) -> dict[int, str]:
    """Task id -> ``Parent/Child/task`` for every task of the projects, in one query."""
    from stalker_core.models.task.model import Task

    names: dict[int, tuple[str, int | None]] = {
        tid: (name, parent) for tid, name, parent in session.execute(
            select(Task.id, Task.name, Task.parent_id)
            .where(Task.project_id.in_(sorted(set(project_ids)))))
    }
    paths: dict[int, str] = {}

    def path(tid: int) -> str:
        got = paths.get(tid)
        if got is None:
            name, parent = names[tid]
            got = paths[tid] = name if parent is None or parent not in names else (
                f"{path(parent)}/{name}")
        return got

    for tid in names:
        path(tid)
    return paths


class TaskPaths:
    """``Parent/Child/task`` of task ids, read as (id, name, parent) rows, level by level.

    The same text as :func:`stalker_core.cli.lookup.task_path`, without loading
    a model object per task; a task that is not found has no path (``get``).
    """

    def __init__(self, session: Any) -> None:
        self._session = session
        self._rows: dict[int, tuple[str, int | None]] = {}
        self._paths: dict[int, str] = {}

    def __repr__(self) -> str:
        return f"<TaskPaths of {len(self._rows)} tasks>"

    def load(self, task_ids: set[int]) -> None:
        """Read the tasks of ``task_ids`` and their parents that are not read yet."""
        from stalker_core.models.task.model import Task

        tasks = Task.__table__
        missing = {t for t in task_ids if t not in self._rows}
        while missing:
            found = self._session.execute(
                select(tasks.c.id, Task.name, tasks.c.parent_id)
                .select_from(Task).where(tasks.c.id.in_(sorted(missing))))
            for tid, name, parent_id in found:
                self._rows[tid] = (name, parent_id)
            missing = {p for _, p in (self._rows[t] for t in missing if t in self._rows)
                       if p is not None and p not in self._rows}

    def __getitem__(self, task_id: int) -> str:
        path = self._paths.get(task_id)
        if path is None:
            name, parent_id = self._rows[task_id]
            path = f"{self[parent_id]}/{name}" if parent_id is not None else name
            self._paths[task_id] = path
        return path

    def get(self, task_id: int, default: str = "") -> str:
        """The path of ``task_id``, or ``default`` when it was not found."""
        return self[task_id] if task_id in self._rows else default
