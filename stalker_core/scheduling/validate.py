"""The schedule validator, independent of both schedulers.

:func:`validate_plan` checks a :class:`~stalker_core.scheduling.data.Plan`
against its :class:`~stalker_core.scheduling.data.Problem` using plain
datetime arithmetic (it shares no code with the native scheduler's slot
calendar):

* every task has a start and an end, the end not before the start;
* every dependency holds, with its target (``onend``/``onstart``) and gap
  (``length`` counted in studio working time, ``duration`` in calendar time);
* containers span exactly their children;
* no resource works two things at once (bookings of the plan, time logs and
  time blocked by other projects), nor outside the studio working hours, on a
  studio-wide vacation or on its own vacation, nor before ``now``;
* effort (bookings x efficiency + time logs), length (working time between
  start and end) and duration (calendar time) are met; milestones take no time;
* only the task's resources or alternatives are used; fixed starts are kept.

Plans read back from TaskJuggler carry no bookings; for them the per-booking
checks are skipped (the report says so).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from stalker_core.exceptions import SchedulingError
from stalker_core.scheduling.data import (
    CONSTRAIN_BOTH,
    CONSTRAIN_START,
    WEEKDAYS,
    Plan,
    Problem,
)

UTC = dt.UTC
EPS = dt.timedelta(seconds=1)


@dataclass
class ValidationReport:
    """What :func:`validate_plan` found."""

    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked_tasks: int = 0
    checked_bookings: int = 0

    @property
    def ok(self) -> bool:
        """``True`` when no rule is broken."""
        return not self.errors

    def raise_if_invalid(self) -> None:
        """:raises SchedulingError: listing the first problems."""
        if self.errors:
            more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
            raise SchedulingError("invalid plan: " + "; ".join(self.errors[:10]) + more)

    def __str__(self) -> str:
        return "valid" if self.ok else f"{len(self.errors)} errors"


class _Hours:
    """Studio working time in absolute datetimes, by plain date arithmetic."""

    def __init__(self, problem: Problem) -> None:
        name = problem.timezone
        self.tz: dt.tzinfo = UTC if name in ("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z") else (
            ZoneInfo(name))
        self.hours = problem.working_hours
        self.holidays = sorted(problem.holidays)
        self.intervals = lru_cache(maxsize=None)(self._intervals)

    def _intervals(self, date: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        out = []
        for a, b in sorted(self.hours.get(WEEKDAYS[date.weekday()], []) or []):
            midnight = dt.datetime(date.year, date.month, date.day, tzinfo=self.tz)
            s = (midnight + dt.timedelta(minutes=a)).astimezone(UTC)
            e = (midnight + dt.timedelta(minutes=b)).astimezone(UTC)
            # cut studio-wide vacations out
            pieces = [(s, e)]
            for hs, he in self.holidays:
                nxt = []
                for ps, pe in pieces:
                    if he <= ps or hs >= pe:
                        nxt.append((ps, pe))
                        continue
                    if hs > ps:
                        nxt.append((ps, hs))
                    if he < pe:
                        nxt.append((he, pe))
                pieces = nxt
            out.extend(pieces)
        return tuple(out)

    def is_working(self, s: dt.datetime, e: dt.datetime) -> bool:
        local = s.astimezone(self.tz).date()
        for date in (local - dt.timedelta(days=1), local):
            for a, b in self.intervals(date):
                if a <= s and e <= b:
                    return True
        return False

    def working_seconds(self, s: dt.datetime, e: dt.datetime) -> float:
        total = 0.0
        date = s.astimezone(self.tz).date() - dt.timedelta(days=1)
        last = e.astimezone(self.tz).date()
        while date <= last:
            for a, b in self.intervals(date):
                lo, hi = max(a, s), min(b, e)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            date += dt.timedelta(days=1)
        return total

    def add_working(self, s: dt.datetime, seconds: float) -> dt.datetime:
        if seconds <= 0:
            return s
        date = s.astimezone(self.tz).date() - dt.timedelta(days=1)
        left = seconds
        for _ in range(366 * 30):
            for a, b in self.intervals(date):
                lo = max(a, s)
                if b <= lo:
                    continue
                span = (b - lo).total_seconds()
                if span >= left:
                    return lo + dt.timedelta(seconds=left)
                left -= span
            date += dt.timedelta(days=1)
        raise SchedulingError("gap longer than 30 years")


def _overlaps(s: dt.datetime, e: dt.datetime, spans: list[tuple[dt.datetime, dt.datetime]]) -> bool:
    return any(a < e and s < b for a, b in spans)


def validate_plan(problem: Problem, plan: Plan) -> ValidationReport:
    """Check ``plan`` against ``problem``; see the module documentation for the rules."""
    rep = ValidationReport()
    hours = _Hours(problem)
    tasks = problem.tasks
    children = problem.children_map()
    has_logs = _with_logs(problem, children)
    for tid, t in tasks.items():
        tp = plan.tasks.get(tid)
        if tp is None or tp.start is None or tp.end is None:
            rep.errors.append(f"task {t.name!r} ({tid}) has no computed start/end")
            continue
        rep.checked_tasks += 1
        if tp.end < tp.start:
            rep.errors.append(f"task {t.name!r} ({tid}) ends before it starts")
        # dependencies
        for d in t.depends:
            pp = plan.tasks.get(d.depends_on)
            if pp is None or pp.start is None or pp.end is None or has_logs.get(tid):
                continue
            ref = pp.start if d.target == "onstart" else pp.end
            gap = problem.gap_seconds(d)
            bound = ref + dt.timedelta(seconds=gap) if d.gap_model == "duration" else (
                hours.add_working(ref, gap))
            if tp.start + EPS < bound:
                rep.errors.append(
                    f"task {t.name!r} ({tid}) starts {tp.start:%Y-%m-%d %H:%M} before its "
                    f"dependency on {tasks[d.depends_on].name!r} ({d.target}, gap "
                    f"{d.gap_timing:g}{d.gap_unit} {d.gap_model}) allows: {bound:%Y-%m-%d %H:%M}"
                )
        kids = children.get(tid)
        if kids:
            ks = [plan.tasks[k] for k in kids if k in plan.tasks]
            starts = [k.start for k in ks if k.start is not None]
            ends = [k.end for k in ks if k.end is not None]
            if starts and (tp.start != min(starts) or tp.end != max(ends)):
                rep.errors.append(f"container {t.name!r} ({tid}) does not span its children")
            continue
        # leaves
        allowed = {*t.resources, *t.alternatives, *(lg.resource for lg in t.time_logs)}
        if not set(tp.resources) <= allowed:
            rep.errors.append(
                f"task {t.name!r} ({tid}) uses resources {sorted(set(tp.resources) - allowed)} "
                "that are neither its resources nor alternatives"
            )
        if t.constraint in (CONSTRAIN_START, CONSTRAIN_BOTH) and t.start is not None:
            if tp.start + EPS < t.start:
                rep.errors.append(f"task {t.name!r} ({tid}) starts before its fixed start")
        if t.milestone:
            if tp.start != tp.end:
                rep.errors.append(f"milestone {t.name!r} ({tid}) has a duration")
            continue
        need = problem.effort_seconds(t)
        if t.effective_model == "duration" and not t.time_logs:
            if (tp.end - tp.start).total_seconds() + 1 < need:
                rep.errors.append(f"task {t.name!r} ({tid}) is shorter than its duration")
        elif t.effective_model == "length" and not t.time_logs:
            if hours.working_seconds(tp.start, tp.end) + 1 < need:
                rep.errors.append(f"task {t.name!r} ({tid}) is shorter than its length")
        elif t.effective_model == "effort" and plan.has_bookings and t.constraint != CONSTRAIN_BOTH:
            done = sum((lg.end - lg.start).total_seconds() for lg in t.time_logs)
            for rid, s, e in tp.bookings:
                r = problem.resources.get(rid)
                done += (e - s).total_seconds() * (r.efficiency if r else 1.0)
            if done + 1 < need:
                rep.errors.append(
                    f"task {t.name!r} ({tid}) gets {done / 3600:g} h of its "
                    f"{need / 3600:g} h effort"
                )
    if plan.has_bookings:
        _check_bookings(problem, plan, hours, rep)
    else:
        rep.notes.append("plan has no bookings (TaskJuggler): per-booking checks skipped")
    return rep


def _with_logs(problem: Problem, children: dict[int, list[int]]) -> dict[int, bool]:
    out: dict[int, bool] = {}

    def visit(tid: int) -> bool:
        if tid in out:
            return out[tid]
        got = bool(problem.tasks[tid].time_logs) or any(visit(k) for k in children.get(tid, []))
        out[tid] = got
        return got

    for tid in problem.tasks:
        visit(tid)
    return out


def _check_bookings(problem: Problem, plan: Plan, hours: _Hours, rep: ValidationReport) -> None:
    per: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    for tid, tp in plan.tasks.items():
        name = problem.tasks[tid].name if tid in problem.tasks else str(tid)
        for rid, s, e in tp.bookings:
            rep.checked_bookings += 1
            per[rid].append((s, e, tid))
            if e <= s:
                rep.errors.append(f"task {name!r} has an empty booking")
            if s + EPS < problem.now:
                rep.errors.append(f"task {name!r} is booked in the past ({s:%Y-%m-%d %H:%M})")
            if not hours.is_working(s, e):
                rep.errors.append(
                    f"task {name!r} books resource {rid} outside working hours "
                    f"({s:%Y-%m-%d %H:%M}-{e:%H:%M})"
                )
            r = problem.resources.get(rid)
            if r is not None and _overlaps(s, e, r.vacations):
                rep.errors.append(
                    f"task {name!r} books resource {r.name!r} on vacation ({s:%Y-%m-%d %H:%M})"
                )
    blocked: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = defaultdict(list)
    for rid, s, e in problem.busy:
        blocked[rid].append((s, e, -1))
    for t in problem.tasks.values():
        for lg in t.time_logs:
            blocked[lg.resource].append((lg.start, lg.end, -t.id))
    for rid, items in per.items():
        allitems = sorted(items + blocked.get(rid, []))
        for (_s1, e1, t1), (s2, _e2, t2) in zip(allitems, allitems[1:], strict=False):
            if s2 < e1 and (t1 >= 0 or t2 >= 0):
                rep.errors.append(
                    f"resource {rid} is booked twice at {s2:%Y-%m-%d %H:%M} "
                    f"(tasks {abs(t1)} and {abs(t2)})"
                )
