"""Lower bounds of the makespan, and the heads and tails they are built from.

No plan of a prepared problem can end before :func:`lower_bound_slot`. The
bound relaxes the problem to one resource at a time:

* every leaf gets a *head* (working slots that must pass before it can start:
  the longest chain of work of the tasks it waits for) and a *tail* (working
  slots that must follow its end: the longest chain of work waiting for it),
  counting only what every plan must spend — effort at the best efficiency
  among the task's candidates, length windows, ``length`` gaps; calendar-time
  (``duration``) amounts and constrained tasks count as no work; a finished
  task (time logs cover its effort) waits for nothing, and a task with time
  logs may start at its first log (``onstart`` dependencies on it count
  nothing);
* the work a resource must do itself (effort or length tasks whose only
  candidate it is) is then scheduled on its own free working slots (its
  vacations, time logs and other projects' bookings excluded) with preemption,
  by Jackson's rule (the released job with the longest tail first), which gives
  the shortest possible end of that one-resource problem with heads and tails;
* the bound is the latest such end over the resources, as a working slot.

Everything is in working slots of the studio calendar, so nights, weekends and
studio holidays are honoured; the optimiser uses the heads and tails too.
"""

from __future__ import annotations

import heapq
import math

from stalker_core.scheduling.data import CONSTRAIN_NONE
from stalker_core.scheduling.native.prepare import Prepared, apply_blocked


def min_work(prep: Prepared) -> dict[int, float]:
    """Per leaf, the working slots every plan spends on it at least (0 when unknown)."""
    problem = prep.problem
    known = problem.resources
    res = problem.resolution
    out: dict[int, float] = {}
    for tid in prep.leaves:
        task = problem.tasks[tid]
        left = prep.remaining[tid]
        model = task.effective_model
        if task.milestone or left <= 0 or task.constraint != CONSTRAIN_NONE:
            out[tid] = 0.0
        elif model == "effort":
            groups = prep.groups[tid]
            rate = sum(max(known[c].efficiency for c in g) for g in groups)
            out[tid] = left / res / rate if rate > 0 else 0.0
        elif model == "length":
            out[tid] = float(math.ceil(left / res - 1e-9))
        else:
            out[tid] = 0.0
    return out


def heads_tails(prep: Prepared, work: dict[int, float] | None = None
                ) -> tuple[dict[int, float], dict[int, float]]:
    """Per leaf, the working slots that must pass before its start (head) and after its end
    (tail) in every plan, from the dependency chains (see the module documentation)."""
    work = min_work(prep) if work is None else work
    order = sorted(prep.leaves, key=prep.topo_index.__getitem__)
    problem = prep.problem
    # a finished task sits where its time logs are, whatever it waits for, and a task with
    # time logs starts at its first log: neither tells anything through its start
    done = {t for t in prep.leaves if problem.tasks[t].time_logs
            and problem.tasks[t].effective_model == "effort" and prep.remaining[t] <= 0}
    logged = {t for t in prep.leaves if problem.tasks[t].time_logs}
    head: dict[int, float] = {}
    for tid in order:
        h = 0.0
        if tid not in done:
            for ref in prep.deps[tid]:
                gap = ref.gap_slots if ref.gap_model == "length" else 0
                if ref.target == "onstart":
                    # the group's earliest start bounds it
                    base = min(0.0 if g in logged else head[g] for g in ref.group)
                else:
                    base = max(head[g] + work[g] for g in ref.group)
                if base + gap > h:
                    h = base + gap
        head[tid] = h
    tail: dict[int, float] = {t: 0.0 for t in prep.leaves}
    for tid in reversed(order):
        # tid's own tail is final here (its successors come later in topological order)
        if tid in done:
            continue
        for ref in prep.deps[tid]:
            if ref.target == "onstart":
                continue  # bounds only the predecessor's start, which its end does not tell
            gap = ref.gap_slots if ref.gap_model == "length" else 0
            after = work[tid] + tail[tid] + gap
            for g in ref.group:
                if after > tail[g]:
                    tail[g] = after
    return head, tail


