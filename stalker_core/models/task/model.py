"""Task: a piece of work with resources, schedule, dependencies and status.

The columns and relationships live here; the behaviour is split by concept:
:mod:`~stalker_core.models.task.graph` (dependencies, cycles, walks),
:mod:`~stalker_core.models.task.rollup` (cached sums of containers),
:mod:`~stalker_core.models.task.status` (statuses, dependents, containers) and
:mod:`~stalker_core.models.task.workflow` (the status actions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import ForeignKey, Integer, String, Table, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates

from stalker_core.exceptions import ValidationError, type_error, value_error
from stalker_core.models.base import (
    Entity,
    add_unlinked,
    declared_defaults,
    fk_id,
    link_table,
    mapped_class,
)
from stalker_core.models.column_mixins import DAGMixin, ReferenceMixin, ScheduleMixin
from stalker_core.models.mixins import DateRangeMixin, StatusMixin
from stalker_core.models.services import service
from stalker_core.models.task import ancestry as task_ancestry
from stalker_core.models.task import graph as task_graph
from stalker_core.models.task import rollup as task_rollup
from stalker_core.models.task import status as task_status
from stalker_core.models.task import workflow as task_workflow
from stalker_core.models.task.validation import (
    check_same_project,
    validate_allocation_strategy,
    validate_constraint,
    validate_dependency,
    validate_dependency_list,
    validate_flag,
    validate_parent,
    validate_priority,
    validate_schedule_model,
    validate_timing,
    validate_unit,
    validate_user,
)
from stalker_core.orm.inspection import is_mapped_instance

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.review import Review
    from stalker_core.models.task.dependency import TaskDependency
    from stalker_core.models.task.time_log import TimeLog
    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version


task_resources = link_table("task_resources", task_id="tasks", user_id="users")
task_alternative_resources = link_table(
    "task_alternative_resources", task_id="tasks", user_id="users"
)
task_computed_resources = link_table("task_computed_resources", task_id="tasks", user_id="users")
task_responsible = link_table("task_responsible", task_id="tasks", user_id="users")
task_watchers = link_table("task_watchers", task_id="tasks", user_id="users")


class Task(Entity, StatusMixin, DateRangeMixin, ReferenceMixin, ScheduleMixin, DAGMixin):
    """A task; Asset, Shot, Sequence and Scene are tasks too."""

    __tablename__ = "tasks"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    priority: Mapped[int] = mapped_column(Integer, default=500)
    schedule_timing: Mapped[float] = mapped_column(default=1.0)
    schedule_unit: Mapped[str] = mapped_column(String(8), default="h")
    schedule_model: Mapped[str] = mapped_column(String(16), default="effort")
    schedule_constraint: Mapped[int] = mapped_column(Integer, default=0)
    bid_timing: Mapped[float] = mapped_column(default=1.0)
    bid_unit: Mapped[str] = mapped_column(String(8), default="h")
    allocation_strategy: Mapped[str] = mapped_column(String(32), default="minallocated")
    persistent_allocation: Mapped[bool] = mapped_column(default=True)
    is_milestone: Mapped[bool] = mapped_column(default=False)
    computed_start: Mapped[dt.datetime | None] = mapped_column()
    computed_end: Mapped[dt.datetime | None] = mapped_column()
    #: roll-up caches maintained by the production model (seconds)
    schedule_seconds_cache: Mapped[float] = mapped_column(default=0.0)
    total_logged_seconds_cache: Mapped[float] = mapped_column(default=0.0)
    #: roll-up: finished part of the schedule (a leaf's whole schedule when done)
    completed_seconds_cache: Mapped[float] = mapped_column(default=0.0)
    #: number of children, kept by the parent events (no collection load needed)
    child_count: Mapped[int] = mapped_column(Integer, default=0)

    project: Mapped[Project] = relationship(back_populates="tasks", foreign_keys=[project_id])
    # the join is spelled out: SQLAlchemy's own (from the self-referencing key
    # of a joined-inheritance table) names tasks.id twice, which stops a
    # ``task.parent`` of a loaded parent from being taken from the session
    # (one SELECT per ancestor walked)
    parent: Mapped[Task | None] = relationship(
        remote_side="Task.id",
        primaryjoin="Task.parent_id == Task.id",
        back_populates="children",
        foreign_keys=[parent_id],
        active_history=True,
    )
    children: Mapped[list[Task]] = relationship(
        back_populates="parent",
        primaryjoin="Task.id == Task.parent_id",
        foreign_keys=[parent_id],
        order_by="Task.id",
    )
    task_depends_on: Mapped[list[TaskDependency]] = relationship(
        back_populates="task",
        foreign_keys="TaskDependency.task_id",
        cascade="all, delete-orphan",
    )
    task_dependent_of: Mapped[list[TaskDependency]] = relationship(
        back_populates="depends_on",
        foreign_keys="TaskDependency.depends_on_id",
        cascade="all, delete-orphan",
    )
    resources: Mapped[list[User]] = relationship(
        secondary=task_resources, back_populates="tasks"
    )
    alternative_resources: Mapped[list[User]] = relationship(secondary=task_alternative_resources)
    computed_resources: Mapped[list[User]] = relationship(secondary=task_computed_resources)
    responsible: Mapped[list[User]] = relationship(
        secondary=task_responsible, back_populates="responsible_of"
    )
    watchers: Mapped[list[User]] = relationship(
        secondary=task_watchers, back_populates="watching"
    )
    time_logs: Mapped[list[TimeLog]] = relationship(
        back_populates="task", foreign_keys="TimeLog.task_id", cascade="all, delete-orphan"
    )
    versions: Mapped[list[Version]] = relationship(
        back_populates="task",
        foreign_keys="Version.task_id",
        order_by="Version.version_number",
        cascade="all, delete-orphan",
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="task", foreign_keys="Review.task_id", cascade="all, delete-orphan"
    )

    # --- construction -------------------------------------------------------

    def __init__(self, **kwargs: Any) -> None:
        # roll-ups and statuses are settled once at the end (and at flush), not per keyword
        # Defaults and caches of a new object go straight into its state: they
        # are valid by construction and a pending row is INSERTed from its
        # state, so no attribute events are needed for them (bulk creation).
        d = self.__dict__
        d["_constructing"] = True
        for key, default in _COLUMN_DEFAULTS.items():
            if key not in kwargs:
                d[key] = default.arg
        parent = kwargs.pop("parent", None)
        project = kwargs.pop("project", None)
        depends_on = kwargs.pop("depends_on", None)
        responsible = kwargs.pop("responsible", None)
        status = kwargs.pop("status", None)
        # join the session of the parent/project first, while the task has no
        # links yet: later links then need no cascading session.add()
        session = object_session(parent) if is_mapped_instance(parent) else None
        if session is None and project is not None and is_mapped_instance(project):
            session = object_session(project)
        if session is not None:
            add_unlinked(session, self)
        with session.no_autoflush if session is not None else nullcontext():
            try:
                self._construct(parent, project, depends_on, responsible, kwargs)
            except BaseException:
                # no autoflush while undoing: the half-built task must never be flushed
                self._abandon()
                raise
        if status is not None:
            self.status = status
        elif session is not None and not self.child_count:
            # RTS or WFD now; a task outside any session gets it at flush
            with session.no_autoflush:
                try:
                    self.status = task_status.status_for(
                        session, self, task_status.initial_code(self)
                    )
                except BaseException:
                    self._abandon()
                    raise

    def _construct(
        self,
        parent: Task | None,
        project: Any,
        depends_on: Any,
        responsible: Any,
        kwargs: dict[str, Any],
    ) -> None:
        if parent is not None:
            self.parent = parent
        if project is None and parent is not None:
            project = parent.project
        if project is None:
            raise type_error(
                type(self).__name__,
                "project",
                "a Project (give project=... or a parent task to take it from)",
                project,
            )
        self.project = project
        super().__init__(**kwargs)
        depends_on = validate_dependency_list(type(self).__name__, "depends_on", depends_on)
        if depends_on:
            self.depends_on = depends_on
        if responsible is None and parent is not None:
            responsible = list(parent.responsible)
        if responsible:
            self.responsible = list(responsible)
        del self.__dict__["_constructing"]
        task_rollup.leaf_changed(self)

    def _abandon(self) -> None:
        """Undo a failed construction: unlink from parent and project, leave the session."""
        self.__dict__["_abandoned"] = True
        try:
            if self.__dict__.get("parent") is not None:
                self.parent = None
            project = self.__dict__.get("project")
            if project is not None:
                self.project = None  # type: ignore[assignment]
        finally:
            session = object_session(self)
            if session is not None and self in session.new:
                session.expunge(self)

    # --- validators (one attribute, no queries) -----------------------------

    @validates("project")
    def _validate_project(self, key: str, value: Any) -> Any:
        from stalker_core.models.project import Project

        if value is None and "_abandoned" in self.__dict__:
            return value
        if not isinstance(value, Project):
            raise type_error(type(self).__name__, key, "a Project", value)
        check_same_project(type(self).__name__, key, value, self.parent)
        old = self.project if self.child_count else None
        if old is not None and old is not value:
            raise ValidationError(
                f"{type(self).__name__}.project of {self.name!r} cannot change while it has "
                f"{self.child_count} child task(s): children stay in their parent's project"
            )
        return value

    @validates("parent")
    def _validate_parent(self, key: str, value: Any) -> Any:
        if value is None and "_abandoned" in self.__dict__:
            _parent_changes(self, None, self.parent)
            return value
        validate_parent(type(self).__name__, key, value)
        check_same_project(type(self).__name__, key, self.project, value)
        task_graph.check_parent(self, value)
        _parent_changes(self, value, self.parent)
        return value

    @validates("priority")
    def _validate_priority(self, key: str, value: Any) -> int:
        return validate_priority(type(self).__name__, key, value)

    @validates("schedule_timing", "bid_timing")
    def _validate_timing(self, key: str, value: Any) -> float:
        value = validate_timing(type(self).__name__, key, value)
        if key == "schedule_timing" and not self.child_count and _settled(self):
            task_rollup.leaf_changed(self, schedule_timing=value)
        return value

    @validates("schedule_unit", "bid_unit")
    def _validate_unit(self, key: str, value: Any) -> str:
        value = validate_unit(type(self).__name__, key, value)
        if key == "schedule_unit" and not self.child_count and _settled(self):
            task_rollup.leaf_changed(self, schedule_unit=value)
        return value

    @validates("schedule_model")
    def _validate_model(self, key: str, value: Any) -> str:
        value = validate_schedule_model(type(self).__name__, key, value)
        if not self.child_count and _settled(self):
            task_rollup.leaf_changed(self, schedule_model=value)
        return value

    @validates("schedule_constraint")
    def _validate_constraint(self, key: str, value: Any) -> int:
        return validate_constraint(type(self).__name__, key, value)

    @validates("allocation_strategy")
    def _validate_allocation(self, key: str, value: Any) -> str:
        return validate_allocation_strategy(type(self).__name__, key, value)

    @validates("is_milestone", "persistent_allocation")
    def _validate_bool(self, key: str, value: Any) -> bool:
        return validate_flag(type(self).__name__, key, value)

    @validates(
        "resources", "alternative_resources", "computed_resources", "responsible", "watchers"
    )
    def _validate_user(self, key: str, value: Any) -> Any:
        return validate_user(type(self).__name__, key, value)

    @validates("computed_start", "computed_end")
    def _validate_computed(self, key: str, value: Any) -> dt.datetime | None:
        from stalker_core.models.types import ensure_aware

        return ensure_aware(type(self).__name__, key, value)

    # --- dependencies -------------------------------------------------------

    @property
    def depends_on(self) -> task_graph.DependsOn:
        """The tasks this task depends on (a checked list-like view)."""
        return task_graph.DependsOn(self)

    @depends_on.setter
    def depends_on(self, value: Any) -> None:
        owner = type(self).__name__
        items = validate_dependency_list(owner, "depends_on", value)
        task_graph.set_dependencies(
            self, [validate_dependency(owner, "depends_on", d) for d in items]
        )

    @property
    def dependent_of(self) -> list[Task]:
        """The tasks that depend on this task."""
        return [td.task for td in self.task_dependent_of if td.task is not None]

    def walk_dependencies(self, method: str = "depth") -> Iterator[Task]:
        """Yield this task and, transitively, what it depends on."""
        return task_graph.walk_dependencies(self, method)

    # --- hierarchy ----------------------------------------------------------

    @property
    def is_leaf(self) -> bool:
        """True when the task has no children."""
        return not self.children

    @property
    def is_container(self) -> bool:
        """True when the task has children."""
        return bool(self.children)

    @property
    def is_root(self) -> bool:
        """True when the task has no parent."""
        return self.parent is None

    @property
    def parents(self) -> list[Task]:
        """The parents of this task, from the root down to its direct parent."""
        return list(reversed(task_graph.ancestors(self)))

    def walk_hierarchy(self, method: str = "depth") -> Iterator[Task]:
        """Yield this task and every task below it."""
        return task_graph.walk_hierarchy(self, method)

    @property
    def inherited_responsible(self) -> list[User]:
        """``responsible``, or else the nearest parent's that has any."""
        node: Task | None = self
        while node is not None:
            if node.responsible:
                return list(node.responsible)
            node = node.parent
        return []

    # --- time ---------------------------------------------------------------

    @property
    def schedule_seconds(self) -> float:
        """A leaf's schedule in seconds; a container's children's sum (cached)."""
        if self.child_count:
            return float(self.schedule_seconds_cache or 0.0)
        return task_rollup.own_schedule_seconds(self)

    @property
    def total_logged_seconds(self) -> float:
        """Seconds logged on this task (a container: below it)."""
        return float(self.total_logged_seconds_cache or 0.0)

    @property
    def remaining_seconds(self) -> float:
        """``schedule_seconds - total_logged_seconds``, never negative."""
        return max(0.0, self.schedule_seconds - self.total_logged_seconds)

    @property
    def percent_complete(self) -> float:
        """How much of the schedule is done, 0-100 (100 when CMPL or STOP)."""
        if self.child_count:
            total = float(self.schedule_seconds_cache or 0.0)
            done = float(self.completed_seconds_cache or 0.0)
            return min(100.0, 100.0 * done / total) if total > 0 else 0.0
        if task_status.code_of(self) in task_status.DONE:
            return 100.0
        total = self.schedule_seconds
        if total <= 0:
            return 0.0
        return min(100.0, 100.0 * self.total_logged_seconds / total)

    _tjp_kind: ClassVar[str | None] = "Task"

    @property
    def tjp_abs_id(self) -> str:
        """The dotted TaskJuggler path of this task: ``Project_1.Task_4.Task_9``."""
        parent = self.parent
        above = parent.tjp_abs_id if parent is not None else self.project.tjp_id
        return f"{above}.{self.tjp_id}"

    @property
    def to_tjp(self) -> str:
        """This task as TaskJuggler text (see :func:`stalker_core.scheduling.to_tjp`)."""
        return service("to_tjp")(self)

    # --- status actions (see task_workflow) ---------------------------------

    def request_review(self) -> list[Review]:
        """WIP -> PREV; one review per responsible. Returns the new reviews."""
        return task_workflow.request_review(self)

    def review_set(self, review_number: int | None = None) -> list[Review]:
        """The reviews numbered ``review_number``; without it, the latest set (Stalker's API).

        :raises StalkerTypeError: ``review_number`` is not an int.
        :raises ValidationError: ``review_number`` is below 1.
        """
        if review_number is None:
            return task_workflow.current_reviews(self)
        if isinstance(review_number, bool) or not isinstance(review_number, int):
            raise type_error(
                f"{type(self).__name__}.review_set()", "review_number", "an int (1 or more)",
                review_number,
            )
        if review_number < 1:
            raise value_error(
                f"{type(self).__name__}.review_set()", "review_number", "1 or more",
                review_number,
            )
        return [r for r in self.reviews if r.review_number == review_number]

    def create_time_log(self, resource: User, start: dt.datetime, end: dt.datetime) -> TimeLog:
        """Log that ``resource`` worked on this task from ``start`` to ``end`` (Stalker's API).

        The same as ``TimeLog(task=self, resource=resource, start=start, end=end)``,
        with all its checks (leaf task, status, dependencies, over-booking).
        """
        return cast("TimeLog", mapped_class("TimeLog")(
            task=self, resource=resource, start=start, end=end
        ))

    def request_revision(
        self,
        reviewer: User | None = None,
        schedule_timing: float = 0.0,
        schedule_unit: str = "h",
        description: str = "",
    ) -> Review:
        """PREV or CMPL -> HREV (through a review); extends the schedule."""
        return task_workflow.request_revision(
            self, reviewer, schedule_timing, schedule_unit, description
        )

    def approve(self, reviewer: User | None = None) -> list[Review]:
        """Approve the pending review(s); all approved: CMPL."""
        return task_workflow.approve(self, reviewer)

    def hold(self) -> None:
        """Put the task on hold (OH)."""
        task_workflow.hold(self)

    def stop(self) -> None:
        """Stop the task (STOP): finished as it is, schedule clamped to the logged time."""
        task_workflow.stop(self)

    def resume(self) -> None:
        """OH/STOP -> WIP (RTS/WFD when nothing was logged)."""
        task_workflow.resume(self)


