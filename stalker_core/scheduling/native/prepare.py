"""Turn a :class:`~stalker_core.scheduling.data.Problem` into the native scheduler's arrays.

This step checks the input (cycles, effort tasks without resources, missing
resources), expands dependencies on and of containers down to leaf tasks,
builds the slot calendar and each resource's base availability (vacations,
time blocked by other projects and by time logs), and estimates task lengths
for the priority rule. It is done once; the scheduling passes reuse it.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from dataclasses import dataclass, field

from stalker_core.exceptions import CircularDependencyError, SchedulingError
from stalker_core.scheduling.calendar import SlotCalendar, align_up
from stalker_core.scheduling.data import CONSTRAIN_BOTH, Dependency, Problem, TaskSpec


def task_label(task: TaskSpec) -> str:
    """How errors name a task."""
    return f"{task.name!r} (id {task.id})"


@dataclass
class DepRef:
    """A leaf's dependency on a group of leaves (one declared dependency)."""

    group: tuple[int, ...]
    target: str
    gap_slots: int
    gap_model: str


@dataclass
class Prepared:
    """Static data shared by every scheduling pass."""

    problem: Problem
    origin: dt.datetime
    cal: SlotCalendar
    leaves: list[int]
    children: dict[int, list[int]]
    deps: dict[int, list[DepRef]]
    succs: dict[int, list[int]]
    preds_count: dict[int, int]
    remaining: dict[int, float]
    logged: dict[int, float]
    groups: dict[int, list[list[int]]]
    blocked: dict[int, list[tuple[int, int]]]
    est_slots: dict[int, float]
    eff_priority: dict[int, int]
    tail: dict[int, float]
    topo_index: dict[int, int]
    warnings: list[str] = field(default_factory=list)


def _leaves_under(tid: int, children: dict[int, list[int]]) -> list[int]:
    out: list[int] = []
    stack = [tid]
    while stack:
        t = stack.pop()
        kids = children.get(t)
        if kids:
            stack.extend(kids)
        else:
            out.append(t)
    return sorted(out)


