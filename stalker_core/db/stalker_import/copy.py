"""The copy: Stalker rows -> our rows, through SQLAlchemy Core, in one transaction.

Entities are written table by table down our inheritance chain (the same
joined-table layout as Stalker's); every id is translated through the
:class:`~stalker_core.db.stalker_import.idmap.IdMap`. A reference to a row
not imported yet (``created_by`` of the first users, a task's parent, a
version's parent) is written after all rows exist. Each row is inserted
inside a SAVEPOINT: a row our constraints refuse is skipped and reported,
the rest goes on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, and_, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, StatementError

from stalker_core.db.stalker_import.idmap import IdMap
from stalker_core.db.stalker_import.kinds import IGNORED, KINDS, NOT_MAPPED_TYPES, Kind, Row
from stalker_core.db.stalker_import.links import Link, links
from stalker_core.db.stalker_import.read import StalkerSource
from stalker_core.db.stalker_import.report import ImportReport
from stalker_core.models.base import Base, mapped_class

#: called as progress(kind, done, total) after each row (done/total: rows of all kinds)
Progress = Callable[[str, int, int], None]

_SKIP = object()


class _Skip(Exception):
    """A row that cannot be written (the message says why)."""


def _aware(value: Any) -> Any:
    """Stalker's naive datetimes (SQLite) are UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _why(exc: Exception) -> str:
    """The first line of the database's reason for refusing a row."""
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def _new_id(conn: Connection, statement: Any) -> int:
    """Run an INSERT and return the new row's id."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


def chain_of(class_name: str) -> list[Table]:
    """Our tables of ``class_name``, from ``simple_entities`` down to its own."""
    mapper: Any = mapped_class(class_name).__mapper__
    tables: list[Table] = []
    while mapper is not None:
        if not tables or mapper.local_table is not tables[0]:
            tables.insert(0, mapper.local_table)
        mapper = mapper.inherits
    return tables


class Copier:
    """One import run from ``source`` into the connection ``target``."""

    def __init__(self, source: StalkerSource, target: Connection, report: ImportReport,
                 progress: Progress | None = None) -> None:
        self.source = source
        self.target = target
        self.report = report
        self.progress = progress or (lambda kind, done, total: None)
        self.ids = IdMap(target, report.source)
        self.schema_variant_column = source.schema.variant_column
        self.schema_macos_column = source.schema.macos_column
        self._deferred: list[tuple[Table, str, int, int]] = []
        #: rows inserted per table (for the planner's statistics afterwards)
        self.inserted: Counter[Table] = Counter()
        self._status_codes: dict[int, str] = {}
        self._version_files: dict[int, str] = {}
        self._variants: dict[int, tuple[int, str]] = {}
        self.new_projects: list[int] = []
        self.new_versions: list[int] = []
        self._done = 0
        self._total = 0

    def __repr__(self) -> str:
        return f"<Copier {self.source!r} -> {self.report.source}>"

    # --- what prepare functions may ask (kinds.Context) ------------------------

    def status_code(self, source_status_id: int | None) -> str | None:
        """The code of a source status."""
        return None if source_status_id is None else self._status_codes.get(source_status_id)

    def version_path(self, row: Row) -> str | None:
        """The full path of a source version: its own (before 1.1) or its first file's."""
        if self.source.schema.version_is_file:
            return row.get("full_path") or None
        return self._version_files.get(int(row["id"]))

    def variant(self, task_id: int) -> tuple[int, str] | None:
        """(parent task id, name) of a source Variant task; None for other tasks."""
        return self._variants.get(int(task_id))

    def note(self, message: str) -> None:
        """Report something that was copied only in part."""
        self.report.not_mapped.append(message)

    # --- the run ---------------------------------------------------------------

    def run(self) -> ImportReport:
        """Copy everything; returns the report."""
        self._load_lookups()
        counts = self.source.entity_types()
        self._total = (len(self.source.rows("Permissions"))
                       + sum(counts.get(k.source, 0) for k in KINDS)
                       + sum(len(self.source.rows(t)) for t in self._link_sources()))
        self._permissions()
        for kind in KINDS:
            if kind.source in counts:
                self._entities(kind)
        self._shot_links()
        for link in links(self.source.schema):
            self._link(link)
        self._apply_deferred()
        self.ids.save()
        for name in NOT_MAPPED_TYPES:
            if counts.get(name):
                self.note(f"{name}: {counts[name]} Stalker rows not mapped (no such class here)")
        return self.report

    def _link_sources(self) -> list[str]:
        shots = ["Shots"] * (self.source.schema.shot_sequence_column
                             + self.source.schema.shot_scene_column)
        return shots + [link.source for link in links(self.source.schema)]

    def _tick(self, kind: str) -> None:
        self._done += 1
        self.progress(kind, self._done, max(self._total, self._done))

    def _load_lookups(self) -> None:
        for row in self.source.entities("Variant"):
            if row.get("parent_id") is not None:
                self._variants[int(row["id"])] = (int(row["parent_id"]), str(row["name"]))
        for row in self.source.rows("Statuses"):
            self._status_codes[int(row["id"])] = str(row["code"])
        if not self.source.schema.version_is_file:
            files = {int(r["id"]): r.get("full_path") for r in self.source.rows("Files")}
            for r in self.source.rows("Version_Files"):
                path = files.get(int(r["file_id"]))
                if path:
                    self._version_files.setdefault(int(r["version_id"]), path)

    def _permissions(self) -> None:
        ours = mapped_class("Permission").__table__
        names = ("access", "action", "class_name")
        existing = {tuple(r[1:]): r[0] for r in self.target.execute(
            select(ours.c.id, *(ours.c[k] for k in names)))}
        count = self.report.count("Permission")
        for row in self.source.rows("Permissions"):
            self._tick("Permission")
            if self.ids.get(row["id"], "permission") is not None:
                count.existing += 1
                continue
            key = tuple(row[k] for k in names)
            found = existing.get(key)
            if found is None:
                values = dict(zip(names, key, strict=True))
                found = existing[key] = _new_id(self.target, ours.insert().values(values))
                self.inserted[ours] += 1
                count.created += 1
            else:
                count.existing += 1
            self.ids.add(row["id"], found, "permission")

    # --- entities --------------------------------------------------------------

    def _entities(self, kind: Kind) -> None:
        rows = list(self.source.entities(kind.source))
        tables = chain_of(kind.target)
        ours = {c.name for t in tables for c in t.c}
        unmapped: dict[str, int] = {}
        for row in rows:
            self._tick(kind.target)
            count = self.report.count(kind.target)
            if self.ids.get(row["id"]) is not None:
                count.existing += 1
                continue
            data = {k: _aware(v) for k, v in row.items()}
            if kind.prepare is not None:
                data = kind.prepare(data, self)
            for key, value in row.items():
                if (key not in ours and key not in IGNORED and key not in kind.consumes
                        and value not in (None, "")):
                    unmapped[key] = unmapped.get(key, 0) + 1
            found = self._match(kind, tables, data)
            if found is not None:
                self.ids.add(row["id"], found)
                count.existing += 1
                continue
            try:
                with self.target.begin_nested():
                    new_id = self._insert(kind, tables, data)
            except _Skip as exc:
                self.report.skip(kind.target,
                                 f"Stalker id {row['id']} ({row.get('name')!r}): {exc}")
                continue
            except (IntegrityError, StatementError) as exc:
                self.report.skip(kind.target, f"Stalker id {row['id']} ({row.get('name')!r}) "
                                              f"refused: {_why(exc)}")
                continue
            self.ids.add(row["id"], new_id)
            self.inserted.update(tables)
            count.created += 1
            if kind.target == "Project":
                self.new_projects.append(new_id)
            elif kind.target == "Version":
                self.new_versions.append(new_id)
        for key, n in sorted(unmapped.items()):
            self.note(f"{kind.source}.{key}: {n} Stalker values not mapped (no such field here)")

    def _match(self, kind: Kind, tables: list[Table], data: Row) -> int | None:
        """The id of our row with the same natural key (rows ``db.init()`` made)."""
        if not kind.natural_key:
            return None
        base = tables[0]
        query = select(base.c.id).where(base.c.entity_type == kind.target)
        for t in tables[1:]:
            query = query.join(t, t.c.id == base.c.id)
        for key in kind.natural_key:
            column = next(t.c[key] for t in tables if key in t.c)
            query = query.where(column == data.get(key))
        return self.target.execute(query.limit(1)).scalar()

    def _insert(self, kind: Kind, tables: list[Table], data: Row) -> int:
        new_id: int | None = None
        pending: list[tuple[Table, str, int]] = []
        for table in tables:
            values: dict[str, Any] = {}
            for column in table.c:
                if column.name in ("id", "_sentinel"):
                    continue
                if column.name == "entity_type":
                    values["entity_type"] = kind.target
                    continue
                value = data.get(column.name, _SKIP)
                if value is _SKIP:
                    continue
                if column.foreign_keys and value is not None:
                    mapped = self.ids.get(value)
                    if mapped is None:
                        if not column.nullable:
                            raise _Skip(f"its {column.name} ({value}) was not imported")
                        pending.append((table, column.name, int(value)))
                        value = None
                    else:
                        value = mapped
                if value is None and not column.nullable:
                    continue  # our default
                values[column.name] = value
            if new_id is None:
                new_id = _new_id(self.target, table.insert().values(**values))
            else:
                self.target.execute(table.insert().values(id=new_id, **values))
        assert new_id is not None
        self._deferred += [(t, c, new_id, s) for t, c, s in pending]
        return new_id

    def _apply_deferred(self) -> None:
        for table, column, target_id, source_id in self._deferred:
            mapped = self.ids.get(source_id)
            if mapped is None:
                self.note(f"{table.name}.{column} of row {target_id}: Stalker id {source_id} "
                          "was not imported; left empty")
                continue
            self.target.execute(table.update().where(table.c.id == target_id)
                                .values({column: mapped}))
        self._deferred.clear()

    # --- links -----------------------------------------------------------------

    def _shot_links(self) -> None:
        """Stalker 1.1's ``Shots.sequence_id``/``scene_id`` -> our shot_sequences/shot_scenes."""
        schema = self.source.schema
        shots = self.source.rows("Shots")
        for column, target, label in (("sequence_id", "shot_sequences", "shot sequences"),
                                      ("scene_id", "shot_scenes", "shot scenes")):
            has = schema.shot_sequence_column if column == "sequence_id" else \
                schema.shot_scene_column
            if not has:
                continue
            rows = [{"shot_id": r["id"], column: r[column]} for r in shots if r.get(column)]
            self._done += len(shots) - len(rows)
            link = Link("Shots", target, (("shot_id", "shot_id"), (column, column)),
                        ("shot_id", column), label)
            self._link_rows(link, rows)

    def _link(self, link: Link) -> None:
        if self.source.table(link.source) is None:
            return
        self._link_rows(link, self.source.rows(link.source))

    def _link_rows(self, link: Link, rows: list[Row]) -> None:
        table: Table = Base.metadata.tables[link.target]
        count = self.report.count(link.label)
        positions: dict[int, int] = {}
        known = {src for src, _ in link.columns}
        unmapped: dict[str, int] = {}
        for row in rows:
            self._tick(link.label)
            values: dict[str, Any] = {}
            missing = None
            for src, ours in link.columns:
                value = row.get(src)
                if ours in link.ids:
                    if value is None:
                        if not table.c[ours].nullable:
                            missing = src
                        continue
                    kind = "permission" if ours == "permission_id" else "entity"
                    value = self.ids.get(value, kind)
                    if value is None:
                        missing = src
                        break
                if value is not None or table.c[ours].nullable:
                    values[ours] = value
            if missing is not None:
                self.report.skip(link.label, f"{link.source} row {dict(row)}: its {missing} "
                                             "was not imported")
                continue
            keys = [k for k in link.ids if k in values and not table.c[k].nullable]
            exists = self.target.execute(select(func.count()).select_from(table).where(
                and_(*(table.c[k] == values[k] for k in keys)))).scalar()
            if exists:
                count.existing += 1
                continue
            if "position" in table.c and "position" not in values:
                owner = values[keys[0]]
                if owner not in positions:
                    positions[owner] = int(self.target.execute(
                        select(func.coalesce(func.max(table.c.position), -1))
                        .where(table.c[keys[0]] == owner)).scalar_one()) + 1
                values["position"] = positions[owner]
                positions[owner] += 1
            if values.get("position") is None and "position" in values:
                del values["position"]
            try:
                with self.target.begin_nested():
                    self.target.execute(table.insert().values(**values))
            except IntegrityError as exc:  # e.g. a reference to a Version where we hold files
                why = self._refusal(table, values) or _why(exc)
                self.report.skip(link.label, f"{link.source} row {dict(row)} refused: {why}")
                continue
            self.inserted[table] += 1
            count.created += 1
            for key, value in row.items():
                if key not in known and value not in (None, ""):
                    unmapped[key] = unmapped.get(key, 0) + 1
        for key, n in sorted(unmapped.items()):
            self.note(f"{link.source}.{key}: {n} Stalker values not mapped (no such field here)")

    def _refusal(self, table: Table, values: Row) -> str | None:
        """Which id of ``values`` is no row of the table its column points to, and what it is."""
        entities = Base.metadata.tables["simple_entities"]
        for name, value in values.items():
            for fk in table.c[name].foreign_keys:
                if value is None or self.target.execute(
                        select(fk.column).where(fk.column == value)).first():
                    continue
                kind = self.target.execute(select(entities.c.entity_type)
                                           .where(entities.c.id == value)).scalar()
                return (f"its {name} (our id {value}) is a {kind or 'missing row'}, "
                        f"not a row of {fk.column.table.name}")
        return None