#: the defaults declared on Task's own columns (priority, schedule_*, roll-up caches, ...);
#: a new task holds them at once (see ``Task.__init__``), a TaskBatch row too
_COLUMN_DEFAULTS = declared_defaults(cast(Table, Task.__table__))


def task_defaults() -> dict[str, Any]:
    """What a new task holds unless given: the defaults declared on Task's own columns.

    :returns: attribute name -> value, e.g. ``{"priority": 500, "schedule_unit": "h", ...}``.
    """
    return {key: default.arg for key, default in _COLUMN_DEFAULTS.items()}


def _settled(task: Task) -> bool:
    """False while ``Task.__init__`` runs (it settles roll-ups once at its end)."""
    return "_constructing" not in task.__dict__


def _parent_changes(target: Task, value: Task | None, old: Task | None) -> None:
    """Move ``target``'s roll-ups from ``old`` to ``value`` (validated already)."""
    if old is value:
        return
    session = object_session(target)
    # the parents' counts and sums first, while their stored chains are the ones in memory
    if old is not None:
        task_rollup.detach_from_parent(target, old)
    if value is not None:
        task_rollup.attach_to_parent(target, value)
    if session is not None and sa_inspect(target).key is not None:
        task_ancestry.note_move(session)  # the stored hierarchy differs until the flush
    if old is not None and not old.child_count:
        _leaf_again(old)
    if target.status_id is None and target.__dict__.get("status") is None:
        return  # a new task: its parents are settled at flush
    if session is not None and target not in session.deleted:
        # the dependencies it inherits change with its parents
        task_status.moving(target, value)
    # the validator runs before ``parent`` is set: say who moves where
    if old is not None:
        task_status.parent_changed(old, leaving=target)
    if value is not None:
        task_status.parent_changed(value, joining=target)


