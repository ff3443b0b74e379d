"""Helpers for the scheduling tests: build small plain-data problems."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from stalker_core.scheduling.data import Dependency, Plan, Problem, ProjectSpec, Resource, TaskSpec

UTC = dt.UTC
#: the seeded synthetic studios of the benchmarks (not part of the package)
SYNTHETIC = Path(__file__).resolve().parents[2] / "benchmarks" / "synthetic.py"
#: a Monday, 09:00 UTC
MONDAY = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """``MONDAY`` + ``day`` days at ``hour:minute``."""
    return MONDAY.replace(hour=hour, minute=minute) + dt.timedelta(days=day)


def task(tid: int, name: str | None = None, *, timing: float = 1, unit: str = "h",
         res: tuple[int, ...] = (1,), deps: tuple[Any, ...] = (), parent: int | None = None,
         project: int = 1, **kw: Any) -> TaskSpec:
    """A TaskSpec; ``deps`` holds ids or Dependency objects."""
    return TaskSpec(
        id=tid, name=name or f"t{tid}", project_id=project, parent_id=parent, timing=timing,
        unit=unit, resources=res,
        depends=tuple(d if isinstance(d, Dependency) else Dependency(d) for d in deps), **kw,
    )


def problem(*tasks: TaskSpec, resources: int | list[Resource] = 1, now: dt.datetime = MONDAY,
            **kw: Any) -> Problem:
    """A problem with ``resources`` users (ids 1..n) and one project per project id used."""
    if isinstance(resources, int):
        resources = [Resource(i, f"user{i}") for i in range(1, resources + 1)]
    pids = sorted({t.project_id for t in tasks})
    return Problem(
        now=now, tasks={t.id: t for t in tasks}, resources={r.id: r for r in resources},
        projects={p: ProjectSpec(p, f"Project {p}", f"P{p}") for p in pids}, **kw,
    )


def planned(pr: Problem, **kw: Any) -> Plan:
    """``pr`` planned by the native scheduler (``kw``: its options), checked by the validator."""
    from stalker_core.scheduling import NativeScheduler
    from stalker_core.scheduling.validate import validate_plan

    plan = NativeScheduler(**kw).schedule(pr)
    report = validate_plan(pr, plan)
    assert report.ok, report.errors
    return plan


def synthetic() -> ModuleType:
    """``benchmarks/synthetic.py`` (``synthetic_problem``, ``populate``), loaded from its file."""
    name = "_bench_synthetic"  # the name benchmarks/_harness.py's load_module gives it
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, SYNTHETIC)
        assert spec is not None and spec.loader is not None, f"cannot load {SYNTHETIC}"
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module
