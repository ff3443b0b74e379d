"""The optimising mode of the native scheduler.

Starting from the plain pass, further complete passes are run with other
task orders, and the best plan (shortest makespan, then smallest sum of
ends) is kept, so the result is never worse than the plain pass. Priorities
stay honoured: only the order *within* one effective priority changes.

The search runs *chains* of passes. Within a chain, each pass takes its
order from the chain's best plan so far by forward-backward improvement
(double justification):

* *latest-start order*: the plan is right-justified (a backward pass from its
  end through the dependency graph, with the plan's task lengths and
  resources), so slack is spent where it does not hurt;
* *justification order*: the next forward pass places tasks in the order of
  their right-justified positions, which packs work to the left.

When a chain stops improving (three passes without a better plan of its
own) the next starts from, in turn: the best plan's justified order with
noise, the plain critical-path rule with seeded noise, the critical path of
the least work every plan spends (the lower bound's tails,
:mod:`~stalker_core.scheduling.native.bounds`) with noise, or *feeding the
critical resource* (the one whose own bound is the highest): its jobs in
Jackson's order and what they wait for by the deadlines that keep it busy
(the first restart is this one). While the best plan
does not improve, the busiest resource is spared when its alternatives can do
the work. The search stops when the budget is spent or the best plan reaches
the lower bound.

Deterministic for a given seed and number of passes; the time budget decides
how many passes run.
"""

from __future__ import annotations

import heapq
import random
import time

from stalker_core.scheduling.native.bounds import (
    heads_tails,
    lower_bound_slot,
    min_work,
    resource_bounds,
    resource_jobs,
)
from stalker_core.scheduling.native.passes import SchedulePass
from stalker_core.scheduling.native.prepare import Prepared, apply_blocked


def _score(run: SchedulePass) -> tuple[int, int]:
    ends = run.end.values()
    return (max(ends, default=0), sum(ends))


def improve(
    prep: Prepared, best: SchedulePass, *, budget: float, seed: int = 0,
    start_time: float | None = None,
) -> tuple[SchedulePass, int]:
    """Improve pass ``best`` for ``budget`` seconds; returns the best pass and the pass count.

    The search runs *chains*: a start (the plain pass, the best plan with noise, or a
    priority rule with seeded noise) followed by forward-backward passes until they stop
    improving that chain; then the next chain starts. It stops early when the best plan
    reaches the lower bound (:func:`~stalker_core.scheduling.native.bounds.lower_bound_slot`):
    nothing can beat it.
    """
    t0 = start_time if start_time is not None else time.perf_counter()
    deadline = t0 + budget
    rng = random.Random(seed)
    best_score = _score(best)
    bound = lower_bound_slot(prep)
    cal = prep.cal
    prio = prep.eff_priority
    work = min_work(prep)
    bhead, btail = heads_tails(prep, work)
    backward = _Backward(prep)
    limits = resource_bounds(prep, bhead, btail)
    feed = _feed_deadlines(prep, max(limits, key=lambda r: (limits[r], -r)), bhead, btail,
                           work) if limits else {}
    passes = 1
    last_pass = 0.0
    stale = 0  # passes since the best plan last improved
    current, chain_score, chain_stale, chains = best, best_score, 0, 0
    avoid: frozenset[int] = frozenset()
    has_alternatives = any(len(g) > 1 for gs in prep.groups.values() for g in gs)
    while cal.first_work(best_score[0]) > bound:
        if time.perf_counter() + last_pass > deadline:
            break
        started = time.perf_counter()
        if has_alternatives and stale and stale % 8 == 4:
            # spare the busiest resource when its alternatives can do the work
            avoid = frozenset() if len(avoid) >= 6 else avoid | {_busiest(best, avoid)}
        if chain_stale >= 3:
            # the chain has converged: start the next one
            chains += 1
            chain_stale = 0
            chain_score = (1 << 62, 0)
            amp = 0.05 + 0.05 * (chains % 6)
            kind = 3 if chains == 1 else chains % 4
            if kind == 3 and feed:
                # keep the critical resource busy: what feeds it goes by its deadline
                keys = {}
                for t in prep.leaves:
                    pos = cal.first_work(best.start[t]) if best.start[t] >= 0 else 0
                    keys[t] = (-prio[t], min(pos, feed.get(t, pos)) + amp * rng.random(), t)
            elif kind == 0:
                # the best plan, shaken: its justified order with noise
                fwd_start = backward.order(best, rng, 0.3 + 0.1 * (chains % 5))
                keys = {t: (-prio[t], fwd_start[t], t) for t in prep.leaves}
            elif kind in (1, 3):
                keys = {t: (-prio[t], -prep.tail[t] * (1.0 + amp * rng.random()), t)
                        for t in prep.leaves}
            else:
                # the critical path of the least work every plan spends (the bound's tails)
                keys = {t: (-prio[t], -(work[t] + btail[t]) * (1.0 + amp * rng.random()), t)
                        for t in prep.leaves}
        else:
            # backward (right-justify) then forward (left-justify) pass
            fwd_start = backward.order(current, rng, 0.02 * chain_stale)
            keys = {t: (-prio[t], fwd_start[t], t) for t in prep.leaves}
        run = SchedulePass(prep, keys, avoid)
        run.run()
        last_pass = time.perf_counter() - started
        passes += 1
        score = _score(run)
        if score < best_score:
            best, best_score = run, score
            stale = 0
        else:
            stale += 1
        if score < chain_score:
            current, chain_score, chain_stale = run, score, 0
        else:
            chain_stale += 1
    return best, passes