def _leaf_again(task: Task) -> None:
    """``task`` lost its last child: its status is a leaf's again, not a derived one.

    WIP when it has time logged, else RTS or WFD as its dependencies say (a
    task outside a session, or without a status yet, gets it at flush).
    """
    if object_session(task) is None or task_status.code_of(task) is None:
        return
    code = "WIP" if task.total_logged_seconds_cache else task_status.initial_code(task)
    if task_status.code_of(task) != code:
        task_status.set_status(task, code)


@event.listens_for(Task.children, "bulk_replace")
def _children_replaced(target: Task, values: list[Any], _initiator: Any) -> None:
    """``task.children = [...]``: the children left out leave through ``parent = None``.

    SQLAlchemy drops their ``parent`` without the validator when it is not
    loaded (a backref pops it), which would leave ``target``'s child count and
    sums as they were; those joining come through the validator already.
    """
    if not _settled(target):
        return
    session = object_session(target)
    keep = {id(v) for v in values}
    with session.no_autoflush if session is not None else nullcontext():
        for child in list(target.children):
            if id(child) not in keep:
                child.parent = None


@event.listens_for(Task.task_depends_on, "remove")
def _dependency_removed(target: Task, value: Any, _initiator: Any) -> None:
    """A dependency row taken out of ``task_depends_on``: the leaves that waited move now."""
    if not target.__dict__.get("_in_view_edit") and _settled(target):
        task_status.dependencies_changed(target, without=(value,))


@event.listens_for(Task.status, "set")
def _status_set(target: Task, value: Any, _old: Any, _initiator: Any) -> None:
    if target.child_count or not _settled(target):
        return
    session = object_session(target)
    if session is not None and not task_status.is_being_set(session, target):
        # a direct ``task.status = ...`` also re-derives the parent (at flush),
        # loaded when it is not yet; set_status() re-derives it at once
        if "parent" in target.__dict__:
            parent = target.__dict__["parent"]
        elif target.parent_id is not None:
            with session.no_autoflush:
                parent = target.parent
        else:
            parent = None
        if parent is not None:
            task_status.queue_refresh(session, parent)
    # only "done or not" changes the completed part of a leaf
    old_done = task_status.code_of(target) in task_status.DONE
    new_done = getattr(value, "code", None) in task_status.DONE
    if old_done != new_done:
        task_rollup.leaf_changed(target, keep_schedule=True, status=value)
