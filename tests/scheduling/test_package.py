"""The public face of ``stalker_core.scheduling``: what it exports, what it does not ship."""

from __future__ import annotations

import importlib.util

import stalker_core.scheduling as scheduling
from stalker_core.scheduling.api import schedule_studio
from stalker_core.scheduling.taskjuggler.tjp import to_tjp


def test_exports() -> None:
    assert scheduling.__all__ == sorted(scheduling.__all__)
    assert set(scheduling.__all__) == {
        "Dependency", "NativeScheduler", "Plan", "Problem", "ProjectSpec", "Resource",
        "ScheduleResult", "TaskJugglerScheduler", "TaskPlan", "TaskSpec", "TimeLogEntry",
        "schedule_studio", "set_studio_duration", "to_tjp",
    }
    for name in scheduling.__all__:
        assert getattr(scheduling, name) is not None


def test_models_reach_to_tjp_and_schedule_studio_at_package_level() -> None:
    # the models call these two through "stalker_core.scheduling:<name>"
    assert scheduling.to_tjp is to_tjp
    assert scheduling.schedule_studio is schedule_studio


def test_benchmark_studio_is_not_shipped() -> None:
    assert importlib.util.find_spec("stalker_core.scheduling.synthetic") is None
