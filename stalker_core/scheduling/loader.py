"""Bulk loading of a studio's scheduling data, and bulk write-back of a plan.

:func:`load_problem` reads everything in a fixed number of queries (projects,
tasks, dependencies, resources, alternatives, users, vacations, time logs and,
when only some projects are scheduled, what the other projects already
booked), never touching a lazy relationship per task. :func:`write_plan`
stores ``computed_start``, ``computed_end`` and ``computed_resources`` with
a few executemany statements and refreshes the affected objects in the session.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, insert, select

from stalker_core.scheduling.data import (
    DEFAULT_WORKING_HOURS,
    Dependency,
    Plan,
    Problem,
    ProjectSpec,
    Resource,
    TaskSpec,
    TimeLogEntry,
)
from stalker_core.units import DEFAULT_CALENDAR, WorkCalendar


def _session_of(studio: Any, session: Any) -> Any:
    if session is not None:
        return session
    from sqlalchemy.orm import object_session

    got = object_session(studio)
    if got is not None:
        return got
    from stalker_core.orm.session import DBSession

    return DBSession


def project_ids(session: Any, projects: Iterable[Any] | None) -> list[int]:
    """Ids of ``projects`` (objects or ids); all projects when ``None``."""
    from stalker_core.models import Project

    if projects is None:
        return list(session.execute(select(Project.id).order_by(Project.id)).scalars())
    out = []
    for p in projects:
        out.append(int(p) if isinstance(p, int) else int(p.id))
    return sorted(set(out))


def studio_calendar(studio: Any) -> WorkCalendar:
    """The studio's :class:`WorkCalendar` (``studio.work_calendar`` when the model has it)."""
    if getattr(studio, "working_hours_obj", None) is None:
        return DEFAULT_CALENDAR  # do not create a WorkingHours row just by reading
    cal = getattr(studio, "work_calendar", None)
    if isinstance(cal, WorkCalendar):
        return cal
    return DEFAULT_CALENDAR


def studio_working_hours(studio: Any) -> dict[str, list[list[int]]]:
    """The studio's working hours as ``{"mon": [[540, 1080]], ...}``."""
    wh = getattr(studio, "working_hours_obj", None)
    data = getattr(wh, "working_hours", None) if wh is not None else None
    if not data:
        return {k: [list(i) for i in v] for k, v in DEFAULT_WORKING_HOURS.items()}
    return {k: [list(i) for i in v] for k, v in data.items()}


