"""Version: one saved iteration of a task's work file.

``Version(task=t)`` is numbered at once per ``(task, take_name)`` (see
:mod:`stalker_core.models.version.numbering` for how numbers stay unique
under concurrency). :meth:`Version.update_paths` renders ``path`` and
``filename`` from the project's FilenameTemplate; ``path`` is stored
repository independent (``$REPO<id>/...``) and :attr:`Version.absolute_path`
resolves it for the running OS.
"""

from __future__ import annotations

import os
import re
from contextlib import nullcontext
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates
from sqlalchemy.orm.attributes import set_committed_value

from stalker_core.exceptions import (
    RepositoryError,
    StalkerTypeError,
    ValidationError,
    type_error,
    value_error,
)
from stalker_core.models.base import Entity, add_unlinked, check_str, fk_id, link_table
from stalker_core.models.column_mixins import DAGMixin
from stalker_core.models.paths import join_path
from stalker_core.models.services import service
from stalker_core.models.task.graph import lineage
from stalker_core.models.task.model import Task
from stalker_core.models.version import numbering as numbering
from stalker_core.models.version.state import Phase, new_state, state_of
from stalker_core.orm._sqla_private import inserted_in_transaction

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.filename_template import FilenameTemplate

version_inputs = link_table("version_inputs", version_id="versions", file_id="files")
version_outputs = link_table("version_outputs", version_id="versions", file_id="files")

_TAKE_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
_EXT_RE = re.compile(r"^\.[A-Za-z0-9_\-.]+$")
#: tasks of these classes start the naming chain of a version
NAMING_ROOTS = ("Asset", "Shot", "Sequence")
#: the relationship a new Version links quietly to its stored task (see ``_link_task``)
_TASK_KEY = frozenset({"task"})


