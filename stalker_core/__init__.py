"""stalker_core: production asset management for animation and VFX studios.

Importing this package is cheap: model classes, the database layer and the
schedulers are loaded on first attribute access (PEP 562), so DCC start-up
pays only for what it uses. ``from stalker_core import Task`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_LAZY: dict[str, str] = {
    **{
        name: "stalker_core.models"
        for name in (
            "Asset AuthenticationLog Budget BudgetEntry Client Daily Department Entity "
            "EntityGroup File FilenameTemplate Good Group ImageFormat Invoice Link Note Page "
            "Payment Permission PriceList Project Repository Review Role Scene Sequence Shot "
            "SimpleEntity Status StatusList StatusListStatus Structure Studio Tag Task "
            "TaskDependency Ticket "
            "TicketLog TimeLog Type User Vacation Version WorkingHours "
            "DailyFile DailyLink Message ProjectClient ProjectRepository ProjectUser Variant "
            "ClientUser DepartmentUser"
        ).split()
    },
    # Stalker's public mixins, importable from the top as in Stalker
    **{
        name: "stalker_core.models.mixins"
        for name in (
            "ACLMixin AmountMixin CodeMixin DAGMixin DateRangeMixin ProjectMixin ReferenceMixin "
            "ScheduleMixin StatusMixin TargetEntityTypeMixin UnitMixin WorkingHoursMixin"
        ).split()
    },
    "LocalSession": "stalker_core.models.local_session",
    "SchedulerBase": "stalker_core.models.schedulers",
    "TaskJugglerScheduler": "stalker_core.scheduling",
    "NativeScheduler": "stalker_core.scheduling",
    "schedule_studio": "stalker_core.scheduling",
    "TaskBatch": "stalker_core.models.task.bulk",
    "tasks_of_user": "stalker_core.models.task.queries",
    "reserve_version": "stalker_core.models.version.numbering",
    "latest_published_versions": "stalker_core.models.version.queries",
    "save_as_version": "stalker_core.workflows",
    "open_version": "stalker_core.workflows",
    "publish": "stalker_core.workflows",
    "update_references": "stalker_core.workflows",
    "get_plugin_manager": "stalker_core.plugins",
    "hookimpl": "stalker_core.plugins.api",
    "db": "stalker_core.db",
    "exceptions": "stalker_core.exceptions",
    "defaults": "stalker_core.config",
    "get_config": "stalker_core.config",
    "configure": "stalker_core.config",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'stalker_core' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name.endswith("." + name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
