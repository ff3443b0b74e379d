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
it did.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import StalkerError
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

    :returns: the placed paths and their File rows.
    :raises PublishError: a publish that may still run is placing the same files.
    :raises IntegrationError: a file could not be placed; nothing remains.
    """
    from stalker_core.models.file import File

    recover_destinations(session, tx.destinations)
    placed = tx.commit()
    try:
        files = [
            File(name=p.name, full_path=portable_path(p, _repositories(version)),
                 original_filename=p.name, created_by=who)
            for p in placed
        ]
        version.outputs.extend(files)
        version.is_published = True
        session.commit()
    except BaseException:
        tx.rollback()
        raise
    fault("publish:committed")
    tx.finish()
    return placed, files


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
