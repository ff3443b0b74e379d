"""Gantt charts of a plan: by project, by task tree, by resource.

:func:`draw_gantt` writes ``.png`` or ``.svg`` (matplotlib, no display needed)
or a self-contained interactive ``.html`` (inline SVG and a little JavaScript:
switch between the three views, zoom in time, search tasks; tooltips give
names, dates and resources; no network access needed to open it).

What a chart shows:

- containers (projects, shots, assets, any parent task) as thin dark summary
  bars with end caps, leaf tasks as full bars coloured by resource (or by
  status, or by project) with a legend, milestones as diamonds;
- labels indented by their depth in the task tree;
- dependency arrows (finish-to-start and start-to-start) between visible rows;
- the resource login(s) on a leaf bar when they fit, beside it otherwise;
- non-working days (days without working hours, studio vacations) shaded, and
  each resource's own vacations hatched on its row in the resource view, where
  consecutive bookings of a task are joined by a light band named once;
- a dashed "now" line.

Big plans stay readable and fast: above ``max_rows`` rows the tree is
collapsed to its containers (then to fewer levels) and a note says so.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling.data import Plan, Problem

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
    """A dependency between two rows: ``kind`` is ``fs`` (finish-to-start) or ``ss``."""

    src: int
    dst: int
    kind: str = "fs"


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


def _fmt(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _login(problem: Problem, rid: int) -> str:
    r = problem.resources.get(rid)
    if r is None:
        return str(rid)
    return r.login or r.name


def gantt_rows(problem: Problem, plan: Plan, view: str = "tree", max_rows: int | None = None
               ) -> list[Row]:
    """The rows of ``view`` (``project``, ``tree`` or ``resource``), collapsed to fit
    ``max_rows`` (see :func:`gantt_layout`)."""
    return gantt_layout(problem, plan, view, max_rows).rows


def gantt_layout(problem: Problem, plan: Plan, view: str = "tree", max_rows: int | None = None,
                 *, color_by: str = "resource", statuses: Mapping[int, str] | None = None
                 ) -> GanttLayout:
    """Lay out ``view``: rows, dependency arrows, legend, non-working time, now.

    :param color_by: leaf colour: ``resource`` (first allocated login), ``status``
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
    layout.nonworking = _nonworking(problem, *_x_range(layout))
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

    # stable colours: resources by login order, whatever the row order
    if color_by == "resource":
        for login in sorted(_login(problem, r) for r in problem.resources):
            key_color(login)

    def bar_of(tid: int) -> Bar | None:
        tp = plan.tasks.get(tid)
        if tp is None or tp.start is None or tp.end is None:
            return None
        t = tasks[tid]
        logins = [_login(problem, r) for r in (tp.resources or t.resources)]
        who = ", ".join(logins)
        tip = f"{t.name}\n{_fmt(tp.start)} - {_fmt(tp.end)}" + (f"\n{who}" if who else "")
        if tid in children:
            return Bar(tp.start, tp.end, SUMMARY_COLOR, tip, "summary")
        if color_by == "status":
            st = statuses.get(tid)
            color = key_color(st) if st else UNASSIGNED_COLOR
            tip += f"\n{st}" if st else ""
        elif color_by == "project":
            color = pcolor.get(t.project_id, _PALETTE[0])
        else:
            color = key_color(logins[0]) if logins else UNASSIGNED_COLOR
        return Bar(tp.start, tp.end, color, tip, "milestone" if t.milestone else "task", who)

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
            prow.bars.append(Bar(s, e, SUMMARY_COLOR, f"{prow.label}\n{_fmt(s)} - {_fmt(e)}",
                                 "summary"))
        rows.append(prow)
        stack = [(i, 1) for i in reversed(ids)]
        while stack:
            tid, level = stack.pop()
            b = bar_of(tid)
            kind = ("container" if tid in children
                    else "milestone" if tasks[tid].milestone else "task")
            rows.append(Row(tasks[tid].name, level, [b] if b else [], kind, tid))
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

    names = {r.id: r.name for r in problem.resources.values()}
    rows = []
    for rid in sorted(per, key=lambda r: names.get(r, str(r))):
        bars: list[Bar] = []
        run_head: Bar | None = None
        run_tid = None
        for s, e, tid in sorted(per[rid], key=lambda x: (x[0], x[2])):
            t = tasks[tid]
            c = tcolor[tid] if by_task else pcolor.get(t.project_id, _PALETTE[0])
            b = Bar(s, e, c, f"{full_name(tid)}\n{_fmt(s)} - {_fmt(e)}")
            if run_head is not None and run_tid == tid and s - (run_head.text_end or s) \
                    <= dt.timedelta(days=4):
                run_head.text_end = e
            else:
                run_head, run_tid = b, tid
                b.text, b.text_end = t.name, e
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
    return out


