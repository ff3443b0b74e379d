"""Property tests: random task trees and dependency graphs.

Every operation is either accepted, and then the hierarchy and the waits-for
relation stay acyclic (checked by an independent, naive oracle), or refused
with CircularDependencyError, and then nothing changed. Roll-up caches always
equal the sums recomputed from the leaves.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stalker_core.exceptions import CircularDependencyError

N = 8

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("deps"), st.integers(0, N - 1), st.lists(st.integers(0, N - 1), max_size=3)
        ),
        st.tuples(
            st.just("parent"), st.integers(0, N - 1), st.one_of(st.none(), st.integers(0, N - 1))
        ),
        st.tuples(st.just("timing"), st.integers(0, N - 1), st.integers(0, 40)),
    ),
    max_size=25,
)


def _snapshot(tasks: list[Any]) -> tuple[Any, ...]:
    return tuple(
        (
            t.parent,
            tuple(t.depends_on),
            tuple(t.dependent_of),
            tuple(t.children),
            t.schedule_seconds_cache,
            t.child_count,
        )
        for t in tasks
    )


def _below(t: Any) -> list[Any]:
    out, stack = [], [t]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)
    return out


def _ups(t: Any) -> list[Any]:
    out, n = [], t.parent
    while n is not None:
        assert n not in out, "hierarchy cycle"
        out.append(n)
        n = n.parent
    return out


def _acyclic(tasks: list[Any]) -> bool:
    waits = {
        t: {x for a in [t, *_ups(t)] for d in a.depends_on for x in _below(d)} for t in tasks
    }
    for start in tasks:
        seen, stack = set(), list(waits[start])
        while stack:
            n = stack.pop()
            if n is start:
                return False
            if n not in seen:
                seen.add(n)
                stack.extend(waits[n])
    return True


def _leaf_sum(t: Any) -> float:
    if not t.children:
        return t.schedule_timing * 3600.0
    return sum(_leaf_sum(c) for c in t.children)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=ops)
def test_random_graphs_stay_acyclic_or_are_refused(ops: list[tuple[Any, ...]]) -> None:
    from stalker_core.models import Project, Task

    project = Project(name="P", code="P")
    tasks = [Task(name=f"T{i}", project=project) for i in range(N)]
    for kind, i, arg in ops:
        before = _snapshot(tasks)
        try:
            if kind == "deps":
                tasks[i].depends_on = [tasks[j] for j in arg]
            elif kind == "parent":
                tasks[i].parent = None if arg is None else tasks[arg]
            else:
                tasks[i].schedule_timing = arg
        except CircularDependencyError as exc:
            assert str(exc)
            assert _snapshot(tasks) == before, f"refused {kind} changed the graph"
            continue
        if kind == "deps":
            assert list(tasks[i].depends_on) == list(dict.fromkeys(tasks[j] for j in arg))
        if kind == "parent":
            assert tasks[i].parent is (None if arg is None else tasks[arg])
        assert _acyclic(tasks)
        for t in tasks:
            assert t.child_count == len(t.children)
            assert t.schedule_seconds == pytest.approx(_leaf_sum(t))
            for d in t.depends_on:
                assert t in d.dependent_of


@settings(max_examples=40, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=15))
def test_random_dependency_appends(edges: list[tuple[int, int]]) -> None:
    from stalker_core.models import Project, Task

    project = Project(name="P", code="P")
    tasks = [Task(name=f"T{i}", project=project) for i in range(6)]
    for a, b in edges:
        before = _snapshot(tasks)
        try:
            tasks[a].depends_on.append(tasks[b])
        except CircularDependencyError:
            assert _snapshot(tasks) == before
        else:
            assert tasks[b] in tasks[a].depends_on
            assert _acyclic(tasks)
