"""Commits in doubt: the connection was lost after the COMMIT was sent.

When a save or a publish commits, the server may commit and the connection
drop before its answer arrives: the driver then raises
:class:`~stalker_core.exceptions.DatabaseUnavailableError` although the
rows may be written. Undoing the files then would leave committed rows
naming files that were deleted. :func:`commit_or_check` commits and, when
the commit raised that error, rolls the session back and asks the database
again on a new connection whether the operation's rows exist
(:class:`CommitOutcome`): the caller keeps its files when they do, undoes
its work when they surely do not, and keeps its files and journal when the
question cannot be answered either (the journal then lets the next save or
publish in that folder, or ``stalker doctor``, finish or undo it:
:mod:`stalker_core.workflows.reconcile`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import OperationalError

from stalker_core.exceptions import DatabaseError, DatabaseUnavailableError

log = logging.getLogger(__name__)

#: how many times the rows are looked for on a new connection after a commit in doubt
CHECK_ATTEMPTS = 2
#: seconds between two of those attempts
CHECK_PAUSE = 0.25
#: seconds all the attempts may take together (a server that accepts connections
#: but never answers would otherwise hold the save or publish forever)
CHECK_TIMEOUT = 20.0


@dataclass(frozen=True)
class CommitOutcome:
    """What a commit that raised :class:`DatabaseUnavailableError` turned out to do."""

    #: the error the commit raised
    error: DatabaseUnavailableError
    #: True: the rows exist (it committed); False: they do not; None: unknown
    committed: bool | None
    #: why the check failed (``committed`` is None)
    check_error: BaseException | None = None

    def not_committed(self, what: str) -> DatabaseUnavailableError:
        """The error to raise when the check found nothing of ``what`` committed."""
        return DatabaseUnavailableError(
            f"{what} was undone: the connection to the database was lost while "
            f"committing, and a new connection found nothing of it in the database, so "
            f"the files it wrote have been removed again; try again ({self.error})"
        )

    def unknown(self, what: str, kept: str) -> DatabaseUnavailableError:
        """The error to raise when whether ``what`` committed cannot be known."""
        return DatabaseUnavailableError(
            f"the outcome of {what} is unknown: the connection to the database was lost "
            f"while committing and the database could not be asked afterwards "
            f"({self.check_error}); {kept} and its journal are kept: the next save or "
            f"publish in that folder (or 'stalker doctor', once this program has ended) "
            f"keeps them if the commit happened and removes them if it did not "
            f"({self.error})"
        )


#: what SQLite says when it refuses a write for want of space or rights
_REFUSALS = ("database or disk is full", "readonly database", "disk i/o error")


def refused_write(exc: OperationalError) -> bool:
    """Whether ``exc`` is the database refusing a write (disk full, read-only file, I/O error)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(r in text for r in _REFUSALS)


def refused(exc: OperationalError, what: str) -> DatabaseError:
    """The error to raise for a write the database refused (disk full, read-only file ...)."""
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
    advice = ""
    if "full" in reason:
        advice = "; free space on the disk holding the database, then try again"
    elif "readonly" in reason or "read-only" in reason:
        advice = "; the database file should be writable by this user"
    return DatabaseError(f"the database refused the {what}: {reason}{advice}")


def was_committed(
    session: Any, probe: Callable[[Any], bool | None]
) -> tuple[bool | None, BaseException | None]:
    """Ask ``probe`` on a new connection of ``session``'s engine whether the rows exist.

    Up to :data:`CHECK_ATTEMPTS` attempts, :data:`CHECK_TIMEOUT` seconds in all.

    :param probe: called with a new Connection; True when the rows exist,
        False when they surely do not, None when that cannot be told.
    :returns: ``(answer, None)``, or ``(None, why)`` when no attempt could tell.
    """
    problem: BaseException | None = None
    deadline = time.monotonic() + CHECK_TIMEOUT
    for attempt in range(CHECK_ATTEMPTS):
        if attempt:
            if time.monotonic() + CHECK_PAUSE >= deadline:
                break
            time.sleep(CHECK_PAUSE)
        try:
            answer = _ask(session, probe, deadline - time.monotonic())
        except Exception as exc:  # noqa: BLE001 - any failure leaves the outcome unknown
            problem = exc
            continue
        if answer is None:
            return None, DatabaseUnavailableError(
                "the rows found in the database are not all those this operation wrote"
            )
        return answer, None
    return None, problem


def _ask(session: Any, probe: Callable[[Any], bool | None], timeout: float) -> bool | None:
    """``probe`` on a new connection; a server database is given ``timeout`` seconds.

    SQLite is asked directly (a local file: its reads never wait). A server
    is asked from a helper thread, so that a connection that hangs (a server
    that accepts but never answers) ends the wait after ``timeout`` seconds.
    """
    def ask() -> bool | None:
        with _connect(session) as conn:
            return probe(conn)

    if session.get_bind().dialect.name == "sqlite":
        return ask()
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["answer"] = ask()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            result["error"] = exc

    thread = threading.Thread(target=run, name="stalker-commit-check", daemon=True)
    thread.start()
    thread.join(max(timeout, 0.0))
    if thread.is_alive():
        raise TimeoutError(f"the database did not answer within {CHECK_TIMEOUT:.0f} s")
    if "error" in result:
        raise result["error"]
    return result["answer"]  # type: ignore[no-any-return]


def _connect(session: Any) -> Any:
    """A new connection of ``session``'s engine (a seam for tests)."""
    return session.get_bind().connect()


def commit_or_check(session: Any, probe: Callable[[Any], bool | None]) -> CommitOutcome | None:
    """Commit ``session``; when the commit is in doubt, find out what it did.

    :returns: None when the commit succeeded; otherwise (the commit raised
        :class:`DatabaseUnavailableError`) the session is rolled back and the
        outcome says whether ``probe`` found the rows on a new connection
        (:func:`was_committed`).
    :raises DatabaseError: the database refused the commit (an
        ``OperationalError`` for a full disk or a read-only file:
        :func:`refused_write`); other errors are raised unchanged.
    :raises: any other error of the commit, unchanged.
    """
    try:
        session.commit()
    except DatabaseUnavailableError as exc:
        error = exc
    except OperationalError as exc:
        if refused_write(exc):
            raise refused(exc, "commit") from exc
        raise  # e.g. a connection error the caller classifies itself
    else:
        return None
    try:
        session.rollback()
    except Exception as exc:  # noqa: BLE001 - the connection is gone; the check decides
        log.warning("rollback after a commit in doubt failed: %s", exc)
    committed, problem = was_committed(session, probe)
    if committed is None:
        found = f"cannot be read: {problem}"
    else:
        found = "exist" if committed else "do not exist"
    log.warning("the connection was lost while committing (%s); on a new connection the "
                "rows %s", error, found)
    return CommitOutcome(error, committed, problem)