def _nonworking(problem: Problem, lo: dt.datetime, hi: dt.datetime
                ) -> list[tuple[dt.datetime, dt.datetime]]:
    """Merged spans of days without working hours and studio vacations in ``lo..hi``."""
    try:
        tz: dt.tzinfo = ZoneInfo(problem.timezone)
    except (ValueError, KeyError, OSError):
        tz = dt.UTC
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


def draw_gantt(problem: Problem, plan: Plan, path: str | Path, *, view: str = "tree",
               title: str | None = None, max_rows: int = 400, color_by: str = "resource",
               statuses: Mapping[int, str] | None = None, html_max_rows: int = 3000) -> Path:
    """Write a Gantt chart of ``plan`` to ``path`` (``.png``, ``.svg`` or ``.html``).

    The ``.html`` holds the three views (``view`` is the one shown first) with up to
    ``html_max_rows`` rows each; an image shows ``view`` with up to ``max_rows`` rows.

    :raises ValidationError: for another extension, an unknown view or colour key.
    """
    path = Path(path)
    ext = path.suffix.lower()
    title = title or f"{problem.studio_name} - plan ({plan.scheduler})"
    if ext == ".html":
        layouts = [gantt_layout(problem, plan, v, html_max_rows, color_by=color_by,
                                statuses=statuses) for v in VIEWS]
        path.write_text(render_html(layouts, title, initial=view), encoding="utf-8")
        return path
    if ext not in (".png", ".svg"):
        raise ValidationError(
            f"gantt chart path should end with .png, .svg or .html, not {path.name!r}"
        )
    layout = gantt_layout(problem, plan, view, max_rows, color_by=color_by, statuses=statuses)
    fig = gantt_figure(layout, title)
    fig.savefig(str(path), dpi=110)
    return path