def load_problem(
    studio: Any,
    *,
    session: Any = None,
    projects: Iterable[Any] | None = None,
    now: dt.datetime | None = None,
    timezone: str | None = None,
) -> Problem:
    """Read the scheduling data of ``studio`` in bulk.

    :param projects: schedule only these projects (objects or ids); the time other
        projects already booked (their computed resources) is then kept busy.
    :param now: nothing new is planned before it (default: the current time).
    """
    from stalker_core.models import Project, Task, TaskDependency, TimeLog, User, Vacation
    from stalker_core.models.task.model import (
        task_alternative_resources,
        task_computed_resources,
        task_resources,
    )
    from stalker_core.models.types import utc_now

    session = _session_of(studio, session)
    pids = project_ids(session, projects)
    tt = Task.__table__
    in_scope = tt.c.project_id.in_(pids)

    # Core columns of the tables (not the mapped attributes): the rows come back as plain
    # tuples without the ORM's per-row loading machinery
    pt: Any = Project.__table__
    names = Task.__mapper__.c.name.table  # the base table holding every entity's name
    proj_rows = session.execute(
        select(pt.c.id, names.c.name, pt.c.code, pt.c.start, pt.c.end)
        .select_from(pt.join(names, names.c.id == pt.c.id)).where(pt.c.id.in_(pids))
    ).all()
    task_rows = session.execute(
        select(
            tt.c.id, names.c.name, tt.c.project_id, tt.c.parent_id, tt.c.priority,
            tt.c.schedule_model, tt.c.schedule_timing, tt.c.schedule_unit,
            tt.c.allocation_strategy, tt.c.persistent_allocation, tt.c.is_milestone,
            tt.c.schedule_constraint, tt.c.start, tt.c.end,
        ).select_from(tt.join(names, names.c.id == tt.c.id)).where(in_scope)
    ).all()
    td = TaskDependency.__table__
    dep_rows = session.execute(
        select(td.c.task_id, td.c.depends_on_id, td.c.dependency_target, td.c.gap_timing,
               td.c.gap_unit, td.c.gap_model)
        .join(tt, tt.c.id == td.c.task_id).where(in_scope)
        .order_by(td.c.task_id, td.c.depends_on_id)
    ).all()

    def links(table: Any) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        rows = session.execute(
            select(table.c.task_id, table.c.user_id).join(tt, tt.c.id == table.c.task_id)
            .where(in_scope).order_by(table.c.task_id, table.c.user_id)
        ).all()
        for tid, uid in rows:
            out[tid].append(uid)
        return out

    res = links(task_resources)
    alts = links(task_alternative_resources)
    tl = TimeLog.__table__
    log_rows = session.execute(
        select(tl.c.task_id, tl.c.resource_id, tl.c.start, tl.c.end)
        .join(tt, tt.c.id == tl.c.task_id).where(in_scope)
        .order_by(tl.c.task_id, tl.c.start)
    ).all()
    ut: Any = User.__table__
    user_rows = session.execute(
        select(ut.c.id, names.c.name, ut.c.login, ut.c.efficiency)
        .select_from(ut.join(names, names.c.id == ut.c.id)).order_by(ut.c.id)
    ).all()
    vt = Vacation.__table__
    vac_rows = session.execute(select(vt.c.user_id, vt.c.start, vt.c.end)).all()

    now = now or utc_now()
    busy: list[tuple[int, dt.datetime, dt.datetime]] = []
    if projects is not None:
        other = ~tt.c.project_id.in_(pids)
        tcr = task_computed_resources
        for uid, s, e in session.execute(
            select(tcr.c.user_id, tt.c.computed_start, tt.c.computed_end)
            .join(tt, tt.c.id == tcr.c.task_id)
            .where(other, tt.c.computed_end > now)
        ).all():
            if s is not None and e is not None:
                busy.append((uid, s, e))
        for uid, s, e in session.execute(
            select(tl.c.resource_id, tl.c.start, tl.c.end).join(tt, tt.c.id == tl.c.task_id)
            .where(other, tl.c.end > now)
        ).all():
            busy.append((uid, s, e))

    logs: dict[int, list[TimeLogEntry]] = defaultdict(list)
    for tid, uid, s, e in log_rows:
        if s is not None and e is not None:
            logs[tid].append(TimeLogEntry(uid, s, e))
    deps: dict[int, list[Dependency]] = defaultdict(list)
    for tid, did, target, gt, gu, gm in dep_rows:
        deps[tid].append(Dependency(did, target or "onend", gt or 0.0, gu or "h", gm or "length"))
    tasks: dict[int, TaskSpec] = {}
    for (tid, name, pid, parent, prio, model, timing, unit, strategy, persistent, milestone,
         constraint, start, end) in task_rows:
        tasks[tid] = TaskSpec(
            id=tid, name=name or f"Task {tid}", project_id=pid, parent_id=parent,
            priority=500 if prio is None else prio, model=model or "effort",
            timing=timing or 0.0, unit=unit or "h", resources=tuple(res.get(tid, ())),
            alternatives=tuple(alts.get(tid, ())), strategy=strategy or "minallocated",
            persistent=True if persistent is None else bool(persistent),
            milestone=bool(milestone), constraint=constraint or 0, start=start, end=end,
            depends=tuple(deps.get(tid, ())), time_logs=tuple(logs.get(tid, ())),
        )
    vacations: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    holidays = []
    for uid, s, e in vac_rows:
        if s is None or e is None:
            continue
        if uid is None:
            holidays.append((s, e))
        else:
            vacations[uid].append((s, e))
    resources = {
        uid: Resource(uid, name or login, 1.0 if eff is None else float(eff),
                      sorted(vacations.get(uid, [])), login or "")
        for uid, name, login, eff in user_rows
    }
    return Problem(
        now=now,
        tasks=tasks,
        resources=resources,
        projects={pid: ProjectSpec(pid, name, code or "", s, e)
                  for pid, name, code, s, e in proj_rows},
        working_hours=studio_working_hours(studio),
        timezone=timezone or getattr(studio, "timezone", None) or "UTC",
        resolution=int(getattr(studio, "timing_resolution_seconds", None) or 3600),
        calendar=studio_calendar(studio),
        holidays=sorted(holidays),
        busy=busy,
        studio_id=studio.id or 0,
        studio_name=studio.name or "Studio",
        start=getattr(studio, "start", None),
        end=getattr(studio, "end", None),
    )


def _driver_value(proc: Any, dialect: Any) -> Any:
    """``proc`` followed by the adaptation the driver would make of its result (the pysqlite
    driver turns datetimes into text with its registered adapters, once per row otherwise)."""
    import sqlite3

    adapt = getattr(sqlite3, "adapt", None)
    if dialect.driver != "pysqlite" or adapt is None:
        return proc

    def both(value: Any) -> Any:
        value = proc(value) if proc is not None else value
        if value is None or isinstance(value, int | float | str | bytes):
            return value
        try:
            return adapt(value)
        except sqlite3.ProgrammingError:  # no adapter: the driver gets the value as it is
            return value

    return both


