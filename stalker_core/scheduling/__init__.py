"""Scheduling: the native scheduler, the TaskJuggler backend, validation and Gantt charts.

``schedule_studio(studio)`` loads the studio's plain scheduling data in bulk
(:mod:`~stalker_core.scheduling.loader`), plans it with a scheduler
(:class:`NativeScheduler`, the default, or :class:`TaskJugglerScheduler`) and writes
``computed_start``/``computed_end``/``computed_resources`` back in bulk, under a lock,
all or nothing. :func:`~stalker_core.scheduling.validate.validate_plan` checks any plan;
:mod:`~stalker_core.scheduling.tjp` writes TaskJuggler text; :mod:`~stalker_core.scheduling.gantt`
draws plans.
"""

from __future__ import annotations

from stalker_core.scheduling.api import ScheduleResult, schedule_studio, set_studio_duration
from stalker_core.scheduling.data import (
    Dependency,
    Plan,
    Problem,
    ProjectSpec,
    Resource,
    TaskPlan,
    TaskSpec,
    TimeLogEntry,
)
from stalker_core.scheduling.native import NativeScheduler
from stalker_core.scheduling.taskjuggler import TaskJugglerScheduler
from stalker_core.scheduling.tjp import to_tjp

__all__ = [
    "Dependency",
    "NativeScheduler",
    "Plan",
    "Problem",
    "ProjectSpec",
    "Resource",
    "ScheduleResult",
    "TaskJugglerScheduler",
    "TaskPlan",
    "TaskSpec",
    "TimeLogEntry",
    "schedule_studio",
    "set_studio_duration",
    "to_tjp",
]