class Version(Entity, DAGMixin):
    """Version ``version_number`` of ``task`` in take ``take_name``.

    :param task: the Task (Asset, Shot, ... are tasks too); required.
    :param take_name: the take, default ``"Main"``; letters, digits, ``_`` and ``-``.
    :param version_number: set it only to import history; by default the next free number.
    :param parent: the version this one was made from.
    :param inputs: Files this version uses; ``outputs``: Files it produced.
    :param is_published: whether the version is approved for use downstream.
    :param created_with: the application that made it (e.g. ``"Blender"``).
    :param extension: appended to the rendered filename (e.g. ``".blend"``).
    :raises StalkerTypeError: when ``task`` is not a Task.
    :raises ValidationError: for a bad take name or a version number below 1.

    What is not a column (automatic number and name, phase, extension, the
    engine of the last rendering) is in the version's
    :class:`~stalker_core.models.version.state.VersionState`
    (:func:`~stalker_core.models.version.state.state_of`).
    """

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("task_id", "take_name", "version_number"),)
    id: Mapped[int] = fk_id("simple_entities")
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    take_name: Mapped[str] = mapped_column(String(256), default="Main")
    version_number: Mapped[int] = mapped_column(default=1)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"))
    is_published: Mapped[bool] = mapped_column(default=False)
    created_with: Mapped[str | None] = mapped_column(String(256))
    #: repository-independent path and filename (rendered from the templates)
    path: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="versions", foreign_keys=[task_id])
    # the join is spelled out so that a loaded parent is taken from the session
    # (see Task.parent)
    parent: Mapped[Version | None] = relationship(
        remote_side="Version.id",
        primaryjoin="Version.parent_id == Version.id",
        back_populates="children",
        foreign_keys=[parent_id],
        post_update=True,
    )
    children: Mapped[list[Version]] = relationship(
        back_populates="parent",
        primaryjoin="Version.id == Version.parent_id",
        foreign_keys=[parent_id],
    )
    inputs: Mapped[list[File]] = relationship(secondary=version_inputs)
    outputs: Mapped[list[File]] = relationship(secondary=version_outputs)

    def __init__(self, **kwargs: Any) -> None:
        task = kwargs.pop("task", None)
        if task is None:
            raise type_error("Version", "task", "a Task instance", None)
        self._check_task(task)
        state = new_state(
            self,
            phase=Phase.BUILDING,
            auto_number="version_number" not in kwargs,
            auto_name="name" not in kwargs,
            extension=self._check_extension(kwargs.pop("extension", None)),
        )
        full_path = kwargs.pop("full_path", None)  # given instead of rendered (Stalker)
        kwargs.setdefault("take_name", "Main")
        kwargs.setdefault("path", "")
        kwargs.setdefault("filename", "")
        kwargs.setdefault("is_published", False)
        kwargs.setdefault("description", "")
        if state.auto_name:
            kwargs["name"] = "Version"
        # every other value is validated before the task is linked: a refused
        # value leaves nothing attached to the task's session
        super().__init__(**kwargs)
        if full_path is not None:
            self.full_path = full_path
        self._link_task(task)
        try:
            session = object_session(self)
            if session is None:
                self._finish_init(None)
            else:
                # loading the task's parents must not flush this half-built version
                with session.no_autoflush:
                    self._finish_init(session)
        except BaseException:
            self.discard()
            raise
        state.phase = Phase.READY

    def _link_task(self, task: Task) -> None:
        """Link to ``task`` without marking the task as changed, when it is stored.

        A normal ``self.task = task`` also appends to ``task.versions``, which
        makes the task part of the next flush; tasks are self-referential, so
        SQLAlchemy would then sort every row of the flush one by one (slow for
        bulk creation). For a stored task we set the foreign key, the
        many-to-one as loaded, and the collection only when it is loaded.
        """
        state = inspect(task)
        session = state.session
        if not state.persistent or session is None:
            self.task = task
            return
        self.task_id = task.id
        set_committed_value(self, "task", task)
        if "versions" in task.__dict__:
            set_committed_value(task, "versions", [*task.__dict__["versions"], self])
        state_of(self).linked_quietly = True
        # the task is a stored object of the session: no cascade walk through it
        add_unlinked(session, self, stored=_TASK_KEY)

    def _finish_init(self, session: Any) -> None:
        state = state_of(self)
        if state.auto_number:
            self.version_number = numbering.next_version_number(self)
        if session is not None:
            numbering.register_pending(session, self)
        if state.auto_name:
            self.name = self._auto_name_value()

    # -- validation -----------------------------------------------------------

    @staticmethod
    def _check_task(value: Any) -> Task:
        if not isinstance(value, Task):
            raise StalkerTypeError(
                f"Version.task should be a Task (or Asset, Shot, Sequence, Scene), "
                f"not {type(value).__name__}: {value!r}"
            )
        return value

    @staticmethod
    def _check_extension(value: Any) -> str:
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            raise type_error("Version", "extension", "a str like '.blend'", value)
        ext = value.strip()
        if not ext.startswith("."):
            ext = "." + ext
        if not _EXT_RE.match(ext) or ".." in ext:
            raise value_error("Version", "extension", "an extension like '.blend'", value)
        return ext

    @validates("task")
    def _validate_task(self, key: str, value: Any) -> Task | None:
        phase = state_of(self).phase
        if value is None and phase is Phase.DISCARDING:
            return None
        if phase is not Phase.BUILDING and self.id is not None and value is not self.task:
            raise ValidationError("Version.task cannot change once the version is stored")
        return self._check_task(value)

    @validates("take_name")
    def _validate_take_name(self, key: str, value: Any) -> str:
        value = check_str("Version", key, value)
        if not _TAKE_RE.match(value):
            raise value_error(
                "Version",
                key,
                "letters, digits, '_' or '-' only (it is part of file names)",
                value,
            )
        state = state_of(self)
        if self.id is not None and state.phase is Phase.READY and value != self.take_name:
            raise ValidationError(
                f"Version.take_name cannot change once the version is stored: version "
                f"{self.version_number} and its file belong to take {self.take_name!r}; "
                f"save a new version in take {value!r} instead"
            )
        if state.phase is Phase.READY and state.auto_number and self.id is None:
            old = self.take_name
            if value != old:
                self.__dict__["take_name"] = value  # so numbering sees the new take
                # validators never query: a provisional number from what the session
                # already knows; the flush makes it final (see version_numbering)
                state.take_changed = True
                with state.enter(Phase.RENUMBERING):
                    self.version_number = numbering.next_version_number(self, query=False)
                session = object_session(self)
                if session is not None:
                    numbering.register_pending(session, self)
        return value

    @validates("version_number")
    def _validate_version_number(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error("Version", key, "an int", value)
        if value < 1:
            raise value_error("Version", key, "a positive int (1 or more)", value)
        state = state_of(self)
        if state.phase is Phase.READY:
            state.auto_number = False  # set by hand: the flush will not renumber it
        return value

    @validates("parent")
    def _validate_parent(self, key: str, value: Any) -> Version | None:
        if value is None:
            return None
        if not isinstance(value, Version):
            raise type_error("Version", key, "a Version or None", value)
        # every parent up the chain, stored ones loaded as needed (one SELECT per level
        # not loaded yet): a cycle may close through rows that are not in memory
        session = object_session(value) or object_session(self)
        node: Version | None = value
        seen: set[int] = set()
        with session.no_autoflush if session is not None else nullcontext():
            while node is not None and id(node) not in seen:
                if node is self:
                    raise value_error(
                        "Version", key, "not itself nor one of its children", value
                    )
                seen.add(id(node))
                node = node.parent
        return value

    @validates("inputs", "outputs")
    def _validate_files(self, key: str, value: Any) -> File:
        from stalker_core.models.file import File

        if not isinstance(value, File):
            raise type_error("Version", key, "a list of File (Link) instances", value)
        return value

    @validates("is_published")
    def _validate_is_published(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise type_error("Version", key, "a bool", value)
        return value

    @validates("created_with")
    def _validate_created_with(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        return check_str("Version", key, value)

    # -- numbering hooks ---------------------------------------------------------

    def _renumber(self, number: int) -> None:
        """Called by the flush step when another writer took our number."""
        state = state_of(self)
        with state.enter(Phase.RENUMBERING):
            self.version_number = number
        if state.auto_name:
            self.name = self._auto_name_value()
        if (self.path or self.filename) and not state.explicit_path:
            self.update_paths(engine=state.engine)

    def discard(self) -> None:
        """Undo the construction: unlink from the task and leave the session."""
        state = state_of(self)
        with state.enter(Phase.DISCARDING):
            session = object_session(self)
            task = self.__dict__.get("task")
            if state.linked_quietly and task is not None:
                loaded = task.__dict__.get("versions")
                if loaded is not None:
                    set_committed_value(task, "versions", [v for v in loaded if v is not self])
                set_committed_value(self, "task", None)
                self.task_id = None  # type: ignore[assignment]
            elif task is not None:
                self.task = None  # type: ignore[assignment]
            if session is not None and self in session:
                session.expunge(self)

    def _auto_name_value(self) -> str:
        return f"{self.nice_name}_v{self.version_number:03d}"

    # -- naming --------------------------------------------------------------------

    @property
    def naming_parents(self) -> list[Task]:
        """The tasks that name this version: from the nearest Asset/Shot/Sequence down.

        ``comp`` under shot ``SH001`` gives ``[SH001, comp]``; without such an
        ancestor the whole chain from the root task is used.
        """
        chain = lineage(self.task)
        for i in range(len(chain) - 1, -1, -1):
            if type(chain[i]).__name__ in NAMING_ROOTS:
                return chain[i:]
        return chain

    @property
    def nice_name(self) -> str:
        """``SH001_comp_Main``: the naming parents' nice names and the take."""
        parts = [t.nice_name for t in self.naming_parents]  # already file-name safe
        parts.append(self.take_name)
        return "_".join(p for p in parts if p)

    # -- paths --------------------------------------------------------------------

    @property
    def extension(self) -> str:
        """The file extension (``".blend"``) or ``""``; setting it updates ``filename``."""
        state = state_of(self)
        if state.extension is None:
            stem, dot, suffix = (self.filename or "").rpartition(".")
            state.extension = f".{suffix}" if dot and stem else ""
        return state.extension

    @extension.setter
    def extension(self, value: str | None) -> None:
        old = self.extension
        new = self._check_extension(value)
        if self.filename:
            stem = self.filename[: len(self.filename) - len(old)] if old else self.filename
            self.filename = stem + new
        state_of(self).extension = new

    @property
    def full_path(self) -> str:
        """``path/filename`` (repository independent, forward slashes).

        Rendered by :meth:`update_paths`; setting it gives the path explicitly
        instead (as Stalker allows): ``path`` and ``filename`` are split from
        it, and a renumbering flush keeps it until :meth:`update_paths` runs again.
        """
        return join_path(self.path, self.filename)

    @full_path.setter
    def full_path(self, value: str) -> None:
        text = check_str("Version", "full_path", value, required=False).replace("\\", "/")
        path, _, filename = text.rpartition("/")
        self.path = path
        self.filename = filename
        state = state_of(self)
        state.extension = None  # read from the new filename when asked
        state.explicit_path = True

    @property
    def absolute_path(self) -> str:
        """:attr:`path` with its ``$REPO`` resolved for the running OS."""
        from stalker_core.models.repository import resolve_repo_path

        project = self.task.project
        repos = list(project.repositories) if project is not None else []
        return resolve_repo_path(self.path, repos)

    @property
    def absolute_full_path(self) -> str:
        """:attr:`absolute_path` joined with :attr:`filename`."""
        return join_path(self.absolute_path, self.filename)

    def find_template(self) -> FilenameTemplate:
        """The FilenameTemplate of the task's class in the project's structure.

        :raises TemplateNotFoundError: naming project, structure and entity type.
        """
        from stalker_core.models.structure import find_template_for

        return find_template_for(self.task.project, type(self.task).__name__)

    def generate_path(self, extension: str | None = None) -> PurePosixPath:
        """Stalker 1.1's spelling: :meth:`update_paths`, then the rendered full path.

        :param extension: set :attr:`extension` first (``".ma"``), when given.
        :returns: :attr:`full_path` as a :class:`~pathlib.PurePosixPath`
            (repository independent).
        """
        if extension is not None:
            self.extension = extension
        self.update_paths()
        return PurePosixPath(self.full_path)

    def update_paths(self, engine: Any = None) -> None:
        """Render ``path`` and ``filename`` (plus :attr:`extension`) from the template.

        Rendering is the ``render_version_paths`` model service
        (:func:`stalker_core.templates.paths.render_version_paths` by default).
        Nothing is changed when rendering fails.

        :param engine: the :class:`~stalker_core.templates.TemplateEngine` to render
            with (default: the installed default engine).
        :raises TemplateNotFoundError: no template for the task's entity type.
        :raises TemplateRenderError: a syntax error or an undefined variable.
        :raises PathEscapeError: the result would leave the project's repositories.
        :raises ValidationError: the version is stored, its file exists, and the
            paths would change (the row would point away from its file; move the
            file to the new place first, or save a new version).
        """
        render = service("render_version_paths")
        session = object_session(self)
        if session is not None:
            # no flush in the middle of rendering: the number must not change between
            # the path and the filename (a flush renumbers, then renders again itself)
            with session.no_autoflush:
                path, stem, used = render(self, engine)
        else:
            path, stem, used = render(self, engine)
        filename = stem + self.extension
        if (path, filename) != (self.path, self.filename):
            self._refuse_leaving_its_file(join_path(path, filename))
        self.path = path
        self.filename = filename
        state_of(self).explicit_path = False
        state_of(self).engine = used  # a renumbering flush renders again with the same engine

    def _refuse_leaving_its_file(self, new_full_path: str) -> None:
        """Refuse new paths for a stored version whose file is on disk at the old ones.

        A version whose row is not committed yet may move (the save workflow
        skips a number whose file exists): the file found there is not its own.
        """
        if self.id is None or not self.path or not self.filename:
            return  # not stored yet: nothing written where it points
        session = object_session(self)
        if session is not None and inserted_in_transaction(session, self):
            return
        try:
            current = self.absolute_full_path
        except RepositoryError:
            return  # no repository path on this OS: nothing to check here
        if os.path.lexists(current):
            raise ValidationError(
                f"version {self.version_number} of task {self.task.name!r} has its file at "
                f"{current}; update_paths() would point it at {new_full_path} and leave the "
                "file behind: move the file there first, or save a new version"
            )

    # -- siblings ----------------------------------------------------------------

    @property
    def max_version_number(self) -> int:
        """The highest number of this task and take (stored or pending)."""
        return numbering.max_version_number(self.task, self.take_name, object_session(self))

    def _siblings_query(self) -> Any:
        return (
            select(Version)
            .where(Version.task_id == self.task.id, Version.take_name == self.take_name)
            .order_by(Version.version_number.desc())
            .limit(1)
        )

    @property
    def latest_version(self) -> Version:
        """The version of this task and take with the highest number."""
        session = object_session(self)
        best: Version = self
        if session is not None and self.task.id is not None:
            with session.no_autoflush:
                stored = session.scalars(self._siblings_query()).first()
            if stored is not None and stored.version_number > best.version_number:
                best = stored
        for v in numbering.pending_versions(self.task, self.take_name, session):
            if v.version_number > best.version_number:
                best = v
        return best

    @property
    def latest_published_version(self) -> Version | None:
        """The published version of this task and take with the highest number."""
        session = object_session(self)
        best: Version | None = self if self.is_published else None
        if session is not None and self.task.id is not None:
            with session.no_autoflush:
                stored = session.scalars(
                    self._siblings_query().where(Version.is_published.is_(True))
                ).first()
            if stored is not None and (best is None or stored.version_number > best.version_number):
                best = stored
        for v in numbering.pending_versions(self.task, self.take_name, session):
            if v.is_published and (best is None or v.version_number > best.version_number):
                best = v
        return best

    def is_latest_published_version(self) -> bool:
        """``True`` when this is the latest published version of its task and take."""
        return self.is_published and self.latest_published_version is self

    def __repr__(self) -> str:
        project = self.task.project if self.task is not None else None
        code = f"{project.code}_" if project is not None and project.code else ""
        kind = self.entity_type or "Version"
        return f"<{code}{self.nice_name}_v{self.version_number:03d} ({kind})>"

