"""Plain data a scheduler works on, and the plan it returns.

Everything here is independent of the database: the loader
(:mod:`stalker_core.scheduling.loader`) fills a :class:`Problem` in a few bulk
queries, a scheduler turns it into a :class:`Plan`, and the write-back step
stores the plan. Tests and benchmarks build problems directly.

All datetimes are time-zone aware. Schedule amounts are kept as given
(``timing`` + ``unit`` + ``model``) and converted with :attr:`Problem.calendar`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stalker_core.units import DEFAULT_CALENDAR, WorkCalendar

Interval = tuple[dt.datetime, dt.datetime]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: 09:00-18:00 Monday to Friday (minutes since midnight), as the studio default.
DEFAULT_WORKING_HOURS: dict[str, list[list[int]]] = {
    **{d: [[540, 1080]] for d in WEEKDAYS[:5]},
    "sat": [],
    "sun": [],
}

#: schedule_constraint values (as in Stalker): none, fixed start, fixed end, both.
CONSTRAIN_NONE, CONSTRAIN_START, CONSTRAIN_END, CONSTRAIN_BOTH = 0, 1, 2, 3

#: allocation strategies for alternative resources (TaskJuggler's names).
STRATEGIES: tuple[str, ...] = ("minallocated", "maxloaded", "minloaded", "order", "random")


@dataclass
class Resource:
    """A user who can be allocated: efficiency and own vacations."""

    id: int
    name: str
    efficiency: float = 1.0
    vacations: list[Interval] = field(default_factory=list)
    login: str = ""


@dataclass
class Dependency:
    """``depends_on`` must end (``onend``) or start (``onstart``) before the task starts.

    The gap is ``gap_timing`` ``gap_unit`` of ``gap_model`` (``length`` =
    working time of the studio calendar, ``duration`` = calendar time).
    """

    depends_on: int
    target: str = "onend"
    gap_timing: float = 0.0
    gap_unit: str = "h"
    gap_model: str = "length"


@dataclass
class TimeLogEntry:
    """Work already done: ``resource`` worked from ``start`` to ``end``."""

    resource: int
    start: dt.datetime
    end: dt.datetime


@dataclass
class TaskSpec:
    """One task (leaf or container) as the scheduler sees it."""

    id: int
    name: str
    project_id: int
    parent_id: int | None = None
    priority: int = 500
    model: str = "effort"
    timing: float = 1.0
    unit: str = "h"
    resources: tuple[int, ...] = ()
    alternatives: tuple[int, ...] = ()
    strategy: str = "minallocated"
    persistent: bool = True
    milestone: bool = False
    constraint: int = CONSTRAIN_NONE
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    depends: tuple[Dependency, ...] = ()
    time_logs: tuple[TimeLogEntry, ...] = ()

    @property
    def effective_model(self) -> str:
        """The model used: an ``effort`` task nobody is allocated to is planned by ``length``
        (working time of the calendar), with a warning."""
        if self.model == "effort" and not self.resources and not self.alternatives:
            return "length"
        return self.model


@dataclass
class ProjectSpec:
    """A project: its tasks are the TaskSpecs with this ``project_id``."""

    id: int
    name: str
    code: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None


@dataclass
class Problem:
    """Everything needed to schedule a studio.

    :param now: nothing new is scheduled before it.
    :param working_hours: ``{"mon": [[540, 1080]], ...}`` minutes since midnight, local time
        of ``timezone``.
    :param holidays: studio-wide vacations.
    :param busy: resource time blocked by things not scheduled now (tasks of other projects,
        time logs of other tasks): ``(resource_id, start, end)``.
    """

    now: dt.datetime
    tasks: dict[int, TaskSpec]
    resources: dict[int, Resource]
    projects: dict[int, ProjectSpec] = field(default_factory=dict)
    working_hours: dict[str, list[list[int]]] = field(
        default_factory=lambda: {k: [list(i) for i in v] for k, v in DEFAULT_WORKING_HOURS.items()}
    )
    timezone: str = "UTC"
    resolution: int = 3600
    calendar: WorkCalendar = DEFAULT_CALENDAR
    holidays: list[Interval] = field(default_factory=list)
    busy: list[tuple[int, dt.datetime, dt.datetime]] = field(default_factory=list)
    studio_id: int = 0
    studio_name: str = "Studio"
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    def children_map(self) -> dict[int, list[int]]:
        """``parent id -> child ids`` (sorted) for tasks in this problem."""
        out: dict[int, list[int]] = {}
        for t in self.tasks.values():
            if t.parent_id is not None and t.parent_id in self.tasks:
                out.setdefault(t.parent_id, []).append(t.id)
        for v in out.values():
            v.sort()
        return out

    def effort_seconds(self, task: TaskSpec) -> float:
        """The task's schedule timing in seconds under its model."""
        return self.calendar.to_seconds(task.timing, task.unit, task.model)

    def gap_seconds(self, dep: Dependency) -> float:
        """The dependency gap in seconds under its model."""
        model = "duration" if dep.gap_model == "duration" else "length"
        return self.calendar.to_seconds(dep.gap_timing, dep.gap_unit, model)


@dataclass
class TaskPlan:
    """The computed schedule of one task.

    ``bookings`` are ``(resource_id, start, end)`` intervals of resource work
    planned by the scheduler (empty for containers, milestones and plans read
    from TaskJuggler, which does not report them).
    """

    task_id: int
    start: dt.datetime | None
    end: dt.datetime | None
    resources: tuple[int, ...] = ()
    bookings: list[tuple[int, dt.datetime, dt.datetime]] = field(default_factory=list)


@dataclass
class Plan:
    """A schedule: one :class:`TaskPlan` per task, plus diagnostics."""

    tasks: dict[int, TaskPlan]
    origin: dt.datetime
    scheduler: str = "native"
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    has_bookings: bool = True
    iterations: int = 0
    plain_makespan: dt.timedelta | None = None

    @property
    def end(self) -> dt.datetime | None:
        """The latest task end, ``None`` for an empty plan."""
        ends = [p.end for p in self.tasks.values() if p.end is not None]
        return max(ends) if ends else None

    @property
    def makespan(self) -> dt.timedelta:
        """Time from :attr:`origin` (the scheduling start) to the latest task end."""
        end = self.end
        return dt.timedelta(0) if end is None else max(end - self.origin, dt.timedelta(0))