def prepare(problem: Problem, *, max_years: int = 25) -> Prepared:
    """Check and pre-compute everything a scheduling pass needs.

    :raises CircularDependencyError: for a dependency or parent cycle (names the tasks).
    :raises SchedulingError: for effort tasks without resources and similar bad input.
    """
    tasks = problem.tasks
    warnings: list[str] = []
    children = problem.children_map()
    _check_parent_cycles(problem)
    _check_ranges(problem)
    leaves = sorted(t for t in tasks if t not in children)
    origin = align_up(max(problem.now, problem.start or problem.now), problem.resolution)
    cal = SlotCalendar(
        origin, problem.resolution, problem.working_hours, problem.timezone,
        problem.holidays, max_days=366 * max_years,
    )
    res = problem.resolution

    # --- remaining work, resources -------------------------------------------------
    remaining: dict[int, float] = {}
    logged: dict[int, float] = {}
    groups: dict[int, list[list[int]]] = {}
    no_resources: list[str] = []
    zero_eff: list[str] = []
    known = problem.resources
    seconds_of: dict[tuple[float, str, str], float] = {}  # many tasks share their amounts
    for tid in leaves:
        t = tasks[tid]
        amount = (t.timing, t.unit, t.model)
        total = seconds_of.get(amount)
        if total is None:
            total = seconds_of[amount] = problem.effort_seconds(t)
        done = sum((lg.end - lg.start).total_seconds() for lg in t.time_logs) if (
            t.time_logs) else 0
        logged[tid] = done
        remaining[tid] = max(total - done, 0.0) if t.effective_model == "effort" else total
        prim = [r for r in t.resources if r in known]
        alts = [r for r in t.alternatives if r in known and r not in prim]
        if len(prim) + len(alts) < len(t.resources) + len(t.alternatives):
            missing = [r for r in (*t.resources, *t.alternatives) if r not in known]
            if missing:
                warnings.append(f"task {task_label(t)} uses unknown resources {missing}; ignored")
        if not prim and alts:
            prim, alts = [alts[0]], alts[1:]
        groups[tid] = [[p, *alts] for p in prim]
        if (t.model == "effort" and not t.milestone and remaining[tid] > 0 and not prim
                and t.constraint != 3):
            no_resources.append(task_label(t))
        elif t.model == "effort" and prim and not t.milestone and remaining[tid] > 0:
            if all(known[c].efficiency <= 0 for g in groups[tid] for c in g):
                zero_eff.append(task_label(t))
    if no_resources:
        warnings.append(
            "effort tasks need a resource; these have none and are planned by length "
            "(working time of the calendar) without anybody: " + ", ".join(no_resources)
        )
    if zero_eff:
        raise SchedulingError(
            "these effort tasks only have resources with efficiency 0 and can never finish: "
            + ", ".join(zero_eff)
        )

    # --- dependencies expanded to leaves ------------------------------------------------
    deps: dict[int, list[DepRef]] = {t: [] for t in leaves}
    leaf_cache: dict[int, tuple[int, ...]] = {}

    def leaves_of(tid: int) -> tuple[int, ...]:
        got = leaf_cache.get(tid)
        if got is None:
            got = leaf_cache[tid] = (tuple(_leaves_under(tid, children)) if tid in children
                                     else (tid,))
        return got

    declared: list[tuple[int, Dependency]] = []
    for t in tasks.values():
        for d in t.depends:
            declared.append((t.id, d))
    gaps: dict[tuple[float, str, str], float] = {}
    for tid, dep in declared:
        if dep.depends_on not in tasks:
            warnings.append(
                f"task {task_label(tasks[tid])} depends on task id {dep.depends_on} "
                "which is not being scheduled; dependency ignored"
            )
            continue
        group = leaves_of(dep.depends_on)
        gap_key = (dep.gap_timing, dep.gap_unit, dep.gap_model)
        gap = gaps.get(gap_key)
        if gap is None:
            gap = gaps[gap_key] = problem.gap_seconds(dep)
        ref = DepRef(group, dep.target, math.ceil(gap / res - 1e-9),
                     "duration" if dep.gap_model == "duration" else "length")
        for leaf in leaves_of(tid):
            if leaf in group:
                raise CircularDependencyError(
                    f"task {task_label(tasks[tid])} depends on "
                    f"{task_label(tasks[dep.depends_on])} which contains it (or is itself): "
                    "a task cannot wait for itself"
                )
            deps[leaf].append(ref)
    succs: dict[int, list[int]] = {t: [] for t in leaves}
    preds_count: dict[int, int] = {t: 0 for t in leaves}
    for leaf, refs in deps.items():
        seen: set[int] = set()
        for ref in refs:
            for p in ref.group:
                if p not in seen:
                    seen.add(p)
                    succs[p].append(leaf)
        preds_count[leaf] = len(seen)
    topo = _topological(leaves, succs, preds_count, tasks)

    # --- resource availability ---------------------------------------------------------
    blocked: dict[int, list[tuple[int, int]]] = {r: [] for r in problem.resources}
    for r in problem.resources.values():
        for s, e in r.vacations:
            blocked[r.id].append((cal.slot_floor(s), cal.slot_ceil(e)))
    for rid, s, e in problem.busy:
        if rid in blocked and e > origin:
            blocked[rid].append((cal.slot_floor(s), cal.slot_ceil(e)))
    for tid in leaves:
        for lg in tasks[tid].time_logs:
            if lg.end > origin and lg.resource in blocked:
                blocked[lg.resource].append((cal.slot_floor(lg.start), cal.slot_ceil(lg.end)))

    # --- estimates for the priority rule -----------------------------------------------
    frac = cal.size / max(1, cal.work[-1] + 1) if cal.size else 0.25
    est_slots: dict[int, float] = {}
    for tid in leaves:
        t = tasks[tid]
        secs = remaining[tid]
        model = t.effective_model
        if t.milestone:
            est_slots[tid] = 0.0
        elif model == "effort":
            eff = sum(known[g[0]].efficiency for g in groups[tid]) or 1.0
            est_slots[tid] = secs / res / eff
        elif model == "length":
            est_slots[tid] = secs / res
        else:
            est_slots[tid] = secs / res * frac
    tail: dict[int, float] = {}
    eff_priority: dict[int, int] = {}
    for tid in reversed(topo):
        best = 0.0
        prio = tasks[tid].priority
        for nxt in succs[tid]:
            if tail[nxt] > best:
                best = tail[nxt]
            if eff_priority[nxt] > prio:
                prio = eff_priority[nxt]
        tail[tid] = est_slots[tid] + best
        eff_priority[tid] = prio
    gap_extra: dict[int, float] = {}
    for refs in deps.values():
        for ref in refs:
            g = ref.gap_slots * (frac if ref.gap_model == "duration" else 1.0)
            for p in ref.group:
                gap_extra[p] = max(gap_extra.get(p, 0.0), g)
    for tid in gap_extra:
        tail[tid] += gap_extra[tid]
    return Prepared(
        problem=problem, origin=origin, cal=cal, leaves=leaves, children=children, deps=deps,
        succs=succs, preds_count=preds_count, remaining=remaining, logged=logged,
        groups=groups, blocked=blocked, est_slots=est_slots, eff_priority=eff_priority,
        tail=tail, topo_index={t: i for i, t in enumerate(topo)}, warnings=warnings,
    )


