"""One pass of the native scheduler: place every leaf task once, in a given order.

A :class:`SchedulePass` keeps, per resource, a byte array of its free working
slots, and places the leaves one at a time as they become eligible (every
task they depend on is placed), the eligible one with the smallest ordering
key first. :class:`~stalker_core.scheduling.native.scheduler.NativeScheduler`
runs one pass; the optimiser (:mod:`~stalker_core.scheduling.native.optimise`)
runs more with other orders and keeps the best. See
:mod:`~stalker_core.scheduling.native` for the placement rules.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

from stalker_core.exceptions import SchedulingError
from stalker_core.scheduling.data import CONSTRAIN_BOTH, CONSTRAIN_END, CONSTRAIN_START
from stalker_core.scheduling.native.prepare import Prepared, apply_blocked, task_label

#: ``progress(done, total)``, called while a pass places tasks
Progress = Callable[[int, int], None]


class SchedulePass:
    """One scheduling pass over prepared data with a given ordering.

    After :meth:`run`, ``start``/``end`` hold each leaf's first and end slot,
    ``used`` its resources and ``runs`` its bookings as ``(resource, first working
    slot, end working slot)``; ``warnings`` says which constraints could not be kept.

    :param prep: the prepared problem (:func:`~stalker_core.scheduling.native.prepare.prepare`).
    :param keys: the ordering key of every leaf among the eligible ones (default:
        effective priority, then critical path, then id).
    :param avoid: resources to spare when an alternative is as good (used by the optimiser).
    """

    def __init__(self, prep: Prepared, keys: dict[int, Any] | None = None,
                 avoid: frozenset[int] = frozenset()) -> None:
        self.p = prep
        self.cal = prep.cal
        self.res = prep.problem.resolution
        self.eff = {r.id: r.efficiency for r in prep.problem.resources.values()}
        self.free: dict[int, bytearray] = {}
        self.booked: dict[int, int] = {}
        self.capacity: dict[int, int] = {}
        size = self.cal.size
        #: length of every array of ``free`` (they grow together)
        self.size = size
        for rid, intervals in prep.blocked.items():
            arr = bytearray(b"\x01") * size
            apply_blocked(arr, intervals, self.cal.work, 0, size)
            self.free[rid] = arr
            self.booked[rid] = 0
            self.capacity[rid] = max(1, arr.count(1))
        self.keys = keys
        #: resources to spare when an alternative is as good (used by the optimiser)
        self.avoid = avoid
        self.start: dict[int, int] = {}
        self.end: dict[int, int] = {}
        self.used: dict[int, tuple[int, ...]] = {}
        self.runs: dict[int, list[tuple[int, int, int]]] = {}
        self.warnings: list[str] = []

    # -- growth ---------------------------------------------------------------------------
    def _grow(self, index: int) -> None:
        """Make every resource array cover working slot ``index``."""
        old = self.size
        if index < old:
            return
        cal = self.cal
        cal.ensure(index)
        size = cal.size
        blocked = self.p.blocked
        more = b"\x01" * (size - old)
        for rid, arr in self.free.items():
            arr.extend(more)
            if blocked[rid]:
                apply_blocked(arr, blocked[rid], cal.work, old, size)
        self.size = size

    def _find_free(self, rid: int, i: int) -> int:
        arr = self.free[rid]
        while True:
            p = arr.find(1, i)
            if p >= 0:
                return p
            self._grow(len(arr) + 1)

    # -- the pass -----------------------------------------------------------------------------
    def run(self, progress: Progress | None = None) -> int:
        """Place every leaf; returns the latest end slot."""
        p = self.p
        keys = self.keys
        if keys is None:
            keys = {t: (-p.eff_priority[t], -p.tail[t], t) for t in p.leaves}
        # the heap holds ranks (ints compare much faster than the key tuples)
        order = sorted(p.leaves, key=lambda t: (keys[t], t))
        rank = {t: i for i, t in enumerate(order)}
        count = dict(p.preds_count)
        heap = [rank[t] for t in p.leaves if count[t] == 0]
        heapq.heapify(heap)
        done = 0
        total = len(p.leaves)
        latest = 0
        step = max(1, total // 100)
        while heap:
            tid = order[heapq.heappop(heap)]
            try:
                self._place(tid)
            except SchedulingError as exc:
                task = p.problem.tasks[tid]
                names = [p.problem.resources[c].name for g in p.groups[tid] for c in g]
                raise SchedulingError(
                    f"task {task_label(task)} cannot be planned"
                    + (f" with resources {names}" if names else "") + f": {exc}"
                ) from exc
            if self.end[tid] > latest:
                latest = self.end[tid]
            done += 1
            if progress is not None and done % step == 0:
                progress(done, total)
            for s in p.succs[tid]:
                count[s] -= 1
                if count[s] == 0:
                    heapq.heappush(heap, rank[s])
        if progress is not None:
            progress(total, total)
        return latest

    def _earliest(self, tid: int) -> int:
        cal = self.cal
        est = 0
        for ref in self.p.deps[tid]:
            group = ref.group
            if ref.target == "onstart":
                start = self.start
                base = start[group[0]] if len(group) == 1 else min(start[g] for g in group)
            else:
                end = self.end
                base = end[group[0]] if len(group) == 1 else max(end[g] for g in group)
            if ref.gap_slots:
                if ref.gap_model == "duration":
                    base += ref.gap_slots
                else:
                    i = cal.first_work(base) + ref.gap_slots - 1
                    cal.ensure(i)
                    base = cal.work[i] + 1
            if base > est:
                est = base
        return est

    def _place(self, tid: int) -> None:
        p = self.p
        task = p.problem.tasks[tid]
        cal = self.cal
        est = self._earliest(tid)
        if task.constraint in (CONSTRAIN_START, CONSTRAIN_BOTH) and task.start is not None:
            fixed = cal.slot_ceil(task.start)
            if fixed < est:
                self.warnings.append(
                    f"task {task_label(task)} cannot start at its fixed start "
                    f"{task.start:%Y-%m-%d %H:%M}; its dependencies or 'now' move it later"
                )
            est = max(est, fixed)
        groups = p.groups[tid]
        remaining = p.remaining[tid]
        if task.time_logs and task.effective_model == "effort" and remaining <= 0:
            self.start[tid] = min(cal.slot_floor(lg.start) for lg in task.time_logs)
            self.end[tid] = max(cal.slot_ceil(lg.end) for lg in task.time_logs)
            self.used[tid] = tuple(sorted({lg.resource for lg in task.time_logs}))
            self.runs[tid] = []
            return
        if task.milestone or remaining <= 0:
            self.start[tid] = self.end[tid] = est
            self.used[tid] = ()
            self.runs[tid] = []
            return
        fixed_end = cal.slot_ceil(task.end) if task.end is not None else None
        if task.constraint == CONSTRAIN_BOTH and fixed_end is not None and fixed_end > est:
            self._place_fixed(tid, est, fixed_end, groups)
        elif task.constraint == CONSTRAIN_END and task.end is not None and self._place_backward(
            tid, est, cal.slot_ceil(task.end), groups, remaining
        ):
            pass
        else:
            if task.constraint == CONSTRAIN_BOTH and task.end is not None:
                self.warnings.append(
                    f"task {task_label(task)} cannot keep its fixed range, which ends "
                    f"{task.end:%Y-%m-%d %H:%M} before it can start; planned by its "
                    "schedule timing from its earliest start instead"
                )
            if task.constraint == CONSTRAIN_END and task.end is not None:
                self.warnings.append(
                    f"task {task_label(task)} cannot end by its fixed end "
                    f"{task.end:%Y-%m-%d %H:%M}; planned as early as possible instead"
                )
            if task.effective_model == "effort":
                self._place_effort(tid, est, groups, remaining)
            elif task.effective_model == "length":
                self._place_window(tid, est, groups, math.ceil(remaining / self.res - 1e-9), False)
            else:
                self._place_window(tid, est, groups, math.ceil(remaining / self.res - 1e-9), True)
        if task.time_logs:
            first = min(cal.slot_floor(lg.start) for lg in task.time_logs)
            self.start[tid] = min(self.start[tid], first)
            logged_by = {lg.resource for lg in task.time_logs}
            self.used[tid] = tuple(sorted({*self.used[tid], *logged_by}))

    # -- choosing among alternatives ----------------------------------------------------------
    def _key(self, task_id: int, strategy: str, cands: list[int], c: int) -> Any:
        if strategy == "order":
            return cands.index(c)
        if strategy == "maxloaded":
            return (-self.booked[c] / self.capacity[c], cands.index(c))
        if strategy == "minloaded":
            return (self.booked[c] / self.capacity[c], cands.index(c))
        if strategy == "random":
            return ((c * 2654435761 + task_id * 40503) % 4294967296, c)
        return (self.booked[c], cands.index(c))  # minallocated

    def _choose(self, tid: int, groups: list[list[int]], wi: int) -> list[int]:
        """Pick one candidate per group: the soonest free, ties by the strategy."""
        strategy = self.p.problem.tasks[tid].strategy
        taken: set[int] = set()
        out = []
        for cands in groups:
            options = [c for c in cands if c not in taken] or cands
            if self.avoid and len(options) > 1:
                options = [c for c in options if c not in self.avoid] or options
            if len(options) == 1:
                pick = options[0]
            else:
                soon = {c: self._find_free(c, wi) for c in options}
                first = min(soon.values())
                best = [c for c in options if soon[c] == first]
                pick = min(best, key=lambda c: self._key(tid, strategy, cands, c))
            taken.add(pick)
            out.append(pick)
        return out

    # -- effort ---------------------------------------------------------------------------
    def _place_effort(self, tid: int, est: int, groups: list[list[int]], remaining: float) -> None:
        cal = self.cal
        wi = cal.first_work(est)
        if len(groups) == 1 and len(groups[0]) == 1:  # one resource, no alternatives
            self._effort_single(tid, groups[0][0], wi, remaining)
            return
        task = self.p.problem.tasks[tid]
        if task.persistent or all(len(g) == 1 for g in groups):
            chosen = self._choose(tid, groups, wi)
            if len(chosen) == 1:
                self._effort_single(tid, chosen[0], wi, remaining)
                return
            groups = [[c] for c in chosen]
        self._effort_slots(tid, groups, wi, remaining)

    def _effort_single(self, tid: int, rid: int, wi: int, remaining: float) -> None:
        need = total = math.ceil(remaining / (self.res * self.eff[rid]) - 1e-9)
        arr = self.free[rid]
        runs = []
        q = wi
        while need > 0:
            p = arr.find(1, wi)
            if p < 0:
                p = self._find_free(rid, wi)
                arr = self.free[rid]
            if p + need > self.size:
                self._grow(p + need)
                arr = self.free[rid]
            q = arr.find(0, p, p + need)
            if q < 0:
                q = p + need
            arr[p:q] = bytes(q - p)
            runs.append((rid, p, q))
            need -= q - p
            wi = q
        if not runs:
            self._finish(tid, runs, (rid,))
            return
        self.booked[rid] += total
        # the runs of one resource are in order: the first starts, the last ends the task
        work = self.cal.work
        self.start[tid] = work[runs[0][1]]
        self.end[tid] = work[q - 1] + 1
        self.used[tid] = (rid,)
        self.runs[tid] = runs

    def _effort_slots(self, tid: int, groups: list[list[int]], wi: int, remaining: float) -> None:
        """Slot by slot: every group works when one of its candidates is free."""
        task = self.p.problem.tasks[tid]
        res = self.res
        current = [g[0] for g in groups]
        runs: dict[int, list[list[int]]] = {}
        left = remaining - 1e-6
        everyone = sorted({c for g in groups for c in g})
        while left > 0:
            nxt = min(self._find_free(c, wi) for c in everyone)
            self._grow(nxt)
            wi = nxt
            taken: set[int] = set()
            for gi, cands in enumerate(groups):
                cur = current[gi]
                if not (self.free[cur][wi] and cur not in taken):
                    options = [c for c in cands if self.free[c][wi] and c not in taken]
                    if not options:
                        continue
                    cur = min(options, key=lambda c: self._key(tid, task.strategy, cands, c))
                    current[gi] = cur
                taken.add(cur)
                self.free[cur][wi] = 0
                self.booked[cur] += 1
                left -= res * self.eff[cur]
                rr = runs.setdefault(cur, [])
                if rr and rr[-1][1] == wi:
                    rr[-1][1] = wi + 1
                else:
                    rr.append([wi, wi + 1])
            wi += 1
        flat = [(r, a, b) for r, lst in sorted(runs.items()) for a, b in lst]
        self._finish(tid, flat, tuple(sorted(runs)))

    def _finish(self, tid: int, runs: list[tuple[int, int, int]], used: tuple[int, ...]) -> None:
        work = self.cal.work
        self.start[tid] = min(work[a] for _, a, _ in runs)
        self.end[tid] = max(work[b - 1] + 1 for _, _, b in runs)
        self.used[tid] = used
        self.runs[tid] = runs

    # -- windows (length, duration) -------------------------------------------------------
    def _place_window(
        self, tid: int, est: int, groups: list[list[int]], n: int, calendar_time: bool
    ) -> None:
        cal = self.cal
        chosen = self._choose(tid, groups, cal.first_work(est)) if groups else []
        cs = est
        while True:
            if calendar_time:
                a = cal.first_work(cs)
                cal.ensure_cal(cs + n)
                b = cal.first_work(cs + n)
            else:
                a = cal.first_work(cs)
                b = a + n
            self._grow(b)
            conflict = -1
            for rid in chosen:
                q = self.free[rid].find(0, a, b)
                if q > conflict:
                    conflict = q
            if conflict < 0:
                break
            nxt = max(self._find_free(r, conflict + 1) for r in chosen)
            cal.ensure(nxt)
            cs = cal.work[nxt]
        runs = []
        for rid in chosen:
            if a < b:
                self.free[rid][a:b] = bytes(b - a)
                self.booked[rid] += b - a
                runs.append((rid, a, b))
        if calendar_time:
            self.start[tid], self.end[tid] = cs, cs + n
        elif n == 0:
            self.start[tid] = self.end[tid] = cs
        else:
            self.start[tid], self.end[tid] = cal.work[a], cal.work[b - 1] + 1
        self.used[tid] = tuple(chosen)
        self.runs[tid] = runs

    # -- constraints ----------------------------------------------------------------------
    def _place_fixed(self, tid: int, s: int, e: int, groups: list[list[int]]) -> None:
        """Book the fixed range ``[s, e)`` (``e > s``) of a task constrained at both ends."""
        cal = self.cal
        a, b = cal.first_work(s), cal.first_work(e)
        self._grow(b)
        chosen = [g[0] for g in groups]
        runs = []
        for rid in chosen:
            arr = self.free[rid]
            i = a
            while i < b:
                p = arr.find(1, i, b)
                if p < 0:
                    break
                q = arr.find(0, p, b)
                q = b if q < 0 else q
                arr[p:q] = bytes(q - p)
                self.booked[rid] += q - p
                runs.append((rid, p, q))
                i = q
        self.start[tid], self.end[tid] = s, e
        self.used[tid] = tuple(chosen)
        self.runs[tid] = runs

    def _place_backward(
        self, tid: int, est: int, e: int, groups: list[list[int]], remaining: float
    ) -> bool:
        """Plan a fixed-end task as late as possible; ``False`` when it does not fit."""
        cal = self.cal
        task = self.p.problem.tasks[tid]
        lo = cal.first_work(est)
        hi = cal.first_work(e)  # exclusive
        self._grow(hi)
        if hi <= lo:
            return False
        chosen = [g[0] for g in groups]
        if task.effective_model == "effort":
            left = remaining - 1e-6
            picks: list[tuple[int, int]] = []
            i = hi - 1
            while left > 0 and i >= lo:
                for rid in chosen:
                    if self.free[rid][i]:
                        picks.append((rid, i))
                        left -= self.res * self.eff[rid]
                i -= 1
            if left > 0:
                return False
            runs: list[tuple[int, int, int]] = []
            for rid, i in sorted(picks):
                self.free[rid][i] = 0
                self.booked[rid] += 1
                if runs and runs[-1][0] == rid and runs[-1][2] == i:
                    runs[-1] = (rid, runs[-1][1], i + 1)
                else:
                    runs.append((rid, i, i + 1))
            self._finish(tid, runs, tuple(chosen))
            return True
        n = math.ceil(remaining / self.res - 1e-9)
        if task.effective_model == "length":
            b = hi
            while True:
                a = b - n
                if a < lo:
                    return False
                conflict = max((self.free[r].rfind(0, a, b) for r in chosen), default=-1)
                if conflict < 0:
                    break
                b = conflict
            s_cal, e_cal = cal.work[a] if n else cal.work[b - 1] + 1, cal.work[b - 1] + 1
        else:
            e_cal = e
            while True:
                s_cal = e_cal - n
                if s_cal < est:
                    return False
                a, b = cal.first_work(s_cal), cal.first_work(e_cal)
                conflict = max((self.free[r].rfind(0, a, b) for r in chosen), default=-1)
                if conflict < 0:
                    break
                e_cal = cal.work[conflict]
        runs = []
        for rid in chosen:
            if a < b:
                self.free[rid][a:b] = bytes(b - a)
                self.booked[rid] += b - a
                runs.append((rid, a, b))
        self.start[tid], self.end[tid] = s_cal, e_cal
        self.used[tid] = tuple(chosen)
        self.runs[tid] = runs
        return True
