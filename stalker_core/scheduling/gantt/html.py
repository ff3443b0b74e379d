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
    elbow,
    fmt_time,
    text_color,
    x_range,
    zone,
)


def html_ticks(lo: dt.datetime, hi: dt.datetime, tz: dt.tzinfo
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
    for t, text in html_ticks(lo, hi, tz):
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
                if b.text:
                    tw = (x_of(b.text_end) - x) if b.text_end else w
                    if w >= len(b.text) * 6 + 6:
                        parts.append(f'<text class="bt st" x="{x + 3:.1f}" y="{mid + 3.5:.1f}" '
                                     f'fill="{text_color(b.color)}">{esc(b.text)}</text>')
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
               for x, y in elbow(s0, e0, a.src, s1, a.dst, a.kind, 8.0)]
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