def _executemany(session: Any, stmt: Any, rows: list[tuple[Any, ...]], names: tuple[str, ...],
                 types: dict[str, Any]) -> None:
    """Run ``stmt`` for every row through the driver's ``executemany`` directly.

    ``rows`` hold the values of the bind parameters ``names`` in that order. The values of
    ``types`` keys are converted once per distinct value with the column types' own bind
    processors (so storage is exactly what SQLAlchemy writes); this skips the per-row
    statement machinery, which costs more than the database for large plans.
    """
    conn = session.connection()
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect)
    procs = [(names.index(k), _driver_value(t.bind_processor(dialect), dialect))
             for k, t in types.items()]
    procs = [(i, proc) for i, proc in procs if proc is not None]
    if procs:
        memo: dict[Any, Any] = {None: None}
        converted: list[tuple[Any, ...]] = []
        for row in rows:
            row_l = list(row)
            for i, proc in procs:
                value = row_l[i]
                got = memo.get(value, memo)
                if got is memo:
                    got = memo[value] = proc(value)
                row_l[i] = got
            converted.append(tuple(row_l))
        rows = converted
    if compiled.positional:
        order = [names.index(k) for k in compiled.positiontup]
        params: Any = (rows if order == list(range(len(names)))
                       else [tuple(row[i] for i in order) for row in rows])
    else:
        params = [dict(zip(names, row, strict=True)) for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def _write_postgresql(session: Any, ids: list[int], starts: list[Any], ends: list[Any],
                      link_tasks: list[int], link_users: list[int]) -> None:
    """PostgreSQL: one statement each, the values sent as arrays and unnested by the server
    (psycopg2's ``executemany`` costs a round trip per row)."""
    from sqlalchemy import DateTime, Integer, any_, func
    from sqlalchemy.dialects.postgresql import ARRAY

    from stalker_core.models import Task
    from stalker_core.models.task.model import task_computed_resources as tcr

    tt: Any = Task.__table__
    ints, stamps = ARRAY(Integer), ARRAY(DateTime(timezone=True))
    rows = func.unnest(bindparam("ids", ids, type_=ints), bindparam("starts", starts, type_=stamps),
                       bindparam("ends", ends, type_=stamps)
                       ).table_valued("id", "s", "e").render_derived(name="plan")
    session.execute(tt.update().where(
        tt.c.id == rows.c.id,
        # rows that keep their dates are not rewritten (a new row version each otherwise)
        tt.c.computed_start.is_distinct_from(rows.c.s)
        | tt.c.computed_end.is_distinct_from(rows.c.e),
    ).values(computed_start=rows.c.s, computed_end=rows.c.e))
    session.execute(delete(tcr).where(tcr.c.task_id == any_(bindparam("ids", ids, type_=ints))))
    if link_tasks:
        pairs = func.unnest(bindparam("t", link_tasks, type_=ints),
                            bindparam("u", link_users, type_=ints)
                            ).table_valued("t", "u").render_derived(name="links")
        session.execute(insert(tcr).from_select(["task_id", "user_id"],
                                                select(pairs.c.t, pairs.c.u)))


def write_plan(session: Any, problem: Problem, plan: Plan) -> int:
    """Store the plan's computed start/end/resources in bulk; returns the tasks written.

    Tasks of the problem that the plan does not mention get ``None`` values. On
    PostgreSQL each table is written with one statement (values sent as arrays),
    elsewhere with the driver's ``executemany``.
    """
    from stalker_core.models import Task
    from stalker_core.models.task.model import task_computed_resources as tcr

    tt: Any = Task.__table__
    ids = list(problem.tasks)
    got = plan.tasks.get
    plans = [got(tid) for tid in ids]
    starts = [tp.start if tp else None for tp in plans]
    ends = [tp.end if tp else None for tp in plans]
    link_tasks: list[int] = []
    link_users: list[int] = []
    for tid, tp in zip(ids, plans, strict=True):
        if tp is not None and tp.resources:
            for uid in tp.resources:
                link_tasks.append(tid)
                link_users.append(uid)
    if ids and session.get_bind().dialect.name == "postgresql":
        _write_postgresql(session, ids, starts, ends, link_tasks, link_users)
    elif ids:
        stmt = (tt.update().where(
            tt.c.id == bindparam("b_id"),
            # rows that keep their dates are not rewritten
            tt.c.computed_start.is_distinct_from(bindparam("b_start2"))
            | tt.c.computed_end.is_distinct_from(bindparam("b_end2")),
        ).values(computed_start=bindparam("b_start"), computed_end=bindparam("b_end")))
        _executemany(session, stmt, list(zip(starts, ends, ids, starts, ends, strict=True)),
                     ("b_start", "b_end", "b_id", "b_start2", "b_end2"),
                     {"b_start": tt.c.computed_start.type, "b_end": tt.c.computed_end.type,
                      "b_start2": tt.c.computed_start.type, "b_end2": tt.c.computed_end.type})
        _executemany(session, delete(tcr).where(tcr.c.task_id == bindparam("b_id")),
                     [(tid,) for tid in ids], ("b_id",), {})
        if link_tasks:
            _executemany(session, insert(tcr), list(zip(link_tasks, link_users, strict=True)),
                         ("task_id", "user_id"), {})
    # refresh what the session already holds
    wanted = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Task) and obj.id in wanted:
            session.expire(obj, ["computed_start", "computed_end", "computed_resources"])
    return len(ids)
