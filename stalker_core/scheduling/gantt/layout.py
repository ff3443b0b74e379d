"""Gantt chart layout: the rows, bars, arrows, legend and shading of a plan.

:func:`gantt_layout` turns a :class:`~stalker_core.scheduling.data.Problem` and
its :class:`~stalker_core.scheduling.data.Plan` into a :class:`GanttLayout`
that the renderers draw as they are (matplotlib in
:mod:`~stalker_core.scheduling.gantt.mpl`, HTML in
:mod:`~stalker_core.scheduling.gantt.html`):

- three views: ``project`` (projects and their top-level tasks), ``tree``
  (the whole task tree) and ``resource`` (one row per resource, its bookings);
- leaf colours by resource, status or project, with the legend; people are
  named by their full name in every view (the login in tooltips); the
  project view shows the coloured leaf tasks on their top-level container's
  row, each named by its status or person where it fits;
- dependency arrows that would share a path get lanes and offsets
  (:class:`Arrow`) so they are drawn apart;
- the date axis: ticks with weekdays (:func:`date_ticks`) and the weeks
  (:func:`week_marks`);
- above ``max_rows`` rows the tree is collapsed to its containers (then to
  fewer levels, then cut) and :attr:`GanttLayout.note` says so;
- the non-working time (days without working hours, studio vacations).

It also holds the small helpers both renderers share (time range, text
colour on a bar, the path of a dependency arrow).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling.data import Plan, Problem

VIEWS: tuple[str, ...] = ("project", "tree", "resource")
COLOR_BY: tuple[str, ...] = ("resource", "status", "project")
_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#8cd17d", "#b6992d", "#499894",
            "#f1ce63", "#a0cbe8", "#ffbe7d", "#d4a6c8", "#fabfd2", "#79706e"]
#: colours of the usual Stalker task statuses (codes).
STATUS_COLORS: dict[str, str] = {
    "WFD": "#bab0ac", "RTS": "#a0cbe8", "WIP": "#f28e2b", "PREV": "#edc948",
    "HREV": "#b07aa1", "DREV": "#d37295", "OH": "#9c755f", "STOP": "#e15759",
    "CMPL": "#59a14f",
}
SUMMARY_COLOR = "#2f3b4c"
UNASSIGNED_COLOR = "#c9c9c9"
NONWORK_COLOR = "#eceff3"
NOW_COLOR = "#d62728"
#: at most this many legend entries (the rest is summarised).
LEGEND_MAX = 16


@dataclass
class Bar:
    """One bar: a span of time, its colour, tooltip and the text drawn on it."""

    start: dt.datetime
    end: dt.datetime
    color: str
    tip: str
    kind: str = "task"  # task | summary | milestone
    text: str = ""
    #: the text is centred on ``start .. text_end`` (a run of bookings), default ``end``
    text_end: dt.datetime | None = None
    #: a shorter text, written when ``text`` does not fit on the bar
    short: str = ""


@dataclass
class Row:
    """One chart row; ``kind`` is project, container, task, milestone or resource."""

    label: str
    level: int = 0
    bars: list[Bar] = field(default_factory=list)
    kind: str = "task"
    task_id: int | None = None
    #: the resource's own vacations (resource view), drawn hatched on its row
    vacations: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)

    @property
    def is_summary(self) -> bool:
        """Whether the row is a project or a container (drawn as a summary bar)."""
        return self.kind in ("project", "container")


@dataclass
class Arrow:
    """A dependency between two rows: ``kind`` is ``fs`` (finish-to-start) or ``ss``.

    Arrows leaving the same row get different ``lane`` numbers (their
    vertical segments are drawn apart) and arrows reaching the same row
    different ``offset`` values (their last segments and heads are drawn
    apart, in row heights), so arrows that would share a path stay told apart.
    """

    src: int
    dst: int
    kind: str = "fs"
    lane: int = 0
    offset: float = 0.0


@dataclass
class GanttLayout:
    """Everything a renderer needs: rows, arrows, legend, shading and notes."""

    view: str
    rows: list[Row]
    arrows: list[Arrow] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    nonworking: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    now: dt.datetime | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    note: str = ""
    total_rows: int = 0
    timezone: str = "UTC"



def fmt_time(moment: dt.datetime | None) -> str:
    """``moment`` as ``YYYY-mm-dd HH:MM`` (``-`` for none)."""
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def person(problem: Problem, rid: int) -> str:
    """How a chart names a resource: the full name (every view), else the login."""
    r = problem.resources.get(rid)
    if r is None:
        return str(rid)
    return r.name or r.login or str(rid)


def person_tip(problem: Problem, rid: int) -> str:
    """The full name with the login, for tooltips: ``Anna Artist (anna)``."""
    r = problem.resources.get(rid)
    if r is None:
        return str(rid)
    name = person(problem, rid)
    return f"{name} ({r.login})" if r.login and r.login != name else name


def gantt_rows(problem: Problem, plan: Plan, view: str = "tree", max_rows: int | None = None
               ) -> list[Row]:
    """The rows of ``view`` (``project``, ``tree`` or ``resource``), collapsed to fit
    ``max_rows`` (see :func:`gantt_layout`)."""
    return gantt_layout(problem, plan, view, max_rows).rows


def gantt_layout(problem: Problem, plan: Plan, view: str = "tree", max_rows: int | None = None,
                 *, color_by: str = "resource", statuses: Mapping[int, str] | None = None
                 ) -> GanttLayout:
    """Lay out ``view``: rows, dependency arrows, legend, non-working time, now.

    :param color_by: leaf colour: ``resource`` (first allocated person), ``status``
        (``statuses`` maps task id to a status code) or ``project``.
    :param max_rows: above it the tree keeps containers only, then fewer levels,
        then is cut; :attr:`GanttLayout.note` says what was left out.
    :raises ValidationError: for an unknown view or colour key.
    """
    if view not in VIEWS:
        raise ValidationError(f"gantt view should be one of {VIEWS}, not {view!r}")
    if color_by not in COLOR_BY:
        raise ValidationError(f"gantt color_by should be one of {COLOR_BY}, not {color_by!r}")
    if color_by == "status" and not statuses:
        statuses = {t.id: s for t in problem.tasks.values()
                    if isinstance(s := getattr(t, "status", None), str)}
        if not statuses:
            color_by = "resource"
    if view == "resource":
        rows, legend = _resource_rows(problem, plan)
        arrows: list[Arrow] = []
    else:
        rows, legend = _task_rows(problem, plan, view, color_by, statuses or {})
    total = len(rows)
    note = ""
    if max_rows is not None and total > max_rows:
        rows, note = _collapse(rows, max_rows, total)
        shown = {b.color for r in rows for b in r.bars}
        legend = [(k, c) for k, c in legend if c in shown]
    if view != "resource":
        arrows = _arrows(problem, rows)
    lo = hi = None
    for r in rows:
        for b in r.bars:
            lo = b.start if lo is None or b.start < lo else lo
            hi = b.end if hi is None or b.end > hi else hi
    if lo is None or hi is None:
        lo = hi = plan.origin
    layout = GanttLayout(view, rows, arrows, legend, [], problem.now, lo, hi, note, total,
                         problem.timezone)
    layout.nonworking = _nonworking(problem, *x_range(layout))
    return layout


def _task_rows(problem: Problem, plan: Plan, view: str, color_by: str,
               statuses: Mapping[int, str]) -> tuple[list[Row], list[tuple[str, str]]]:
    tasks = problem.tasks
    children = problem.children_map()
    pcolor = {pid: _PALETTE[i % len(_PALETTE)] for i, pid in enumerate(sorted(problem.projects))}
    keys: dict[str, str] = {}

    def key_color(key: str) -> str:
        if key not in keys:
            if color_by == "status":
                keys[key] = STATUS_COLORS.get(key, _PALETTE[len(keys) % len(_PALETTE)])
            else:
                keys[key] = _PALETTE[len(keys) % len(_PALETTE)]
        return keys[key]

    # stable colours: resources by name order, whatever the row order
    if color_by == "resource":
        for name in sorted(person(problem, r) for r in problem.resources):
            key_color(name)

    def bar_of(tid: int) -> Bar | None:
        tp = plan.tasks.get(tid)
        if tp is None or tp.start is None or tp.end is None:
            return None
        t = tasks[tid]
        rids = list(tp.resources or t.resources)
        names = [person(problem, r) for r in rids]
        who = ", ".join(names)
        tips = ", ".join(person_tip(problem, r) for r in rids)
        tip = f"{t.name}\n{fmt_time(tp.start)} - {fmt_time(tp.end)}" + (f"\n{tips}" if tips else "")
        if tid in children:
            return Bar(tp.start, tp.end, SUMMARY_COLOR, tip, "summary")
        key = ""
        if color_by == "status":
            st = statuses.get(tid)
            color = key_color(st) if st else UNASSIGNED_COLOR
            tip += f"\n{st}" if st else ""
            key = st or ""
        elif color_by == "project":
            color = pcolor.get(t.project_id, _PALETTE[0])
        else:
            color = key_color(names[0]) if names else UNASSIGNED_COLOR
            key = names[0] if names else ""
        bar = Bar(tp.start, tp.end, color, tip, "milestone" if t.milestone else "task", who)
        bar.short = key if view == "project" else ""
        return bar

    roots: dict[int, list[int]] = {}
    for t in tasks.values():
        if t.parent_id is None or t.parent_id not in tasks:
            roots.setdefault(t.project_id, []).append(t.id)
    rows: list[Row] = []
    depth_limit = 1 if view == "project" else 10**6
    for pid in sorted(set(roots) | set(problem.projects)):
        proj = problem.projects.get(pid)
        ids = sorted(roots.get(pid, []))
        spans = [plan.tasks[i] for i in ids if i in plan.tasks and plan.tasks[i].start]
        prow = Row(proj.name if proj else f"Project {pid}", 0, kind="project")
        if spans:
            s = min(x.start for x in spans if x.start)
            e = max(x.end for x in spans if x.end)
            prow.bars.append(Bar(s, e, SUMMARY_COLOR,
                                 f"{prow.label}\n{fmt_time(s)} - {fmt_time(e)}", "summary"))
        rows.append(prow)
        stack = [(i, 1) for i in reversed(ids)]
        while stack:
            tid, level = stack.pop()
            b = bar_of(tid)
            kind = ("container" if tid in children
                    else "milestone" if tasks[tid].milestone else "task")
            bars = [b] if b else []
            if level == depth_limit and tid in children:
                # the project view: a container's row shows its leaf tasks, coloured by
                # ``color_by``, each named by its colour key (status, person) where it fits
                leaf_bars = [lb for lb in map(bar_of, _leaves_under(tid, children))
                             if lb is not None]
                if leaf_bars:
                    for lb in leaf_bars:
                        lb.text, lb.short = lb.short, ""
                    bars = leaf_bars
            rows.append(Row(tasks[tid].name, level, bars, kind, tid))
            if level < depth_limit:
                stack.extend((k, level + 1) for k in reversed(children.get(tid, [])))
    if color_by == "project":
        legend = [(p.name, pcolor[p.id]) for p in sorted(problem.projects.values(),
                                                         key=lambda p: p.id)]
    else:
        used = {b.color for r in rows for b in r.bars if b.kind != "summary"}
        legend = [(k, c) for k, c in keys.items() if c in used]
        if UNASSIGNED_COLOR in used:
            legend.append(("no status" if color_by == "status" else "unassigned",
                           UNASSIGNED_COLOR))
    return rows, legend


def _leaves_under(tid: int, children: Mapping[int, list[int]]) -> list[int]:
    """The leaf tasks below ``tid``, depth first."""
    out, stack = [], list(reversed(children.get(tid, [])))
    while stack:
        k = stack.pop()
        if k in children:
            stack.extend(reversed(children[k]))
        else:
            out.append(k)
    return out


def _resource_rows(problem: Problem, plan: Plan) -> tuple[list[Row], list[tuple[str, str]]]:
    """One row per resource; bookings coloured by task when few, else by project; the task
    name is written once per run of consecutive bookings of a task."""
    tasks = problem.tasks
    children = problem.children_map()
    pcolor = {pid: _PALETTE[i % len(_PALETTE)] for i, pid in enumerate(sorted(problem.projects))}
    per: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = {}
    for tid, tp in plan.tasks.items():
        if tid in children or tid not in tasks:
            continue
        spans = tp.bookings or ([(rid, tp.start, tp.end) for rid in tp.resources]
                                if tp.start is not None and tp.end is not None else [])
        for rid, s, e in spans:
            per.setdefault(rid, []).append((s, e, tid))
    used = sorted({tid for v in per.values() for _s, _e, tid in v})
    by_task = len(used) <= LEGEND_MAX
    tcolor = {tid: _PALETTE[i % len(_PALETTE)] for i, tid in enumerate(used)}

    def full_name(tid: int) -> str:
        t = tasks[tid]
        parent = tasks.get(t.parent_id) if t.parent_id is not None else None
        return f"{parent.name}/{t.name}" if parent else t.name

    names = {r.id: person(problem, r.id) for r in problem.resources.values()}
    rows = []
    for rid in sorted(per, key=lambda r: names.get(r, str(r))):
        bars: list[Bar] = []
        run_head: Bar | None = None
        run_tid = None
        for s, e, tid in sorted(per[rid], key=lambda x: (x[0], x[2])):
            t = tasks[tid]
            c = tcolor[tid] if by_task else pcolor.get(t.project_id, _PALETTE[0])
            b = Bar(s, e, c, f"{full_name(tid)}\n{fmt_time(s)} - {fmt_time(e)}\n"
                             f"{person_tip(problem, rid)}")
            if run_head is not None and run_tid == tid and s - (run_head.text_end or s) \
                    <= dt.timedelta(days=4):
                run_head.text_end = e
            else:
                run_head, run_tid = b, tid
                # the path tells tasks of the same name apart (SH10/layout, SH20/layout)
                b.text, b.short, b.text_end = full_name(tid), t.name, e
            bars.append(b)
        res = problem.resources.get(rid)
        rows.append(Row(names.get(rid, str(rid)), 0, bars, "resource",
                        vacations=list(res.vacations) if res else []))
    if by_task:
        legend = [(full_name(tid), tcolor[tid]) for tid in used]
    else:
        pids = sorted({tasks[tid].project_id for tid in used})
        legend = [(problem.projects[p].name if p in problem.projects else f"Project {p}",
                   pcolor.get(p, _PALETTE[0])) for p in pids]
    return rows, legend


def _collapse(rows: list[Row], max_rows: int, total: int) -> tuple[list[Row], str]:
    """Fit ``rows`` in ``max_rows``: containers only, then fewer levels, then cut."""
    if rows and rows[0].kind == "resource":
        return rows[:max_rows], f"showing {max_rows} of {total} resources"
    kept = [r for r in rows if r.is_summary]
    how = "leaf tasks hidden"
    depth = max((r.level for r in kept), default=0)
    while len(kept) > max_rows and depth > 1:
        depth -= 1
        kept = [r for r in kept if r.level <= depth]
        how = f"leaf tasks and levels below {depth} hidden"
    if len(kept) > max_rows:
        how += f", first {max_rows} of {len(kept)} containers"
        kept = kept[:max_rows]
    if not any(r.kind == "container" for r in kept):  # flat plan: show the first rows
        kept, how = rows[:max_rows], f"first {max_rows} rows"
    return kept, (f"{total} rows > limit {max_rows}: showing {len(kept)} rows ({how}); "
                  "filter with --project to see more")


def _arrows(problem: Problem, rows: list[Row]) -> list[Arrow]:
    """Arrows for the dependencies whose both tasks have a bar in ``rows``."""
    index = {r.task_id: i for i, r in enumerate(rows) if r.task_id is not None and r.bars}
    out = []
    for i, r in enumerate(rows):
        if r.task_id is None or not r.bars:
            continue
        for d in problem.tasks[r.task_id].depends:
            src = index.get(d.depends_on)
            if src is not None:
                out.append(Arrow(src, i, "ss" if d.target == "onstart" else "fs"))
    by_src: dict[int, list[Arrow]] = {}
    by_dst: dict[int, list[Arrow]] = {}
    for a in out:
        by_src.setdefault(a.src, []).append(a)
        by_dst.setdefault(a.dst, []).append(a)
    for group in by_src.values():  # the farthest target keeps the outer lane
        for lane, a in enumerate(sorted(group, key=lambda a: abs(a.dst - a.src))):
            a.lane = lane
    for group in by_dst.values():
        m = len(group)
        for j, a in enumerate(sorted(group, key=lambda a: a.src)):
            a.offset = (j - (m - 1) / 2) * min(0.14, 0.5 / m)
    return out


def _nonworking(problem: Problem, lo: dt.datetime, hi: dt.datetime
                ) -> list[tuple[dt.datetime, dt.datetime]]:
    """Merged spans of days without working hours and studio vacations in ``lo..hi``."""
    tz = zone(problem.timezone)
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    off = {d for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
           if not problem.working_hours.get(d)}
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    first, last = lo.astimezone(tz).date(), hi.astimezone(tz).date()
    if off and len(off) < 7 and (last - first).days <= 800:
        day = first
        while day <= last:
            if names[day.weekday()] in off:
                s = dt.datetime.combine(day, dt.time(), tz)
                spans.append((s, s + dt.timedelta(days=1)))
            day += dt.timedelta(days=1)
    spans += [(s, e) for s, e in problem.holidays if e > lo and s < hi]
    spans.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def date_ticks(lo: dt.datetime, hi: dt.datetime, tz: dt.tzinfo
               ) -> list[tuple[dt.datetime, str]]:
    """Readable date ticks between ``lo`` and ``hi`` (an hour to years apart): at most
    16, the day (or year) written when it changes; days carry their weekday
    (``Mon 07 Dec``)."""
    span = (hi - lo).total_seconds()
    local = lo.astimezone(tz)
    out: list[tuple[dt.datetime, str]] = []
    for step in (3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400,
                 14 * 86400):
        if span / step > 16:
            continue
        t = local.replace(minute=0, second=0, microsecond=0)
        if step >= 86400:
            t = t.replace(hour=0)
        else:
            t = t.replace(hour=t.hour - t.hour % (step // 3600))
        if step >= 7 * 86400:
            t -= dt.timedelta(days=t.weekday())
        last_day = None
        while t <= hi:
            if t >= lo:
                if step < 86400:
                    text = t.strftime("%H:%M" if t.date() == last_day else "%a %d %b %H:%M")
                else:
                    text = t.strftime("%a %d %b" if step <= 2 * 86400 else "%d %b")
                out.append((t, text))
                last_day = t.date()
            t = (t + dt.timedelta(seconds=step)).astimezone(tz)
        return out
    months = next(m for m in (1, 2, 3, 6, 12, 24, 60) if span / (m * 30.4 * 86400) <= 15)
    y, m = local.year, local.month
    m -= (m - 1) % months if months <= 12 else 0
    last_year = None
    while True:
        t = dt.datetime(y, m, 1, tzinfo=tz)
        if t > hi:
            return out
        if t >= lo:
            out.append((t, t.strftime("%b" if t.year == last_year else "%b %Y")))
            last_year = t.year
        m += months
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1


def week_marks(lo: dt.datetime, hi: dt.datetime, tz: dt.tzinfo
               ) -> list[tuple[dt.datetime, str]]:
    """The Mondays (local midnight) between ``lo`` and ``hi`` with their ISO week
    (``week 50``), for plans of two days to half a year (empty otherwise)."""
    span = hi - lo
    if span < dt.timedelta(days=2) or span > dt.timedelta(days=183):
        return []
    day = lo.astimezone(tz).date()
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    out: list[tuple[dt.datetime, str]] = []
    while True:
        t = dt.datetime.combine(day, dt.time(), tz)
        if t > hi:
            return out
        if t >= lo:
            out.append((t, f"week {day.isocalendar().week}"))
        day += dt.timedelta(days=7)


def zone(name: str) -> dt.tzinfo:
    """The time zone ``name``, UTC when unknown."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return dt.UTC


