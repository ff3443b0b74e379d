"""``SchedulerBase``: what Stalker calls the base of every scheduler.

Our schedulers (:class:`stalker_core.scheduling.NativeScheduler`,
:class:`stalker_core.scheduling.TaskJugglerScheduler`) live in the scheduling
layer, above the models, and follow one small protocol: a ``schedule(problem)``
method that returns a plan. :class:`SchedulerBase` names that protocol at
Stalker's place, so ``isinstance(scheduler, SchedulerBase)`` holds for every
scheduler (subclass or not), and a studio's own scheduler may derive from it
to get Stalker's ``studio`` attribute.
"""

from __future__ import annotations

import abc
from typing import Any

from stalker_core.models.base import check_instance, mapped_class


class SchedulerBase(abc.ABC):
    """A scheduler: ``schedule(problem) -> Plan``; optionally bound to a ``studio``.

    :param studio: the :class:`~stalker_core.models.studio.Studio` to schedule, or ``None``.
    """

    #: the name ``schedule_studio`` reports the scheduler by
    name: str = "custom"

    def __init__(self, studio: Any = None) -> None:
        self.studio = studio

    @property
    def studio(self) -> Any:
        """The studio this scheduler plans (``None`` until given)."""
        return self._studio

    @studio.setter
    def studio(self, value: Any) -> None:
        self._studio = check_instance(type(self).__name__, "studio", value, mapped_class("Studio"))

    @abc.abstractmethod
    def schedule(self, problem: Any) -> Any:
        """Plan ``problem`` (a :class:`stalker_core.scheduling.Problem`); return a Plan."""

    @classmethod
    def __subclasshook__(cls, other: type) -> bool:
        # a scheduler of the protocol; not a model with a schedule() (Studio)
        if cls is SchedulerBase and callable(getattr(other, "schedule", None)):
            return not hasattr(other, "__mapper__")
        return NotImplemented

    def __repr__(self) -> str:
        return f"<{type(self).__name__} studio={getattr(self.studio, 'name', None)!r}>"
