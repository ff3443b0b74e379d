"""``stalker db import-stalker``: copy a Stalker database into ours.

The copy route: the Stalker database is only read (SQLAlchemy Core
reflection; the ``stalker`` package is not imported), and its rows become
rows of ours in one transaction. Supported: Stalker's Alembic revisions in
:data:`~stalker_core.db.stalker_import.detect.KNOWN_REVISIONS`, from 0.2.x's
last one through the seed's 1.0.0.dev1 era to Stalker 1.1's head
``9f9b88fef376``. See docs/stalker-import.md.

Modules: ``detect`` (revision and table shapes), ``read`` (the source),
``kinds`` and ``links`` (the mapping per kind), ``idmap`` (the bookkeeping
that makes a second run change nothing), ``copy`` (the writer), ``report``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from stalker_core.db.engine import make_engine, safe_url
from stalker_core.db.stalker_import.copy import Copier, Progress
from stalker_core.db.stalker_import.detect import HEAD_OF_STALKER_1_1, KNOWN_REVISIONS, SourceSchema
from stalker_core.db.stalker_import.read import StalkerSource
from stalker_core.db.stalker_import.report import ImportReport, KindCount
from stalker_core.exceptions import DatabaseError
from stalker_core.orm.session import StalkerSession
from stalker_core.orm.statistics import refresh_after_bulk_load

__all__ = [
    "KNOWN_REVISIONS",
    "HEAD_OF_STALKER_1_1",
    "ImportReport",
    "KindCount",
    "SourceSchema",
    "import_stalker",
]


def import_stalker(source_url: str, target_url: str, *,
                   progress: Progress | None = None) -> ImportReport:
    """Copy the Stalker database at ``source_url`` into ours at ``target_url``.

    Ours must exist with its schema (``stalker db init``). Rows already
    imported from the same source are left alone, so a second run creates
    nothing. Everything is written in one transaction: an error leaves ours
    as it was.

    :param progress: called as ``progress(kind, done, total)`` while copying.
    :returns: the counts per kind and what was not mapped.
    :raises DatabaseError: when the source is no Stalker database or its
        revision is not supported.
    """
    from stalker_core.models.project import Project
    from stalker_core.models.task.rollup import recompute_rollups

    _check_exists(source_url)
    source_engine = make_engine(source_url, sqlite_wal=False)
    target_engine = make_engine(target_url)
    try:
        with source_engine.connect() as src_conn, target_engine.begin() as conn:
            source = StalkerSource(src_conn)
            report = ImportReport(source=safe_url(source_url), revision=source.schema.revision,
                                  era=source.schema.era)
            copier = Copier(source, conn, report, progress)
            copier.run()
            # the planner learns of the copied rows before the roll-ups are computed
            refresh_after_bulk_load(conn, copier.inserted)
            if copier.new_projects:
                with StalkerSession(bind=conn) as session:
                    projects = session.scalars(
                        select(Project).where(Project.id.in_(copier.new_projects))).all()
                    for project in projects:
                        recompute_rollups(session, project)
                    session.flush()
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return report


def _check_exists(url: str) -> None:
    """Refuse a SQLite source file that does not exist (SQLite would create an empty one)."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() == "sqlite" and name and name != ":memory:" \
            and not Path(name).exists():
        raise DatabaseError(f"no Stalker database at {safe_url(url)}: the file {name} does not "
                            "exist; give the URL of an existing Stalker database")
