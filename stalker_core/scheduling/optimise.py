"""The optimising mode of the native scheduler.

Starting from the plain pass, further complete passes are run with other
task orders, and the best plan (shortest makespan, then smallest sum of
ends) is kept, so the result is never worse than the plain pass. Priorities
stay honoured: only the order *within* one effective priority changes.

The orders tried, in turn:

* *justification order*: tasks ordered by their start in the best plan so far,
  a forward pass of which packs work to the left (the forward half of
  forward-backward improvement);
* *latest-start order*: tasks ordered by how late they could start without
  delaying the best plan (computed backwards from its end through the
  dependency graph using the best plan's task lengths), so slack is spent
  where it does not hurt (the backward half);
* *perturbed critical path*: the plain rule with seeded random noise, for
  diversity when the two above stop improving.

Deterministic for a given seed and number of passes; the time budget decides
how many passes run.
"""

from __future__ import annotations

import random
import time
from typing import Any

from stalker_core.scheduling.prepare import Prepared


def _score(run: Any) -> tuple[int, int]:
    ends = run.end.values()
    return (max(ends, default=0), sum(ends))


def improve(
    prep: Prepared, best: Any, *, budget: float, seed: int = 0, start_time: float | None = None,
) -> tuple[Any, int]:
    """Improve pass ``best`` for ``budget`` seconds; returns the best pass and the pass count."""
    from stalker_core.scheduling.native import _Pass

    t0 = start_time if start_time is not None else time.perf_counter()
    deadline = t0 + budget
    rng = random.Random(seed)
    best_score = _score(best)
    prio = prep.eff_priority
    passes = 1
    last_pass = 0.0
    stale = 0
    kind = 0
    while True:
        now = time.perf_counter()
        if now + last_pass > deadline:
            break
        if kind == 0:
            keys = {t: (-prio[t], best.start[t], -prep.tail[t], t) for t in prep.leaves}
        elif kind == 1:
            lst = _latest_starts(prep, best)
            noise = 0.0 if stale == 0 else 0.5
            keys = {t: (-prio[t], lst[t] + rng.random() * noise * (1 + prep.est_slots[t]), t)
                    for t in prep.leaves}
        else:
            amp = 0.05 + 0.05 * min(stale, 10)
            keys = {t: (-prio[t], -prep.tail[t] * (1.0 + amp * rng.random()), t)
                    for t in prep.leaves}
        started = time.perf_counter()
        run = _Pass(prep, keys)
        run.run()
        last_pass = time.perf_counter() - started
        passes += 1
        score = _score(run)
        if score < best_score:
            best, best_score = run, score
            stale = 0
            kind = 0 if kind == 1 else 1
        else:
            stale += 1
            kind = (kind + 1) % 3
    return best, passes


def _latest_starts(prep: Prepared, run: Any) -> dict[int, float]:
    """Latest start of each leaf that keeps the plan's end, from the plan's task spans."""
    horizon = max(run.end.values(), default=0)
    latest_end: dict[int, float] = {}
    lst: dict[int, float] = {}
    order = sorted(prep.leaves, key=lambda t: prep.topo_index[t], reverse=True)
    succ_refs: dict[int, list[int]] = {t: [] for t in prep.leaves}
    for leaf, refs in prep.deps.items():
        for ref in refs:
            for g in ref.group:
                succ_refs[g].append(leaf)
    for t in order:
        le = horizon
        for s in succ_refs[t]:
            if lst[s] < le:
                le = lst[s]
        latest_end[t] = le
        lst[t] = le - (run.end[t] - run.start[t])
    return lst
