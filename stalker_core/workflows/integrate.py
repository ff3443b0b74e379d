"""The last step of a publish: place the files and commit the database, recoverably.

:func:`open_transaction` makes the publish's
:class:`~stalker_core.workflows.transaction.FileTransaction` (its journal
names this process and the version; its destinations must stay inside the
project's repositories) and the temporary folder the extractors write to.
:func:`commit_transaction` first finishes what dead publishes left in the
destination folders (:func:`~stalker_core.workflows.reconcile.recover_destinations`),
then places the files, registers them as File rows, marks the version
published, commits, and only then removes the journal. A process killed at
any point leaves a journal that the next publish (or ``stalker doctor``)
resolves: placed files are removed when the commit did not happen, kept when
it did. A commit in doubt (the connection lost after the COMMIT was sent) is
checked on a new connection (:mod:`~stalker_core.workflows.in_doubt`): the
files stay when the File rows are there, go when they surely are not, and
stay with their journal, for the next publish there to resolve, when the
database cannot be asked.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import IntegrationError, PublishError, StalkerError
from stalker_core.workflows.in_doubt import commit_or_check
from stalker_core.workflows.journal import TEMP_PREFIX, Journal, fault
from stalker_core.workflows.reconcile import recover_destinations
from stalker_core.workflows.transaction import FileTransaction

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.repository import Repository
    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version


def _repositories(version: Version) -> list[Repository]:
    project = version.task.project
    return list(project.repositories) if project is not None else []


def open_transaction(version: Version) -> tuple[FileTransaction, Path]:
    """The file transaction of publishing ``version`` and its temporary folder (created)."""
    journal = Journal("publish", version_id=version.id)
    temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{journal.token}-"))
    journal.temp = str(temp)
    roots = [Path(r.path) for r in _repositories(version) if r.path]
    return FileTransaction(journal=journal, roots=roots), temp


def commit_transaction(
    tx: FileTransaction, version: Version, session: Any, who: User | None
) -> tuple[list[Path], list[File]]:
    """Place the planned files, register them, publish ``version`` and commit.

    Before anything is placed, the version's row is marked published in the
    database, unless it already is there (:func:`_claim`): that write keeps
    the row locked (PostgreSQL) or the database's write lock (SQLite) until
    the commit, so a second publish of the same version, from another
    session that still believes it unpublished, waits and is then refused.

    :returns: the placed paths and their File rows.
    :raises PublishError: the version is already published (by another
        session), or a publish that may still run is placing the same files.
    :raises IntegrationError: a destination is a file that a File row
        registers (the message names its version).
    :raises IntegrationError: a file could not be placed; nothing remains.
    :raises DatabaseUnavailableError: the connection was lost while
        committing and the rows were not found afterwards (nothing remains),
        or the database could not be asked (the files and journal are kept).
    """
    from stalker_core.models.file import File

    _claim(session, version)
    recover_destinations(session, tx.destinations)
    _refuse_registered(session, tx.destinations, _repositories(version))
    placed = tx.commit()
    try:
        files = [
            File(name=p.name, full_path=portable_path(p, _repositories(version)),
                 original_filename=p.name, created_by=who)
            for p in placed
        ]
        version.outputs.extend(files)
        version.is_published = True
        session.flush()
        # named now: after a commit in doubt the session is rolled back
        what = f"the publish of version {version.id} ({version.filename})"
        rows = [(f.id, f.full_path) for f in files]
        doubt = commit_or_check(session, _published_as(version.id, rows))
        if doubt is not None and doubt.committed is False:
            raise doubt.not_committed(what) from doubt.error
    except BaseException:
        tx.rollback()
        raise
    if doubt is not None:
        if doubt.committed is None:
            tx.journal.leave_in_doubt()
            kept = "the published files " + ", ".join(repr(str(p)) for p in placed)
            raise doubt.unknown(what, kept) from doubt.error
        # committed after all: the rolled back session reads them again
        files = _reload_files(session, [fid for fid, _ in rows])
    fault("publish:committed")
    tx.finish()
    return placed, files


def _claim(session: Any, version: Version) -> None:
    """Mark ``version`` published in the database, in the publish's transaction.

    The version may have been published by another session since this one
    read it: the row is updated only while it is unpublished, and the
    update holds the row (PostgreSQL; a concurrent publish waits for this
    one's commit, then finds it published) or the write lock (SQLite)
    until the commit.

    :raises PublishError: the stored row is published already.
    """
    from sqlalchemy import update

    from stalker_core.models.version.model import Version

    table: Any = Version.__table__
    result: Any = session.execute(
        update(table)
        .where(table.c.id == version.id, table.c.is_published.is_(False))
        .values(is_published=True)
    )
    if result.rowcount != 1:
        raise PublishError(
            f"version {version.id} ({version.filename}) is already published (by another "
            "session since this one read it); reload it to see its published files"
        )


def _refuse_registered(
    session: Any, destinations: list[Path], repositories: list[Repository]
) -> None:
    """Refuse destinations that exist as files registered by a File row, naming their version.

    :raises IntegrationError: naming each such file and the version publishing it.
    """
    from sqlalchemy import select

    from stalker_core.models.file import File
    from stalker_core.models.version.model import Version, version_outputs
    from stalker_core.workflows.reconcile import portable_candidates

    taken: list[str] = []
    for dest in destinations:
        if not (dest.exists() or dest.is_symlink()):
            continue
        candidates = portable_candidates(dest, repositories)
        file_id = session.scalar(
            select(File.id).where(File.full_path.in_(candidates)).order_by(File.id).limit(1)
        )
        if file_id is None:
            continue
        owner = session.scalars(
            select(Version).join(version_outputs, version_outputs.c.version_id == Version.id)
            .where(version_outputs.c.file_id == file_id).limit(1)
        ).first()
        if owner is None:
            taken.append(f"{str(dest)!r} (registered as file {file_id})")
        else:
            taken.append(
                f"{str(dest)!r} (published by version {owner.version_number} of task "
                f"{owner.task.name!r}, id {owner.id}, {owner.filename})"
            )
    if taken:
        raise IntegrationError(
            f"refusing to overwrite registered published files: {'; '.join(taken)}; they are "
            "kept: the integrators should give this version's files names of their own "
            "(e.g. with the version number)"
        )


def _published_as(vid: int, rows: list[tuple[int, str]]) -> Callable[[Any], bool | None]:
    """The probe of :func:`commit_or_check`: whether the publish's File rows are stored.

    True when all are (and the version is published), False when none is,
    None when only some are (not the ones this publish wrote).
    """
    from sqlalchemy import select

    from stalker_core.models.file import File
    from stalker_core.models.version.model import Version, version_outputs

    def probe(conn: Any) -> bool | None:
        found = set(conn.execute(
            select(File.id, File.full_path)
            .join(version_outputs, version_outputs.c.file_id == File.id)
            .where(version_outputs.c.version_id == vid, File.id.in_([r[0] for r in rows]))
        ).all())
        if not found:
            return False
        published = conn.execute(
            select(Version.is_published).where(Version.id == vid)
        ).scalar()
        if found == set(rows) and published:
            return True
        return None

    return probe


def _reload_files(session: Any, ids: list[int]) -> list[File]:
    """The File rows ``ids`` as stored, in that order."""
    from sqlalchemy import select

    from stalker_core.models.file import File

    by_id = {f.id: f for f in session.scalars(select(File).where(File.id.in_(ids)))}
    return [by_id[i] for i in ids]


def portable_path(path: Path, repositories: list[Repository]) -> str:
    """``path`` made repository independent (``$REPO<code>/...``) when a repository holds it."""
    for repo in repositories:
        try:
            rel = repo.relative_path(str(path))
        except StalkerError:
            rel = None
        if rel is not None:
            return str(repo.make_relative(str(path)))
    return path.as_posix()
