"""The self-contained interactive HTML Gantt chart.

:func:`render_html` writes one page holding several
:class:`~stalker_core.scheduling.gantt.layout.GanttLayout` views as inline SVG
with a little JavaScript: buttons switch between the views, zoom in time, a
search box dims the rows that do not match, tooltips give names, dates and
resources. The page loads nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import html
import json

from stalker_core.scheduling.gantt.layout import (
    NONWORK_COLOR,
    NOW_COLOR,
    SUMMARY_COLOR,
    GanttLayout,
    date_ticks,
    elbow,
    fmt_time,
    text_color,
    week_marks,
    x_range,
    zone,
)

#: the date ticks of both renderers (the name this module gave them first)
html_ticks = date_ticks


def _svg_view(layout: GanttLayout, lo: dt.datetime, hi: dt.datetime, shown: bool) -> str:
    width, label_w, row_h, head = 1200.0, 300.0, 20.0, 26.0
    full_w = width + 140.0  # room for logins written beside the last bars
    span = max((hi - lo).total_seconds(), 3600.0)
    tz = zone(layout.timezone)
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
    for t, text in week_marks(lo, hi, tz):
        x = x_of(t)
        chart.append(f'<line class="week" x1="{x:.1f}" x2="{x:.1f}" y1="{head - 6}" '
                     f'y2="{total_h}"><title>{esc(text)}</title></line>'
                     f'<text class="wk st" x="{x + 2:.1f}" y="{head - 1}">{esc(text)}</text>')
    for t, text in date_ticks(lo, hi, tz):
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
                             f"{fmt_time(s)} - {fmt_time(e)}</title></rect>")
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
                tw = (x_of(b.text_end) - x) if b.text_end else w
                fits = [t for t in (b.text, b.short) if t and tw >= len(t) * 6 + 6]
                if fits and w >= len(fits[0]) * 6 + 6:
                    parts.append(f'<text class="bt st" x="{x + 3:.1f}" y="{mid + 3.5:.1f}" '
                                 f'fill="{text_color(b.color)}">{esc(fits[0])}</text>')
                elif fits:
                    parts.append(f'<text class="bt st" x="{x + tw / 2:.1f}" '
                                 f'y="{mid + 3.5:.1f}" text-anchor="middle">'
                                 f"{esc(fits[0])}</text>")
                elif b.text and layout.view == "tree":
                    parts.append(f'<text class="bt st side" x="{x + w + 3:.1f}" '
                                 f'y="{mid + 3.5:.1f}">{esc(b.text)}</text>')
        parts.append("</g>")
        chart.append("".join(parts))
    for a in layout.arrows:
        (s0, e0), (s1, _e1) = ends[a.src], ends[a.dst]
        pts = [(x, head + (y + 0.5) * row_h)
               for x, y in elbow(s0, e0, a.src, s1, a.dst + a.offset, a.kind, 8.0, a.lane)]
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


#: the smallest zoom a chart starts at to fit the window: a chart that needs less scrolls
FIT_MIN = 0.6


def plan_span_text(start: dt.datetime, end: dt.datetime) -> str:
    """``plan: Thu 03 Dec 2026 09:00 - Wed 23 Dec 2026 13:00 UTC`` (the time zone of ``start``)."""
    end = end.astimezone(start.tzinfo) if start.tzinfo else end
    return f"plan: {start:%a %d %b %Y %H:%M} - {end:%a %d %b %Y %H:%M} {start:%Z}".rstrip()


def render_html(layouts: list[GanttLayout], title: str, initial: str = "tree") -> str:
    """A self-contained interactive page holding ``layouts`` (one per view)."""
    lo = min((x.start for x in layouts if x.start), default=None)
    hi = max((x.end for x in layouts if x.end), default=None)
    if lo is None or hi is None:
        lo = hi = dt.datetime.now(dt.UTC)
    span = plan_span_text(lo, hi) if layouts and any(x.start for x in layouts) else "no plan"
    lo, hi = x_range(GanttLayout("tree", [], start=lo, end=hi, now=layouts[0].now
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
.week{{stroke:#8a94a3;stroke-width:1;vector-effect:non-scaling-stroke}}
.wk{{fill:#5b6573;font-size:8px}}
.legend{{margin:6px 0}} .sw{{display:inline-block;width:12px;height:10px;margin:0 3px 0 10px;
vertical-align:middle}} .note{{color:#b03a2e;font-style:italic;margin:4px 0}}
</style></head><body>
<h3>{html.escape(title)}</h3>
<div id="bar">{buttons}
<button onclick="zoom(1.5)">Zoom in</button><button onclick="zoom(1/1.5)">Zoom out</button>
<input id="q" placeholder="search task" oninput="search(this.value)">
<span id="range">{html.escape(span)}</span>
</div>
{views}
<script>
const META={meta};
const FIT_MIN={FIT_MIN};
let scale=1;
function show(v){{document.querySelectorAll('div.view').forEach(s=>{{
  s.style.display=(s.id==='v-'+v)?'block':'none';}});}}
function zoom(f){{scale*=f;document.querySelectorAll('svg.chart').forEach(s=>{{
  s.setAttribute('width',parseFloat(s.dataset.w)*scale);}});
  document.querySelectorAll('text.st').forEach(t=>{{const x=t.getAttribute('x');
  t.setAttribute('transform',
    'translate('+x+' 0) scale('+(1/scale)+' 1) translate('+(-x)+' 0)');}});}}
function search(q){{q=q.toLowerCase();document.querySelectorAll('g.row').forEach(g=>{{
  g.classList.toggle('dim',q!==''&&!g.dataset.label.includes(q));}});}}
// a chart a little wider than the window starts zoomed to fit (a long plan keeps its scale)
(function(){{const s=document.querySelector('div.view[style*="block"] svg.chart')||
  document.querySelector('svg.chart');if(!s)return;const box=s.closest('.scroll');
  const f=box?box.clientWidth/parseFloat(s.dataset.w):1;if(f<1&&f>=FIT_MIN)zoom(f);}})();
</script></body></html>
"""
