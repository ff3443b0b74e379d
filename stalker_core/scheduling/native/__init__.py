"""The native scheduler: a serial list scheduler on working slots.

Leaf tasks are placed one at a time. A task becomes *eligible* when every
task it depends on is placed; among eligible tasks the one with the highest
*effective priority* goes first (a task's priority raised to the highest
priority of anything that waits for it, so a low-priority predecessor cannot
hold back an important task), then the one with the longest remaining chain
of work (critical path), then the lowest id. The chosen task is given the
earliest time its dependencies, ``now``, its constraints and its resources'
free time allow:

* ``effort``: resources work slot by slot until the remaining effort (minus
  time logs), scaled by efficiency, is done; several resources share it;
* ``length``: a window of working slots of the studio calendar where every
  resource is free for the whole window (so each such task gets its people);
* ``duration``: a window of calendar time, resources booked on its working slots;
* milestones take no time; fixed start/end constraints are honoured (a fixed
  end is planned backwards from it);
* a task fixed at both ends fills its range, start to end, whatever its
  timing (as tj3 plans it: the tjp text gives it no effort). A range that ends
  before the task can start (``now``, dependencies) is planned by the task's
  timing from its earliest start, with a warning; a start after the end is
  refused (:class:`~stalker_core.exceptions.SchedulingError`), as tj3 refuses it.

Alternative resources: for each resource of the task the candidates are the
resource and the alternatives; among the candidates free the soonest, the
allocation strategy picks (``order``, ``minallocated``, ``maxloaded``,
``minloaded`` or a seeded ``random``); with ``persistent_allocation`` the choice
holds for the whole task, otherwise it is made again whenever the chosen
resource is busy. Everything is deterministic.

The modules, each importing only those before it:
:mod:`~stalker_core.scheduling.native.prepare` (checks and expands the problem
once), :mod:`~stalker_core.scheduling.native.passes` (one pass,
:class:`~stalker_core.scheduling.native.passes.SchedulePass`),
:mod:`~stalker_core.scheduling.native.bounds` (lower bounds of the makespan),
:mod:`~stalker_core.scheduling.native.optimise` (more passes in other orders) and
:mod:`~stalker_core.scheduling.native.scheduler` (:class:`NativeScheduler`).
"""

from __future__ import annotations

from stalker_core.scheduling.native.scheduler import NativeScheduler, build_plan, no_gc

__all__ = ["NativeScheduler", "build_plan", "no_gc"]
