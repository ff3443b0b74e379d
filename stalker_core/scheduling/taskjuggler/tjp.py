"""TaskJuggler (``.tjp``) text of studios, users, departments, projects and tasks.

:func:`render_problem` writes a whole :class:`~stalker_core.scheduling.data.Problem`
(the studio header with working hours, resources with efficiency and
vacations, the task tree with efforts, allocations, alternatives,
dependencies with gaps, priorities, constraints and time logs as bookings);
:func:`tjp_file` frames it as the file tj3 runs. :func:`to_tjp` gives the
text of one model object, as the tutorial prints it
(``print(my_studio.to_tjp)``). Amounts are written in hours, converted with
the studio's work calendar, so tj3 and the native scheduler agree on units.

TaskJuggler ids: ``Studio_<id>``, ``Project_<id>``, ``Task_<id>``, ``User_<id>``,
``Department_<id>``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from stalker_core.exceptions import StalkerTypeError
from stalker_core.scheduling.calendar import UTC, align_up, to_zone
from stalker_core.scheduling.data import (
    CONSTRAIN_BOTH,
    CONSTRAIN_END,
    CONSTRAIN_START,
    WEEKDAYS,
    Dependency,
    Problem,
    Resource,
    TaskSpec,
)
from stalker_core.units import DEFAULT_CALENDAR, WorkCalendar

#: time zone names tj3 refuses, and what to write instead
TJ3_ZONES: dict[str, str] = {
    "Etc/UTC": "UTC", "Etc/Universal": "UTC", "Universal": "UTC", "Zulu": "UTC",
    "Etc/Zulu": "UTC", "UCT": "UTC", "Etc/UCT": "UTC", "GMT": "UTC", "Etc/GMT": "UTC",
    "GMT0": "UTC", "Etc/GMT0": "UTC", "Etc/GMT-0": "UTC", "Etc/GMT+0": "UTC",
    "Greenwich": "UTC", "Etc/Greenwich": "UTC", "Z": "UTC",
}


def tj3_zone(name: str) -> str:
    """The time zone name to write for tj3 (maps names tj3 refuses, e.g. ``Etc/UTC``)."""
    return TJ3_ZONES.get(name, name)


#: ``${`` starts a macro call and ``$(`` an environment variable, even inside a tjp string
_EXPANSION = re.compile(r"\$(?=[{(])")


def quote(text: str) -> str:
    """A tjp string literal for ``text`` (a name or label), safe for tj3 to read.

    tj3 strings know one escape, ``\\"`` for a quote; a backslash stands for
    itself. tj3 expands ``${macro}`` and ``$(VARIABLE)`` even inside a string,
    and has no escape for them, so a ``$`` before ``{`` or ``(`` is written
    ``"$ "``; line breaks become spaces (a task's text stays on its own line,
    which error messages rely on), and a trailing backslash is followed by a
    space so that it cannot escape the closing quote. The labels are only
    shown by tj3: plans are read back by id.
    """
    body = " ".join(str(text).splitlines())
    body = _EXPANSION.sub("$ ", body).replace('"', '\\"')
    if body.endswith("\\"):
        body += " "
    return f'"{body}"'


def fmt_date(moment: dt.datetime, tz: dt.tzinfo = UTC) -> str:
    """``YYYY-MM-DD-hh:mm`` in ``tz``."""
    return moment.astimezone(tz).strftime("%Y-%m-%d-%H:%M")


def fmt_hours(seconds: float) -> str:
    """Seconds as tjp hours (``"90.0h"``) or minutes when not whole hours."""
    if seconds % 3600 == 0:
        return f"{seconds / 3600:.1f}h"
    return f"{math.ceil(seconds / 60)}min"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def working_hours_lines(hours: dict[str, list[list[int]]]) -> list[str]:
    """``workinghours`` lines, days with equal hours grouped."""
    groups: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for day in WEEKDAYS:
        key = tuple((int(a), int(b)) for a, b in sorted(hours.get(day, []) or []))
        groups.setdefault(key, []).append(day)
    out = []
    for key, days in groups.items():
        spans = ", ".join(f"{_clock(a)} - {_clock(b)}" for a, b in key) if key else "off"
        out.append(f"workinghours {', '.join(days)} {spans}")
    return out


def leaves_line(kind: str, start: dt.datetime, end: dt.datetime, tz: dt.tzinfo,
                name: str | None = None) -> str:
    """A ``leaves`` line (``holiday`` for studio-wide, ``annual`` for a user)."""
    label = f" {quote(name)}" if name else ""
    return f"leaves {kind}{label} {fmt_date(start, tz)} - {fmt_date(end, tz)}"


def render_resource(r: Resource, tz: dt.tzinfo = UTC, hours: dict[str, Any] | None = None,
                    indent: str = "") -> list[str]:
    """Lines of a ``resource`` block."""
    lines = [f"{indent}resource User_{r.id} {quote(r.name)} {{"]
    lines.append(f"{indent}  efficiency {float(r.efficiency)}")
    if hours is not None:
        lines.extend(f"{indent}  {line}" for line in working_hours_lines(hours))
    for s, e in sorted(r.vacations):
        lines.append(f"{indent}  {leaves_line('annual', s, e, tz)}")
    lines.append(f"{indent}}}")
    return lines


class _TaskWriter:
    """Writes task trees; remembers which output line belongs to which task."""

    def __init__(self, tasks: dict[int, TaskSpec], calendar: WorkCalendar, tz: dt.tzinfo,
                 path_of: dict[int, str] | None = None) -> None:
        self.tasks = tasks
        self.cal = calendar
        self.tz = tz
        self.children: dict[int, list[int]] = {}
        for t in tasks.values():
            if t.parent_id is not None and t.parent_id in tasks:
                self.children.setdefault(t.parent_id, []).append(t.id)
        for v in self.children.values():
            v.sort()
        self.path_of = path_of if path_of is not None else {}
        self.line_task: dict[int, int] = {}

    def path(self, tid: int) -> str:
        got = self.path_of.get(tid)
        if got is None:
            t = self.tasks[tid]
            parent = self.path(t.parent_id) if t.parent_id in self.tasks else (
                f"Project_{t.project_id}")
            got = self.path_of[tid] = f"{parent}.Task_{tid}"
        return got

    def dep_line(self, d: Dependency) -> str:
        target = self.path(d.depends_on) if d.depends_on in self.tasks else (
            self.path_of.get(d.depends_on, f"Task_{d.depends_on}"))
        attrs = []
        if d.gap_timing:
            model = "duration" if d.gap_model == "duration" else "length"
            secs = self.cal.to_seconds(d.gap_timing, d.gap_unit, model)
            attrs.append(f"gap{model} {fmt_hours(secs)}")
        attrs.append("onstart" if d.target == "onstart" else "onend")
        return f"depends {target} {{{' '.join(attrs)}}}"

    def write(self, tid: int, out: list[str], indent: str) -> None:
        t = self.tasks[tid]
        tz = self.tz
        self.line_task[len(out) + 1] = tid
        out.append(f"{indent}task Task_{tid} {quote(t.name)} {{")
        inner = indent + "  "
        body: list[str] = []
        kids = self.children.get(tid)
        body.append(f"priority {min(max(int(t.priority), 1), 1000)}")
        if t.depends:
            body.extend(self.dep_line(d) for d in t.depends)
        if t.constraint in (CONSTRAIN_START, CONSTRAIN_BOTH) and t.start is not None:
            body.append(f"start {fmt_date(t.start, tz)}")
        if t.constraint in (CONSTRAIN_END, CONSTRAIN_BOTH) and t.end is not None:
            body.append(f"end {fmt_date(t.end, tz)}")
            if t.constraint == CONSTRAIN_END:
                body.append("scheduling alap")
        if not kids:
            if t.milestone:
                body.append("milestone")
            elif t.constraint != CONSTRAIN_BOTH:
                secs = self.cal.to_seconds(t.timing, t.unit, t.model)
                body.append(f"{t.effective_model} {fmt_hours(secs)}")
            prim = list(t.resources) or list(t.alternatives[:1])
            alts = [a for a in t.alternatives if a not in prim]
            for r in prim:
                if alts:
                    opts = [f"alternative {', '.join(f'User_{a}' for a in alts)}",
                            f"select {t.strategy}"]
                    if t.persistent:
                        opts.append("persistent")
                    body.append(f"allocate User_{r} {{{' '.join(opts)}}}")
                else:
                    body.append(f"allocate User_{r}")
            for lg in sorted(t.time_logs, key=lambda x: (x.start, x.resource)):
                body.append(
                    f"booking User_{lg.resource} {fmt_date(lg.start, tz)} - "
                    f"{fmt_date(lg.end, tz)} {{overtime 2}}"
                )
        for line in body:
            self.line_task[len(out) + 1] = tid
            out.append(inner + line)
        for k in kids or ():
            self.write(k, out, inner)
        out.append(f"{indent}}}")


def studio_header(problem: Problem, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The ``project`` block: range, resolution, now, working hours, time zone."""
    tzname = tj3_zone(problem.timezone)
    tz = to_zone(problem.timezone)
    cal = problem.calendar
    daily = cal.daily_working_hours
    lines = [
        f"project Studio_{problem.studio_id} {quote(problem.studio_name)} "
        f"{fmt_date(start, tz)} - {fmt_date(end, tz)} {{",
        f"  timingresolution {max(problem.resolution // 60, 1)}min",
        f"  now {fmt_date(max(problem.now, start), tz)}",
        f"  dailyworkinghours {int(daily) if float(daily).is_integer() else daily}",
        f"  yearlyworkingdays {cal.yearly_working_days:g}",
        "  weekstartsmonday",
    ]
    lines.extend("  " + line for line in working_hours_lines(problem.working_hours))
    lines += [
        '  timeformat "%Y-%m-%d"',
        '  scenario plan "Plan"',
        "  trackingscenario plan",
        f"  timezone {quote(tzname)}",
        "}",
    ]
    return lines


def render_problem(problem: Problem, *, start: dt.datetime | None = None,
                   end: dt.datetime | None = None) -> tuple[str, dict[int, int]]:
    """The whole tjp text of ``problem`` (without report); also ``line -> task id``."""
    tz = to_zone(problem.timezone)
    start = start or problem.now
    end = end or problem.end or (start + dt.timedelta(days=365))
    out = studio_header(problem, start, end)
    out.append("")
    for s, e in sorted(problem.holidays):
        out.append(leaves_line("holiday", s, e, tz, "Studio vacation"))
    for r in sorted(problem.resources.values(), key=lambda r: r.id):
        out.extend(render_resource(r, tz, problem.working_hours))
    writer = _TaskWriter(problem.tasks, problem.calendar, tz)
    roots: dict[int, list[int]] = {}
    for t in problem.tasks.values():
        if t.parent_id is None or t.parent_id not in problem.tasks:
            roots.setdefault(t.project_id, []).append(t.id)
    for pid in sorted(set(roots) | set(problem.projects)):
        proj = problem.projects.get(pid)
        name = proj.name if proj else f"Project {pid}"
        out.append(f"task Project_{pid} {quote(name)} {{")
        for tid in sorted(roots.get(pid, [])):
            writer.write(tid, out, "  ")
        out.append("}")
    return "\n".join(out) + "\n", writer.line_task


def tjp_file(problem: Problem, report: str | None = None) -> tuple[str, dict[int, int]]:
    """The tjp file tj3 gets for ``problem``; also ``line -> task id``.

    The project span fits the data: it starts at ``now`` aligned to the resolution
    (earlier when time logs or fixed dates lie before it) and ends far enough after
    the latest of ``now``, the fixed dates and the time logs for all the work
    (:func:`estimate_end`), or at the problem's end when that is later. A fixed
    start years ahead is planned by tj3 as by the native scheduler.

    :param report: write a CSV report of every task's start, end and resources to this
        file name (what :class:`~stalker_core.scheduling.taskjuggler.TaskJugglerScheduler`
        reads back).
    """
    origin = align_up(problem.now, problem.resolution)
    moments = [origin]
    for t in problem.tasks.values():
        for lg in t.time_logs:
            moments += [lg.start, lg.end]
        if t.constraint in (CONSTRAIN_START, CONSTRAIN_BOTH) and t.start is not None:
            moments.append(t.start)
        if t.constraint in (CONSTRAIN_END, CONSTRAIN_BOTH) and t.end is not None:
            moments.append(t.end)
    start = min(moments)
    if start < origin:
        start = start.replace(minute=0, second=0, microsecond=0)
    # the span fits the data: after the latest fixed date there is room for all the work
    end = estimate_end(problem, after=max(moments))
    if problem.end is not None and problem.end > end:
        end = problem.end
    end = align_up(end, problem.resolution)
    shifted = Problem(**{**problem.__dict__, "now": origin})
    text, lines = render_problem(shifted, start=start, end=end)
    if report is not None:
        text += (
            f'taskreport breakdown "{report}" {{\n'
            "  formats csv\n"
            '  timeformat "%Y-%m-%d-%H:%M"\n'
            "  columns id, start, end, resources\n"
            "  hidetask 0\n"
            "}\n"
        )
    return text, lines


# -- model objects ----------------------------------------------------------------------------
def _calendar_of(obj: Any) -> WorkCalendar:
    cal = getattr(obj, "work_calendar", None)
    return cal if isinstance(cal, WorkCalendar) else DEFAULT_CALENDAR


def _user_resource(user: Any) -> Resource:
    vac = [(v.start, v.end) for v in user.vacations if v.start is not None and v.end is not None]
    return Resource(user.id, user.name, float(user.efficiency if user.efficiency is not None
                                               else 1.0), vac, user.login)


def task_spec(task: Any) -> TaskSpec:
    """A :class:`TaskSpec` from a Task model object (loads its relations one by one)."""
    from stalker_core.scheduling.data import TimeLogEntry

    return TaskSpec(
        id=task.id, name=task.name, project_id=task.project_id or (task.project.id if
                                                                      task.project else 0),
        parent_id=task.parent.id if task.parent is not None else None,
        priority=task.priority if task.priority is not None else 500,
        model=task.schedule_model or "effort", timing=task.schedule_timing or 0.0,
        unit=task.schedule_unit or "h",
        resources=tuple(u.id for u in task.resources),
        alternatives=tuple(u.id for u in task.alternative_resources),
        strategy=task.allocation_strategy or "minallocated",
        persistent=bool(task.persistent_allocation if task.persistent_allocation is not None
                        else True),
        milestone=bool(task.is_milestone), constraint=task.schedule_constraint or 0,
        start=task.start, end=task.end,
        depends=tuple(
            Dependency(d.depends_on.id, d.dependency_target or "onend", d.gap_timing or 0.0,
                       d.gap_unit or "h", d.gap_model or "length")
            for d in task.task_depends_on
        ),
        time_logs=tuple(TimeLogEntry(lg.resource.id, lg.start, lg.end) for lg in task.time_logs),
    )


def _task_tree(task: Any) -> tuple[dict[int, TaskSpec], dict[int, str]]:
    specs: dict[int, TaskSpec] = {}
    stack = [task]
    while stack:
        t = stack.pop()
        specs[t.id] = task_spec(t)
        stack.extend(t.children)
    paths: dict[int, str] = {}

    def path(t: Any) -> str:
        chain = []
        while t is not None:
            chain.append(f"Task_{t.id}")
            proj = t.project
            t = t.parent
        chain.append(f"Project_{proj.id if proj is not None else 0}")
        return ".".join(reversed(chain))

    paths[task.id] = path(task)
    specs[task.id].parent_id = None
    for t in specs.values():
        for d in t.depends:
            if d.depends_on not in specs:
                from sqlalchemy.orm import object_session

                from stalker_core.models import Task

                sess = object_session(task)
                other = sess.get(Task, d.depends_on) if sess is not None else None
                if other is not None:
                    paths[d.depends_on] = path(other)
    return specs, paths


def to_tjp(obj: Any) -> str:
    """The TaskJuggler text of a Studio, User, Department, Project, Task, Vacation or
    WorkingHours object.

    :raises StalkerTypeError: for any other object.
    """
    kind = type(obj).__name__
    from stalker_core.models import (
        Department,
        Project,
        Studio,
        Task,
        User,
        Vacation,
        WorkingHours,
    )

    if isinstance(obj, Studio):
        from stalker_core.scheduling.loader import load_problem

        text, _ = tjp_file(load_problem(obj))
        return text
    if isinstance(obj, WorkingHours):
        return "\n".join(working_hours_lines(obj.working_hours or {}))
    if isinstance(obj, Vacation):
        if obj.start is None or obj.end is None:
            return ""
        if obj.user is None:
            return leaves_line("holiday", obj.start, obj.end, UTC, obj.name or "Vacation")
        return leaves_line("annual", obj.start, obj.end, UTC)
    if isinstance(obj, User):
        return "\n".join(render_resource(_user_resource(obj)))
    if isinstance(obj, Department):
        lines = [f"resource Department_{obj.id} {quote(obj.name)} {{"]
        for u in obj.users:
            lines.extend(render_resource(_user_resource(u), indent="  "))
        lines.append("}")
        return "\n".join(lines)
    if isinstance(obj, Task):
        specs, paths = _task_tree(obj)
        out: list[str] = []
        _TaskWriter(specs, _calendar_of(obj), UTC, paths).write(obj.id, out, "")
        return "\n".join(out)
    if isinstance(obj, Project):
        pspecs = {t.id: task_spec(t) for t in obj.tasks}
        writer = _TaskWriter(pspecs, DEFAULT_CALENDAR, UTC, {})
        lines = [f"task Project_{obj.id} {quote(obj.name)} {{"]
        for spec in sorted(pspecs.values(), key=lambda s: s.id):
            if spec.parent_id is None or spec.parent_id not in pspecs:
                writer.write(spec.id, lines, "  ")
        lines.append("}")
        return "\n".join(lines)
    raise StalkerTypeError(
        "to_tjp() takes a Studio, User, Department, Project, Task, Vacation or "
        f"WorkingHours, not {kind}"
    )


def estimate_end(problem: Problem, *, after: dt.datetime | None = None) -> dt.datetime:
    """An end date far enough for the work in ``problem`` (for tj3's project range).

    :param after: the work may start this late (the latest fixed date); default ``now``.
    """
    total = sum(problem.effort_seconds(t) for t in problem.tasks.values())
    people = max(1, len(problem.resources))
    daily = problem.calendar.daily_working_hours * 3600
    days = total / people / daily * 7 / 5
    end = max(after or problem.now, problem.now) + dt.timedelta(
        days=math.ceil(max(365.0, days * 3 + 180))
    )
    return end.replace(hour=0, minute=0, second=0, microsecond=0)
