"""The task graph: ``depends_on`` as a list of tasks, cycle checks and walks.

``Task.depends_on`` is a list-like view over the :class:`TaskDependency`
association objects of a task (``task.task_depends_on``). Every change goes
through :func:`set_dependencies`, which checks the whole new list first and
changes nothing when it refuses.

Cycles are checked on the *waits-for* relation the scheduler uses: a task
waits for what it and its ancestors depend on, and depending on a container
means waiting for everything below it. A new dependency or a new parent is
refused with :class:`CircularDependencyError` when it would let a task wait
for itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, MutableSequence
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import instance_state

from stalker_core.exceptions import CircularDependencyError, type_error
from stalker_core.models.base import add_unlinked, mapped_class
from stalker_core.models.task.held import held

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task

_LIMIT = 1_000_000


def _task_cls() -> type[Task]:
    return mapped_class("Task")


def subtree(task: Task) -> list[Task]:
    """``task`` and every task below it."""
    out, stack = [], [task]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.child_count or node.__dict__.get("children"):
            stack.extend(node.children)
    return out


def ancestors(task: Task, parent_override: dict[Task, Task | None] | None = None) -> list[Task]:
    """The parents of ``task``, nearest first."""
    out: list[Task] = []
    node = _parent(task, parent_override)
    while node is not None:
        if node in out or len(out) > _LIMIT:
            break
        out.append(node)
        node = _parent(node, parent_override)
    return out


def _parent(task: Task, override: dict[Task, Task | None] | None) -> Task | None:
    if override and task in override:
        return override[task]
    found = task.__dict__.get("parent")
    if found is not None or instance_state(task).key is None:
        return found  # a new task holds its parent in memory, or has none
    return task.parent


def _deps(task: Task, override: dict[Task, list[Task]] | None) -> list[Task]:
    if override and task in override:
        return override[task]
    return [td.depends_on for td in task.task_depends_on if td.depends_on is not None]


def _expand(task: Task, extra_children: dict[Task, list[Task]]) -> list[Task]:
    out, stack = [], [task]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.child_count or node.__dict__.get("children"):
            stack.extend(node.children)
        stack.extend(extra_children.get(node, ()))
    return out


def find_wait_cycle(
    start: Task,
    *,
    deps_override: dict[Task, list[Task]] | None = None,
    parent_override: dict[Task, Task | None] | None = None,
) -> list[Task] | None:
    """Return a path that lets a task of ``start``'s subtree wait for itself, or None.

    ``deps_override`` / ``parent_override`` describe the proposed change.
    """
    extra_children: dict[Task, list[Task]] = {}
    for child, new_parent in (parent_override or {}).items():
        if new_parent is not None:
            extra_children.setdefault(new_parent, []).append(child)
    region = set(_expand(start, extra_children))
    moved = set(parent_override or {})

    def expand(node: Task) -> list[Task]:
        out, stack = [], [node]
        while stack:
            n = stack.pop()
            out.append(n)
            kids = list(n.children) if (n.child_count or n.__dict__.get("children")) else []
            kids = [k for k in kids if k not in moved or (parent_override or {}).get(k) is n]
            stack.extend(kids)
            stack.extend(extra_children.get(n, ()))
        return out

    def waits_for(node: Task) -> Iterator[Task]:
        for holder in [node, *ancestors(node, parent_override)]:
            for dep in _deps(holder, deps_override):
                yield from expand(dep)

    # depth-first from every task of the region: a new cycle goes through one
    # of them (only their waits changed); a task reaching a task on its own
    # path waits for itself (two tasks of the region may wait for each other
    # one way: a sibling depending on a sibling is no cycle)
    state: dict[Task, bool] = {}  # True: on the current path; False: done
    steps = 0
    for root in region:
        if root in state:
            continue
        path = [root]
        state[root] = True
        stack = [waits_for(root)]
        while stack and steps < _LIMIT:
            steps += 1
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[path.pop()] = False
                continue
            seen = state.get(nxt)
            if seen is None:
                state[nxt] = True
                path.append(nxt)
                stack.append(waits_for(nxt))
            elif seen:
                cycle = path[path.index(nxt):]
                first = next((i for i, n in enumerate(cycle) if n in region), 0)
                cycle = cycle[first:] + cycle[:first]
                return [*cycle, cycle[0]]
    return None


def _names(path: Iterable[Task]) -> str:
    return " -> ".join(repr(t.name) for t in path)


def check_parent(task: Task, parent: Task | None) -> None:
    """Refuse ``parent`` for ``task`` when it would make a cycle.

    :raises StalkerTypeError: for a parent that is not a Task.
    :raises CircularDependencyError: for the task itself, one of its
        descendants, or a parent whose dependencies would make it wait for itself.
    """
    if parent is None:
        return
    if not isinstance(parent, _task_cls()):
        raise type_error(type(task).__name__, "parent", "a Task or None", parent)
    if parent is task:
        raise CircularDependencyError(f"task {task.name!r} cannot be its own parent")
    node: Task | None = parent
    while node is not None:
        if node is task:
            raise CircularDependencyError(
                f"task {parent.name!r} is below {task.name!r}; it cannot become its parent "
                "(circular parenting)"
            )
        node = node.parent
    if _has_any_dependency(task, parent):
        cycle = find_wait_cycle(task, parent_override={task: parent})
        if cycle:
            raise CircularDependencyError(
                f"parenting {task.name!r} under {parent.name!r} makes a dependency cycle: "
                f"{_names(cycle)}"
            )


def _has_any_dependency(task: Task, parent: Task) -> bool:
    for node in [parent, *ancestors(parent)]:
        if held(node, "task_depends_on") or held(node, "task_dependent_of"):
            return True
    for node in subtree(task):
        if held(node, "task_depends_on") or held(node, "task_dependent_of"):
            return True
    return False


def check_dependencies(task: Task, new: list[Any]) -> list[Task]:
    """Validate a proposed ``depends_on`` list for ``task`` and return it.

    :raises StalkerTypeError: for an item that is not a Task.
    :raises CircularDependencyError: for the task itself, a parent or child of
        it, or a dependency that (through others) waits for ``task``.
    """
    cls = _task_cls()
    out: list[Task] = []
    for dep in new:
        if not isinstance(dep, cls):
            raise type_error(type(task).__name__, "depends_on", "a list of Task", dep)
        if dep is task:
            raise CircularDependencyError(f"task {task.name!r} cannot depend on itself")
        if dep not in out:
            out.append(dep)
    ups = set(ancestors(task))
    for dep in out:
        if dep in ups:
            raise CircularDependencyError(
                f"task {task.name!r} cannot depend on {dep.name!r}, one of its parents"
            )
    below = set(subtree(task))
    for dep in out:
        if dep in below:
            raise CircularDependencyError(
                f"task {task.name!r} cannot depend on {dep.name!r}, one of its children"
            )
    if not out or not _can_be_waited_for(task):
        return out
    cycle = find_wait_cycle(task, deps_override={task: out})
    if cycle:
        raise CircularDependencyError(
            f"task {task.name!r} cannot depend on "
            f"{', '.join(repr(d.name) for d in out)}: circular dependency "
            f"{_names([task, *cycle[1:]])}"
        )
    return out


def _can_be_waited_for(task: Task) -> bool:
    """Can anything wait for ``task``? Only through a dependency on it, on a
    task below it, or on one of its parents. When nothing can, no new
    dependency of ``task`` can close a cycle (the common case of a new leaf)."""
    for node in [task, *ancestors(task)]:
        if held(node, "task_dependent_of"):
            return True
    if task.child_count or task.__dict__.get("children"):
        return True
    return False


def set_dependencies(task: Task, new: Iterable[Any]) -> None:
    """Replace ``task``'s dependencies with ``new`` (checked first; unchanged on error)."""
    from stalker_core.models.task.dependency import TaskDependency
    from stalker_core.models.task.status import dependencies_changed

    wanted = check_dependencies(task, list(new))
    current = {td.depends_on: td for td in held(task, "task_depends_on")}
    task.__dict__["_in_view_edit"] = True  # statuses move once, below
    try:
        for dep, td in current.items():
            if dep not in wanted:
                task.task_depends_on.remove(td)
                td.depends_on = None  # type: ignore[assignment]
    finally:
        del task.__dict__["_in_view_edit"]
    session = object_session(task)
    for dep in wanted:
        if dep not in current:
            td = TaskDependency()
            if session is not None:
                add_unlinked(session, td)  # before linking: no cascading add afterwards
            td.__dict__["_in_view_edit"] = True  # statuses move once, below
            td.task = task
            td.depends_on = dep
            del td.__dict__["_in_view_edit"]
    # keep the order the caller gave
    rows = held(task, "task_depends_on")
    if len(rows) != len(wanted) or any(
        td.depends_on is not d for td, d in zip(rows, wanted, strict=True)
    ):
        order = {d: i for i, d in enumerate(wanted)}
        task.task_depends_on.sort(key=lambda td: order.get(td.depends_on, 0))
    dependencies_changed(task)


