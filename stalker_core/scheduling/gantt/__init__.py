"""Gantt charts of a plan: by project, by task tree, by resource.

:func:`draw_gantt` writes ``.png`` or ``.svg`` (matplotlib, the ``charts`` extra;
no display needed) or a self-contained interactive ``.html`` (no extra: inline
SVG and a little JavaScript: switch between the three views, zoom in time,
search tasks; tooltips give names, dates and resources; no network access
needed to open it).

What a chart shows:

- containers (projects, shots, assets, any parent task) as thin dark summary
  bars with end caps, leaf tasks as full bars coloured by resource (or by
  status, or by project) with a legend, milestones as diamonds;
- labels indented by their depth in the task tree;
- dependency arrows (finish-to-start and start-to-start) between visible rows,
  drawn apart where they would share a path;
- people by their full name in every view (the login in tooltips): on a leaf
  bar when it fits, beside it otherwise (tree view);
- a date axis with weekdays and week lines;
- the project view: each top-level container's leaf tasks on its row,
  coloured by ``color_by``;
- non-working days (days without working hours, studio vacations) shaded, and
  each resource's own vacations hatched on its row in the resource view, where
  consecutive bookings of a task are joined by a light band named once;
- a dashed "now" line.

Big plans stay readable and fast: above ``max_rows`` rows the tree is
collapsed to its containers (then to fewer levels) and a note says so.

The work is split by concept: :mod:`~stalker_core.scheduling.gantt.layout`
(rows, collapsing, colours), :mod:`~stalker_core.scheduling.gantt.mpl`
(matplotlib drawing) and :mod:`~stalker_core.scheduling.gantt.html` (the
interactive page). This module writes the file and re-exports their public
names, so ``from stalker_core.scheduling.gantt import ...`` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling.data import Plan, Problem
from stalker_core.scheduling.gantt.html import render_html
from stalker_core.scheduling.gantt.layout import (
    COLOR_BY,
    LEGEND_MAX,
    NONWORK_COLOR,
    NOW_COLOR,
    STATUS_COLORS,
    SUMMARY_COLOR,
    UNASSIGNED_COLOR,
    VIEWS,
    Arrow,
    Bar,
    GanttLayout,
    Row,
    gantt_layout,
    gantt_rows,
)
from stalker_core.scheduling.gantt.mpl import gantt_figure, require_matplotlib

__all__ = [
    "COLOR_BY",
    "LEGEND_MAX",
    "NONWORK_COLOR",
    "NOW_COLOR",
    "STATUS_COLORS",
    "SUMMARY_COLOR",
    "UNASSIGNED_COLOR",
    "VIEWS",
    "Arrow",
    "Bar",
    "GanttLayout",
    "Row",
    "draw_gantt",
    "gantt_figure",
    "gantt_layout",
    "gantt_rows",
    "render_html",
]


def draw_gantt(problem: Problem, plan: Plan, path: str | Path, *, view: str = "tree",
               title: str | None = None, max_rows: int = 400, color_by: str = "resource",
               statuses: Mapping[int, str] | None = None, html_max_rows: int = 3000) -> Path:
    """Write a Gantt chart of ``plan`` to ``path`` (``.png``, ``.svg`` or ``.html``).

    The ``.html`` holds the three views (``view`` is the one shown first) with up to
    ``html_max_rows`` rows each; an image shows ``view`` with up to ``max_rows`` rows.

    :raises ValidationError: for another extension, an unknown view or colour key.
    :raises MissingExtraError: a ``.png``/``.svg`` without matplotlib (the ``charts`` extra).
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
    require_matplotlib()  # before the layout work
    layout = gantt_layout(problem, plan, view, max_rows, color_by=color_by, statuses=statuses)
    fig = gantt_figure(layout, title)
    fig.savefig(str(path), dpi=110)
    return path
