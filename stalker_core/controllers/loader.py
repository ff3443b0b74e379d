"""The Loader: browse published versions and load them into the scene, without Qt.

The artist goes down four levels: a project, an entity (asset, sequence or
shot, grouped by entity type), a task under it, and a published version of
that task with its files. Every level is one SQL query that does the
filtering (the :class:`LoaderFilter`: the Type of the entity or of the task,
file extensions, a name search) and only keeps what leads to a published
version; the long lists (entities, versions) come by :class:`Page`.

A task belongs to the nearest Asset, Shot or Sequence above it (itself, when
it is one); a top-level task under none of them is its own entity, of kind
``"Task"``. One recursive query (:func:`_owners`) maps the tasks of a
project to their entity, whatever the nesting.

Loading runs a Loader action (:class:`~stalker_core.plugins.api.UIAction`
offered through the ``stalker_ui_actions`` hook, see
:func:`~stalker_core.controllers.registry.ui_actions`) on the host's main
thread (:func:`~stalker_core.hosts.host_run_in_main_thread`). The core's
``core.reference`` action loads a reference through the host's
``references`` capability and records the version id, so "update
references" follows it. :meth:`LoaderController.load` never raises for a
failed load: it returns a :class:`LoadResult` saying what went wrong (a
missing file, an action that raised, naming the action and its plugin), and
removes a reference a failed action left half-loaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Integer, Text, case, distinct, exists, func, literal, or_, select
from sqlalchemy import cast as sql_cast

from stalker_core.controllers import loader_rows
from stalker_core.controllers.base import PanelController
from stalker_core.controllers.loader_rows import (
    PAGE_SIZE,
    PUBLISHED,
    WORKFILE,
    EntityGroup,
    EntityRow,
    FileRow,
    LoaderFilter,
    LoadResult,
    Page,
    ProjectRow,
    TaskRow,
    TypeChoices,
    TypeRow,
    VersionRow,
)
from stalker_core.controllers.loader_rows import (
    normalise_extension as normalise_extension,
)
from stalker_core.controllers.registry import ui_actions
from stalker_core.exceptions import RepositoryError, ValidationError
from stalker_core.hosts import (
    VERSION_ID_KEY,
    Container,
    ReferenceHost,
    host_run_in_main_thread,
    host_supports,
)
from stalker_core.plugins.api import UIAction

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement
    from sqlalchemy.sql.selectable import CTE, Select

    from stalker_core.models.version.model import Version

__all__ = ["ENTITY_KINDS", "GROUP_LABELS", "LoaderController"]
__all__ += loader_rows.__all__

T = TypeVar("T")

#: task classes that own the tasks below them (the entities of the Loader)
ENTITY_KINDS: tuple[str, ...] = ("Asset", "Sequence", "Shot")
#: the group label of each entity kind (other kinds get an "s")
GROUP_LABELS = {"Asset": "Assets", "Sequence": "Sequences", "Shot": "Shots", "Task": "Other tasks"}


# -- the queries ------------------------------------------------------------------------------


def _owners(*, project_id: int | None = None, entity_id: int | None = None) -> CTE:
    """Recursive query: every task of a project (or of one entity) with its entity.

    Columns: ``task_id``, ``entity_id``, ``entity_kind``, ``entity_name``,
    ``entity_type_id``, ``path`` (task names below the entity, ``""`` for the
    entity itself) and ``task_type_id``.
    """
    from stalker_core.models.base import SimpleEntity
    from stalker_core.models.task.model import Task

    tasks, se = Task.__table__, SimpleEntity.__table__
    joined = se.join(tasks, tasks.c.id == se.c.id)
    anchor = select(
        tasks.c.id.label("task_id"),
        tasks.c.id.label("entity_id"),
        se.c.entity_type.label("entity_kind"),
        se.c.name.label("entity_name"),
        se.c.type_id.label("entity_type_id"),
        sql_cast(literal(""), Text).label("path"),
        sql_cast(literal(None), Integer).label("task_type_id"),
    ).select_from(joined)
    if entity_id is not None:
        anchor = anchor.where(tasks.c.id == entity_id)
    else:
        anchor = anchor.where(
            tasks.c.project_id == project_id,
            or_(se.c.entity_type.in_(ENTITY_KINDS), tasks.c.parent_id.is_(None)),
        )
    owners = anchor.cte("loader_owners", recursive=True)
    name = sql_cast(se.c.name, Text)
    step = (
        select(
            tasks.c.id,
            owners.c.entity_id,
            owners.c.entity_kind,
            owners.c.entity_name,
            owners.c.entity_type_id,
            sql_cast(
                case((owners.c.path == "", name), else_=owners.c.path + "/" + name), Text
            ),
            se.c.type_id,
        )
        .select_from(joined.join(owners, tasks.c.parent_id == owners.c.task_id))
        .where(se.c.entity_type.not_in(ENTITY_KINDS))
    )
    return owners.union_all(step)


def _ends_with_any(column: Any, extensions: Iterable[str]) -> ColumnElement[bool]:
    lowered = func.lower(column, type_=Text)
    return or_(*(lowered.endswith(e, autoescape=True) for e in sorted(extensions)))


def _conditions(owners: CTE, flt: LoaderFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a published version (``versions`` table) under ``owners``."""
    from stalker_core.models.file import File
    from stalker_core.models.version.model import Version, version_outputs

    versions = Version.__table__
    conds: list[ColumnElement[bool]] = [versions.c.is_published.is_(True)]
    if flt.entity_type_ids:
        conds.append(owners.c.entity_type_id.in_(sorted(flt.entity_type_ids)))
    if flt.task_type_ids:
        conds.append(owners.c.task_type_id.in_(sorted(flt.task_type_ids)))
    if flt.search:
        conds.append(owners.c.entity_name.icontains(flt.search, autoescape=True))
    if flt.extensions:
        files = File.__table__
        output = exists().where(
            version_outputs.c.version_id == versions.c.id,
            version_outputs.c.file_id == files.c.id,
            _ends_with_any(files.c.full_path, flt.extensions),
        )
        conds.append(or_(_ends_with_any(versions.c.filename, flt.extensions), output))
    return conds


