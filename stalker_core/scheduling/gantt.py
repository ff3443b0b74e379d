"""Gantt charts of a plan: by project, by task tree, by resource.

:func:`draw_gantt` writes ``.png`` or ``.svg`` (matplotlib, no display needed)
or a self-contained interactive ``.html`` (inline SVG and a little JavaScript:
switch between the three views, zoom in time, search tasks; tooltips give
names, dates and resources; no network access needed to open it).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling.data import Plan, Problem

VIEWS: tuple[str, ...] = ("project", "tree", "resource")
_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"]


@dataclass
class Bar:
    """One bar: a span of time, its colour key and tooltip."""

    start: dt.datetime
    end: dt.datetime
    color: str
    tip: str
    kind: str = "task"  # task | summary | milestone


@dataclass
class Row:
    """One chart row."""

    label: str
    level: int = 0
    bars: list[Bar] = field(default_factory=list)


def _fmt(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def gantt_rows(problem: Problem, plan: Plan, view: str = "tree", max_rows: int | None = None
               ) -> list[Row]:
    """The rows of ``view`` (``project``, ``tree`` or ``resource``)."""
    if view not in VIEWS:
        raise ValidationError(f"gantt view should be one of {VIEWS}, not {view!r}")
    tasks = problem.tasks
    children = problem.children_map()
    color = {pid: _PALETTE[i % len(_PALETTE)] for i, pid in enumerate(sorted(problem.projects))}
    names = {r.id: r.name for r in problem.resources.values()}

    def bar_of(tid: int) -> Bar | None:
        tp = plan.tasks.get(tid)
        if tp is None or tp.start is None or tp.end is None:
            return None
        t = tasks[tid]
        who = ", ".join(names.get(r, str(r)) for r in tp.resources)
        tip = f"{t.name}\n{_fmt(tp.start)} - {_fmt(tp.end)}" + (f"\n{who}" if who else "")
        kind = "summary" if tid in children else ("milestone" if t.milestone else "task")
        return Bar(tp.start, tp.end, color.get(t.project_id, _PALETTE[0]), tip, kind)

    roots: dict[int, list[int]] = {}
    for t in tasks.values():
        if t.parent_id is None or t.parent_id not in tasks:
            roots.setdefault(t.project_id, []).append(t.id)
    rows: list[Row] = []
    if view in ("project", "tree"):
        depth_limit = 1 if view == "project" else 10**6
        for pid in sorted(set(roots) | set(problem.projects)):
            proj = problem.projects.get(pid)
            ids = sorted(roots.get(pid, []))
            spans = [plan.tasks[i] for i in ids if i in plan.tasks and plan.tasks[i].start]
            prow = Row(proj.name if proj else f"Project {pid}", 0)
            if spans:
                s = min(x.start for x in spans if x.start)
                e = max(x.end for x in spans if x.end)
                prow.bars.append(Bar(s, e, color.get(pid, _PALETTE[0]),
                                     f"{prow.label}\n{_fmt(s)} - {_fmt(e)}", "summary"))
            rows.append(prow)
            stack = [(i, 1) for i in reversed(ids)]
            while stack:
                tid, level = stack.pop()
                b = bar_of(tid)
                rows.append(Row(tasks[tid].name, level, [b] if b else []))
                if level < depth_limit:
                    stack.extend((k, level + 1) for k in reversed(children.get(tid, [])))
    else:
        per: dict[int, list[Bar]] = {}
        for tid, tp in plan.tasks.items():
            if tid in children or tid not in tasks:
                continue
            t = tasks[tid]
            c = color.get(t.project_id, _PALETTE[0])
            if tp.bookings:
                for rid, s, e in tp.bookings:
                    per.setdefault(rid, []).append(
                        Bar(s, e, c, f"{t.name}\n{_fmt(s)} - {_fmt(e)}"))
            elif tp.start is not None and tp.end is not None:
                for rid in tp.resources:
                    per.setdefault(rid, []).append(
                        Bar(tp.start, tp.end, c, f"{t.name}\n{_fmt(tp.start)} - {_fmt(tp.end)}"))
        for rid in sorted(per, key=lambda r: names.get(r, str(r))):
            rows.append(Row(names.get(rid, str(rid)), 0, sorted(per[rid], key=lambda b: b.start)))
    if max_rows is not None:
        rows = rows[:max_rows]
    return rows


def draw_gantt(problem: Problem, plan: Plan, path: str | Path, *, view: str = "tree",
               title: str | None = None, max_rows: int = 400) -> Path:
    """Write a Gantt chart of ``plan`` to ``path`` (``.png``, ``.svg`` or ``.html``).

    :raises ValidationError: for another extension or an unknown view.
    """
    path = Path(path)
    ext = path.suffix.lower()
    title = title or f"{problem.studio_name} - plan ({plan.scheduler})"
    if ext == ".html":
        path.write_text(_html(problem, plan, title, max_rows), encoding="utf-8")
        return path
    if ext not in (".png", ".svg"):
        raise ValidationError(
            f"gantt chart path should end with .png, .svg or .html, not {path.name!r}"
        )
    rows = gantt_rows(problem, plan, view, max_rows)
    _matplotlib(rows, path, title)
    return path


def _matplotlib(rows: list[Row], path: Path, title: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    height = max(2.5, 0.25 * len(rows) + 1.2)
    fig = Figure(figsize=(14, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for y, row in enumerate(rows):
        for kind in ("summary", "task"):
            spans = [(date2num(b.start), max(date2num(b.end) - date2num(b.start), 1e-4))
                     for b in row.bars if b.kind == kind]
            if spans:
                colors = [b.color for b in row.bars if b.kind == kind]
                h = 0.3 if kind == "summary" else 0.7
                ax.broken_barh(spans, (y - h / 2, h), facecolors=colors,
                               edgecolor="black" if kind == "summary" else "none", linewidth=0.3)
        for b in row.bars:
            if b.kind == "milestone":
                ax.plot([date2num(b.start)], [y], marker="D", color="black", markersize=5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(["  " * r.level + r.label for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="x", linewidth=0.3)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(str(path))


def _html(problem: Problem, plan: Plan, title: str, max_rows: int) -> str:
    views = {}
    lo: dt.datetime | None = None
    hi: dt.datetime | None = None
    for view in VIEWS:
        rows = gantt_rows(problem, plan, view, max_rows)
        views[view] = rows
        for r in rows:
            for b in r.bars:
                lo = b.start if lo is None or b.start < lo else lo
                hi = b.end if hi is None or b.end > hi else hi
    if lo is None or hi is None:
        lo = hi = plan.origin
    span = max((hi - lo).total_seconds(), 3600.0)
    width, label_w, row_h = 1200.0, 260.0, 18.0
    svgs = []
    for view, rows in views.items():
        parts = []
        for y, row in enumerate(rows):
            top = y * row_h
            parts.append(
                f'<g class="row" data-label="{html.escape(row.label.lower())}">'
                f'<text x="{4 + 10 * row.level}" y="{top + 13}">{html.escape(row.label)}</text>'
            )
            for b in row.bars:
                x = label_w + (b.start - lo).total_seconds() / span * width
                w = max((b.end - b.start).total_seconds() / span * width, 1.0)
                tip = html.escape(b.tip)
                if b.kind == "milestone":
                    parts.append(f'<path d="M{x:.1f} {top + 3} l6 6 l-6 6 l-6 -6z" fill="#000">'
                                 f"<title>{tip}</title></path>")
                else:
                    h, off = (6, 6) if b.kind == "summary" else (12, 3)
                    parts.append(
                        f'<rect x="{x:.1f}" y="{top + off}" width="{w:.1f}" height="{h}" '
                        f'fill="{b.color}"><title>{tip}</title></rect>'
                    )
            parts.append("</g>")
        total_h = max(len(rows), 1) * row_h + 10
        svgs.append(
            f'<svg id="v-{view}" class="view" data-w="{label_w + width}" '
            f'width="{label_w + width}" height="{total_h}" '
            f'viewBox="0 0 {label_w + width} {total_h}" preserveAspectRatio="none" '
            f'style="display:{"block" if view == "tree" else "none"}">'
            + "".join(parts) + "</svg>"
        )
    meta = json.dumps({"start": lo.isoformat(), "end": hi.isoformat()})
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font:12px sans-serif;margin:8px}} svg text{{font:11px sans-serif}}
.row.dim{{opacity:.15}} #bar button{{margin-right:4px}}
</style></head><body>
<h3>{html.escape(title)}</h3>
<div id="bar">
<button onclick="show('project')">By project</button>
<button onclick="show('tree')">Task tree</button>
<button onclick="show('resource')">By resource</button>
<button onclick="zoom(1.5)">Zoom in</button><button onclick="zoom(1/1.5)">Zoom out</button>
<input id="q" placeholder="search task" oninput="search(this.value)">
<span id="range"></span>
</div>
<div style="overflow:auto">{''.join(svgs)}</div>
<script>
const META={meta};
let scale=1;
document.getElementById('range').textContent=' '+META.start.slice(0,16)+' to '+META.end.slice(0,16);
function show(v){{document.querySelectorAll('svg.view').forEach(s=>{{
  s.style.display=(s.id==='v-'+v)?'block':'none';}});}}
function zoom(f){{scale*=f;document.querySelectorAll('svg.view').forEach(s=>{{
  s.setAttribute('width',parseFloat(s.dataset.w)*scale);}});}}
function search(q){{q=q.toLowerCase();document.querySelectorAll('g.row').forEach(g=>{{
  g.classList.toggle('dim',q!==''&&!g.dataset.label.includes(q));}});}}
</script></body></html>
"""