def resource_jobs(prep: Prepared) -> dict[int, list[tuple[int, float]]]:
    """Per resource, the ``(leaf, working slots)`` jobs it must do itself (it is their only
    candidate, and no constraint fixes them)."""
    problem = prep.problem
    res = problem.resolution
    out: dict[int, list[tuple[int, float]]] = {}
    for tid in prep.leaves:
        task = problem.tasks[tid]
        groups = prep.groups[tid]
        left = prep.remaining[tid]
        if (task.milestone or left <= 0 or len(groups) != 1 or len(groups[0]) != 1
                or task.constraint != CONSTRAIN_NONE):
            continue
        rid = groups[0][0]
        model = task.effective_model
        if model == "effort":
            eff = problem.resources[rid].efficiency
            if eff <= 0:
                continue
            need = float(math.ceil(left / (res * eff) - 1e-9))
        elif model == "length":
            need = float(math.ceil(left / res - 1e-9))
        else:
            continue
        if need > 0:
            out.setdefault(rid, []).append((tid, need))
    return out


def jackson_end(free: bytearray, jobs: list[tuple[float, float, float]]) -> int:
    """The shortest end (working slot, tails included) of preemptive ``(head, work, tail)``
    jobs on one resource free where ``free`` holds 1, by Jackson's rule (longest tail first).

    ``free`` must be long enough for all the work after the latest head.
    """
    pending = sorted((math.ceil(h - 1e-9), w, t) for h, w, t in jobs)
    ready: list[tuple[float, float]] = []  # (-tail, work left)
    i = 0
    now = 0
    best = 0
    n = len(pending)
    while i < n or ready:
        if not ready:
            now = max(now, pending[i][0])
        while i < n and pending[i][0] <= now:
            _, w, t = pending[i]
            heapq.heappush(ready, (-t, w))
            i += 1
        neg_tail, left = heapq.heappop(ready)
        limit = pending[i][0] if i < n else None
        # work on free slots from ``now`` until done or the next release
        while left > 0 and (limit is None or now < limit):
            p = free.find(1, now, limit) if limit is not None else free.find(1, now)
            if p < 0:
                if limit is None:
                    raise ValueError("free slots run out")
                now = limit
                break
            q = free.find(0, p, limit) if limit is not None else free.find(0, p)
            if q < 0:
                q = limit if limit is not None else len(free)
            take = min(q - p, math.ceil(left - 1e-9))
            now = p + take
            left -= take
        if left > 1e-9:
            heapq.heappush(ready, (neg_tail, left))
        else:
            end = now + math.ceil(-neg_tail - 1e-9)
            if end > best:
                best = end
    return best


def resource_bounds(prep: Prepared, head: dict[int, float], tail: dict[int, float]
                    ) -> dict[int, int]:
    """Per resource with work of its own, the working slot no plan can end before because
    of that resource (its own jobs by Jackson's rule with their heads and tails)."""
    cal = prep.cal
    out: dict[int, int] = {}
    for rid, jobs in resource_jobs(prep).items():
        total = sum(w for _, w in jobs)
        latest = max(head[t] for t, _ in jobs)
        blocked = prep.blocked.get(rid, [])
        size = int(latest + total) + 64
        while True:
            cal.ensure(size)
            free = bytearray(b"\x01") * size
            apply_blocked(free, blocked, cal.work, 0, size)
            if free.count(1, min(int(latest), size)) >= total + 1:
                break
            size *= 2
        out[rid] = jackson_end(free, [(head[t], w, tail[t]) for t, w in jobs])
    return out


def lower_bound_slot(prep: Prepared) -> int:
    """A working slot count no plan can do better than: every plan ends at or after the end
    of working slot ``lower_bound_slot(prep) - 1`` (0: no bound)."""
    work = min_work(prep)
    head, tail = heads_tails(prep, work)
    best = 0
    for t in prep.leaves:
        end = math.ceil(head[t] + work[t] + tail[t] - 1e-9)
        if end > best:
            best = end
    return max(best, *resource_bounds(prep, head, tail).values(), 0)


def lower_bound_days(prep: Prepared) -> float:
    """:func:`lower_bound_slot` as days from the origin to the end of that working slot."""
    end = lower_bound_slot(prep)
    if end <= 0:
        return 0.0
    cal = prep.cal
    cal.ensure(end)
    return (cal.at(cal.work[end - 1] + 1) - prep.origin).total_seconds() / 86400
