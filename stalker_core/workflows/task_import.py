"""Bulk import of tasks from a table (CSV): shot lists, asset lists, task templates.

A row names a task by its *path* in the project (``SEQ010/SH0010/comp``): the
last part is its name, the rest its parent, which is an earlier row of the
same table or a task already in the project. Rows whose path already exists
are skipped, so importing the same table twice adds nothing the second time.

Columns (a header line is required; only ``path`` is mandatory; cells may be
empty):

==============  ===============================================================
``path``        ``Parent/Child/name`` in the project
``kind``        ``Task`` (default), ``Asset``, ``Shot``, ``Sequence``, ``Scene``
``code``        the code of an asset, shot, sequence or scene (default: the name)
``type``        a Type's name or code for this kind (e.g. ``Character``)
``resources``   logins, separated by ``;``
``depends_on``  paths of earlier rows or existing tasks, separated by ``;``
``timing``      ``3d``, ``2.5h``, ``30min``: schedule timing and unit
``model``       ``effort``, ``length`` or ``duration``
``priority``    0-1000
``description`` free text
==============  ===============================================================

Every row is checked (by the validators of ``Task(...)``, through
:class:`~stalker_core.models.task.bulk.TaskBatch`) before anything is
written; the first bad row raises an error naming its line and path, and
nothing is written. The caller commits.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import StalkerError, ValidationError
from stalker_core.units import MODELS, parse_timing

if TYPE_CHECKING:
    from stalker_core.models.project import Project

#: the columns a table may have, in the order of the module's table
COLUMNS: tuple[str, ...] = ("path", "kind", "code", "type", "resources", "depends_on",
                            "timing", "model", "priority", "description")
#: the separator of several logins or paths in one cell
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class TaskRow:
    """One row of an import table, parsed but not yet checked against the database."""

    line: int
    path: str
    kind: str = "Task"
    code: str | None = None
    type: str | None = None
    resources: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    timing: tuple[float, str] | None = None
    model: str | None = None
    priority: int | None = None
    description: str | None = None

    @property
    def name(self) -> str:
        """The last part of :attr:`path`."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent_path(self) -> str | None:
        """:attr:`path` without its last part, or None at the project's root."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else None


@dataclass
class ImportReport:
    """What :func:`import_tasks` did: new task ids by path, counts, skipped paths."""

    created: dict[str, int] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items())) or "nothing"
        return f"<ImportReport created {counts}; skipped {len(self.skipped)} existing>"


def _fail(source: str, line: int, message: str) -> ValidationError:
    return ValidationError(f"{source} line {line}: {message}")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip())


def _norm_path(text: str) -> str:
    return "/".join(p.strip() for p in text.strip().strip("/").split("/"))


def parse_rows(lines: Iterable[str], source: str = "<table>") -> list[TaskRow]:
    """Parse CSV ``lines`` (with a header) into :class:`TaskRow` objects.

    :raises ValidationError: naming ``source`` and the line, for an unknown or
        missing column, an empty path, an unknown kind, timing, model or priority.
    """
    from stalker_core.models.task.bulk import KINDS

    reader = csv.DictReader(lines)
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "path" not in header:
        what = (f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown
                else "no 'path' column")
        raise _fail(source, 1, f"{what}; the columns are {', '.join(COLUMNS)}")
    reader.fieldnames = header
    kinds = {k.lower(): k for k in KINDS}
    rows: list[TaskRow] = []
    for record in reader:
        line = reader.line_num
        cell = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:
            raise _fail(source, line, f"more cells than the {len(header)} columns of the header")
        path = _norm_path(cell.get("path", ""))
        if not path or "" in path.split("/"):
            raise _fail(source, line, f"path {cell.get('path', '')!r} is empty or has an "
                        "empty part; write Parent/Child/name")
        kind = kinds.get(cell.get("kind", "").lower() or "task")
        if kind is None:
            raise _fail(source, line, f"kind {cell['kind']!r} is not one of {', '.join(KINDS)}")
        try:
            timing = parse_timing(cell["timing"]) if cell.get("timing") else None
        except ValidationError as exc:
            raise _fail(source, line, str(exc)) from exc
        model = cell.get("model") or None
        if model is not None and model not in MODELS:
            raise _fail(source, line, f"model {model!r} is not one of {', '.join(MODELS)}")
        priority: int | None = None
        if cell.get("priority"):
            try:
                priority = int(cell["priority"])
            except ValueError:
                raise _fail(source, line, f"priority {cell['priority']!r} is not a whole "
                            "number (0-1000)") from None
        rows.append(TaskRow(
            line=line, path=path, kind=kind, code=cell.get("code") or None,
            type=cell.get("type") or None, resources=_split(cell.get("resources", "")),
            depends_on=tuple(_norm_path(p) for p in _split(cell.get("depends_on", ""))),
            timing=timing, model=model, priority=priority,
            description=cell.get("description") or None,
        ))
    return rows


def read_rows(path: str | Path) -> list[TaskRow]:
    """Parse the CSV file at ``path`` (UTF-8, a BOM allowed); see :func:`parse_rows`.

    :raises ValidationError: for a missing or undecodable file, or a bad row.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"{file}: no such file; give a CSV file of tasks") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                              "save the table as CSV UTF-8") from None
    return parse_rows(io.StringIO(text, newline=""), str(file))