def _check_ranges(problem: Problem) -> None:
    """Refuse a task fixed at both ends whose start is after its end (tj3 refuses it too)."""
    for t in problem.tasks.values():
        if (t.constraint == CONSTRAIN_BOTH and t.start is not None and t.end is not None
                and t.end < t.start):
            raise SchedulingError(
                f"task {task_label(t)} is fixed at both ends, but its start "
                f"{t.start:%Y-%m-%d %H:%M} is after its end {t.end:%Y-%m-%d %H:%M}; "
                "give it an end after its start, or constrain one end only"
            )


def _check_parent_cycles(problem: Problem) -> None:
    tasks = problem.tasks
    for t in tasks.values():
        seen = {t.id}
        p = t.parent_id
        while p is not None and p in tasks:
            if p in seen:
                names = ", ".join(task_label(tasks[i]) for i in sorted(seen))
                raise CircularDependencyError(f"tasks are parents of each other: {names}")
            seen.add(p)
            p = tasks[p].parent_id


def _topological(
    leaves: list[int], succs: dict[int, list[int]], preds: dict[int, int],
    tasks: dict[int, TaskSpec],
) -> list[int]:
    count = dict(preds)
    ready = [t for t in leaves if count[t] == 0]
    out: list[int] = []
    while ready:
        t = ready.pop()
        out.append(t)
        for s in succs[t]:
            count[s] -= 1
            if count[s] == 0:
                ready.append(s)
    if len(out) != len(leaves):
        left = {t for t in leaves if count[t] > 0}
        cycle = _find_cycle(left, succs)
        names = " -> ".join(task_label(tasks[t]) for t in cycle)
        raise CircularDependencyError(
            f"the dependencies form a cycle: {names}; remove one of these dependencies"
        )
    return out


def _find_cycle(nodes: set[int], succs: dict[int, list[int]]) -> list[int]:
    start = min(nodes)
    path: list[int] = []
    index: dict[int, int] = {}
    t = start
    while t not in index:
        index[t] = len(path)
        path.append(t)
        t = next(s for s in sorted(succs[t]) if s in nodes)
    return [*path[index[t]:], t]


def apply_blocked(
    arr: bytearray, intervals: list[tuple[int, int]], work: object, lo: int, hi: int
) -> None:
    """Zero the working slots in ``[lo, hi)`` covered by calendar-slot ``intervals``."""
    for cs, ce in intervals:
        a = max(bisect_left(work, cs), lo)  # type: ignore[call-overload]
        b = min(bisect_left(work, ce), hi)  # type: ignore[call-overload]
        if a < b:
            arr[a:b] = bytes(b - a)
