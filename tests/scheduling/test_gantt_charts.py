"""Gantt chart content: summary bars, arrows, legend, shading, now line, row limit.

The tests look at the layout and at the drawn matplotlib artists / HTML
elements (found by gid or class), never at pixels.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sched_helpers import MONDAY, at, problem, task

from stalker_core.exceptions import ValidationError
from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.data import Dependency, Plan, Problem, Resource
from stalker_core.scheduling.gantt import (
    STATUS_COLORS,
    SUMMARY_COLOR,
    UNASSIGNED_COLOR,
    GanttLayout,
    draw_gantt,
    gantt_figure,
    gantt_layout,
    render_html,
)
from stalker_core.scheduling.gantt.html import html_ticks, plan_span_text
from stalker_core.scheduling.gantt.layout import date_ticks, elbow, week_marks

UTC = dt.UTC


def _planned() -> tuple[Problem, Plan]:
    """Two shots under a sequence, an asset, a start-to-start link and a milestone."""
    res = [Resource(1, "Anna Artist", login="anna"), Resource(2, "Ben Builder", login="ben")]
    pr = problem(
        task(1, "SEQ01", res=()),
        task(2, "SH010", res=(), parent=1),
        task(3, "anim", timing=12, parent=2),
        task(4, "comp", timing=4, parent=2, res=(2,), deps=(3,)),
        task(5, "SH020", res=(), parent=1),
        task(6, "layout", timing=3, parent=5, res=(2,), deps=(Dependency(3, "onstart"),)),
        task(7, "review", res=(), milestone=True, deps=(4, 6)),
        task(8, "Hero", res=(), project=2),
        task(9, "model", timing=60, parent=8, project=2, res=(1, 2)),
        resources=res,
    )
    return pr, NativeScheduler().schedule(pr)


def _gid(fig: Any, gid: str) -> list[Any]:
    ax = fig.axes[0]
    found = [a for a in (*ax.collections, *ax.lines, *ax.texts, *ax.patches)
             if a.get_gid() == gid]
    found += [t for t in fig.texts if t.get_gid() == gid]
    return found


def test_tree_layout_rows_arrows_and_legend() -> None:
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "tree")
    assert [(r.label, r.level, r.kind) for r in lay.rows] == [
        ("Project 1", 0, "project"), ("SEQ01", 1, "container"), ("SH010", 2, "container"),
        ("anim", 3, "task"), ("comp", 3, "task"), ("SH020", 2, "container"),
        ("layout", 3, "task"), ("review", 1, "milestone"),
        ("Project 2", 0, "project"), ("Hero", 1, "container"), ("model", 2, "task"),
    ]
    assert all(r.bars[0].kind == "summary" and r.bars[0].color == SUMMARY_COLOR
               for r in lay.rows if r.is_summary)
    idx = {r.label: i for i, r in enumerate(lay.rows)}
    got = sorted((lay.rows[a.src].label, lay.rows[a.dst].label, a.kind) for a in lay.arrows)
    assert got == [("anim", "comp", "fs"), ("anim", "layout", "ss"),
                   ("comp", "review", "fs"), ("layout", "review", "fs")]
    assert all(a.src != a.dst and a.dst in idx.values() for a in lay.arrows)
    # leaves coloured by their first resource, named by full name (the login in the
    # tooltip); the legend lists exactly those people
    by_label = {r.label: r for r in lay.rows}
    assert by_label["anim"].bars[0].text == "Anna Artist"
    assert by_label["model"].bars[0].text == "Anna Artist, Ben Builder"
    assert "Anna Artist (anna), Ben Builder (ben)" in by_label["model"].bars[0].tip
    legend = dict(lay.legend)
    assert set(legend) == {"Anna Artist", "Ben Builder", "unassigned"}
    assert by_label["comp"].bars[0].color == legend["Ben Builder"]
    assert by_label["anim"].bars[0].color == legend["Anna Artist"] != legend["Ben Builder"]
    assert by_label["review"].bars[0].color == UNASSIGNED_COLOR
    assert lay.now == MONDAY and lay.total_rows == len(lay.rows) and lay.note == ""


def test_colour_by_status_and_project() -> None:
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "tree", color_by="status", statuses={3: "WIP", 4: "CMPL"})
    rows = {r.label: r for r in lay.rows}
    assert rows["anim"].bars[0].color == STATUS_COLORS["WIP"]
    assert rows["comp"].bars[0].color == STATUS_COLORS["CMPL"]
    assert rows["layout"].bars[0].color == UNASSIGNED_COLOR
    assert dict(lay.legend) == {"WIP": STATUS_COLORS["WIP"], "CMPL": STATUS_COLORS["CMPL"],
                                "no status": UNASSIGNED_COLOR}
    # no statuses known: falls back to resources
    assert "Anna Artist" in dict(gantt_layout(pr, plan, "tree", color_by="status").legend)
    lay = gantt_layout(pr, plan, "tree", color_by="project")
    assert [k for k, _ in lay.legend] == ["Project 1", "Project 2"]
    rows = {r.label: r for r in lay.rows}
    assert rows["anim"].bars[0].color != rows["model"].bars[0].color
    with pytest.raises(ValidationError, match="color_by"):
        gantt_layout(pr, plan, "tree", color_by="mood")


def test_figure_artists_match_the_layout() -> None:
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "tree")
    fig = gantt_figure(lay, "demo")
    summaries = [r for r in lay.rows if r.is_summary]
    leaves = [r for r in lay.rows if r.kind == "task"]
    (sb,) = _gid(fig, "summary-bars")
    assert len(sb.get_paths()) == len(summaries) == 6
    (caps,) = _gid(fig, "summary-caps")
    assert len(caps.get_paths()) == 2 * len(summaries)
    (tb,) = _gid(fig, "task-bars")
    assert len(tb.get_paths()) == len(leaves) == 4
    assert len(tb.get_facecolors()) == 4
    (ms,) = _gid(fig, "milestones")
    assert len(ms.get_offsets()) == 1
    (deps,) = _gid(fig, "dependencies")
    assert len(deps.get_segments()) == len(lay.arrows) == 4
    (heads,) = _gid(fig, "dependency-heads")
    assert len(heads.get_offsets()) == 4
    (now,) = _gid(fig, "now")
    assert now.get_linestyle() == "--"
    from matplotlib.dates import date2num

    assert now.get_xdata()[0] == pytest.approx(date2num(MONDAY))
    assert _gid(fig, "nonworking")  # the plan runs over a weekend
    texts = [t.get_text() for t in _gid(fig, "bar-labels")]
    assert sorted(texts) == ["Anna Artist", "Anna Artist, Ben Builder", "Ben Builder",
                             "Ben Builder"]
    # labels indented by depth, containers in bold, left aligned
    labels = fig.axes[0].get_yticklabels()
    assert [lab.get_text() for lab in labels][:4] == ["Project 1", "   SEQ01", "      SH010",
                                                      "         anim"]
    assert labels[1].get_fontweight() == "bold" and labels[3].get_fontweight() == "normal"
    assert all(lab.get_horizontalalignment() == "left" for lab in labels)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:3] == ["Anna Artist", "Ben Builder", "unassigned"]
    assert {"container", "milestone", "finish-to-start", "start-to-start", "non-working",
            "now"} <= set(legend)


def test_figure_height_grows_with_rows() -> None:
    small = problem(task(1, "a"), task(2, "b"))
    big = problem(*(task(i, f"t{i}", timing=1) for i in range(1, 61)))
    h_small = gantt_figure(gantt_layout(small, NativeScheduler().schedule(small))).get_figheight()
    h_big = gantt_figure(gantt_layout(big, NativeScheduler().schedule(big))).get_figheight()
    assert h_big > h_small + 10


def _many(shots: int, leaves: int = 4) -> Problem:
    tasks = []
    tid = 1
    for s in range(shots):
        sid = tid
        tasks.append(task(sid, f"SH{s:03d}", res=()))
        tid += 1
        prev = None
        for k in range(leaves):
            tasks.append(task(tid, f"t{k}", parent=sid, deps=(prev,) if prev else ()))
            prev = tid
            tid += 1
    return problem(*tasks)


def test_row_limit_collapses_to_containers() -> None:
    pr = _many(20)
    plan = NativeScheduler().schedule(pr)
    full = gantt_layout(pr, plan, "tree")
    assert len(full.rows) == 1 + 20 * 5 and len(full.arrows) == 20 * 3
    lay = gantt_layout(pr, plan, "tree", max_rows=50)
    assert len(lay.rows) == 21 and all(r.is_summary for r in lay.rows)
    assert lay.total_rows == 101 and "leaf tasks hidden" in lay.note
    assert lay.arrows == [] and lay.legend == []
    fig = gantt_figure(lay)
    assert not _gid(fig, "task-bars") and not _gid(fig, "dependencies")
    (note,) = _gid(fig, "note")
    assert "101 rows > limit 50" in note.get_text()
    (sb,) = _gid(fig, "summary-bars")
    assert len(sb.get_paths()) == 21
    # still too many containers: cut, with a note
    lay = gantt_layout(pr, plan, "tree", max_rows=10)
    assert len(lay.rows) == 10 and all(r.is_summary for r in lay.rows)
    assert "first 10 of 21 containers" in lay.note


def test_row_limit_without_containers_and_by_resource() -> None:
    pr = problem(*(task(i, f"t{i}", res=((i % 3) + 1,)) for i in range(1, 31)), resources=3)
    plan = NativeScheduler().schedule(pr)
    lay = gantt_layout(pr, plan, "tree", max_rows=10)
    assert len(lay.rows) == 10 and "first 10 rows" in lay.note
    lay = gantt_layout(pr, plan, "resource", max_rows=2)
    assert [r.label for r in lay.rows] == ["user1", "user2"] and "2 of 3 resources" in lay.note


def test_nonworking_days_holidays_and_timezone() -> None:
    holiday = (at(8, 0), at(9, 0))  # Tuesday of the second week, a studio vacation
    pr = problem(task(1, "long", timing=80), holidays=[holiday], timezone="Europe/Istanbul")
    plan = NativeScheduler().schedule(pr)
    lay = gantt_layout(pr, plan, "tree")
    assert lay.start is not None and lay.end is not None
    spans = lay.nonworking
    saturday = dt.datetime(2026, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert (saturday, saturday + dt.timedelta(days=2)) in spans  # a merged local weekend
    assert holiday in spans
    assert all(e > s for s, e in spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))  # merged, sorted
    # a seven-day studio: nothing shaded but vacations
    seven = {d: [[540, 1080]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    pr2 = problem(task(1, "long", timing=80), working_hours=seven)
    assert gantt_layout(pr2, NativeScheduler().schedule(pr2), "tree").nonworking == []


def test_now_line_only_near_the_plan() -> None:
    pr, plan = _planned()
    far = GanttLayout("tree", [], now=MONDAY - dt.timedelta(days=400), start=MONDAY,
                      end=MONDAY + dt.timedelta(days=3))
    assert not _gid(gantt_figure(far), "now")
    near = GanttLayout("tree", [], now=MONDAY + dt.timedelta(days=1), start=MONDAY,
                       end=MONDAY + dt.timedelta(days=3))
    assert len(_gid(gantt_figure(near), "now")) == 1


def test_resource_vacations_hatched(tmp_path: Path) -> None:
    res = [Resource(1, "Anna", vacations=[(at(1, 0), at(3, 0))]), Resource(2, "Ben")]
    pr = problem(task(1, "a", timing=30), task(2, "b", timing=20, res=(2,)), resources=res)
    plan = NativeScheduler().schedule(pr)
    lay = gantt_layout(pr, plan, "resource")
    assert [r.vacations for r in lay.rows] == [[(at(1, 0), at(3, 0))], []]
    fig = gantt_figure(lay)
    (vac,) = _gid(fig, "vacations")
    assert len(vac.get_paths()) == 1 and vac.get_hatch() == "////"
    assert "vacation" in [t.get_text() for t in fig.legends[0].get_texts()]
    text = draw_gantt(pr, plan, tmp_path / "g.html").read_text()
    res_view = text[text.index('id="v-resource"'):]
    assert res_view.count('<rect class="vac"') == 1 and 'id="hatch"' in res_view
    assert not _gid(gantt_figure(gantt_layout(pr, plan, "tree")), "vacations")


def test_resource_view_runs_and_task_legend() -> None:
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "resource")
    assert [r.label for r in lay.rows] == ["Anna Artist", "Ben Builder"]
    anna = lay.rows[0]
    names = [b.text for b in anna.bars if b.text]
    # one label per run of bookings of a task, each run spanning its bookings
    assert sorted(names) == ["Hero/model", "SH010/anim"]  # paths: same names told apart
    assert sorted(b.short for b in anna.bars if b.text) == ["anim", "model"]
    assert all("Anna Artist (anna)" in b.tip for b in anna.bars)
    runs = [b for b in anna.bars if b.text]
    assert all(b.text_end is not None and b.text_end >= b.end for b in runs)
    legend = dict(lay.legend)
    assert {"SH010/anim", "Hero/model"} <= set(legend)
    assert lay.arrows == []
    fig = gantt_figure(lay)
    assert not _gid(fig, "summary-bars")
    multi = [b for r in lay.rows for b in r.bars if b.text_end and b.text_end > b.end]
    (envelopes,) = _gid(fig, "booking-runs")
    assert len(envelopes.get_paths()) == len(multi) >= 2  # anim and model span several days
    (tb,) = _gid(fig, "task-bars")
    assert len(tb.get_paths()) == sum(len(r.bars) for r in lay.rows)


@pytest.mark.parametrize("days", [0.5, 1, 10, 45, 200, 365, 900])
def test_date_ticks_readable_for_any_range(days: float) -> None:
    lo = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    hi = lo + dt.timedelta(days=days)
    ticks = html_ticks(lo, hi, UTC)
    assert 2 <= len(ticks) <= 17
    assert all(lo <= t <= hi for t, _ in ticks)
    # no label repeats within a year; the year is written whenever it changes
    assert len({(t.year, text) for t, text in ticks}) == len(ticks)
    if days >= 365:  # month ticks
        years = [t.year for t, text in ticks if str(t.year) in text]
        assert years == sorted({t.year for t, _ in ticks})
    lay = GanttLayout("tree", [], start=lo, end=hi, now=lo)
    fig = gantt_figure(lay)
    fig.canvas.draw()  # type: ignore[attr-defined]
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 3 <= len(labels) <= 16


def test_html_elements_match_the_layouts(tmp_path: Path) -> None:
    pr, plan = _planned()
    out = draw_gantt(pr, plan, tmp_path / "g.html")
    text = out.read_text()
    tree = text[text.index('id="v-tree"'):text.index('id="v-resource"')]
    lay = gantt_layout(pr, plan, "tree")
    assert tree.count('<path class="dep ') == len(lay.arrows) == 4
    assert tree.count('class="dep ss"') == 1
    assert tree.count('<path class="sum"') == 6
    assert tree.count('<rect class="bar"') == 4
    assert tree.count('<path class="ms"') == 1
    assert tree.count('<line class="now"') == 1
    assert tree.count('<rect class="nw"') >= 1
    assert 'marker id="ah"' in tree
    assert re.search(r'<g class="row container"[^>]*><text x="34"', tree)  # indented SH010
    assert ">anna</span>" not in tree and 'class="sw"' in tree and "anna" in tree
    for view in ("v-project", "v-tree", "v-resource"):
        assert f'id="{view}"' in text
    assert "http://" not in text and "https://" not in text and "<script src" not in text


def test_html_row_limit_note(tmp_path: Path) -> None:
    pr = _many(20)
    plan = NativeScheduler().schedule(pr)
    text = draw_gantt(pr, plan, tmp_path / "g.html", html_max_rows=30).read_text()
    tree = text[text.index('id="v-tree"'):text.index('id="v-resource"')]
    assert '<div class="note">101 rows &gt; limit 30' in tree
    assert '<rect class="bar"' not in tree and tree.count('<path class="sum"') == 21
    empty = render_html([GanttLayout("tree", [])], "nothing")
    assert 'id="v-tree"' in empty


@pytest.mark.parametrize("ext", [".png", ".svg"])
def test_svg_and_png_written_with_gids(tmp_path: Path, ext: str) -> None:
    pr, plan = _planned()
    out = draw_gantt(pr, plan, tmp_path / f"g{ext}", view="tree", color_by="project")
    data = out.read_bytes()
    if ext == ".svg":
        for gid in ("summary-bars", "task-bars", "dependencies", "now", "nonworking"):
            assert f'id="{gid}' in data.decode()
    else:
        assert data.startswith(b"\x89PNG")


def test_arrows_that_would_share_a_path_are_drawn_apart() -> None:
    """Two arrows leaving one bar get two lanes; two reaching one row two offsets."""
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "tree")
    label = {i: r.label for i, r in enumerate(lay.rows)}
    from_anim = sorted((a.lane, label[a.dst]) for a in lay.arrows if label[a.src] == "anim")
    assert [lane for lane, _ in from_anim] == [0, 1]
    into_review = [a.offset for a in lay.arrows if label[a.dst] == "review"]
    assert len(into_review) == 2 and into_review[0] == -into_review[1] != 0
    # the vertical segments of two lanes differ; a lane never leaves the bar
    first = elbow(0.0, 10.0, 0, 20.0, 3, "fs", 1.0, 0)
    second = elbow(0.0, 10.0, 0, 20.0, 5, "fs", 1.0, 1)
    assert first[0][0] != second[0][0] and 0.0 <= second[0][0] < first[0][0] <= 10.0
    fig = gantt_figure(lay)
    (deps,) = _gid(fig, "dependencies")
    starts = [tuple(seg[0]) for seg in deps.get_segments()]
    assert len(set(starts)) == len(starts)  # no two arrows start at one point
    (heads,) = _gid(fig, "dependency-heads")
    assert len({tuple(p) for p in heads.get_offsets()}) == len(lay.arrows)


def test_date_axis_has_weekdays_and_weeks() -> None:
    lo = dt.datetime(2026, 12, 3, 9, tzinfo=UTC)  # a Thursday
    hi = lo + dt.timedelta(days=20)
    ticks = date_ticks(lo, hi, UTC)
    assert all(re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2}", text)
               for _, text in ticks)
    weeks = week_marks(lo, hi, UTC)
    assert [(t.date().isoformat(), text) for t, text in weeks] == [
        ("2026-12-07", "week 50"), ("2026-12-14", "week 51"), ("2026-12-21", "week 52")]
    assert week_marks(lo, lo + dt.timedelta(hours=20), UTC) == []  # too short to matter
    assert week_marks(lo, lo + dt.timedelta(days=400), UTC) == []  # months instead
    fig = gantt_figure(GanttLayout("tree", [], start=lo, end=hi, now=lo))
    (lines,) = _gid(fig, "weeks")
    assert len(lines.get_segments()) == 3
    assert [t.get_text().strip() for t in _gid(fig, "week-labels")] == [
        "week 50", "week 51", "week 52"]
    page = render_html([GanttLayout("tree", [], start=lo, end=hi, now=lo)], "t")
    assert page.count('class="week"') == 3 and "week 51</text>" in page
    # the plan's own span in words, not the padded axis in ISO
    assert f'<span id="range">{plan_span_text(lo, hi)}</span>' in page
    assert plan_span_text(lo, hi).endswith(f"{hi:%a %d %b %Y %H:%M} UTC")
    assert 'id="range">no plan<' in render_html([GanttLayout("tree", [])], "t")


def test_project_view_shows_the_colour_of_each_leaf() -> None:
    pr, plan = _planned()
    lay = gantt_layout(pr, plan, "project", color_by="status",
                       statuses={3: "WIP", 4: "CMPL", 6: "RTS"})
    rows = {r.label: r for r in lay.rows}
    seq = rows["SEQ01"]
    assert sorted(b.color for b in seq.bars) == sorted(
        [STATUS_COLORS["WIP"], STATUS_COLORS["CMPL"], STATUS_COLORS["RTS"]])
    assert sorted(b.text for b in seq.bars) == ["CMPL", "RTS", "WIP"]  # not colour alone
    assert {"WIP", "CMPL", "RTS"} <= set(dict(lay.legend))
    by_person = gantt_layout(pr, plan, "project")
    assert {b.text for b in {r.label: r for r in by_person.rows}["SEQ01"].bars} == {
        "Anna Artist", "Ben Builder"}
    fig = gantt_figure(lay)
    (tb,) = _gid(fig, "task-bars")
    assert len(tb.get_paths()) == sum(b.kind == "task" for r in lay.rows for b in r.bars)
