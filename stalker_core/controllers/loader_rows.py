"""The plain data the Loader controller takes and returns (see :mod:`.loader`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from stalker_core.exceptions import ValidationError
from stalker_core.hosts import Container
from stalker_core.plugins.api import UIAction

__all__ = [
    "PAGE_SIZE",
    "PUBLISHED",
    "WORKFILE",
    "EntityGroup",
    "EntityRow",
    "FileRow",
    "LoadResult",
    "LoaderFilter",
    "Page",
    "ProjectRow",
    "TaskRow",
    "TypeChoices",
    "TypeRow",
    "VersionRow",
    "normalise_extension",
]

T = TypeVar("T")

#: rows per page of entities and versions
PAGE_SIZE = 100
#: FileRow.kind of a version's published outputs and of its work file
PUBLISHED, WORKFILE = "published", "work file"


# -- data in and out ------------------------------------------------------------------------------


def normalise_extension(ext: str) -> str:
    """``"ABC"`` -> ``".abc"``; raises :class:`ValidationError` for an empty or odd one."""
    text = str(ext).strip().lower()
    if text and not text.startswith("."):
        text = "." + text
    if len(text) < 2 or any(c in text for c in "/\\%*? "):
        raise ValidationError(f"a file extension should look like '.abc', not {ext!r}")
    return text


@dataclass(frozen=True)
class LoaderFilter:
    """What the Loader shows; every field narrows it (empty: no narrowing).

    :param entity_type_ids: ids of Types of the asset/shot/sequence (``"Character"``).
    :param task_type_ids: ids of Types of the task (``"Modeling"``).
    :param extensions: file extensions (``".abc"``); a version matches when its
        work file or one of its published files has one.
    :param search: part of the entity's name (case does not matter).
    """

    entity_type_ids: frozenset[int] = frozenset()
    task_type_ids: frozenset[int] = frozenset()
    extensions: frozenset[str] = frozenset()
    search: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "entity_type_ids", frozenset(self.entity_type_ids))
        object.__setattr__(self, "task_type_ids", frozenset(self.task_type_ids))
        exts = frozenset(normalise_extension(e) for e in self.extensions)
        object.__setattr__(self, "extensions", exts)
        object.__setattr__(self, "search", self.search.strip())

    def accepts_file(self, path: Path | str) -> bool:
        """True when ``path`` has one of :attr:`extensions` (or there are none)."""
        return not self.extensions or Path(path).suffix.lower() in self.extensions


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list: ``items`` from ``offset``; ``has_more`` when more follow."""

    items: tuple[T, ...]
    offset: int = 0
    has_more: bool = False

    @property
    def next_offset(self) -> int:
        """The offset of the next page."""
        return self.offset + len(self.items)


@dataclass(frozen=True)
class ProjectRow:
    """A project to browse."""

    id: int
    name: str
    code: str


@dataclass(frozen=True)
class TypeRow:
    """A Type the filter can pick."""

    id: int
    name: str


@dataclass(frozen=True)
class TypeChoices:
    """The Types used in a project: of its entities and of its tasks."""

    entity_types: tuple[TypeRow, ...] = ()
    task_types: tuple[TypeRow, ...] = ()


@dataclass(frozen=True)
class EntityGroup:
    """The entities of one kind (``"Asset"``) that have matching published versions."""

    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class EntityRow:
    """An asset, sequence, shot or top-level task with matching published versions."""

    id: int
    name: str
    kind: str
    type_name: str
    published: int


@dataclass(frozen=True)
class TaskRow:
    """A task of an entity with matching published versions.

    :param path: the task's names below the entity (``"lookdev/model"``); empty
        for the entity's own versions.
    """

    id: int
    path: str
    type_name: str
    published: int
    latest_number: int


@dataclass(frozen=True)
class FileRow:
    """A file of a published version: a published output or the work file."""

    path: Path
    kind: str
    exists: bool
    #: why the path could not be resolved ("" when it was)
    problem: str = ""

    @property
    def label(self) -> str:
        """``"published file"`` or ``"work file"``."""
        return "published file" if self.kind == PUBLISHED else self.kind

    @property
    def extension(self) -> str:
        """The lower-case extension with its dot."""
        return self.path.suffix.lower()


@dataclass(frozen=True)
class VersionRow:
    """A published version with its files (those of the filter's extensions)."""

    id: int
    task_id: int
    entity: str
    task_path: str
    take: str
    number: int
    author: str
    created: datetime | None
    description: str
    created_with: str
    files: tuple[FileRow, ...] = ()

    @property
    def label(self) -> str:
        """``"Main v003"``."""
        return f"{self.take} v{self.number:03d}"

    @property
    def context(self) -> str:
        """``"Hero / model"``: the entity and the task path."""
        return f"{self.entity} / {self.task_path}" if self.task_path else self.entity

    def file_for(self, action: UIAction | None = None) -> FileRow | None:
        """The file to load with ``action``: the first it accepts, published ones first.

        A missing file is returned all the same (loading it reports it missing):
        the Loader never swaps a published file for the work file on its own.
        """
        usable = [f for f in self.files if action is None or action.accepts(f.path)]
        usable.sort(key=lambda f: f.kind != PUBLISHED)
        return usable[0] if usable else None

    def file_at(self, path: Path | str) -> FileRow | None:
        """The file of this version at ``path``, or ``None``."""
        wanted = os.path.normcase(os.path.abspath(path))
        for f in self.files:
            if os.path.normcase(os.path.abspath(f.path)) == wanted:
                return f
        return None


@dataclass(frozen=True)
class LoadResult:
    """What :meth:`LoaderController.load` did.

    :param ok: the action ran and loaded the file.
    :param message: one sentence for the panel (what was loaded, or what went wrong).
    :param container: the reference the action made, when it made one.
    :param warnings: things the artist should know although it worked.
    """

    ok: bool
    message: str
    action: str = ""
    plugin: str = ""
    path: Path | None = None
    version_id: int | None = None
    container: Container | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
