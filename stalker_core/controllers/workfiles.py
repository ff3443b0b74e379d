"""The Work Files panel without Qt: browse a task's versions, save as version, open.

:class:`WorkFilesController` (a :class:`~stalker_core.controllers.browse.BrowseController`,
so it lists projects and the task tree too) answers with plain data classes:

* reading: the takes of a task (:class:`TakeItem`), how many versions a
  take has (one SQL ``count``) and its versions one page at a time
  (:class:`VersionRow`, newest first, keyset paging on the version number,
  so the last page costs what the first does);
* saving: :meth:`~WorkFilesController.save_plan` forecasts the next number
  and the file name the template renders, or says in words why saving is
  impossible (:class:`SavePlan`); :meth:`~WorkFilesController.save` saves
  through :func:`~stalker_core.workflows.save.save_as_version` with the
  panel's host, unless someone saved a newer version since the plan was
  made: then nothing is saved and the outcome offers the next free number
  (:class:`SaveOutcome`);
* opening: :meth:`~WorkFilesController.unsaved_prompt` tells whether the
  open scene has unsaved changes and which answers make sense
  (:class:`UnsavedPrompt`, :class:`OpenChoice`); :meth:`~WorkFilesController.open`
  and :meth:`~WorkFilesController.open_as_new_version` take the artist's
  answer (:class:`OpenOutcome`).

Database calls go through :meth:`~stalker_core.controllers.base.PanelController.db_call`
(timed; a lost connection becomes
:class:`~stalker_core.exceptions.DatabaseUnavailableError`, shown by the view
as a banner with Retry). Reads end their transaction, so a panel left open
sees what others saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from stalker_core.context import Context, ContextError
from stalker_core.controllers import workfiles_data
from stalker_core.controllers.browse import BrowseController
from stalker_core.controllers.workfiles_data import (
    CheckRow,
    OpenChoice,
    OpenOutcome,
    SaveOutcome,
    SavePlan,
    SaveRequest,
    Selection,
    TakeItem,
    UnsavedPrompt,
    VersionNotFoundError,
    VersionRow,
)
from stalker_core.exceptions import HostNotAvailableError, StalkerError
from stalker_core.hosts import VERSION_ID_KEY

if TYPE_CHECKING:
    import pluggy

    from stalker_core.hosts import Host
    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version
    from stalker_core.workflows.open import OpenResult

__all__ = ["DEFAULT_TAKE", "PAGE_SIZE", "WorkFilesController"]
__all__ += workfiles_data.__all__  # the data classes it takes and returns

#: versions per page of the versions table
PAGE_SIZE = 200
#: the take of a task without versions
DEFAULT_TAKE = "Main"


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class WorkFilesController(BrowseController):
    """The Work Files panel's logic (see the module docstring).

    :param host: the host that saves and opens (``None``: browse only).
    :param session: the database session (default ``DBSession``).
    :param plugin_manager: the plugin manager (default: the installed plugins).
    :param user: the artist (a User or a login); default: the OS login's user.
    :param page_size: rows per page of :meth:`versions_page`.
    """

    def __init__(
        self,
        host: Host | None = None,
        *,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
        user: User | str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(host, session=session, plugin_manager=plugin_manager, user=user)
        if page_size < 1:
            raise ValueError(f"page_size should be 1 or more, not {page_size!r}")
        self.page_size = page_size

    # -- where the open scene belongs -----------------------------------------------------

    def current_selection(self) -> Selection | None:
        """The project, task, take and version of the scene open in the host, if known."""
        if self.host is None:
            return None
        return self.read(  # type: ignore[no-any-return]
            "workfiles.current_selection", self._current_selection, self.host
        )

    def _current_selection(self, host: Host) -> Selection | None:
        version = self._scene_version(host)
        if version is None:
            return None
        task = version.task
        return Selection(task.project_id, task.id, version.take_name, version.id)

    def _scene_version(self, host: Host) -> Version | None:
        from stalker_core.models.version.model import Version

        raw = (host.get_scene_metadata() or {}).get(VERSION_ID_KEY, "")
        if raw.isdigit():
            found = self.session.get(Version, int(raw))
            if found is not None:
                return found  # type: ignore[no-any-return]
        current = host.current_file()
        if current is None:
            return None
        context = Context.from_path(current, session=self.session)
        return None if context is None else context.version

    # -- takes and versions --------------------------------------------------------------

    def takes(self, task_id: int) -> list[TakeItem]:
        """The takes of ``task_id`` with their version counts (``Main`` always first).

        :raises TaskNotFoundError: the task was deleted.
        """
        return self.read("workfiles.takes", self._takes, task_id)  # type: ignore[no-any-return]

    def _takes(self, task_id: int) -> list[TakeItem]:
        from stalker_core.models.version.model import Version

        self.get_task(task_id)
        v = Version.__table__
        # count only: a max() besides doubles the cost of a long take on SQLite
        rows = self.session.execute(
            select(v.c.take_name, func.count()).where(v.c.task_id == task_id)
            .group_by(v.c.take_name)
        ).all()
        found = {name: TakeItem(name, int(n)) for name, n in rows}
        main = found.pop(DEFAULT_TAKE, TakeItem(DEFAULT_TAKE, 0))
        return [main, *sorted(found.values(), key=lambda t: t.name.lower())]

    def version_count(self, task_id: int, take: str) -> int:
        """How many versions ``take`` of ``task_id`` has (one SQL count)."""
        return self.read(  # type: ignore[no-any-return]
            "workfiles.version_count", self._version_count, task_id, take
        )

    def _version_count(self, task_id: int, take: str) -> int:
        from stalker_core.models.version.model import Version

        v = Version.__table__
        return int(self.session.execute(
            select(func.count()).select_from(v).where(v.c.task_id == task_id,
                                                      v.c.take_name == take)
        ).scalar_one())

    def versions_page(
        self, task_id: int, take: str, *, before: int | None = None, limit: int | None = None
    ) -> list[VersionRow]:
        """One page of the versions of ``take``, newest first.

        :param before: only numbers below this one (the last number of the
            previous page); ``None``: the first page.
        :param limit: rows (default :attr:`page_size`).
        """
        return self.read(  # type: ignore[no-any-return]
            "workfiles.versions_page", self._versions_page, task_id, take, before,
            limit or self.page_size,
        )

    def _versions_page(
        self, task_id: int, take: str, before: int | None, limit: int
    ) -> list[VersionRow]:
        stmt = _rows_query().where(_versions().c.task_id == task_id,
                                   _versions().c.take_name == take)
        if before is not None:
            stmt = stmt.where(_versions().c.version_number < before)
        stmt = stmt.order_by(_versions().c.version_number.desc()).limit(limit)
        return [_row(r) for r in self.session.execute(stmt).all()]

    def version(self, version_id: int) -> VersionRow:
        """One version's row.

        :raises VersionNotFoundError: it was deleted.
        """
        return self.read("workfiles.version", self._version_row, version_id)  # type: ignore[no-any-return]

    def _version_row(self, version_id: int) -> VersionRow:
        found = self.session.execute(
            _rows_query().where(_versions().c.id == version_id)
        ).first()
        if found is None:
            raise VersionNotFoundError(
                f"version {version_id} no longer exists; someone deleted it while the panel "
                "was open"
            )
        return _row(found)

    # -- save as version -------------------------------------------------------------------

    def save_plan(
        self, task_id: int, take: str = DEFAULT_TAKE, extension: str | None = None
    ) -> SavePlan:
        """What Save As Version would make for ``task_id`` and ``take`` now (nothing written).

        :raises TaskNotFoundError: the task was deleted.
        """
        return self.read(  # type: ignore[no-any-return]
            "workfiles.save_plan", self._save_plan, task_id, take, extension
        )

    def _save_plan(self, task_id: int, take: str, extension: str | None) -> SavePlan:
        from stalker_core.workflows.save import preview_save, task_label

        task = self.get_task(task_id)
        host = self.host
        extensions = tuple(host.workfile_extensions) if host is not None else ()
        preview = preview_save(
            task, take, host=host, extension=extension, user=self._user_spec,
            session=self.session, pm=self.plugin_manager,
        )
        problems = list(preview.problems)
        if host is None:
            problems.insert(0, "there is no application to save from; open Work Files from "
                               "an application (a host)")
        ext = extension if extension is not None else (extensions[0] if extensions else "")
        folder = str(Path(preview.absolute_full_path).parent) if preview.filename else ""
        return SavePlan(
            task_id, task_label(task), take, preview.number, preview.latest,
            preview.filename, folder, ext, extensions, tuple(problems),
        )

    def save(self, request: SaveRequest) -> SaveOutcome:
        """Save the host's scene as a new version, unless the plan no longer holds.

        The plan is made again first. When saving has become impossible,
        nothing is saved and the outcome's plan says why. When someone saved
        a newer version since the dialog showed ``request.expected_number``,
        nothing is saved either: the outcome's plan holds the next free
        number and a ``conflict`` message; saving with that number goes on.

        :raises TaskNotFoundError: the task was deleted.
        :raises DatabaseUnavailableError: the database cannot be reached
            (nothing was saved).
        """
        plan = self.save_plan(request.task_id, request.take, request.extension)
        if not plan.can_save:
            return SaveOutcome(None, plan, "cannot save: " + " ".join(plan.problems))
        if plan.number != request.expected_number:
            message = self._conflict_message(plan, request.expected_number)
            plan = replace(plan, conflict=message)
            return SaveOutcome(None, plan, message)
        version = self._save(request.task_id, request.take, request.description,
                             request.extension)
        row = self.version(version.id)
        note = "" if row.number == plan.number else (
            f" (v{plan.number:03d} was taken at the last moment)"
        )
        return SaveOutcome(row, plan, f"saved {row.label} as {row.filename}{note}")

    def _save(self, task_id: int, take: str, description: str, extension: str | None) -> Any:
        from stalker_core.workflows.save import save_as_version

        host = self._require_host()
        task = self.get_task(task_id)
        return self.db_call(
            "workfiles.save", save_as_version, host, task, take, description,
            self._user_spec, session=self.session, pm=self.plugin_manager, extension=extension,
        )

    def _conflict_message(self, plan: SavePlan, expected: int) -> str:
        newest = self.versions_page(plan.task_id, plan.take, limit=1)
        who = ""
        if newest:
            row = newest[0]
            by = f" by {row.author}" if row.author else ""
            at = f" at {row.date.astimezone():%H:%M}" if row.date is not None else ""
            who = f" ({row.label} was saved{by}{at})"
        return (
            f"Someone saved a newer version of {plan.task_label} take {plan.take} while this "
            f"dialog was open{who}: v{expected:03d} is taken. The next free number is "
            f"{plan.version_label}; press Save again to save as {plan.version_label}."
        )

    # -- open -------------------------------------------------------------------------------

    def _require_host(self) -> Host:
        if self.host is None:
            raise HostNotAvailableError(
                "there is no application to open or save in; open Work Files from an "
                "application (a host)"
            )
        return self.host

    def unsaved_prompt(self) -> UnsavedPrompt | None:
        """The question to ask before opening, or ``None`` when the scene has no changes.

        A host that cannot tell (``has_unsaved_changes()`` is ``None``) is
        asked about, as the open workflow does. "Save first" is offered when
        the scene belongs to a task it may be saved to.
        """
        host = self._require_host()
        dirty = host.has_unsaved_changes()
        if dirty is False:
            return None
        current = host.current_file()
        what = f"'{current.name}'" if current is not None else "The current scene (never saved)"
        changes = "has unsaved changes" if dirty else "may have unsaved changes"
        selection = self.current_selection()
        plan = None
        if selection is not None:
            try:
                plan = self.save_plan(selection.task_id, selection.take,
                                      current.suffix if current is not None else None)
            except StalkerError:
                plan = None
        if plan is not None and plan.can_save:
            question = (
                f"{what} {changes}. Save it first as {plan.version_label} of "
                f"{plan.task_label} ({plan.take}), discard the changes, or cancel?"
            )
            return UnsavedPrompt(question, str(current) if current else None,
                                 tuple(OpenChoice), f"{plan.task_label} ({plan.take})")
        why = (
            "it belongs to no task" if plan is None
            else "it cannot be saved as a version: " + " ".join(plan.problems)
        )
        question = (
            f"{what} {changes}, and {why}. Discard the changes, or cancel (and keep them with "
            f"Save As Version)?"
        )
        return UnsavedPrompt(question, str(current) if current else None,
                             (OpenChoice.DISCARD, OpenChoice.CANCEL))

    def open(self, version_id: int, choice: OpenChoice | None = None) -> OpenOutcome:
        """Open a version's file in the host.

        Without ``choice``, a scene with unsaved changes is left alone and
        the outcome (``"needs_choice"``) carries the question; call again
        with the artist's answer.
        """
        return self._open(version_id, choice, as_new=False, description=None)

    def open_as_new_version(
        self, version_id: int, choice: OpenChoice | None = None, description: str | None = None
    ) -> OpenOutcome:
        """Open a (published or older) version and save it at once as the next version.

        Refused (``"refused"``) when its task may not get new versions (see
        :meth:`save_plan`); the unsaved-changes question works as in :meth:`open`.
        """
        return self._open(version_id, choice, as_new=True, description=description)

    def _open(
        self, version_id: int, choice: OpenChoice | None, *, as_new: bool,
        description: str | None,
    ) -> OpenOutcome:
        from stalker_core.workflows.open import open_as_new_version, open_version

        host = self._require_host()
        row = self.version(version_id)
        if as_new:
            task_id = self.read("workfiles.task_of", self._task_of, version_id)
            plan = self.save_plan(task_id, row.take)
            if not plan.can_save:
                return OpenOutcome("refused", f"cannot save {row.label} forward as a new version: "
                                   + " ".join(plan.problems), row)
        prompt = self.unsaved_prompt()
        if prompt is not None and choice is None:
            return OpenOutcome("needs_choice", prompt.question, row, prompt=prompt)
        if prompt is not None and choice not in prompt.choices:
            raise ValueError(f"choice should be one of {[c.value for c in prompt.choices]}, "
                             f"not {choice!r}")
        if choice is OpenChoice.CANCEL:
            return OpenOutcome("cancelled", "nothing was opened", row)
        saved_first = None
        if prompt is not None and choice is OpenChoice.SAVE_FIRST:
            saved_first = self._save_current(f"saved before opening {row.label}")
        version = self._get_version(version_id)
        common: dict[str, Any] = {
            "force": prompt is not None, "user": self._user_spec, "session": self.session,
            "pm": self.plugin_manager,
        }
        result: OpenResult
        if as_new:
            result = self.db_call("workfiles.open_as_new", open_as_new_version, host, version,
                                  description, **common)
        else:
            result = self.db_call("workfiles.open", open_version, host, version, **common)
        opened = self.version(result.version.id)
        checks = tuple(CheckRow(c.title, c.message, c.severity, c.plugin) for c in result.checks)
        verb = f"opened {row.label} as the new {opened.label}" if as_new else f"opened {row.label}"
        return OpenOutcome("opened", f"{verb} ({opened.filename})", opened, saved_first,
                           checks=checks)

    def _task_of(self, version_id: int) -> int:
        return self._get_version(version_id).task_id  # type: ignore[no-any-return]

    def _get_version(self, version_id: int) -> Version:
        from stalker_core.models.version.model import Version

        found = self.db_call("workfiles.get_version", self.session.get, Version, version_id)
        if found is None:
            raise VersionNotFoundError(
                f"version {version_id} no longer exists; someone deleted it while the panel "
                "was open"
            )
        return found  # type: ignore[no-any-return]

    def _save_current(self, description: str) -> VersionRow:
        """Save the open scene as the next version of its own task and take."""
        selection = self.current_selection()
        if selection is None:
            raise ContextError("the open scene belongs to no task; use Save As Version")
        current = self._require_host().current_file()
        version = self._save(selection.task_id, selection.take, description,
                             current.suffix if current is not None and current.suffix else None)
        return self.version(version.id)


def _versions() -> Any:
    from stalker_core.models.version.model import Version

    return Version.__table__


def _rows_query() -> Any:
    """The columns of a :class:`VersionRow` (Core: no ORM objects built for a table page)."""
    from stalker_core.models.base import SimpleEntity

    v = _versions()
    entity = SimpleEntity.__table__
    author = entity.alias("author")
    return select(
        v.c.id, v.c.version_number, v.c.take_name, author.c.name, entity.c.date_created,
        entity.c.description, v.c.is_published, v.c.created_with, v.c.filename,
    ).select_from(
        v.join(entity, entity.c.id == v.c.id).outerjoin(
            author, author.c.id == entity.c.created_by_id
        )
    )


def _row(r: Any) -> VersionRow:
    vid, number, take, author, date, description, published, app, filename = r
    return VersionRow(int(vid), int(number), take, author or "", _aware(date),
                      description or "", bool(published), app or "", filename or "")
