"""Seeded synthetic studios for the benchmarks and the large scheduling tests.

Not part of the package: benchmarks import it as ``synthetic`` (``benchmarks/``
is on ``sys.path`` when they run), the tests load it by path
(``tests/scheduling/sched_helpers.py``).

:func:`synthetic_problem` builds a studio like a VFX/animation house's:
projects of sequences of shots, each shot a container of pipeline steps
(layout -> animation -> fx/lighting -> comp) with dependencies inside the
shot and across shots, department pools of artists (alternatives picked
from the pool), some length tasks, higher priorities on a few shots,
vacations, a studio holiday and some time logs. :func:`populate` writes such
a problem into an empty stalker_core database with bulk inserts (ids kept).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stalker_core.scheduling.data import (
    Dependency,
    Problem,
    ProjectSpec,
    Resource,
    TaskSpec,
    TimeLogEntry,
)

UTC = dt.UTC
#: pipeline steps: name, department, effort range in hours
STEPS: tuple[tuple[str, str, tuple[int, int]], ...] = (
    ("layout", "layout", (4, 18)),
    ("animation", "anim", (18, 72)),
    ("fx", "fx", (9, 45)),
    ("lighting", "lighting", (9, 36)),
    ("comp", "comp", (6, 27)),
)
#: share of the artists in each department
DEPARTMENTS: dict[str, float] = {"layout": 0.12, "anim": 0.38, "fx": 0.15, "lighting": 0.17,
                                 "comp": 0.18}


def synthetic_problem(n_tasks: int, *, seed: int = 1, now: dt.datetime | None = None,
                      tasks_per_artist: float = 30.0, alternatives: float = 0.2,
                      projects: int | None = None) -> Problem:
    """A seeded studio with about ``n_tasks`` leaf tasks (plus shot containers)."""
    rng = random.Random(seed)
    now = now or dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    shots = max(1, n_tasks // len(STEPS))
    n_proj = projects or max(1, min(6, shots // 200 + 1))
    artists = max(len(DEPARTMENTS), round(n_tasks / tasks_per_artist))
    next_id = 1

    def new_id() -> int:
        nonlocal next_id
        next_id += 1
        return next_id

    resources: dict[int, Resource] = {}
    pools: dict[str, list[int]] = {}
    for dep, share in DEPARTMENTS.items():
        pools[dep] = []
        for i in range(max(1, round(artists * share))):
            rid = new_id()
            vac = []
            if rng.random() < 0.25:
                first = (now + dt.timedelta(days=rng.randint(5, 150))).replace(hour=0)
                vac.append((first, first + dt.timedelta(days=rng.choice([3, 7, 14]))))
            resources[rid] = Resource(rid, f"{dep} artist {i + 1}",
                                      rng.choice([1.0, 1.0, 1.0, 0.8, 1.2]), vac,
                                      f"{dep}{i + 1}")
            pools[dep].append(rid)
    projects_map: dict[int, ProjectSpec] = {}
    tasks: dict[int, TaskSpec] = {}
    proj_ids = []
    for p in range(n_proj):
        pid = new_id()
        projects_map[pid] = ProjectSpec(pid, f"Project {p + 1}", f"PRJ{p + 1}")
        proj_ids.append(pid)
    prev_shot_steps: dict[int, dict[str, int]] = {}
    logged_days: dict[int, int] = {}
    for s in range(shots):
        pid = proj_ids[s * n_proj // shots]
        shot_id = new_id()
        prio = 500 if rng.random() > 0.1 else rng.choice([700, 800, 900])
        tasks[shot_id] = TaskSpec(id=shot_id, name=f"SH{s + 1:05d}", project_id=pid,
                                  priority=prio)
        ids: dict[str, int] = {}
        for step, dep, (lo, hi) in STEPS:
            tid = new_id()
            ids[step] = tid
            pool = pools[dep]
            main = rng.choice(pool)
            alts: tuple[int, ...] = ()
            if rng.random() < alternatives and len(pool) > 1:
                alts = tuple(sorted(rng.sample([r for r in pool if r != main],
                                               k=min(2, len(pool) - 1))))
            model = "length" if step == "comp" and rng.random() < 0.1 else "effort"
            tasks[tid] = TaskSpec(
                id=tid, name=f"SH{s + 1:05d} {step}", project_id=pid, parent_id=shot_id,
                priority=prio, model=model, timing=float(rng.randint(lo, hi)), unit="h",
                resources=(main,), alternatives=alts,
                strategy=rng.choice(["minallocated", "order"]),
            )
        deps = {
            "animation": [Dependency(ids["layout"])],
            "fx": [Dependency(ids["animation"], gap_timing=rng.choice([0, 0, 4]), gap_unit="h")],
            "lighting": [Dependency(ids["animation"])],
            "comp": [Dependency(ids["lighting"]), Dependency(ids["fx"])],
        }
        prev = prev_shot_steps.get(pid)
        logged = s < shots * 0.05
        if prev and rng.random() < 0.3 and not logged:
            deps.setdefault("layout", []).append(Dependency(prev["layout"], target="onstart"))
        if prev and rng.random() < 0.15:
            deps["lighting"].append(Dependency(prev["lighting"]))
        for step, lst in deps.items():
            tasks[ids[step]].depends = tuple(lst)
        prev_shot_steps[pid] = ids
        if logged:
            t = tasks[ids["layout"]]
            r = t.resources[0]
            back = logged_days.get(r, 0) + 1
            logged_days[r] = back
            day = now - dt.timedelta(days=back)
            start = day.replace(hour=10)
            t.time_logs = (TimeLogEntry(r, start, start + dt.timedelta(hours=rng.randint(1, 3))),)
    holiday_start = (now + dt.timedelta(days=60)).replace(hour=0)
    return Problem(
        now=now, tasks=tasks, resources=resources, projects=projects_map,
        holidays=[(holiday_start, holiday_start + dt.timedelta(days=1))],
        studio_id=1, studio_name=f"Synthetic studio {n_tasks}",
    )


def populate(session: Any, problem: Problem) -> int:
    """Write ``problem`` into a database (bulk inserts, ids shifted past the existing
    ones); returns the studio id.

    Time logs are written on the leaf tasks as they are; tasks get no status
    (the production workflow is not involved).
    """
    from sqlalchemy import func, insert, select

    from stalker_core.models import Base

    md = Base.metadata.tables
    t_now = dt.datetime.now(UTC)
    off = (session.execute(select(func.max(md["simple_entities"].c.id))).scalar() or 0) + 1

    def o(x: int) -> int:
        return x + off

    def o_opt(x: int | None) -> int | None:
        return None if x is None else x + off

    base_id = max([*problem.tasks, *problem.resources, *problem.projects, 1]) + 10 + off

    def se(eid: int, kind: str, name: str) -> dict[str, Any]:
        return {"id": eid, "entity_type": kind, "name": name, "description": "",
                "date_created": t_now, "date_updated": t_now}

    ents = [se(o(r.id), "User", r.name) for r in problem.resources.values()]
    ents += [se(o(p.id), "Project", p.name) for p in problem.projects.values()]
    ents += [se(o(t.id), "Task", t.name) for t in problem.tasks.values()]
    studio_id = base_id
    ents.append(se(studio_id, "Studio", problem.studio_name))
    vac_rows, log_rows = [], []
    nid = base_id + 1
    for r in problem.resources.values():
        for s, e in r.vacations:
            ents.append(se(nid, "Vacation", f"vacation {nid}"))
            vac_rows.append({"id": nid, "user_id": o(r.id), "start": s, "end": e})
            nid += 1
    for s, e in problem.holidays:
        ents.append(se(nid, "Vacation", "Studio holiday"))
        vac_rows.append({"id": nid, "user_id": None, "start": s, "end": e})
        nid += 1
    for t in problem.tasks.values():
        for lg in t.time_logs:
            ents.append(se(nid, "TimeLog", f"log {nid}"))
            log_rows.append({"id": nid, "task_id": o(t.id), "resource_id": o(lg.resource),
                             "start": lg.start, "end": lg.end})
            nid += 1
    session.execute(insert(md["simple_entities"]), ents)
    if "entities" in md:
        session.execute(insert(md["entities"]), [{"id": e["id"]} for e in ents])
    session.execute(insert(md["users"]), [
        {"id": o(r.id), "login": r.login or f"user{r.id}", "email": f"user{r.id}@example.com",
         "efficiency": r.efficiency} for r in problem.resources.values()])
    session.execute(insert(md["studios"]), [{"id": studio_id,
                                             "timing_resolution_seconds": problem.resolution}])
    session.execute(insert(md["projects"]), [
        {"id": o(p.id), "code": p.code or f"P{p.id}"} for p in problem.projects.values()])
    children = problem.children_map()
    order = sorted(problem.tasks.values(), key=lambda t: (t.parent_id is not None, t.id))
    session.execute(insert(md["tasks"]), [
        {"id": o(t.id), "project_id": o(t.project_id), "parent_id": o_opt(t.parent_id),
         "priority": t.priority, "schedule_timing": t.timing, "schedule_unit": t.unit,
         "schedule_model": t.model, "allocation_strategy": t.strategy,
         "persistent_allocation": t.persistent, "is_milestone": t.milestone,
         "schedule_constraint": t.constraint, "start": t.start, "end": t.end,
         **({"child_count": len(children.get(t.id, []))}
            if "child_count" in md["tasks"].c else {})}
        for t in order])
    deps = [{"task_id": o(t.id), "depends_on_id": o(d.depends_on), "dependency_target": d.target,
             "gap_timing": d.gap_timing, "gap_unit": d.gap_unit, "gap_model": d.gap_model}
            for t in problem.tasks.values() for d in t.depends]
    if deps:
        session.execute(insert(md["task_dependencies"]), deps)
    res = [{"task_id": o(t.id), "user_id": o(r)} for t in problem.tasks.values()
           for r in t.resources]
    if res:
        session.execute(insert(md["task_resources"]), res)
    alts = [{"task_id": o(t.id), "user_id": o(r)} for t in problem.tasks.values()
            for r in t.alternatives]
    if alts:
        session.execute(insert(md["task_alternative_resources"]), alts)
    if vac_rows:
        session.execute(insert(md["vacations"]), vac_rows)
    if log_rows:
        session.execute(insert(md["time_logs"]), log_rows)
    session.commit()
    return studio_id