def _tz(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return dt.UTC


def _text_color(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (``#rrggbb``)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _elbow(s0: float, e0: float, y0: float, x1: float, y1: float, kind: str, d: float
           ) -> list[tuple[float, float]]:
    """The polyline of a dependency arrow to ``(x1, y1)`` from the bar ``s0 .. e0`` on row
    ``y0`` (rows are 1 apart, bars 0.64 high).

    Finish-to-start arrows leave the predecessor's bar by its lower (or upper) edge near
    its end, so a login written beside the bar stays readable; start-to-start arrows leave
    by its start.
    """
    if kind == "ss":
        a = min(s0, x1) - d
        return [(s0, y0), (a, y0), (a, y1), (x1, y1)]
    down = 1.0 if y1 > y0 else -1.0
    xs = max(e0 - d / 2, (s0 + e0) / 2)
    ys = y0 + 0.32 * down
    if x1 >= xs + d / 2:
        return [(xs, ys), (xs, y1), (x1, y1)]
    yh = y1 - 0.5 * down
    return [(xs, ys), (xs, yh), (x1 - d, yh), (x1 - d, y1), (x1, y1)]


def _x_range(layout: GanttLayout) -> tuple[dt.datetime, dt.datetime]:
    lo = layout.start or layout.now or dt.datetime.now(dt.UTC)
    hi = layout.end or lo
    span = max(hi - lo, dt.timedelta(hours=1))
    if layout.now is not None and lo - span * 0.5 <= layout.now <= hi + span * 0.5:
        lo, hi = min(lo, layout.now), max(hi, layout.now)
        span = max(hi - lo, dt.timedelta(hours=1))
    return lo - span * 0.02, hi + span * (0.02 if layout.view == "resource" else 0.07)


def gantt_figure(layout: GanttLayout, title: str = "") -> Figure:
    """A matplotlib ``Figure`` of ``layout`` (no display needed).

    Artists carry gids: ``task-bars``, ``summary-bars``, ``summary-caps``,
    ``milestones``, ``dependencies``, ``dependency-heads``, ``nonworking``,
    ``now``, ``bar-labels`` (one text per login label), ``note``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, get_epoch
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    epoch = dt.datetime.fromisoformat(get_epoch()).replace(tzinfo=dt.UTC)

    def date2num(moment: dt.datetime) -> float:  # matplotlib's, without its per-call overhead
        return (moment - epoch).total_seconds() / 86400.0

    rows = layout.rows
    n = max(len(rows), 1)
    tz = _tz(layout.timezone)
    width_in = 15.0
    label_chars = max((len(r.label) + 3 * r.level for r in rows), default=10)
    label_in = min(max(1.2, 0.068 * label_chars + 0.3), 3.8)
    legend_items = (min(len(layout.legend), LEGEND_MAX) + (len(layout.legend) > LEGEND_MAX)
                    + (2 if layout.view == "resource" else 6) + any(r.vacations for r in rows))
    legend_in = 0.24 * ((legend_items + 9) // 10)
    header_in = 0.45 + legend_in + 0.3
    footer_in = 0.55
    row_in = 0.24
    height_in = max(3.0, n * row_in + header_in + footer_in)
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=label_in / width_in, right=0.985, top=1 - header_in / height_in,
                        bottom=footer_in / height_in)
    ax = fig.add_subplot(1, 1, 1)
    lo, hi = _x_range(layout)
    x_lo, x_hi = date2num(lo), date2num(hi)
    xspan = max(x_hi - x_lo, 1e-6)
    axes_in = width_in * (0.985 - label_in / width_in)
    per_in = xspan / axes_in  # data units (days) per inch

    if layout.nonworking:
        ax.broken_barh([(date2num(s), date2num(e) - date2num(s)) for s, e in layout.nonworking],
                       (-0.5, n), facecolors=NONWORK_COLOR, edgecolor="none", zorder=0,
                       gid="nonworking")
    seps = [y - 0.5 for y, r in enumerate(rows) if r.kind == "project" and y > 0]
    if seps:
        ax.hlines(seps, x_lo, x_hi, colors="#9aa5b1", linewidth=0.6, zorder=1)

    task_v, task_c, sum_v, cap_v, ms_x, ms_y = [], [], [], [], [], []
    run_v, run_c = [], []
    texts: list[tuple[float, int, str, str, str]] = []  # x, y, text, color, ha
    for y, row in enumerate(rows):
        for b in row.bars:
            s, e = date2num(b.start), date2num(b.end)
            if b.kind == "milestone":
                ms_x.append(s)
                ms_y.append(y)
                continue
            e = max(e, s + per_in * 0.02)
            if b.kind == "summary":
                top, bot = y - 0.16, y + 0.06
                sum_v.append([(s, top), (e, top), (e, bot), (s, bot)])
                cw = min((e - s) / 2, per_in * 0.07)
                cap_v.append([(s, bot), (s + cw, bot), (s, y + 0.3)])
                cap_v.append([(e, bot), (e - cw, bot), (e, y + 0.3)])
                continue
            task_v.append([(s, y - 0.32), (e, y - 0.32), (e, y + 0.32), (s, y + 0.32)])
            task_c.append(b.color)
            if b.text_end is not None and b.text_end > b.end:  # a run of bookings
                te = date2num(b.text_end)
                run_v.append([(s, y - 0.32), (te, y - 0.32), (te, y + 0.32), (s, y + 0.32)])
                run_c.append(b.color)
            if b.text:
                te = date2num(b.text_end) if b.text_end else e
                need = (len(b.text) * 0.052 + 0.08) * per_in
                if te - s >= need:
                    texts.append(((s + te) / 2, y, b.text,
                                  _text_color(b.color) if te == e else "#1a1a1a", "center"))
                elif layout.view != "resource":
                    if te + per_in * 0.04 + need < x_hi:
                        texts.append((te + per_in * 0.04, y, b.text, "#4a4a4a", "left"))
                    else:
                        texts.append((s - per_in * 0.04, y, b.text, "#4a4a4a", "right"))
    vac = [(y, date2num(max(s, lo)), date2num(min(e, hi)))
           for y, row in enumerate(rows) for s, e in row.vacations if e > lo and s < hi]
    if vac:
        ax.add_collection(PolyCollection(
            [[(s, y - 0.45), (e, y - 0.45), (e, y + 0.45), (s, y + 0.45)] for y, s, e in vac],
            facecolors="none", edgecolors="#9aa5b1", hatch="////", linewidths=0.0, zorder=1,
            gid="vacations"))
    if run_v:
        ax.add_collection(PolyCollection(run_v, facecolors=run_c, edgecolors="none", alpha=0.22,
                                         zorder=2, gid="booking-runs"))
    if task_v:
        ax.add_collection(PolyCollection(task_v, facecolors=task_c, edgecolors="white",
                                         linewidths=0.4, zorder=3, gid="task-bars"))
    if sum_v:
        ax.add_collection(PolyCollection(sum_v, facecolors=SUMMARY_COLOR, edgecolors="none",
                                         zorder=3, gid="summary-bars"))
        ax.add_collection(PolyCollection(cap_v, facecolors=SUMMARY_COLOR, edgecolors="none",
                                         zorder=3, gid="summary-caps"))
    if ms_x:
        ax.scatter(ms_x, ms_y, marker="D", s=36, c="#1a1a1a", zorder=5, gid="milestones")
    for tx, ty, text, color, ha in texts:
        ax.text(tx, ty, text, ha=ha, va="center", fontsize=6.5, color=color, zorder=6,
                clip_on=True, gid="bar-labels")

    if layout.arrows:
        ends = {}
        for y, row in enumerate(rows):
            b = row.bars[0]
            ends[y] = (date2num(b.start), date2num(b.end))
        segs, styles, hx, hy = [], [], [], []
        d = per_in * 0.09
        for a in layout.arrows:
            (s0, e0), (s1, _e1) = ends[a.src], ends[a.dst]
            segs.append(_elbow(s0, e0, a.src, s1, a.dst, a.kind, d))
            styles.append((0, (3, 2)) if a.kind == "ss" else "solid")
            hx.append(s1)
            hy.append(a.dst)
        ax.add_collection(LineCollection(segs, colors="#555555", linewidths=0.7,
                                         linestyles=styles, zorder=4, gid="dependencies"))
        ax.scatter(hx, hy, marker=">", s=14, c="#555555", zorder=4, gid="dependency-heads")

    if layout.now is not None and lo <= layout.now <= hi:
        xn = date2num(layout.now)
        ax.axvline(xn, color=NOW_COLOR, linestyle="--", linewidth=1.1, zorder=7, gid="now")
        ax.text(xn, -0.5, " now", color=NOW_COLOR, fontsize=7, va="bottom", ha="left",
                zorder=7, clip_on=False)

    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    pad_pt = label_in * 72 - 6
    ax.tick_params(axis="y", length=0, pad=pad_pt)
    labels = ax.set_yticklabels([" " * 3 * r.level + r.label for r in rows], fontsize=7.5)
    for lab, r in zip(labels, rows, strict=True):
        lab.set_horizontalalignment("left")
        if r.kind == "project":
            lab.set_fontweight("bold")
            lab.set_fontsize(8.5)
        elif r.kind == "container":
            lab.set_fontweight("bold")
            lab.set_color("#2f3b4c")
    locator = AutoDateLocator(tz=tz, minticks=4, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=tz))
    ax.tick_params(axis="x", labelsize=7.5, top=True, labeltop=n > 25)
    ax.grid(axis="x", linewidth=0.4, color="#d0d4da", zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", y=1 - 0.1 / height_in, va="top", fontsize=12,
                 fontweight="bold")

    handles: list[object] = [Patch(color=c, label=k) for k, c in layout.legend[:LEGEND_MAX]]
    if len(layout.legend) > LEGEND_MAX:
        handles.append(Patch(color="#ffffff", label=f"+{len(layout.legend) - LEGEND_MAX} more"))
    if layout.view != "resource":
        handles.append(Line2D([], [], color=SUMMARY_COLOR, linewidth=3, label="container"))
        handles.append(Line2D([], [], color="#1a1a1a", marker="D", linestyle="none",
                              markersize=5, label="milestone"))
        handles.append(Line2D([], [], color="#555555", linewidth=0.8, marker=">",
                              markersize=4, label="finish-to-start"))
        handles.append(Line2D([], [], color="#555555", linewidth=0.8, linestyle=(0, (3, 2)),
                              label="start-to-start"))
    handles.append(Patch(color=NONWORK_COLOR, label="non-working"))
    if any(r.vacations for r in rows):
        handles.append(Patch(facecolor="none", edgecolor="#9aa5b1", hatch="////",
                             label="vacation"))
    handles.append(Line2D([], [], color=NOW_COLOR, linestyle="--", label="now"))
    fig.legend(handles=handles, loc="upper left", ncol=min(len(handles), 10), fontsize=7.5,
               frameon=False,
               bbox_to_anchor=(0.01, 1 - 0.42 / height_in), borderaxespad=0,
               handlelength=1.6, columnspacing=1.4)
    if layout.note:
        fig.text(0.99, 1 - 0.14 / height_in, layout.note, fontsize=8.5, color="#b03a2e",
                 style="italic", ha="right", va="top", gid="note")
    return fig


def _html_ticks(lo: dt.datetime, hi: dt.datetime, tz: dt.tzinfo
                ) -> list[tuple[dt.datetime, str]]:
    """Readable date ticks between ``lo`` and ``hi`` (an hour to years apart): at most
    16, the day (or year) written when it changes."""
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
                    text = t.strftime("%a %d %b" if step == 86400 else "%d %b")
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


def _svg_view(layout: GanttLayout, lo: dt.datetime, hi: dt.datetime, shown: bool) -> str:
    width, label_w, row_h, head = 1200.0, 300.0, 20.0, 26.0
    full_w = width + 140.0  # room for logins written beside the last bars
    span = max((hi - lo).total_seconds(), 3600.0)
    tz = _tz(layout.timezone)
    rows = layout.rows
    n = max(len(rows), 1)
    total_h = head + n * row_h + 6

    def x_of(t: dt.datetime) -> float:
        return (t - lo).total_seconds() / span * width

    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    labels, chart = [], []
    for s, e in layout.nonworking:
        x0, x1 = max(x_of(s), 0.0), min(x_of(e), width)
        if x1 > x0:
            chart.append(f'<rect class="nw" x="{x0:.1f}" y="{head}" width="{x1 - x0:.1f}" '
                         f'height="{n * row_h}"/>')
    for t, text in _html_ticks(lo, hi, tz):
        x = x_of(t)
        chart.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{head - 6}" '
                     f'y2="{total_h}"/><text class="tick st" x="{x + 2:.1f}" y="14">'
                     f"{esc(text)}</text>")
    ends: dict[int, tuple[float, float]] = {}
    for y, row in enumerate(rows):
        top = head + y * row_h
        mid = top + row_h / 2
        cls = "row " + row.kind
        data = f' data-label="{esc(row.label.lower())}"'
        if row.kind == "project" and y:
            chart.append(f'<line class="sep" x1="0" x2="{width}" y1="{top}" y2="{top}"/>')
        labels.append(f'<g class="{cls}"{data}><text x="{6 + 14 * row.level}" y="{mid + 4:.1f}">'
                      f"{esc(row.label)}</text></g>")
        parts = [f'<g class="{cls}"{data}>']
        for s, e in row.vacations:
            x0, x1 = max(x_of(s), 0.0), min(x_of(e), width)
            if x1 > x0:
                parts.append(f'<rect class="vac" x="{x0:.1f}" y="{top + 1}" '
                             f'width="{x1 - x0:.1f}" height="{row_h - 2}"><title>vacation '
                             f"{_fmt(s)} - {_fmt(e)}</title></rect>")
        for b in row.bars:
            x = x_of(b.start)
            w = max(x_of(b.end) - x, 1.0)
            ends.setdefault(y, (x, x + w))
            tip = f"<title>{esc(b.tip)}</title>"
            if b.kind == "milestone":
                parts.append(f'<path class="ms" d="M{x:.1f} {mid - 6:.1f} l6 6 l-6 6 l-6 -6z">'
                             f"{tip}</path>")
            elif b.kind == "summary":
                c = min(w / 2, 6.0)
                parts.append(
                    f'<path class="sum" d="M{x:.1f} {mid - 4:.1f} h{w:.1f} v10 l{-c:.1f} -4 '
                    f'h{-(w - 2 * c):.1f} l{-c:.1f} 4z">{tip}</path>')
            else:
                if b.text_end is not None and b.text_end > b.end:
                    parts.append(f'<rect class="run" x="{x:.1f}" y="{top + 3}" '
                                 f'width="{x_of(b.text_end) - x:.1f}" height="{row_h - 6}" '
                                 f'fill="{b.color}"/>')
                parts.append(f'<rect class="bar" x="{x:.1f}" y="{top + 3}" width="{w:.1f}" '
                             f'height="{row_h - 6}" fill="{b.color}">{tip}</rect>')
                if b.text:
                    tw = (x_of(b.text_end) - x) if b.text_end else w
                    if w >= len(b.text) * 6 + 6:
                        parts.append(f'<text class="bt st" x="{x + 3:.1f}" y="{mid + 3.5:.1f}" '
                                     f'fill="{_text_color(b.color)}">{esc(b.text)}</text>')
                    elif tw >= len(b.text) * 6 + 6:
                        parts.append(f'<text class="bt st" x="{x + tw / 2:.1f}" '
                                     f'y="{mid + 3.5:.1f}" text-anchor="middle">'
                                     f"{esc(b.text)}</text>")
                    elif layout.view != "resource":
                        parts.append(f'<text class="bt st side" x="{x + w + 3:.1f}" '
                                     f'y="{mid + 3.5:.1f}">{esc(b.text)}</text>')
        parts.append("</g>")
        chart.append("".join(parts))
    for a in layout.arrows:
        (s0, e0), (s1, _e1) = ends[a.src], ends[a.dst]
        pts = [(x, head + (y + 0.5) * row_h)
               for x, y in _elbow(s0, e0, a.src, s1, a.dst, a.kind, 8.0)]
        d = "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in pts)
        chart.append(f'<path class="dep {a.kind}" d="{d}" marker-end="url(#ah)"/>')
    if layout.now is not None and lo <= layout.now <= hi:
        x = x_of(layout.now)
        chart.append(f'<line class="now" x1="{x:.1f}" x2="{x:.1f}" y1="{head - 6}" '
                     f'y2="{total_h}"/><text class="nowt st" x="{x + 3:.1f}" y="{head - 2}">'
                     "now</text>")
    legend = "".join(f'<span class="sw" style="background:{c}"></span>{esc(k)} '
                     for k, c in layout.legend)
    note = f'<div class="note">{esc(layout.note)}</div>' if layout.note else ""
    return (
        f'<div id="v-{layout.view}" class="view" style="display:{"block" if shown else "none"}">'
        f'<div class="legend">{legend}</div>{note}<div class="wrap">'
        f'<svg class="labels" width="{label_w}" height="{total_h}">'
        + "".join(labels)
        + f'</svg><div class="scroll"><svg class="chart" data-w="{full_w}" width="{full_w}" '
        f'height="{total_h}" viewBox="0 0 {full_w} {total_h}" preserveAspectRatio="none">'
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#9aa5b1" '
        'stroke-width="1.5"/></pattern><marker id="ah" viewBox="0 0 6 6" refX="6" refY="3" '
        'markerWidth="6" markerHeight="6" orient="auto">'
        '<path d="M0 0 L6 3 L0 6z" fill="#555"/></marker></defs>'
        + "".join(chart)
        + "</svg></div></div></div>"
    )


def render_html(layouts: list[GanttLayout], title: str, initial: str = "tree") -> str:
    """A self-contained interactive page holding ``layouts`` (one per view)."""
    lo = min((x.start for x in layouts if x.start), default=None)
    hi = max((x.end for x in layouts if x.end), default=None)
    if lo is None or hi is None:
        lo = hi = dt.datetime.now(dt.UTC)
    lo, hi = _x_range(GanttLayout("tree", [], start=lo, end=hi, now=layouts[0].now
                                  if layouts else None))
    views = "".join(_svg_view(x, lo, hi, x.view == initial) for x in layouts)
    buttons = "".join(
        f'<button onclick="show(\'{x.view}\')">'
        f'{ {"project": "By project", "tree": "Task tree", "resource": "By resource"}[x.view]}'
        "</button>" for x in layouts)
    meta = json.dumps({"start": lo.isoformat(), "end": hi.isoformat()})
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font:12px sans-serif;margin:8px;color:#222}} svg text{{font:11px sans-serif}}
.row.dim{{opacity:.15}} #bar button{{margin-right:4px}}
.wrap{{display:flex;align-items:flex-start}} .scroll{{overflow-x:auto;flex:1}}
.labels{{flex:none}} .row.project text,.row.container text{{font-weight:bold}}
.labels .row.container text{{fill:#2f3b4c}}
.nw{{fill:{NONWORK_COLOR}}} .grid{{stroke:#d0d4da;stroke-width:.5;vector-effect:non-scaling-stroke}}
.sep{{stroke:#9aa5b1;stroke-width:.6;vector-effect:non-scaling-stroke}}
.sum{{fill:{SUMMARY_COLOR}}} .run{{opacity:.22}} .vac{{fill:url(#hatch)}}
.ms{{fill:#1a1a1a}} .bar{{stroke:#fff;stroke-width:.5}}
.dep{{fill:none;stroke:#555;stroke-width:1;vector-effect:non-scaling-stroke}}
.dep.ss{{stroke-dasharray:4 3}} .now{{stroke:{NOW_COLOR};stroke-width:1.5;stroke-dasharray:6 4;
vector-effect:non-scaling-stroke}} .nowt{{fill:{NOW_COLOR}}}
.bt{{font-size:9px}} .side{{fill:#4a4a4a}} .tick{{fill:#444}}
.legend{{margin:6px 0}} .sw{{display:inline-block;width:12px;height:10px;margin:0 3px 0 10px;
vertical-align:middle}} .note{{color:#b03a2e;font-style:italic;margin:4px 0}}
</style></head><body>
<h3>{html.escape(title)}</h3>
<div id="bar">{buttons}
<button onclick="zoom(1.5)">Zoom in</button><button onclick="zoom(1/1.5)">Zoom out</button>
<input id="q" placeholder="search task" oninput="search(this.value)">
<span id="range"></span>
</div>
{views}
<script>
const META={meta};
let scale=1;
document.getElementById('range').textContent=' '+META.start.slice(0,16)+' to '+META.end.slice(0,16);
function show(v){{document.querySelectorAll('div.view').forEach(s=>{{
  s.style.display=(s.id==='v-'+v)?'block':'none';}});}}
function zoom(f){{scale*=f;document.querySelectorAll('svg.chart').forEach(s=>{{
  s.setAttribute('width',parseFloat(s.dataset.w)*scale);}});
  document.querySelectorAll('text.st').forEach(t=>{{const x=t.getAttribute('x');
  t.setAttribute('transform',
    'translate('+x+' 0) scale('+(1/scale)+' 1) translate('+(-x)+' 0)');}});}}
function search(q){{q=q.toLowerCase();document.querySelectorAll('g.row').forEach(g=>{{
  g.classList.toggle('dim',q!==''&&!g.dataset.label.includes(q));}});}}
</script></body></html>
"""
