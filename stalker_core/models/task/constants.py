"""Stalker's task status constants, derived from this package's own rules.

Stalker's task module exposes the status bits of a task and the table that
turns the statuses of a container's children into the container's status.
Both are computed here from :data:`~.status.TASK_STATUSES` (the workflow
order) and :func:`~.status.derive_code` (the rule the containers follow),
so they can never disagree with what the model does.
"""

from __future__ import annotations

from stalker_core.models.task.status import TASK_STATUSES, derive_code

#: one bit per task status, the first status (WFD) the highest bit
BINARY_STATUS_VALUES: dict[str, int] = {
    code: 1 << (len(TASK_STATUSES) - 1 - i) for i, code in enumerate(TASK_STATUSES)
}

#: the statuses a container can have, in the order the map below indexes them
PARENT_STATUSES: tuple[str, ...] = ("WFD", "RTS", "WIP", "CMPL")


def _parent_index(mask: int) -> int:
    codes = [code for code, bit in BINARY_STATUS_VALUES.items() if mask & bit]
    return PARENT_STATUSES.index(derive_code(codes) or "WFD")


#: the OR of the children's status bits -> index of the container's status in
#: :data:`PARENT_STATUSES` (every combination, not only the unusual ones)
CHILDREN_TO_PARENT_STATUSES_MAP: dict[int, int] = {
    mask: _parent_index(mask) for mask in range(1 << len(TASK_STATUSES))
}

__all__ = ["BINARY_STATUS_VALUES", "CHILDREN_TO_PARENT_STATUSES_MAP", "PARENT_STATUSES"]
