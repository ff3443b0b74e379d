"""Bulk creation of tasks and shots: validated like objects, written in a few INSERTs.

Building thousands of ORM objects costs mostly SQLAlchemy bookkeeping (events,
back-references, the unit of work). :class:`TaskBatch` takes the same input
as ``Task(...)`` / ``Shot(...)``, checks it with the same rules and errors
(types, units, timings, cycles), computes the first statuses (RTS/WFD, the
containers' derived status) and the roll-up caches in Python, and writes
every table with one multi-row INSERT each::

    batch = TaskBatch(project)
    shot = batch.add(kind="Shot", code="SH001")
    lay = batch.add(name="Layout", parent=shot, resources=[me], schedule_timing=2,
                    schedule_unit="d")
    batch.add(name="Anim", parent=shot, depends_on=[lay])
    ids = batch.insert(session)      # then session.commit()

New tasks may hang under stored tasks and depend on stored tasks; stored
tasks cannot depend on tasks of the batch yet, which keeps the cycle check to
the batch (plus stored containers the batch joins).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from stalker_core.exceptions import (
    CircularDependencyError,
    ValidationError,
    type_error,
    value_error,
)
from stalker_core.models.task import rollup as task_rollup
from stalker_core.models.task import status as task_status
from stalker_core.units import MODELS, UNITS

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.project import Project

KINDS: tuple[str, ...] = ("Task", "Shot", "Asset", "Sequence", "Scene")


@dataclass(eq=False)
class NewTask:
    """A task of a :class:`TaskBatch`; ``id`` is set by :meth:`TaskBatch.insert`."""

    name: str
    kind: str = "Task"
    code: str | None = None
    parent: Any = None
    resources: list[Any] = field(default_factory=list)
    depends_on: list[Any] = field(default_factory=list)
    schedule_timing: float = 1.0
    schedule_unit: str = "h"
    schedule_model: str = "effort"
    priority: int = 500
    description: str = ""
    type: Any = None
    id: int | None = None
    children: list[NewTask] = field(default_factory=list)
    status: str | None = None
    sums: tuple[float, float, float] = (0.0, 0.0, 0.0)


class TaskBatch:
    """Collect many new tasks of ``project`` and insert them in a few statements."""

    def __init__(self, project: Project) -> None:
        from stalker_core.models.project import Project

        if not isinstance(project, Project):
            raise type_error("TaskBatch", "project", "a Project", project)
        self.project = project
        self.tasks: list[NewTask] = []
        self._codes: set[tuple[str, str]] = set()

    # --- collecting ----------------------------------------------------------

    def add(
        self,
        name: str | None = None,
        *,
        kind: str = "Task",
        code: str | None = None,
        parent: Any = None,
        resources: Iterable[Any] = (),
        depends_on: Iterable[Any] = (),
        schedule_timing: float = 1.0,
        schedule_unit: str = "h",
        schedule_model: str = "effort",
        priority: int = 500,
        description: str = "",
        type: Any = None,  # noqa: A002 - the model's attribute name
    ) -> NewTask:
        """Add one task (checked now, like the ``Task`` constructor) and return it."""
        from stalker_core.models.task.model import Task, _check_timing
        from stalker_core.models.type import Type
        from stalker_core.models.user import User

        if kind not in KINDS:
            raise value_error("TaskBatch", "kind", f"one of {', '.join(KINDS)}", kind)
        if kind != "Task":
            if not isinstance(code, str) or not code.strip():
                raise value_error(kind, "code", "a non-empty str", code)
            code = code.strip()
            name = name if name is not None else code
        if not isinstance(name, str) or not name.strip():
            raise value_error(kind, "name", "a non-empty str", name)
        if kind == "Asset" and not isinstance(type, Type):
            raise type_error("Asset", "type", "a Type", type)
        if parent is not None and not isinstance(parent, (NewTask, Task)):
            raise type_error(kind, "parent", "a Task, a NewTask of this batch or None", parent)
        if isinstance(parent, Task) and sa_inspect(parent).key is None:
            raise ValidationError(f"{kind}.parent {parent.name!r} must be stored (commit it first)")
        res = list(resources)
        for r in res:
            if not isinstance(r, User) or sa_inspect(r).key is None:
                raise type_error(kind, "resources", "a list of stored User", r)
        deps = list(dict.fromkeys(depends_on))
        for d in deps:
            if not isinstance(d, (NewTask, Task)):
                raise type_error(kind, "depends_on", "a list of Task", d)
            if isinstance(d, Task) and sa_inspect(d).key is None:
                raise ValidationError(f"{kind}.depends_on {d.name!r} must be stored")
        timing = _check_timing(kind, "schedule_timing", schedule_timing)
        if schedule_unit not in UNITS:
            raise value_error(kind, "schedule_unit", f"one of {', '.join(UNITS)}", schedule_unit)
        if schedule_model not in MODELS:
            raise value_error(
                kind, "schedule_model", f"one of {', '.join(MODELS)}", schedule_model
            )
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 1000:
            raise value_error(kind, "priority", "an int between 0 and 1000", priority)
        if kind == "Shot":
            key = ("Shot", code)  # type: ignore[assignment]
            if key in self._codes:
                raise ValidationError(
                    f"Shot.code should be unique in project {self.project.name!r}; "
                    f"{code!r} is used twice"
                )
            self._codes.add(key)  # type: ignore[arg-type]
        t = NewTask(
            name=name.strip(), kind=kind, code=code, parent=parent, resources=res,
            depends_on=deps, schedule_timing=timing, schedule_unit=schedule_unit,
            schedule_model=schedule_model, priority=priority, description=description,
            type=type,
        )
        if isinstance(parent, NewTask):
            parent.children.append(t)
        self.tasks.append(t)
        return t

    # --- checking ----------------------------------------------------------------

    def _check_graph(self) -> None:
        members = set(self.tasks)
        for t in self.tasks:
            for d in t.depends_on:
                if isinstance(d, NewTask) and d not in members:
                    raise ValidationError(f"{t.name!r} depends on {d.name!r} of another batch")
                node = t.parent
                while isinstance(node, NewTask):
                    if node is d:
                        raise CircularDependencyError(
                            f"task {t.name!r} cannot depend on {d.name!r}, one of its parents"
                        )
                    node = node.parent
                if d is t or (isinstance(d, NewTask) and t in _below(d)):
                    raise CircularDependencyError(
                        f"task {t.name!r} cannot depend on {d.name!r} (itself or a child)"
                    )
        # waits-for among the batch: deps of self and new ancestors, expanded to subtrees
        waits: dict[NewTask, list[NewTask]] = {}
        for t in self.tasks:
            out: list[NewTask] = []
            holder: Any = t
            while isinstance(holder, NewTask):
                for d in holder.depends_on:
                    if isinstance(d, NewTask):
                        out.extend(_below(d))
                holder = holder.parent
            waits[t] = out
        state: dict[NewTask, int] = {}
        for start in self.tasks:
            if state.get(start):
                continue
            stack: list[tuple[NewTask, int]] = [(start, 0)]
            state[start] = 1
            while stack:
                node, i = stack.pop()
                nxt = waits[node]
                if i < len(nxt):
                    stack.append((node, i + 1))
                    m = nxt[i]
                    if state.get(m) == 1:
                        raise CircularDependencyError(
                            f"circular dependency between {node.name!r} and {m.name!r}"
                        )
                    if not state.get(m):
                        state[m] = 1
                        stack.append((m, 0))
                else:
                    state[node] = 2
        self._check_stored_cycles()

    def _check_stored_cycles(self) -> None:
        """A stored dependency that waits for a stored container the batch joins."""
        from stalker_core.models.task import graph as task_graph
        from stalker_core.models.task.model import Task

        for t in self.tasks:
            stored = [d for d in t.depends_on if isinstance(d, Task)]
            top: Any = t
            while isinstance(top, NewTask):
                top = top.parent
            if not stored or top is None:
                continue
            joined = {top, *task_graph.ancestors(top)}
            seen: set[Any] = set()
            todo = list(stored)
            while todo:
                n = todo.pop()
                if n in seen:
                    continue
                seen.add(n)
                if n in joined:
                    raise CircularDependencyError(
                        f"task {t.name!r} cannot depend on stored tasks that wait for "
                        f"{n.name!r}, which will contain it"
                    )
                for a in [n, *task_graph.ancestors(n)]:
                    for td in a.task_depends_on:
                        if td.depends_on is not None:
                            todo.extend(task_graph.subtree(td.depends_on))

    # --- statuses and roll-ups ----------------------------------------------------

    def _settle(self, session: Session) -> None:
        cal = task_rollup.session_calendar(session)
        for t in self.tasks:
            if not t.children:
                ok = True
                node: Any = t
                while ok and node is not None:
                    deps = node.depends_on if isinstance(node, NewTask) else [
                        td.depends_on for td in node.task_depends_on
                    ]
                    for d in deps:
                        if isinstance(d, NewTask) or not task_status.satisfied(
                            task_status.code_of(d), "onend"
                        ):
                            ok = False
                            break
                    node = node.parent
                t.status = "RTS" if ok else "WFD"
                s = cal.to_seconds(t.schedule_timing, t.schedule_unit, t.schedule_model)
                t.sums = (s, 0.0, 0.0)
        for t in sorted(self.tasks, key=_depth, reverse=True):
            if t.children:
                t.status = task_status.derive_code(c.status for c in t.children)  # type: ignore[misc]
                t.sums = tuple(sum(c.sums[i] for c in t.children) for i in range(3))  # type: ignore[assignment]

    # --- writing -----------------------------------------------------------------------

    def insert(self, session: Session | scoped_session) -> list[int]:
        """Check the whole batch, then write it; returns the new ids in ``add`` order.

        The caller commits. Stored parents get their roll-ups and status updated.
        """
        from stalker_core.models import Asset, Scene, Sequence, Shot, Task
        from stalker_core.models.base import SimpleEntity
        from stalker_core.models.shot import check_unique_codes
        from stalker_core.models.status import StatusList
        from stalker_core.models.task.dependency import TaskDependency
        from stalker_core.models.task.model import task_resources

        real: Session = session() if not isinstance(session, Session) else session  # type: ignore[operator]
        if not self.tasks:
            return []
        self._check_graph()
        with real.no_autoflush:
            self._settle(real)
            lists = {
                sl.target_entity_type: sl
                for sl in real.query(StatusList).filter(StatusList.target_entity_type.in_(
                    {t.kind for t in self.tasks}))
            }
            statuses = {
                c: task_status.get_status(real, c) for c in {t.status or "RTS" for t in self.tasks}
            }
        real.flush()  # the project, statuses and anything pending get their ids
        shots = [t for t in self.tasks if t.kind == "Shot"]
        if shots:
            _check_stored_codes(real, self.project, shots, check_unique_codes)
        conn = real.connection()
        ordered = sorted(self.tasks, key=_depth)
        se = _table(SimpleEntity)
        rows = [
            {
                "entity_type": t.kind,
                "name": t.name,
                "description": t.description,
                "type_id": t.type.id if t.type is not None else None,
            }
            for t in ordered
        ]
        ids = _insert_returning_ids(conn, se, rows)
        for t, new_id in zip(ordered, ids, strict=True):
            t.id = new_id
        pid = self.project.id
        conn.execute(
            insert(_table(Task)),
            [
                {
                    "id": t.id,
                    "project_id": pid,
                    "parent_id": _id(t.parent),
                    "status_id": statuses[t.status or "RTS"].id,
                    "status_list_id": lists[t.kind].id if t.kind in lists else None,
                    "priority": t.priority,
                    "schedule_timing": t.schedule_timing,
                    "schedule_unit": t.schedule_unit,
                    "schedule_model": t.schedule_model,
                    "schedule_seconds_cache": t.sums[0],
                    "total_logged_seconds_cache": t.sums[1],
                    "completed_seconds_cache": t.sums[2],
                    "child_count": len(t.children),
                }
                for t in ordered
            ],
        )
        for cls in (Shot, Asset, Sequence, Scene):
            mine = [t for t in ordered if t.kind == cls.__name__]
            if mine:
                conn.execute(
                    insert(_table(cls)),
                    [
                        {"id": t.id, "code": t.code, **({"cut_in": 1001, "cut_out": 1001}
                                                         if cls is Shot else {})}
                        for t in mine
                    ],
                )
        links = [{"task_id": t.id, "user_id": u.id} for t in ordered for u in t.resources]
        if links:
            conn.execute(insert(task_resources), links)
        deps = [
            {"task_id": t.id, "depends_on_id": _id(d)} for t in ordered for d in t.depends_on
        ]
        if deps:
            conn.execute(insert(_table(TaskDependency)), deps)
        self._update_stored_parents(real)
        return [t.id for t in self.tasks]  # type: ignore[misc]

    def _update_stored_parents(self, session: Session) -> None:
        from stalker_core.models.task.model import Task

        joined: dict[Task, list[NewTask]] = {}
        for t in self.tasks:
            if isinstance(t.parent, Task):
                joined.setdefault(t.parent, []).append(t)
        for parent, kids in joined.items():
            if not parent.child_count:
                s, lg, c = (
                    parent.schedule_seconds_cache or 0.0,
                    parent.total_logged_seconds_cache or 0.0,
                    parent.completed_seconds_cache or 0.0,
                )
                parent.schedule_seconds_cache = 0.0
                parent.total_logged_seconds_cache = 0.0
                parent.completed_seconds_cache = 0.0
                task_rollup.propagate(parent, -s, -lg, -c)
            parent.child_count = (parent.child_count or 0) + len(kids)
            node: Task | None = parent
            add = [sum(k.sums[i] for k in kids) for i in range(3)]
            while node is not None:
                node.schedule_seconds_cache = (node.schedule_seconds_cache or 0.0) + add[0]
                node.total_logged_seconds_cache = (node.total_logged_seconds_cache or 0.0) + add[1]
                node.completed_seconds_cache = (node.completed_seconds_cache or 0.0) + add[2]
                node = node.parent
            session.expire(parent, ["children"])
            task_status.parent_changed(parent)


def _table(cls: Any) -> Table:
    return cast(Table, cls.__table__)


def _below(t: NewTask) -> list[NewTask]:
    out, stack = [], [t]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)
    return out


def _depth(t: NewTask) -> int:
    d, node = 0, t.parent
    while isinstance(node, NewTask):
        d, node = d + 1, node.parent
    return d


def _id(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, NewTask):
        return obj.id
    return sa_inspect(obj).key[1][0]  # type: ignore[no-any-return]


def _insert_returning_ids(conn: Any, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [row[0] for row in conn.execute(stmt, list(rows))]


def _check_stored_codes(session: Session, project: Any, shots: list[NewTask], _check: Any) -> None:
    from sqlalchemy import select

    from stalker_core.models import Shot, Task

    codes = {t.code for t in shots}
    with session.no_autoflush:
        clash = session.execute(
            select(Shot.code).where(Task.project_id == project.id, Shot.code.in_(codes)).limit(1)
        ).scalar()
    if clash is not None:
        raise ValidationError(
            f"Shot.code should be unique in project {project.name!r}; "
            f"a shot with code {clash!r} already exists"
        )
