"""Browsing the database for the panels: projects, and the task tree loaded level by level.

:class:`BrowseController` answers with plain data classes
(:class:`ProjectItem`, :class:`TaskNode`, :class:`MyTasks`), one SQL query
per answer: the children of one task (or the root tasks of a project) with
their status and whether they have children themselves, the tasks the
current user is a resource of together with their ancestors (the "My tasks"
filter), and the path from a project's root down to one task (to select the
task of the open scene). A view loads a level when the artist opens it, so a
project of many thousand tasks costs nothing until it is browsed.

The Work Files panel's controller derives from it; the Loader can too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, literal, select

from stalker_core.context import ContextError, current_user
from stalker_core.controllers.base import PanelController

if TYPE_CHECKING:
    import pluggy

    from stalker_core.hosts import Host
    from stalker_core.models.user import User

__all__ = [
    "BrowseController",
    "MyTasks",
    "ProjectItem",
    "TaskNotFoundError",
    "TaskNode",
    "UserItem",
]


class TaskNotFoundError(ContextError):
    """A task the panel shows no longer exists (someone deleted it meanwhile)."""

    def __init__(self, task_id: int, label: str | None = None) -> None:
        what = f"{label!r} (id {task_id})" if label else f"with id {task_id}"
        super().__init__(
            f"the task {what} no longer exists; someone deleted it while the panel was "
            f"open (the task list was reloaded)"
        )
        self.task_id = task_id


@dataclass(frozen=True)
class ProjectItem:
    """A project of the project list."""

    id: int
    name: str
    code: str

    @property
    def label(self) -> str:
        """``Demo Project (DEMO)``."""
        return f"{self.name} ({self.code})" if self.code and self.code != self.name else self.name


@dataclass(frozen=True)
class UserItem:
    """The user the panel works for."""

    id: int
    name: str
    login: str


@dataclass(frozen=True)
class TaskNode:
    """One task of the tree: what a row shows, and whether it can be opened."""

    id: int
    name: str
    #: the class of the task: ``Task``, ``Asset``, ``Shot``, ``Sequence``...
    entity_type: str
    parent_id: int | None
    has_children: bool
    #: the status code (``WIP``) and name (``Work In Progress``); ``None`` without status
    status_code: str | None
    status_name: str | None

    @property
    def status_text(self) -> str:
        """The status in words, never only a colour: ``WIP - Work In Progress``."""
        if not self.status_code:
            return "no status"
        if self.status_name and self.status_name != self.status_code:
            return f"{self.status_code} - {self.status_name}"
        return self.status_code


@dataclass(frozen=True)
class MyTasks:
    """The tasks of one user in one project, for the "My tasks" filter."""

    #: the tasks the user is a resource of
    mine: frozenset[int]
    #: those tasks and every ancestor of them (what the filtered tree shows)
    visible: frozenset[int]
    #: the visible tasks that have visible tasks under them
    parents: frozenset[int] = frozenset()


class BrowseController(PanelController):
    """Projects and the task tree, level by level (see the module docstring).

    :param user: the user the panel works for (a User or a login); default:
        the user whose login is the operating system's login name.
    """

    def __init__(
        self,
        host: Host | None = None,
        *,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
        user: User | str | None = None,
    ) -> None:
        super().__init__(host, session=session, plugin_manager=plugin_manager)
        self._user_spec = user
        self._user: UserItem | None = None
        self._user_known = False
        #: labels of the tasks handed out, to name a task that has since been deleted
        self._labels: dict[int, str] = {}
        self._status_names: dict[int, tuple[str, str]] = {}

    # -- transactions -----------------------------------------------------------

    def release(self) -> None:
        """End the session's read transaction, so the next call sees what others committed.

        A panel lives long: on SQLite an open transaction keeps reading an old
        snapshot, on PostgreSQL it idles in a transaction. Nothing happens
        while the session holds changes of its own.
        """
        s = self.session
        if not (s.new or s.dirty or s.deleted):
            self._rollback_quietly()  # a broken connection shows on the next call

    def read(self, label: str, func: Any, /, *args: Any, **kwargs: Any) -> Any:
        """:meth:`db_call` between two :meth:`release`: fresh data, no transaction left open."""
        self.release()
        try:
            return self.db_call(label, func, *args, **kwargs)
        finally:
            self.release()

    # -- user ---------------------------------------------------------------------

    @property
    def user(self) -> UserItem | None:
        """The user the panel works for, or ``None`` when no user has the OS login."""
        if not self._user_known:
            self._user = self.read("browse.user", self._load_user)
            self._user_known = True
        return self._user

    def _load_user(self) -> UserItem | None:
        try:
            found = current_user(self._user_spec, session=self.session)
        except ContextError:
            return None
        return None if found is None else UserItem(found.id, found.name, found.login)

    def user_record(self) -> Any:
        """The :class:`~stalker_core.models.user.User` row of :attr:`user` (``None``: none)."""
        from stalker_core.models.user import User

        item = self.user
        return None if item is None else self.session.get(User, item.id)

    # -- projects -------------------------------------------------------------------

    def projects(self) -> list[ProjectItem]:
        """Every project, by name."""
        return self.read("browse.projects", self._projects)  # type: ignore[no-any-return]

    def _projects(self) -> list[ProjectItem]:
        from stalker_core.models.project import Project

        projects = Project.__table__
        rows = self.session.execute(select(projects.c.id, projects.c.code)).all()
        names = self._names([pid for pid, _ in rows])
        items = [ProjectItem(pid, names.get(pid, ("", ""))[0], code or "") for pid, code in rows]
        return sorted(items, key=lambda p: (p.name, p.id))

    def _names(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        """``{id: (name, entity_type)}`` of the entities ``ids``.

        Read on their own: joined to a small table (tasks, projects), the
        entity table (which also holds every version) tends to be scanned
        whole by the planners (PostgreSQL merge-joins all its primary key,
        SQLite without statistics walks its name index).
        """
        from stalker_core.models.base import SimpleEntity

        if not ids:
            return {}
        entities = SimpleEntity.__table__
        return {
            eid: (name, kind) for eid, name, kind in self.session.execute(
                select(entities.c.id, entities.c.name, entities.c.entity_type)
                .where(entities.c.id.in_(ids))
            )
        }

    # -- tasks --------------------------------------------------------------------------

    def children(
        self, project_id: int, parent_id: int | None = None, *, only: MyTasks | None = None
    ) -> list[TaskNode]:
        """The tasks directly under ``parent_id`` (the root tasks when ``None``), by name.

        :param only: show only the tasks this filter keeps (the "My tasks"
            filter, :meth:`my_tasks`); ``None``: every task.
        """
        nodes: list[TaskNode] = self.read(
            "browse.children", self._children, project_id, parent_id, only
        )
        for node in nodes:
            parent = self._labels.get(node.parent_id) if node.parent_id is not None else None
            self._labels[node.id] = f"{parent}/{node.name}" if parent else node.name
        return nodes

    def _children(
        self, project_id: int, parent_id: int | None, only: MyTasks | None
    ) -> list[TaskNode]:
        from stalker_core.models.task.model import Task

        tasks = Task.__table__  # names read apart: see _names
        kids = tasks.alias("kids")
        stmt = select(
            tasks.c.id, tasks.c.parent_id, tasks.c.status_id,
            exists().where(kids.c.parent_id == tasks.c.id).label("has_children"),
        ).where(tasks.c.project_id == project_id)
        if parent_id is None:
            stmt = stmt.where(tasks.c.parent_id.is_(None))
        else:
            stmt = stmt.where(tasks.c.parent_id == parent_id)
        if only is not None:
            stmt = stmt.where(tasks.c.id.in_(sorted(only.visible)))
        rows = self.session.execute(stmt).all()
        if not rows:
            return []
        names = self._names([r[0] for r in rows])
        statuses = self._statuses({r[2] for r in rows if r[2] is not None})
        nodes = []
        for tid, parent, status_id, has_children in rows:
            if only is not None:
                # filtered, a task opens only when the filter keeps something below it
                has_children = tid in only.parents
            name, kind = names.get(tid, ("", "Task"))
            code, status_name = statuses.get(status_id, (None, None))
            nodes.append(TaskNode(tid, name, kind or "Task", parent, bool(has_children),
                                  code, status_name))
        nodes.sort(key=lambda n: (n.name, n.id))
        return nodes

    def _statuses(self, wanted: set[int]) -> dict[int, tuple[str, str]]:
        """Code and name of the statuses ``wanted``, read once and kept (they rarely change)."""
        if not wanted <= self._status_names.keys():
            from stalker_core.models.status import Status

            statuses = Status.__table__
            codes = dict(self.session.execute(select(statuses.c.id, statuses.c.code)).all())
            names = self._names(list(codes))
            self._status_names = {
                sid: (code, names.get(sid, (code, ""))[0]) for sid, code in codes.items()
            }
        return self._status_names

    def my_tasks(self, project_id: int) -> MyTasks:
        """The tasks of :attr:`user` in ``project_id`` and their ancestors (empty: no user)."""
        user = self.user
        if user is None:
            return MyTasks(frozenset(), frozenset())
        return self.read(  # type: ignore[no-any-return]
            "browse.my_tasks", self._my_tasks, project_id, user.id
        )

    def _my_tasks(self, project_id: int, user_id: int) -> MyTasks:
        from stalker_core.models.task.model import Task, task_resources

        tasks = Task.__table__
        up = (
            select(tasks.c.id, tasks.c.parent_id, literal(1).label("own"))
            .join(task_resources, task_resources.c.task_id == tasks.c.id)
            .where(task_resources.c.user_id == user_id, tasks.c.project_id == project_id)
            .cte("lineage", recursive=True)
        )
        up = up.union(
            select(tasks.c.id, tasks.c.parent_id, literal(0))
            .join(up, tasks.c.id == up.c.parent_id)
        )
        rows = self.session.execute(select(up.c.id, up.c.parent_id, up.c.own)).all()
        return MyTasks(
            frozenset(tid for tid, _, own in rows if own),
            frozenset(tid for tid, _, _ in rows),
            frozenset(parent for _, parent, _ in rows if parent is not None),
        )

    def task_path(self, task_id: int) -> list[int]:
        """The ids from the root task down to ``task_id`` (to open the tree there).

        :raises TaskNotFoundError: the task does not exist (any more).
        """
        return self.read("browse.task_path", self._task_path, task_id)  # type: ignore[no-any-return]

    def _task_path(self, task_id: int) -> list[int]:
        from stalker_core.models.task.model import Task

        tasks = Task.__table__
        up = (
            select(tasks.c.id, tasks.c.parent_id)
            .where(tasks.c.id == task_id)
            .cte("path", recursive=True)
        )
        up = up.union(
            select(tasks.c.id, tasks.c.parent_id).join(up, tasks.c.id == up.c.parent_id)
        )
        parent_of = dict(self.session.execute(select(up.c.id, up.c.parent_id)).all())
        if task_id not in parent_of:
            raise TaskNotFoundError(task_id, self._labels.get(task_id))
        path: list[int] = []
        node: int | None = task_id
        while node is not None and node not in path:
            path.append(node)
            node = parent_of.get(node)
        return path[::-1]

    def task_label(self, task_id: int) -> str:
        """What the panel calls the task (``SH10/anim``), as far as it has seen it."""
        return self._labels.get(task_id, f"task {task_id}")

    def get_task(self, task_id: int) -> Any:
        """The Task row of ``task_id``.

        :raises TaskNotFoundError: the task does not exist (any more).
        """
        from stalker_core.models.task.model import Task

        task = self.db_call("browse.get_task", self.session.get, Task, task_id)
        if task is None:
            raise TaskNotFoundError(task_id, self._labels.get(task_id))
        return task
