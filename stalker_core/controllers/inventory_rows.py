"""The Scene Inventory's data: what a row, the whole list, a version choice and an update say.

Plain frozen data classes, made by
:class:`~stalker_core.controllers.inventory.InventoryController` and shown
by the views; nothing here touches the host or the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from stalker_core.workflows.references import UpdateReport

__all__ = [
    "STATE_LABELS",
    "ContainerRow",
    "InventoryState",
    "RowState",
    "UpdateSummary",
    "VersionChoice",
    "version_label",
]

#: what a container's row says about it
RowState = Literal["up_to_date", "outdated", "untracked", "missing"]

STATE_LABELS: dict[str, str] = {
    "up_to_date": "Up to date",
    "outdated": "Outdated",
    "untracked": "Untracked",
    "missing": "Missing version",
}


def version_label(n: int | None) -> str:
    """``"v003"``, or ``""`` for ``None``."""
    return f"v{n:03d}" if n is not None else ""


@dataclass(frozen=True)
class ContainerRow:
    """One container of the scene as the inventory shows it.

    :param name: the host's name for the container.
    :param path: the referenced file.
    :param version_id: the version id the container records, or ``None``.
    :param locked: whether "update" leaves it alone.
    :param state: ``"up_to_date"``, ``"outdated"``, ``"untracked"`` (no
        version id) or ``"missing"`` (the version id names no version).
    :param task: the task path of the loaded version (``"SEQ01/SH10/anim"``).
    :param take: its take name.
    :param loaded: the loaded version's number.
    :param loaded_published: whether the loaded version is published.
    :param latest: the newest version number of the task and take.
    :param latest_published: the newest published number, ``None`` if none is.
    :param target: the number an update would load (outdated rows only).
    :param note: what the last action did to it, or why it cannot be updated.
    """

    name: str
    path: Path
    version_id: int | None
    locked: bool
    state: RowState
    task: str = ""
    take: str = ""
    loaded: int | None = None
    loaded_published: bool = False
    latest: int | None = None
    latest_published: int | None = None
    target: int | None = None
    note: str = ""

    @property
    def is_outdated(self) -> bool:
        """True when a newer version (of the controller's target) exists."""
        return self.state == "outdated"

    @property
    def can_update(self) -> bool:
        """True when "update" would change it: outdated and not locked."""
        return self.is_outdated and not self.locked

    @property
    def can_set_version(self) -> bool:
        """True when its version can be chosen: its version exists and it is not locked."""
        return self.loaded is not None and not self.locked

    @property
    def state_label(self) -> str:
        """The state in words, e.g. ``"Outdated: v002 available"``."""
        label = STATE_LABELS[self.state]
        if self.state == "outdated":
            label = f"{label}: {version_label(self.target)} available"
        return label

    @property
    def loaded_label(self) -> str:
        """``"v001"``, ``"v001 (not published)"``, or ``""``."""
        if self.loaded is None:
            return ""
        return version_label(self.loaded) + ("" if self.loaded_published else " (not published)")

    @property
    def lock_label(self) -> str:
        """``"Locked"`` or ``""``."""
        return "Locked" if self.locked else ""

    @property
    def latest_label(self) -> str:
        """The newest number, ``""`` when unknown."""
        return version_label(self.latest)

    @property
    def latest_published_label(self) -> str:
        """The newest published number, ``"none"`` when no version is published."""
        if self.loaded is None:
            return ""
        return version_label(self.latest_published) or "none"


@dataclass(frozen=True)
class InventoryState:
    """What the inventory shows: the rows, or why there are none.

    :param rows: one per container, in the scene's order.
    :param supported: False when the host has no references capability.
    :param message: the sentence to show instead of rows (unsupported host).
    """

    rows: list[ContainerRow] = field(default_factory=list)
    supported: bool = True
    message: str = ""

    def count(self, state: RowState) -> int:
        """How many rows are in ``state``."""
        return sum(1 for r in self.rows if r.state == state)

    @property
    def outdated(self) -> list[ContainerRow]:
        """The rows an "Update all outdated" would update (outdated, not locked)."""
        return [r for r in self.rows if r.can_update]

    @property
    def summary(self) -> str:
        """One line: how many containers, outdated, locked, untracked, missing."""
        if not self.supported:
            return "no references in this host"
        parts = [f"{len(self.rows)} container{'s' if len(self.rows) != 1 else ''}"]
        outdated = self.count("outdated")
        if outdated:
            locked = sum(1 for r in self.rows if r.is_outdated and r.locked)
            parts.append(f"{outdated} outdated" + (f" ({locked} locked)" if locked else ""))
        locked_all = sum(1 for r in self.rows if r.locked)
        if locked_all:
            parts.append(f"{locked_all} locked")
        for state in ("untracked", "missing"):
            n = self.count(cast(RowState, state))
            if n:
                parts.append(f"{n} {STATE_LABELS[state].lower()}")
        return " \u00b7 ".join(parts)


@dataclass(frozen=True)
class VersionChoice:
    """A version the Set Version dialog offers (same task and take as the container)."""

    id: int
    number: int
    published: bool
    created: dt.datetime | None
    author: str
    description: str
    loaded: bool

    @property
    def label(self) -> str:
        """``"v003  published  2024-05-01 10:00  anna  - final pose"``."""
        parts = [version_label(self.number), "published" if self.published else "not published"]
        if self.created is not None:
            parts.append(self.created.strftime("%Y-%m-%d %H:%M"))
        if self.author:
            parts.append(self.author)
        text = "  ".join(parts)
        if self.description:
            text += f"  - {self.description}"
        if self.loaded:
            text += "  (loaded)"
        return text


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did, by container name."""

    updated: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    vetoed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, report: UpdateReport) -> UpdateSummary:
        """The summary of a workflow :class:`UpdateReport`."""
        return cls(
            updated=[c.name for c, _, _ in report.updated],
            up_to_date=[c.name for c in report.up_to_date],
            locked=[c.name for c in report.locked],
            vetoed=[(c.name, why) for c, why in report.vetoed],
            failed=[(c.name, why) for c, why in report.failed],
            cancelled=[c.name for c in report.cancelled],
            unmatched=[(c.name, why) for c, why in report.unmatched],
        )

    @property
    def text(self) -> str:
        """One sentence for the panel's status line."""
        parts = [f"{len(self.updated)} updated"]
        if self.locked:
            parts.append(f"{len(self.locked)} locked (kept)")
        if self.vetoed:
            kept = "; ".join(f"{n}: {why}" for n, why in self.vetoed)
            parts.append(f"{len(self.vetoed)} kept by a plugin ({kept})")
        if self.failed:
            failed = "; ".join(f"{n}: {why}" for n, why in self.failed)
            parts.append(f"{len(self.failed)} failed ({failed})")
        if self.unmatched:
            kept = "; ".join(f"{n}: {why}" for n, why in self.unmatched)
            parts.append(f"{len(self.unmatched)} kept, no newer file of their kind ({kept})")
        if self.cancelled:
            parts.append(f"{len(self.cancelled)} not done (cancelled)")
        return ", ".join(parts)
