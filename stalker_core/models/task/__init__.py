"""The Task aggregate: a task, its dependencies, logged time, and the rules around them.

One module per concept:

* :mod:`.model` - :class:`Task` itself (hierarchy, schedule fields, resources);
* :mod:`.dependency` - :class:`TaskDependency` (the edges of the task graph);
* :mod:`.graph` - cycle checks and traversal of parents, children and dependencies;
* :mod:`.status_lookup` - the status codes; Status rows, codes and status lists
  looked up with one light query per transaction;
* :mod:`.ancestry` - the stored chain of parents of a task, its dependencies and
  who waits for it, read as rows (or loaded with one statement);
* :mod:`.readiness` - may a task start: its and its parents' dependencies;
* :mod:`.derive` - a container's status from its children's;
* :mod:`.status` - the status workflow (``WFD`` to ``CMPL``) and its transitions;
* :mod:`.settle` - the flush step giving new tasks their first status;
* :mod:`.workflow` - actions on a task (request review, approve, hold, stop, resume);
* :mod:`.rollup` - cached roll-ups of containers (schedule, effort, completed time);
* :mod:`.time_log` - :class:`TimeLog`, resource time booked on a leaf task;
* :mod:`.validation` - the rules of each field, shared by ``Task`` and ``TaskBatch``;
* :mod:`.bulk` - :class:`TaskBatch`, the bulk-insert path that shares Task's validators;
* :mod:`.queries` - read-only queries (tasks of a user, ...);
* :mod:`.constants` - Stalker's status bit constants, derived from :mod:`.status`.

Their runtime imports go one way, bottom to top (checked by
``.importlinter-runtime``; imports under ``TYPE_CHECKING`` are for typing only)::

    validation, dependency, ancestry  <  status_lookup  <  rollup, readiness
        <  derive  <  status  <  settle, graph, workflow  <  model  <  time_log
        <  bulk, queries

A module that needs a class of a module above it (``Task`` in the rules,
``Review`` in the workflow, ``TimeLog`` in the roll-ups) looks it up by name
with :func:`stalker_core.models.base.mapped_class`. The whole package sits
below the coded tasks (``Asset``, ``Shot``, ``Sequence``, ``Scene``) and
``Review``, which import it: :class:`~.bulk.TaskBatch` reaches those classes,
and ``Shot.check_unique_codes``, through ``mapped_class`` too.

``from stalker_core.models.task import Task`` keeps working as in Stalker.
"""

from __future__ import annotations

from stalker_core.models.task.constants import (
    BINARY_STATUS_VALUES,
    CHILDREN_TO_PARENT_STATUSES_MAP,
    PARENT_STATUSES,
)
from stalker_core.models.task.dependency import TaskDependency
from stalker_core.models.task.model import Task
from stalker_core.models.task.time_log import TimeLog

__all__ = [
    "BINARY_STATUS_VALUES",
    "CHILDREN_TO_PARENT_STATUSES_MAP",
    "PARENT_STATUSES",
    "Task",
    "TaskDependency",
    "TimeLog",
]