def _matching(owners: CTE, flt: LoaderFilter, *columns: Any) -> Select[Any]:
    """``SELECT columns`` over the tasks of ``owners`` joined to their matching published
    versions."""
    from stalker_core.models.version.model import Version

    versions = Version.__table__
    joined = owners.join(versions, versions.c.task_id == owners.c.task_id)
    return select(*columns).select_from(joined).where(*_conditions(owners, flt))


def _page(rows: Sequence[T], offset: int, limit: int) -> Page[T]:
    return Page(tuple(rows[:limit]), offset, len(rows) > limit)


def _check_paging(offset: int, limit: int) -> None:
    if offset < 0 or limit < 1:
        raise ValidationError(f"paging needs offset >= 0 and limit >= 1, not {offset}, {limit}")


# -- the controller ---------------------------------------------------------------------------


class LoaderController(PanelController):
    """The Loader panel: what can be browsed, and loading a version into the host.

    Every database read goes through :meth:`db_call`, so a lost connection
    raises :class:`~stalker_core.exceptions.DatabaseUnavailableError` (the
    panel shows it with Retry).
    """

    # -- browsing -------------------------------------------------------------------------

    def projects(self) -> list[ProjectRow]:
        """Every project, by name."""
        from stalker_core.models.project import Project

        def query() -> list[ProjectRow]:
            stmt = select(Project.id, Project.name, Project.code).order_by(Project.name)
            return [ProjectRow(*row) for row in self.session.execute(stmt)]

        return self.db_call("loader.projects", query)

    def initial_project_id(self) -> int | None:
        """The project of the version open in the host, or ``None``."""
        if self.host is None:
            return None
        raw = str(self.host.get_scene_metadata().get(VERSION_ID_KEY) or "")
        return self._project_of(int(raw)) if raw.isdigit() else None

    def _project_of(self, version_id: int) -> int | None:
        """The project id of the version ``version_id`` (``None``: no such version)."""
        from stalker_core.models.task.model import Task
        from stalker_core.models.version.model import Version

        tasks, versions = Task.__table__, Version.__table__
        stmt = (
            select(tasks.c.project_id)
            .join(versions, versions.c.task_id == tasks.c.id)
            .where(versions.c.id == version_id)
        )
        return cast("int | None", self.db_call("loader.project_of", self.session.scalar, stmt))

    def type_choices(self, project_id: int) -> TypeChoices:
        """The Types of the project's entities and of its tasks (for the filter)."""
        owners = _owners(project_id=project_id)
        stmt = select(owners.c.entity_type_id, owners.c.task_type_id).distinct()

        def query() -> TypeChoices:
            pairs = self.session.execute(stmt).all()
            entity_ids = {e for e, _t in pairs if e is not None}
            task_ids = {t for _e, t in pairs if t is not None}
            names = self._type_names(entity_ids | task_ids)

            def rows(ids: set[int]) -> tuple[TypeRow, ...]:
                return tuple(sorted((TypeRow(i, names[i]) for i in ids if i in names),
                                    key=lambda r: (r.name, r.id)))

            return TypeChoices(rows(entity_ids), rows(task_ids))

        return self.db_call("loader.type_choices", query)

    def entity_groups(self, project_id: int, flt: LoaderFilter | None = None) -> list[EntityGroup]:
        """The entity kinds with matching published versions, with their entity counts."""
        flt = flt or LoaderFilter()
        owners = _owners(project_id=project_id)
        stmt = _matching(
            owners, flt, owners.c.entity_kind, func.count(distinct(owners.c.entity_id))
        ).group_by(owners.c.entity_kind)

        def query() -> list[EntityGroup]:
            counts = dict(self.session.execute(stmt).all())
            order = [k for k in ENTITY_KINDS if k in counts] + sorted(
                k for k in counts if k not in ENTITY_KINDS
            )
            return [
                EntityGroup(k, GROUP_LABELS.get(k, f"{k}s"), int(counts[k])) for k in order
            ]

        return self.db_call("loader.entity_groups", query)

    def entities(
        self,
        project_id: int,
        kind: str,
        flt: LoaderFilter | None = None,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> Page[EntityRow]:
        """A page of the entities of ``kind`` with matching published versions, by name."""
        from stalker_core.models.version.model import Version

        _check_paging(offset, limit)
        flt = flt or LoaderFilter()
        owners = _owners(project_id=project_id)
        columns = (owners.c.entity_id, owners.c.entity_name, owners.c.entity_kind,
                   owners.c.entity_type_id)
        stmt = (
            _matching(owners, flt, *columns, func.count(Version.__table__.c.id))
            .where(owners.c.entity_kind == kind)
            .group_by(*columns)
            .order_by(owners.c.entity_name, owners.c.entity_id)
            .offset(offset)
            .limit(limit + 1)
        )

        def query() -> Page[EntityRow]:
            rows = self.session.execute(stmt).all()
            names = self._type_names({r[3] for r in rows[:limit] if r[3] is not None})
            items = [
                EntityRow(r[0], r[1], r[2], names.get(r[3], ""), int(r[4])) for r in rows
            ]
            return _page(items, offset, limit)

        return self.db_call("loader.entities", query)

    def tasks(self, entity_id: int, flt: LoaderFilter | None = None) -> list[TaskRow]:
        """The tasks of an entity (itself included) with matching published versions."""
        from stalker_core.models.version.model import Version

        flt = flt or LoaderFilter()
        owners = _owners(entity_id=entity_id)
        versions = Version.__table__
        stmt = (
            _matching(owners, flt, owners.c.task_id, owners.c.path, owners.c.task_type_id,
                      func.count(versions.c.id), func.max(versions.c.version_number))
            .group_by(owners.c.task_id, owners.c.path, owners.c.task_type_id)
            .order_by(owners.c.path, owners.c.task_id)
        )

        def query() -> list[TaskRow]:
            rows = self.session.execute(stmt).all()
            names = self._type_names({r[2] for r in rows if r[2] is not None})
            return [
                TaskRow(r[0], r[1], names.get(r[2], ""), int(r[3]), int(r[4])) for r in rows
            ]

        return self.db_call("loader.tasks", query)

    def versions(
        self,
        project_id: int,
        flt: LoaderFilter | None = None,
        *,
        entity_id: int | None = None,
        task_id: int | None = None,
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> Page[VersionRow]:
        """A page of matching published versions, newest first.

        :param entity_id: only the versions of this entity (faster than the
            whole project: only its tasks are walked).
        :param task_id: only this task's versions (give its ``entity_id`` too
            when known); neither: the whole project.
        """
        _check_paging(offset, limit)
        return self.db_call(
            "loader.versions", self._version_page, project_id, flt or LoaderFilter(),
            entity_id=entity_id, task_id=task_id, offset=offset, limit=limit,
        )

    def version(self, version_id: int, flt: LoaderFilter | None = None) -> VersionRow | None:
        """The published version ``version_id`` with its files, or ``None`` when it is gone."""
        project_id = self._project_of(version_id)
        if project_id is None:
            return None
        page = self.db_call(
            "loader.version", self._version_page, project_id, flt or LoaderFilter(),
            version_id=version_id, offset=0, limit=1,
        )
        return page.items[0] if page.items else None

    def _version_page(
        self,
        project_id: int,
        flt: LoaderFilter,
        *,
        entity_id: int | None = None,
        task_id: int | None = None,
        version_id: int | None = None,
        offset: int,
        limit: int,
    ) -> Page[VersionRow]:
        from sqlalchemy.orm import selectinload

        from stalker_core.models.project import Project
        from stalker_core.models.version.model import Version

        project = self.session.get(Project, project_id)
        if project is None:
            return Page(())
        list(project.repositories)  # loaded once: every version's path resolves with them
        if entity_id is not None:
            owners = _owners(entity_id=entity_id)
        else:
            owners = _owners(project_id=project_id)
        stmt = (
            select(Version, owners.c.entity_name, owners.c.path)
            .join(owners, Version.task_id == owners.c.task_id)
            .where(*_conditions(owners, flt))
            .options(
                selectinload(Version.outputs),
                selectinload(Version.created_by),
                selectinload(Version.task),
            )
            .order_by(Version.date_created.desc(), Version.id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
        if task_id is not None:
            stmt = stmt.where(owners.c.task_id == task_id)
        if version_id is not None:
            stmt = stmt.where(Version.id == version_id)
        rows = self.session.execute(stmt).all()
        items = [self._version_row(v, entity, path, flt) for v, entity, path in rows]
        return _page(items, offset, limit)

    def _type_names(self, ids: set[int]) -> dict[int, str]:
        from stalker_core.models.type import Type

        if not ids:
            return {}
        stmt = select(Type.id, Type.name).where(Type.id.in_(sorted(ids)))
        return dict(self.session.execute(stmt).all())

    def _version_row(self, v: Version, entity: str, path: str, flt: LoaderFilter) -> VersionRow:
        author = v.created_by.name if v.created_by is not None else ""
        return VersionRow(
            id=v.id, task_id=v.task_id, entity=entity, task_path=path, take=v.take_name,
            number=v.version_number, author=author, created=v.date_created,
            description=v.description or "", created_with=v.created_with or "",
            files=tuple(f for f in _files_of(v) if flt.accepts_file(f.path)),
        )

    # -- actions and loading --------------------------------------------------------------

    def actions(self) -> list[UIAction]:
        """The Loader actions the plugins offer for the host (none without a host)."""
        if self.host is None:
            return []
        return ui_actions(self.host, "loader", self.plugin_manager)

    def actions_for(self, path: Path | str) -> list[UIAction]:
        """The actions that take a file like ``path`` (by extension)."""
        return [a for a in self.actions() if a.accepts(path)]

    def why_nothing_loads(self) -> str | None:
        """Why no file can be loaded in this host, or ``None`` when some action can."""
        if self.host is None:
            return "There is no host application: the Loader can only browse."
        if self.actions():
            return None
        name = getattr(self.host, "name", "?")
        if host_supports(self.host, "references"):
            reason = "no plugin offers a Loader action for it (is the core plugin blocked?)"
        else:
            reason = (
                "it has no 'references' capability and no plugin offers a Loader action "
                "for it (plugins add them with the stalker_ui_actions hook)"
            )
        return f"Nothing can be loaded in {name!r}: {reason}."

    def load(
        self, version_id: int, action: str | None = None, path: Path | str | None = None
    ) -> LoadResult:
        """Load a file of the published version ``version_id`` with the action ``action``.

        :param action: the action's name; ``None``: the first that accepts the file.
        :param path: the file; ``None``: the first existing file the action
            accepts, published outputs before the work file.
        :returns: a :class:`LoadResult`; a failure (a missing file, an
            action that raised) is a result with ``ok=False``, and a reference
            the failed action had already added is removed again.
        :raises DatabaseUnavailableError: the database cannot be reached.
        """
        from stalker_core.models.version.model import Version

        row = self.version(version_id)
        if row is None:
            return LoadResult(False, f"Version {version_id} is no longer published or was "
                                     f"deleted; refresh the Loader.", version_id=version_id)
        why = self.why_nothing_loads()
        if why is not None:
            return LoadResult(False, why, version_id=version_id)
        chosen, problem = self._choose(row, action, path)
        if problem is not None or chosen is None:
            return LoadResult(False, problem or "", version_id=version_id,
                              action=chosen.name if chosen else "")
        act = chosen
        if path is None:
            file = cast(FileRow, row.file_for(act))
        else:
            found = row.file_at(path)
            if found is None:
                return LoadResult(
                    False, f"{Path(path).name} is not a file of {row.context} {row.label}; "
                           f"pick one of its files.",
                    action=act.name, plugin=act.plugin, version_id=row.id)
            file = found
        if not file.exists:
            why = file.problem or "it was moved or deleted; ask for it to be published again"
            return LoadResult(
                False, f"The {file.label} of {row.context} {row.label} is missing: "
                       f"{file.path} ({why}).",
                action=act.name, plugin=act.plugin, path=file.path, version_id=row.id)
        version = self.db_call("loader.get_version", self.session.get, Version, row.id)
        before = self._reference_names()
        try:
            made = host_run_in_main_thread(
                self.host, act.run, host=self.host, version=version, path=file.path
            )
        except Exception as exc:  # noqa: BLE001 - any plugin error is reported, not raised
            removed = self._remove_new_references(before)
            note = f"; removed what it had loaded: {', '.join(removed)}" if removed else ""
            return LoadResult(
                False,
                f"{act.label!r} ({act.name} from plugin {act.plugin!r}) failed on "
                f"{file.path.name}: {type(exc).__name__}: {exc}{note}",
                action=act.name, plugin=act.plugin, path=file.path, version_id=row.id)
        container = made if isinstance(made, Container) else None
        warnings: list[str] = []
        if container is not None and container.version_id != row.id:
            warnings.append(
                f"{act.label!r} did not record the version in {container.name!r}; "
                f"Update References cannot follow it."
            )
        into = f" as {container.name!r}" if container is not None else ""
        return LoadResult(
            True, f"Loaded {row.context} {row.label} ({file.path.name}){into} with "
                  f"{act.label!r}.",
            action=act.name, plugin=act.plugin, path=file.path, version_id=row.id,
            container=container, warnings=tuple(warnings))

    def _choose(
        self, row: VersionRow, action: str | None, path: Path | str | None
    ) -> tuple[UIAction | None, str | None]:
        """The action to run and, when there is none, why."""
        actions = self.actions()
        if action is not None:
            found = [a for a in actions if a.name == action]
            if not found:
                known = ", ".join(a.name for a in actions)
                return None, f"There is no Loader action {action!r}; the actions are: {known}."
            actions = found
        if path is not None:
            usable = [a for a in actions if a.accepts(path)]
            if not usable:
                takes = ", ".join(sorted({e for a in actions for e in a.extensions}))
                return actions[0], (f"{actions[0].label!r} cannot load {Path(path).name} "
                                    f"(it takes {takes}).")
            return usable[0], None
        for act in actions:
            if row.file_for(act) is not None:
                return act, None
        takes = ", ".join(sorted({e for a in actions for e in a.extensions})) or "any file"
        return actions[0], (f"{row.context} {row.label} has no file the Loader actions take "
                            f"({takes}).")

    def _reference_names(self) -> set[str] | None:
        if not host_supports(self.host, "references"):
            return None
        refs = cast(ReferenceHost, self.host)
        return {c.name for c in host_run_in_main_thread(self.host, refs.list_references)}

    def _remove_new_references(self, before: set[str] | None) -> list[str]:
        """Remove the references a failed action added (best effort); their names."""
        if before is None:
            return []
        refs = cast(ReferenceHost, self.host)
        removed = []
        try:
            for c in host_run_in_main_thread(self.host, refs.list_references):
                if c.name not in before:
                    host_run_in_main_thread(self.host, refs.remove_reference, c)
                    removed.append(c.name)
        except Exception:  # noqa: BLE001, S110 - the action's error is the one to report
            pass
        return removed


def _files_of(v: Version) -> list[FileRow]:
    """The published outputs of ``v`` then its work file, with their absolute paths."""
    from stalker_core.models.repository import resolve_repo_path

    project = v.task.project
    repos = list(project.repositories) if project is not None else []
    rows = []
    for output in v.outputs:
        try:
            path = Path(resolve_repo_path(output.full_path, repos))
        except RepositoryError as exc:
            rows.append(FileRow(Path(output.full_path), PUBLISHED, False, str(exc)))
            continue
        rows.append(FileRow(path, PUBLISHED, os.path.isfile(path)))
    try:
        work = Path(v.absolute_full_path)
    except RepositoryError as exc:
        rows.append(FileRow(Path(v.full_path), WORKFILE, False, str(exc)))
    else:
        rows.append(FileRow(work, WORKFILE, os.path.isfile(work)))
    return rows