class DependsOn(MutableSequence["Task"]):
    """A list-like view of the tasks ``task`` depends on; edits are checked."""

    __slots__ = ("_task",)

    def __init__(self, task: Task) -> None:
        self._task = task

    def _list(self) -> list[Task]:
        return [td.depends_on for td in self._task.task_depends_on if td.depends_on is not None]

    @overload
    def __getitem__(self, i: int) -> Task: ...
    @overload
    def __getitem__(self, i: slice) -> list[Task]: ...
    def __getitem__(self, i: int | slice) -> Task | list[Task]:
        return self._list()[i]

    def __setitem__(self, i: Any, value: Any) -> None:
        items = self._list()
        items[i] = value
        set_dependencies(self._task, items)

    def __delitem__(self, i: Any) -> None:
        items = self._list()
        del items[i]
        set_dependencies(self._task, items)

    def __len__(self) -> int:
        return len(self._task.task_depends_on)

    def __iter__(self) -> Iterator[Task]:
        return iter(self._list())

    def __contains__(self, item: object) -> bool:
        return item in self._list()

    def insert(self, index: int, value: Task) -> None:
        items = self._list()
        items.insert(index, value)
        set_dependencies(self._task, items)

    def extend(self, values: Iterable[Task]) -> None:
        set_dependencies(self._task, [*self._list(), *values])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DependsOn):
            return self._list() == other._list()
        if isinstance(other, (list, tuple)):
            return self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._list())


