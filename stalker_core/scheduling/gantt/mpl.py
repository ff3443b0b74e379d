"""Gantt charts drawn with matplotlib (``.png`` / ``.svg``, no display needed).

:func:`gantt_figure` draws a :class:`~stalker_core.scheduling.gantt.layout.GanttLayout`:
summary bars with end caps for containers, leaf bars in their colours with the
resources' names on or beside them, milestones as diamonds, dependency arrows
(drawn apart where they would share a path), shaded non-working time, hatched
resource vacations, a dashed now line, a date axis with weekdays and week
numbers, the legend and the row-limit note. matplotlib is imported only when drawing; it
comes with the ``charts`` extra, and :func:`require_matplotlib` says so when
it is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from stalker_core.exceptions import MissingExtraError
from stalker_core.scheduling.gantt.layout import (
    LEGEND_MAX,
    NONWORK_COLOR,
    NOW_COLOR,
    SUMMARY_COLOR,
    GanttLayout,
    date_ticks,
    elbow,
    text_color,
    week_marks,
    x_range,
    zone,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: the extra of stalker_core that installs matplotlib
CHARTS_EXTRA = "charts"


def require_matplotlib() -> None:
    """Import matplotlib, or fail saying which extra installs it.

    :raises MissingExtraError: matplotlib (or numpy under it) cannot be imported.
    """
    try:
        import matplotlib  # noqa: F401 - imported to find out whether it is there
    except ImportError as exc:
        raise MissingExtraError("PNG and SVG Gantt charts", CHARTS_EXTRA, "matplotlib",
                                "the .html chart needs no extra") from exc


def gantt_figure(layout: GanttLayout, title: str = "") -> Figure:
    """A matplotlib ``Figure`` of ``layout`` (no display needed).

    Artists carry gids: ``task-bars``, ``summary-bars``, ``summary-caps``,
    ``milestones``, ``dependencies``, ``dependency-heads``, ``nonworking``,
    ``now``, ``bar-labels`` (one text per bar label), ``weeks`` (the Monday
    lines) and ``week-labels``, ``note``.

    :raises MissingExtraError: matplotlib is not installed (the ``charts`` extra).
    """
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.dates import get_epoch
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    epoch = dt.datetime.fromisoformat(get_epoch()).replace(tzinfo=dt.UTC)

    def date2num(moment: dt.datetime) -> float:  # matplotlib's, without its per-call overhead
        return (moment - epoch).total_seconds() / 86400.0

    rows = layout.rows
    n = max(len(rows), 1)
    tz = zone(layout.timezone)
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
    lo, hi = x_range(layout)
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
                fits = [t for t in (b.text, b.short)
                        if t and te - s >= (len(t) * 0.052 + 0.08) * per_in]
                need = (len(b.text) * 0.052 + 0.08) * per_in
                if fits:
                    texts.append(((s + te) / 2, y, fits[0],
                                  text_color(b.color) if te == e else "#1a1a1a", "center"))
                elif layout.view == "tree":  # beside the bar: room only in the tree
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
            if row.bars:
                ends[y] = (date2num(min(b.start for b in row.bars)),
                           date2num(max(b.end for b in row.bars)))
        segs, styles, hx, hy = [], [], [], []
        d = per_in * 0.09
        for a in layout.arrows:
            (s0, e0), (s1, _e1) = ends[a.src], ends[a.dst]
            segs.append(elbow(s0, e0, a.src, s1, a.dst + a.offset, a.kind, d, a.lane))
            styles.append((0, (3, 2)) if a.kind == "ss" else "solid")
            hx.append(s1)
            hy.append(a.dst + a.offset)
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
    ticks = date_ticks(lo, hi, tz)
    ax.set_xticks([date2num(t) for t, _ in ticks], [text for _, text in ticks])
    ax.tick_params(axis="x", labelsize=7.5, top=True, labeltop=n > 25)
    weeks = week_marks(lo, hi, tz)
    if weeks:
        from matplotlib.transforms import offset_copy

        wx = [date2num(t) for t, _ in weeks]
        ax.vlines(wx, -0.5, n - 0.5, colors="#8a94a3", linewidth=0.8, zorder=1, gid="weeks")
        under = offset_copy(ax.get_xaxis_transform(), fig=fig, y=-21, units="points")
        for x, (_, text) in zip(wx, weeks, strict=True):
            ax.text(x, 0, f" {text}", transform=under, fontsize=7, color="#5b6573",
                    ha="left", va="top", gid="week-labels")
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
