"""The plain data the Work Files controller takes and returns (no Qt, no database objects).

Re-exported by :mod:`stalker_core.controllers.workfiles`; see there for how
they are used.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from stalker_core.exceptions import StalkerError

__all__ = [
    "CheckRow",
    "OpenChoice",
    "OpenOutcome",
    "SaveOutcome",
    "SavePlan",
    "SaveRequest",
    "Selection",
    "TakeItem",
    "UnsavedPrompt",
    "VersionNotFoundError",
    "VersionRow",
]


class VersionNotFoundError(StalkerError):
    """A version the panel shows no longer exists."""


@dataclass(frozen=True)
class TakeItem:
    """One take of a task: its name and how many versions it has."""

    name: str
    count: int

    @property
    def label(self) -> str:
        """``Main (12)``."""
        return f"{self.name} ({self.count})"


@dataclass(frozen=True)
class VersionRow:
    """One row of the versions table."""

    id: int
    number: int
    take: str
    #: the name of the user who saved it (``""`` when unknown)
    author: str
    date: dt.datetime | None
    description: str
    published: bool
    #: the application that saved it (``Version.created_with``, e.g. ``"maya"``)
    application: str
    filename: str

    @property
    def label(self) -> str:
        """``v003``."""
        return f"v{self.number:03d}"


@dataclass(frozen=True)
class Selection:
    """Where the open scene belongs: project, task, take and version."""

    project_id: int
    task_id: int
    take: str
    version_id: int


@dataclass(frozen=True)
class SavePlan:
    """What Save As Version would make now, or why it cannot save.

    :attr:`number` is a forecast made when the plan was: the save checks it
    again (:meth:`WorkFilesController.save`).
    """

    task_id: int
    #: ``SEQ01/SH10/anim``
    task_label: str
    take: str
    #: the next version number and the highest stored one
    number: int
    latest: int
    #: the file name as the template renders it, and its folder (``""``: not rendered)
    filename: str
    folder: str
    #: the chosen extension and the ones the host offers
    extension: str
    extensions: tuple[str, ...]
    #: why saving is impossible, one sentence each (empty: it can save)
    problems: tuple[str, ...] = ()
    #: set when a newer version appeared since the dialog opened (what to tell the artist)
    conflict: str = ""

    @property
    def can_save(self) -> bool:
        """True when nothing stands in the way."""
        return not self.problems

    @property
    def version_label(self) -> str:
        """``v004``."""
        return f"v{self.number:03d}"


@dataclass(frozen=True)
class SaveRequest:
    """The Save As Version dialog's answer."""

    task_id: int
    take: str
    description: str
    #: the number the dialog showed; another one means someone saved meanwhile
    expected_number: int
    extension: str | None = None


@dataclass(frozen=True)
class SaveOutcome:
    """What :meth:`WorkFilesController.save` did.

    ``version`` is the saved version, or ``None`` when nothing was saved: then
    ``plan`` is the new plan (its ``conflict`` or ``problems`` say why).
    """

    version: VersionRow | None
    plan: SavePlan
    message: str

    @property
    def saved(self) -> bool:
        """True when a version was saved."""
        return self.version is not None


class OpenChoice(enum.Enum):
    """The artist's answer to "the scene has unsaved changes"."""

    SAVE_FIRST = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


@dataclass(frozen=True)
class UnsavedPrompt:
    """The question to ask before opening over unsaved changes, as data."""

    question: str
    #: the open file (``None``: a scene never saved)
    current_file: str | None
    #: the answers that make sense (no SAVE_FIRST when the scene belongs to no task)
    choices: tuple[OpenChoice, ...]
    #: the task (label) and take the scene would be saved to first
    save_to: str = ""

    @property
    def can_save_first(self) -> bool:
        """True when "save first" is one of the answers."""
        return OpenChoice.SAVE_FIRST in self.choices


@dataclass(frozen=True)
class CheckRow:
    """A scene check reported after opening (e.g. outdated references)."""

    title: str
    message: str
    severity: str
    plugin: str


@dataclass(frozen=True)
class OpenOutcome:
    """What :meth:`WorkFilesController.open` did.

    ``status`` is ``"opened"``, ``"needs_choice"`` (nothing done: ask
    ``prompt`` and call again with the answer), ``"cancelled"`` or
    ``"refused"`` (``message`` says why).
    """

    status: str
    message: str
    version: VersionRow | None = None
    saved_first: VersionRow | None = None
    prompt: UnsavedPrompt | None = None
    checks: tuple[CheckRow, ...] = field(default_factory=tuple)

    @property
    def opened(self) -> bool:
        """True when a file was opened."""
        return self.status == "opened"
