"""Scheduling: the native scheduler, the TaskJuggler backend, validation and Gantt charts.

``schedule_studio(studio)`` loads the studio's plain scheduling data in bulk
(:mod:`~stalker_core.scheduling.loader`), plans it with a scheduler
(:class:`NativeScheduler`, the default, or :class:`TaskJugglerScheduler`) and writes
``computed_start``/``computed_end``/``computed_resources`` back in bulk, under a lock,
all or nothing (:mod:`~stalker_core.scheduling.api`).

The package by part:

- shared by every scheduler: :mod:`~stalker_core.scheduling.data` (the plain
  problem and plan types), :mod:`~stalker_core.scheduling.calendar` (time zones,
  working slots), :mod:`~stalker_core.scheduling.loader` (database in and out) and
  :mod:`~stalker_core.scheduling.validate` (:func:`validate_plan` checks any plan);
- :mod:`~stalker_core.scheduling.native`: the native scheduler (prepare, one pass,
  the optimiser);
- :mod:`~stalker_core.scheduling.taskjuggler`: the ``tj3`` backend and the
  TaskJuggler text of the models (:func:`to_tjp`);
- :mod:`~stalker_core.scheduling.gantt`: Gantt charts of a plan (PNG/SVG with
  matplotlib, interactive HTML).

The parts import the shared modules, never one another (``api`` above them all picks
the default scheduler).
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
from stalker_core.scheduling.taskjuggler import TaskJugglerScheduler, to_tjp

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