def walk_hierarchy(task: Task, method: str = "depth") -> Iterator[Task]:
    """Yield ``task`` and its descendants, depth-first (default) or breadth-first."""
    if method not in ("depth", "breadth"):
        raise type_error("Task", "walk_hierarchy(method)", "'depth' or 'breadth'", method)
    if method == "depth":
        stack = [task]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))
    else:
        todo = deque([task])
        while todo:
            node = todo.popleft()
            yield node
            todo.extend(node.children)


def walk_dependencies(task: Task, method: str = "depth") -> Iterator[Task]:
    """Yield ``task`` and, transitively, the tasks it depends on (each once)."""
    if method not in ("depth", "breadth"):
        raise type_error("Task", "walk_dependencies(method)", "'depth' or 'breadth'", method)
    seen = {task}
    todo: deque[Task] = deque([task])
    while todo:
        node = todo.pop() if method == "depth" else todo.popleft()
        yield node
        deps = _deps(node, None)
        for dep in reversed(deps) if method == "depth" else deps:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)


def lineage(task: Task) -> list[Task]:
    """The tasks from the root down to and including ``task`` (cycle safe)."""
    chain: list[Task] = []
    seen: set[int] = set()
    node: Task | None = task
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        chain.append(node)
        node = node.parent
    chain.reverse()
    return chain