class _Resolver:
    """Logins, types and stored tasks by path, each looked up once."""

    def __init__(self, session: Any, project: Project, source: str) -> None:
        from stalker_core.models.task.queries import project_task_paths

        self.session, self.project, self.source = session, project, source
        self.stored = {p: tid for tid, p in project_task_paths(session, [project.id]).items()}
        self._users: dict[str, Any] = {}
        self._types: dict[tuple[str, str], Any] = {}

    def task(self, path: str) -> Any:
        from stalker_core.models.task.model import Task

        return self.session.get(Task, self.stored[path])

    def user(self, row: TaskRow, login: str) -> Any:
        from sqlalchemy import select

        from stalker_core.models.user import User

        if login not in self._users:
            found = self.session.scalars(select(User).where(User.login == login)).first()
            if found is None:
                raise _fail(self.source, row.line, f"resource {login!r} is not a user's login")
            self._users[login] = found
        return self._users[login]

    def type(self, row: TaskRow) -> Any:
        from sqlalchemy import or_, select

        from stalker_core.models.type import Type

        key = (row.kind, str(row.type))
        if key not in self._types:
            found = self.session.scalars(select(Type).where(
                Type.target_entity_type == row.kind,
                or_(Type.name == row.type, Type.code == row.type))).first()
            if found is None:
                names = self.session.scalars(select(Type.name).where(
                    Type.target_entity_type == row.kind).order_by(Type.name)).all()
                raise _fail(self.source, row.line,
                            f"type {row.type!r} is not a type for {row.kind}; the {row.kind} "
                            f"types are: {', '.join(names) or 'none (create one first)'}")
            self._types[key] = found
        return self._types[key]


def import_tasks(
    session: Any,
    project: Project,
    rows: Iterable[TaskRow],
    *,
    source: str = "<table>",
    on_row: Callable[[TaskRow], None] | None = None,
) -> ImportReport:
    """Add the tasks of ``rows`` to ``project`` in one batch; the caller commits.

    Rows whose path exists in the project are skipped (and listed in the
    report). ``on_row`` is called after each row is checked (a progress bar).

    :raises ValidationError: naming ``source``, the line and the path, for a
        parent or dependency that is neither an earlier row nor a stored task,
        a path given twice, an unknown login or type, or a value ``Task(...)``
        refuses; nothing is written then.
    """
    from stalker_core.models.task.bulk import NewTask, TaskBatch

    found = _Resolver(session, project, source)
    batch = TaskBatch(project)
    new: dict[str, NewTask] = {}
    report = ImportReport()

    def node(row: TaskRow, path: str, what: str) -> Any:
        if path in new:
            return new[path]
        if path in found.stored:
            return found.task(path)
        raise _fail(source, row.line, f"{what} {path!r} is neither an earlier row nor a task "
                    f"of project {project.code!r}")

    for row in rows:
        if row.path in found.stored:
            report.skipped.append(row.path)
        elif row.path in new:
            raise _fail(source, row.line, f"path {row.path!r} is given twice")
        else:
            parent = node(row, row.parent_path, "parent") if row.parent_path else None
            values: dict[str, Any] = {
                "schedule_timing": row.timing[0] if row.timing else None,
                "schedule_unit": row.timing[1] if row.timing else None,
                "schedule_model": row.model, "priority": row.priority,
                "description": row.description,
            }
            try:
                new[row.path] = batch.add(
                    row.name, kind=row.kind,
                    code=(row.code or row.name) if row.kind != "Task" else row.code,
                    parent=parent, resources=[found.user(row, r) for r in row.resources],
                    depends_on=[node(row, d, "dependency") for d in row.depends_on],
                    type=found.type(row) if row.type else None,
                    **{k: v for k, v in values.items() if v is not None},
                )
            except ValidationError as exc:
                if str(exc).startswith(f"{source} line "):
                    raise
                raise _fail(source, row.line, f"{row.path}: {exc}") from exc
            report.kinds[row.kind] += 1
        if on_row is not None:
            on_row(row)
    try:
        ids = batch.insert(session)
    except StalkerError as exc:
        raise ValidationError(f"{source}: {exc}; nothing was imported") from exc
    report.created = {path: tid for path, tid in zip(new, ids, strict=True)}
    return report
