"""The object model: every mapped class, imported explicitly.

Importing this package defines the mapped classes and configures their
mappers (relationships, attribute events) at once, with the cyclic garbage
collector paused meanwhile. The work allocates several hundred thousand
objects, all of which live as long as the process; left in the youngest
generation, the collector would go over every one of them three times in
the next moments (young, middle, then a full collection: about 0.1 s, paid
by the first query). They are moved to the oldest generation instead
(``gc.freeze()`` then ``gc.unfreeze()``: no pass over them), where only the
rare full collections look at them. Nothing is left frozen, so nothing
becomes uncollectable; the process's other young objects move along (they
are collected at the next full collection instead of a young one). A process
that froze objects itself (``gc.get_freeze_count()``) is left as it is. The
collector is restored afterwards, also when an import fails.

Only this package's registry is configured here, not other SQLAlchemy
registries of the process (a host application's). Meanwhile the first event
dispatch of each new mapped attribute skips a detour through SQLAlchemy's
attribute lookup, and each inheritance hierarchy's map of equivalent columns
is built once rather than once per mapper (items 13 and 14 of
:mod:`stalker_core.orm._sqla_private`: together about a tenth of the time of
this import).
"""

from __future__ import annotations

import gc

from stalker_core.orm._sqla_private import quick_attribute_dispatch, share_equivalent_columns

_collecting = gc.isenabled()
gc.disable()
try:
    # the first dispatch of each new attribute without a detour (_sqla_private item 13)
    with quick_attribute_dispatch():
        from stalker_core.models import flush
        from stalker_core.models.asset import Asset
        from stalker_core.models.auth_log import AuthenticationLog
        from stalker_core.models.base import Base, Entity, SimpleEntity
        from stalker_core.models.budget import (
            Budget,
            BudgetEntry,
            Good,
            Invoice,
            Payment,
            PriceList,
        )
        from stalker_core.models.client import Client, ClientUser
        from stalker_core.models.daily import Daily, DailyFile, DailyLink
        from stalker_core.models.department import Department, DepartmentUser
        from stalker_core.models.entity_group import EntityGroup
        from stalker_core.models.file import File, Link
        from stalker_core.models.filename_template import FilenameTemplate
        from stalker_core.models.group import Group, Permission
        from stalker_core.models.image_format import ImageFormat
        from stalker_core.models.message import Message
        from stalker_core.models.note import Note
        from stalker_core.models.page import Page
        from stalker_core.models.project import (
            Project,
            ProjectClient,
            ProjectRepository,
            ProjectUser,
        )
        from stalker_core.models.repository import Repository
        from stalker_core.models.review import Review
        from stalker_core.models.role import Role
        from stalker_core.models.scene import Scene
        from stalker_core.models.sequence import Sequence
        from stalker_core.models.shot import Shot
        from stalker_core.models.status import Status, StatusList, StatusListStatus
        from stalker_core.models.structure import Structure
        from stalker_core.models.studio import Studio
        from stalker_core.models.tag import Tag
        from stalker_core.models.task.dependency import TaskDependency
        from stalker_core.models.task.model import Task
        from stalker_core.models.task.time_log import TimeLog
        from stalker_core.models.ticket import Ticket, TicketLog
        from stalker_core.models.type import Type
        from stalker_core.models.user import User
        from stalker_core.models.vacation import Vacation
        from stalker_core.models.variant import Variant
        from stalker_core.models.version.model import Version
        from stalker_core.models.working_hours import WorkingHours

        # every mapped class is defined now: register the flush pipeline on
        # StalkerSession (see stalker_core.models.flush), then configure the mappers
        flush.install()
        share_equivalent_columns(Base.registry.mappers)  # _sqla_private item 14
        Base.registry.configure()
finally:
    if gc.get_freeze_count() == 0:
        gc.freeze()  # every tracked object to the permanent generation ...
        gc.unfreeze()  # ... and back into the oldest one, without a pass over them
    if _collecting:
        gc.enable()
    del _collecting

__all__ = [
    "Asset",
    "AuthenticationLog",
    "Base",
    "Budget",
    "BudgetEntry",
    "Client",
    "ClientUser",
    "Daily",
    "DailyFile",
    "DailyLink",
    "Department",
    "DepartmentUser",
    "Entity",
    "EntityGroup",
    "File",
    "FilenameTemplate",
    "Good",
    "Group",
    "ImageFormat",
    "Invoice",
    "Link",
    "Message",
    "Note",
    "Page",
    "Payment",
    "Permission",
    "PriceList",
    "Project",
    "ProjectClient",
    "ProjectRepository",
    "ProjectUser",
    "Repository",
    "Review",
    "Role",
    "Scene",
    "Sequence",
    "Shot",
    "SimpleEntity",
    "Status",
    "StatusList",
    "StatusListStatus",
    "Structure",
    "Studio",
    "Tag",
    "Task",
    "TaskDependency",
    "Ticket",
    "TicketLog",
    "TimeLog",
    "Type",
    "User",
    "Variant",
    "Vacation",
    "Version",
    "WorkingHours",
]
