"""The Task aggregate: a task, its dependencies, logged time, and the rules around them.

One module per concept:

* :mod:`.model` - :class:`Task` itself (hierarchy, schedule fields, resources);
* :mod:`.dependency` - :class:`TaskDependency` (the edges of the task graph);
* :mod:`.graph` - cycle checks and traversal of parents, children and dependencies;
* :mod:`.status` - the status workflow (``WFD`` to ``CMPL``) and its transitions;
* :mod:`.workflow` - actions on a task (request review, approve, hold, stop, resume);
* :mod:`.rollup` - cached roll-ups of containers (schedule, effort, status);
* :mod:`.time_log` - :class:`TimeLog`, resource time booked on a leaf task;
* :mod:`.validation` - the rules of each field, shared by ``Task`` and ``TaskBatch``;
* :mod:`.bulk` - :class:`TaskBatch`, the bulk-insert path that shares Task's validators;
* :mod:`.queries` - read-only queries (tasks of a user, ...).

``from stalker_core.models.task import Task`` keeps working as in Stalker.
"""

from __future__ import annotations

from stalker_core.models.task.dependency import TaskDependency
from stalker_core.models.task.model import Task
from stalker_core.models.task.time_log import TimeLog

__all__ = ["Task", "TaskDependency", "TimeLog"]