def text_color(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (``#rrggbb``)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def elbow(s0: float, e0: float, y0: float, x1: float, y1: float, kind: str, d: float,
          lane: int = 0) -> list[tuple[float, float]]:
    """The polyline of a dependency arrow to ``(x1, y1)`` from the bar ``s0 .. e0`` on row
    ``y0`` (rows are 1 apart, bars 0.64 high).

    Finish-to-start arrows leave the predecessor's bar by its lower (or upper) edge near
    its end, so a name written beside the bar stays readable; start-to-start arrows leave
    by its start. ``lane`` (see :class:`Arrow`) moves the vertical segment of the
    second, third... arrow of a bar further from its end, so they do not overlap.
    """
    step = d * 0.8 * lane
    if kind == "ss":
        a = min(s0, x1) - d - step
        return [(s0, y0), (a, y0), (a, y1), (x1, y1)]
    down = 1.0 if y1 > y0 else -1.0
    xs = max(max(e0 - d / 2, (s0 + e0) / 2) - step, s0)
    ys = y0 + 0.32 * down
    if x1 >= xs + d / 2:
        return [(xs, ys), (xs, y1), (x1, y1)]
    yh = y1 - 0.5 * down
    return [(xs, ys), (xs, yh), (x1 - d, yh), (x1 - d, y1), (x1, y1)]


def x_range(layout: GanttLayout) -> tuple[dt.datetime, dt.datetime]:
    """The time axis of ``layout``: its bars, the now line when near, and a margin."""
    lo = layout.start or layout.now or dt.datetime.now(dt.UTC)
    hi = layout.end or lo
    span = max(hi - lo, dt.timedelta(hours=1))
    if layout.now is not None and lo - span * 0.5 <= layout.now <= hi + span * 0.5:
        lo, hi = min(lo, layout.now), max(hi, layout.now)
        span = max(hi - lo, dt.timedelta(hours=1))
    return lo - span * 0.02, hi + span * (0.02 if layout.view == "resource" else 0.07)