def _feed_deadlines(prep: Prepared, rid: int, head: dict[int, float], tail: dict[int, float],
                    work: dict[int, float]) -> dict[int, float]:
    """Latest starts (working slots) that keep resource ``rid`` busy: its own jobs in
    Jackson's order (the released job with the longest tail next), and everything they wait
    for early enough to be done by then."""
    jobs = resource_jobs(prep).get(rid, [])
    pending = sorted(jobs, key=lambda j: (head[j[0]], j[0]))
    ready: list[tuple[float, int, float]] = []
    due: dict[int, float] = {}
    now = 0.0
    i = 0
    while i < len(pending) or ready:
        if not ready:
            now = max(now, head[pending[i][0]])
        while i < len(pending) and head[pending[i][0]] <= now:
            t, w = pending[i]
            heapq.heappush(ready, (-tail[t], t, w))
            i += 1
        _, t, w = heapq.heappop(ready)
        due[t] = now
        now += w
    # backwards through what the jobs wait for
    for tid in sorted(prep.leaves, key=prep.topo_index.__getitem__, reverse=True):
        d = due.get(tid)
        if d is None:
            continue
        for ref in prep.deps[tid]:
            if ref.target == "onstart":
                continue
            for g in ref.group:
                v = d - ref.gap_slots - work[g]
                if v < due.get(g, 1e18):
                    due[g] = v
    return due


def _busiest(run: SchedulePass, skip: frozenset[int]) -> int:
    """The critical resource of ``run`` (not in ``skip``): the one whose first booking plus
    all its booked work reaches furthest, i.e. whose load bounds the plan's end."""
    busy: dict[int, int] = {}
    first: dict[int, int] = {}
    for runs in run.runs.values():
        for rid, a, b in runs:
            busy[rid] = busy.get(rid, 0) + b - a
            if a < first.get(rid, 1 << 60):
                first[rid] = a
    order = sorted(busy, key=lambda r: (-(first[r] + busy[r]), r))
    return next((r for r in order if r not in skip), order[0] if order else -1)


