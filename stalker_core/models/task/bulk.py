"""Bulk creation of tasks and shots: validated like objects, written in a few INSERTs.

Building thousands of ORM objects costs mostly SQLAlchemy bookkeeping (events,
back-references, the unit of work). :class:`TaskBatch` takes the same input
as ``Task(...)`` / ``Shot(...)``, checks it with the same validator functions
and errors (:mod:`~stalker_core.models.task.validation`; cycles and shot codes
too), takes what is left out from the defaults declared on the columns,
computes the first statuses (RTS/WFD, the containers' derived status) and the
roll-up caches in Python, and writes every table with one multi-row INSERT each::

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

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Final, cast

from sqlalchemy import Table, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from stalker_core.exceptions import (
    CircularDependencyError,
    ValidationError,
    type_error,
    value_error,
)
from stalker_core.models.base import (
    SimpleEntity,
    check_keyword,
    check_required,
    declared_defaults,
    mapped_class,
    validate_type,
)
from stalker_core.models.checks import (
    check_collection,
    validate_code,
    validate_description,
    validate_name,
)
from stalker_core.models.mixins import CodeMixin, check_in_list
from stalker_core.models.task import rollup as task_rollup
from stalker_core.models.task import status as task_status
from stalker_core.models.task.model import task_defaults
from stalker_core.models.task.validation import (
    check_same_project,
    name_from_code,
    validate_asset_type,
    validate_dependency,
    validate_dependency_list,
    validate_parent,
    validate_priority,
    validate_schedule_model,
    validate_timing,
    validate_unit,
    validate_user,
)
from stalker_core.orm.statistics import refresh_after_bulk_load

if TYPE_CHECKING:
    from sqlalchemy.orm import scoped_session

    from stalker_core.models.project import Project
    from stalker_core.models.shot import Shot

KINDS: tuple[str, ...] = ("Task", "Shot", "Asset", "Sequence", "Scene")


#: the default of ``description`` (read when used, declared on the column)
_DESCRIPTION_DEFAULT = declared_defaults(cast(Table, SimpleEntity.__table__))["description"]


class _Unset(enum.Enum):
    UNSET = "the default declared on the column"


#: a keyword of :meth:`TaskBatch.add` left out: the default declared on the Task column applies
UNSET: Final = _Unset.UNSET


@dataclass(eq=False)
class NewTask:
    """A task of a :class:`TaskBatch`; ``id`` is set by :meth:`TaskBatch.insert`.

    Its fields hold the validated, normalised values :meth:`TaskBatch.add` was given
    (or the column defaults), as ``Task(...)`` would store them.
    """

    name: str
    kind: str
    code: str | None
    parent: Any
    resources: list[Any]
    depends_on: list[Any]
    schedule_timing: float
    schedule_unit: str
    schedule_model: str
    priority: int
    description: str
    type: Any
    id: int | None = None
    children: list[NewTask] = field(default_factory=list)
    #: the first status code, set by :meth:`TaskBatch.insert` (RTS/WFD, or derived)
    status: str = ""
    sums: tuple[float, float, float] = (0.0, 0.0, 0.0)


class TaskBatch:
    """Collect many new tasks of ``project`` and insert them in a few statements."""

    def __init__(self, project: Project) -> None:
        from stalker_core.models.project import Project

        if not isinstance(project, Project):
            raise type_error("TaskBatch", "project", "a Project", project)
        self.project = project
        self.tasks: list[NewTask] = []
        self._codes: set[str] = set()

    # --- collecting ----------------------------------------------------------

    def add(
        self,
        name: str | None = None,
        *,
        kind: str = "Task",
        code: str | None = None,
        parent: Any = None,
        resources: Any = (),
        depends_on: Any = (),
        schedule_timing: float | _Unset = UNSET,
        schedule_unit: str | _Unset = UNSET,
        schedule_model: str | _Unset = UNSET,
        priority: int | _Unset = UNSET,
        description: str | _Unset = UNSET,
        type: Any = None,  # noqa: A002 - the model's attribute name
    ) -> NewTask:
        """Add one task, checked now by the validators of ``Task(...)``, and return it.

        The keywords mean what they mean to ``Task``, ``Shot``, ``Asset``,
        ``Sequence`` or ``Scene`` (``kind`` picks the class), and go through the
        same validator functions in the same order, so a value is accepted,
        normalised or refused (with the same error) as the constructor would.
        A keyword left out takes the default declared on its column.

        Bulk adds two rules: ``parent``, ``resources`` and the ``depends_on``
        items that are not :class:`NewTask` objects of this batch must be
        stored already, and a shot code may appear once per batch.

        :raises StalkerTypeError: a value of the wrong type.
        :raises ValidationError: a value out of range, or unstored.
        """
        if kind not in KINDS:
            raise value_error("TaskBatch", "kind", f"one of {', '.join(KINDS)}", kind)
        cls = mapped_class(kind)
        coded = issubclass(cls, CodeMixin)
        # the order of Task(...): the class's own checks, the parent, the
        # required keywords, then each keyword (code first), depends_on last
        if kind == "Asset":
            validate_asset_type(kind, "type", type)
        if coded:
            name = name_from_code({"code": code, "name": name})["name"]
        if not isinstance(parent, NewTask):
            validate_parent(kind, "parent", parent)
        check_required(cls, {"code": code, "name": name})
        if coded:
            code = validate_code(kind, "code", code)
        elif code is not None:
            check_keyword(cls, "code")
        name = validate_name(kind, "name", name)
        desc: str = (
            _DESCRIPTION_DEFAULT.arg
            if description is UNSET
            else validate_description(kind, "description", description)
        )
        type = validate_type(kind, "type", type)
        res = [
            validate_user(kind, "resources", r)
            for r in check_collection(kind, "resources", resources)
        ]
        values = task_defaults()
        given = {
            "schedule_timing": (schedule_timing, validate_timing),
            "schedule_unit": (schedule_unit, validate_unit),
            "schedule_model": (schedule_model, validate_schedule_model),
            "priority": (priority, validate_priority),
        }
        for key, (value, validate) in given.items():
            if value is not UNSET:
                values[key] = validate(kind, key, value)
        deps = [
            d if isinstance(d, NewTask) else validate_dependency(kind, "depends_on", d)
            for d in validate_dependency_list(kind, "depends_on", depends_on)
        ]
        deps = list(dict.fromkeys(deps))
        # the rules of bulk
        for attr, objects in (("parent", [parent]), ("resources", res), ("depends_on", deps)):
            for obj in objects:
                if obj is not None and not isinstance(obj, NewTask) and (
                    sa_inspect(obj).key is None
                ):
                    raise ValidationError(
                        f"{kind}.{attr} {obj.name!r} must be stored (commit it first)"
                    )
        if not isinstance(parent, NewTask):
            check_same_project(kind, "parent", self.project, parent)
        if kind == "Shot":
            if code in self._codes:
                raise ValidationError(
                    f"Shot.code should be unique in project {self.project.name!r}; "
                    f"{code!r} is used twice"
                )
            self._codes.add(cast(str, code))
        t = NewTask(
            name=name, kind=kind, code=code if coded else None, parent=parent, resources=res,
            depends_on=deps, schedule_timing=values["schedule_timing"],
            schedule_unit=values["schedule_unit"], schedule_model=values["schedule_model"],
            priority=values["priority"], description=desc, type=type,
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
                    # a new task waits for the end of its dependencies; a stored
                    # parent's dependency rows say what they wait for
                    deps = [(d, "onend") for d in node.depends_on] if isinstance(
                        node, NewTask
                    ) else [
                        (td.depends_on, td.dependency_target or "onend")
                        for td in node.task_depends_on
                    ]
                    for d, target in deps:
                        if isinstance(d, NewTask) or not task_status.satisfied(
                            task_status.code_of(d), target
                        ):
                            ok = False
                            break
                    node = node.parent
                t.status = "RTS" if ok else "WFD"
                s = cal.to_seconds(t.schedule_timing, t.schedule_unit, t.schedule_model)
                t.sums = (s, 0.0, 0.0)
        for t in sorted(self.tasks, key=_depth, reverse=True):
            if t.children:
                # children exist, so a code is derived
                t.status = cast(str, task_status.derive_code(c.status for c in t.children))
                t.sums = tuple(sum(c.sums[i] for c in t.children) for i in range(3))  # type: ignore[assignment]

    # --- writing -----------------------------------------------------------------------

    def insert(self, session: Session | scoped_session) -> list[int]:
        """Check the whole batch, then write it; returns the new ids in ``add`` order.

        The caller commits. Stored parents get their roll-ups and status updated.
        """
        from stalker_core.models.status import StatusList
        from stalker_core.models.task.dependency import TaskDependency
        from stalker_core.models.task.model import Task, task_resources

        real: Session = session() if not isinstance(session, Session) else session  # type: ignore[operator]
        if not self.tasks:
            return []
        self._check_graph()
        with real.no_autoflush:
            self._settle(real)
            lists: dict[str, StatusList] = {}
            for sl in real.query(StatusList).filter(StatusList.target_entity_type.in_(
                    {t.kind for t in self.tasks})).order_by(StatusList.id):
                lists.setdefault(sl.target_entity_type, sl)  # the first, as the flush takes
            statuses = {c: task_status.get_status(real, c) for c in {t.status for t in self.tasks}}
            checked: set[tuple[str, str]] = set()
            for t in self.tasks:
                if t.kind in lists and (t.kind, t.status) not in checked:
                    check_in_list(t, statuses[t.status], lists[t.kind], t.kind)
                    checked.add((t.kind, t.status))
        real.flush()  # the project, statuses and anything pending get their ids
        shots = [t for t in self.tasks if t.kind == "Shot"]
        if shots:
            # the rule of Shot's flush, on stand-ins (a project, a code, no id yet)
            mapped_class("Shot").check_unique_codes(
                real,
                [
                    cast("Shot", SimpleNamespace(project=self.project, code=t.code, id=None))
                    for t in shots
                ],
            )
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
                    "status_id": statuses[t.status].id,
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
        inserted: dict[Table, int] = {se: len(ordered), _table(Task): len(ordered)}
        for kind in ("Shot", "Asset", "Sequence", "Scene"):
            mine = [t for t in ordered if t.kind == kind]
            if mine:
                table = _table(mapped_class(kind))
                inserted[table] = len(mine)
                conn.execute(
                    insert(table),
                    [
                        # cut_in, cut_out, ...: the defaults declared on the columns
                        {"id": t.id, "code": t.code} for t in mine
                    ],
                )
        links = [{"task_id": t.id, "user_id": u.id} for t in ordered for u in t.resources]
        if links:
            conn.execute(insert(task_resources), links)
            inserted[task_resources] = len(links)
        deps = [
            {"task_id": t.id, "depends_on_id": _id(d)} for t in ordered for d in t.depends_on
        ]
        if deps:
            conn.execute(insert(_table(TaskDependency)), deps)
            inserted[_table(TaskDependency)] = len(deps)
        # the planner learns of the new rows now, not when autovacuum comes round
        refresh_after_bulk_load(conn, inserted)
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
        # stored tasks the batch depends on: a loaded list of what waits for them
        # lacks the batch's rows (a later status change of theirs reads it)
        for t in self.tasks:
            for d in t.depends_on:
                if not isinstance(d, NewTask) and "task_dependent_of" in d.__dict__:
                    session.expire(d, ["task_dependent_of"])


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