class _Backward:
    """Right-justifies passes (see :meth:`order`); keeps what does not change between them."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        cal = prep.cal
        problem = prep.problem
        self.frac = frac = cal.size / max(1, cal.work[-1] + 1)
        self.fixed = {t for t in prep.leaves
                      if problem.tasks[t].constraint or problem.tasks[t].time_logs}
        self.effort = {t for t in prep.leaves if problem.tasks[t].model == "effort"}
        # successors -> reversed predecessors
        rdeps: dict[int, list[tuple[int, int]]] = {t: [] for t in prep.leaves}
        preds: dict[int, set[int]] = {t: set() for t in prep.leaves}
        for leaf, refs in prep.deps.items():
            for ref in refs:
                gap = ref.gap_slots if ref.gap_model == "length" else int(ref.gap_slots * frac)
                for g in ref.group:
                    rdeps[g].append((leaf, gap))
                preds[leaf].update(ref.group)
        self.rdeps = rdeps
        self.preds = {t: tuple(sorted(v)) for t, v in preds.items()}
        self.count = {t: len(rdeps[t]) for t in prep.leaves}
        self._base: tuple[int, dict[int, bytes]] = (-1, {})

    def _reversed_free(self, h: int) -> dict[int, bytearray]:
        """Every resource's availability over working slots ``[0, h)``, reversed."""
        if self._base[0] != h:
            cal = self.prep.cal
            base: dict[int, bytes] = {}
            for rid, intervals in self.prep.blocked.items():
                arr = bytearray(b"\x01") * h
                apply_blocked(arr, intervals, cal.work, 0, h)
                base[rid] = bytes(arr[::-1])
            self._base = (h, base)
        return {rid: bytearray(b) for rid, b in self._base[1].items()}

    def order(self, run: SchedulePass, rng: random.Random, noise: float) -> dict[int, float]:
        """Right-justify ``run`` (a backward pass in working slots) and return, per leaf, the
        forward-equivalent start of its right-justified position (used as the next order).

        This is an approximate model (calendar-time durations and gaps are counted in
        working slots); it only decides the order of the next forward pass, which builds
        the real plan.
        """
        prep = self.prep
        cal = prep.cal
        horizon_slot = max(run.end.values(), default=0)
        h = cal.first_work(horizon_slot) + 1
        h = (int(h * 1.25) + 50) // 64 * 64 + 64  # rounded, so the base arrays are reused
        cal.ensure(h)
        rev = self._reversed_free(h)
        # per leaf: slots needed per resource, from the forward run
        need: dict[int, dict[int, int]] = {}
        span: dict[int, int] = {}
        first_work = cal.first_work
        for tid in prep.leaves:
            per: dict[int, int] = {}
            for rid, a, b in run.runs[tid]:
                per[rid] = per.get(rid, 0) + (b - a)
            need[tid] = per
            a = first_work(run.start[tid]) if run.start[tid] >= 0 else 0
            span[tid] = max(first_work(run.end[tid]) - a, 0)
        rdeps, preds, fixed, effort = self.rdeps, self.preds, self.fixed, self.effort
        rend: dict[int, int] = {}
        count = dict(self.count)
        ends = run.end
        heap = [(-(ends[t] + noise * rng.random() * (1 + span[t])), t)
                for t in prep.leaves if count[t] == 0]
        heapq.heapify(heap)
        while heap:
            _, tid = heapq.heappop(heap)
            if tid in fixed:
                a = first_work(run.start[tid]) if run.start[tid] >= 0 else 0
                re_ = max(h - a, 0)
                for rid, x, y in run.runs[tid]:
                    if y <= h:
                        rev[rid][h - y:h - x] = bytes(y - x)
            else:
                est = 0
                for succ, gap in rdeps[tid]:
                    v = rend[succ] + gap
                    if v > est:
                        est = v
                per = need[tid]
                if not per:
                    re_ = est + span[tid]
                elif tid in effort:
                    re_ = est
                    for rid, n in per.items():
                        arr = rev[rid]
                        i = est
                        left = n
                        while left > 0:
                            p = arr.find(1, i)
                            if p < 0:
                                p = len(arr)
                                arr.extend(b"\x01" * (left + 1))
                            q = arr.find(0, p, p + left)
                            if q < 0:
                                q = p + left
                                if q > len(arr):
                                    arr.extend(b"\x01" * (q - len(arr)))
                            arr[p:q] = bytes(q - p)
                            if q > re_:
                                re_ = q
                            left -= q - p
                            i = q
                else:
                    n = max(per.values())
                    i = est
                    while True:
                        conflict = -1
                        for rid in per:
                            arr = rev[rid]
                            if len(arr) < i + n:
                                arr.extend(b"\x01" * (i + n - len(arr)))
                            q = arr.find(0, i, i + n)
                            if q > conflict:
                                conflict = q
                        if conflict < 0:
                            break
                        i = conflict + 1
                    for rid in per:
                        rev[rid][i:i + n] = bytes(n)
                    re_ = i + n
            rend[tid] = re_
            for p in preds[tid]:
                count[p] -= 1
                if count[p] == 0:
                    heapq.heappush(heap, (-(ends[p] + noise * rng.random() * (1 + span[p])), p))
        # forward-equivalent start: the later the reversed end, the earlier the task
        return {t: float(-rend[t]) for t in prep.leaves}
