"""Reconciliation: undo what killed saves and publishes left behind, and nothing else.

:func:`reconcile` looks at the journals and staging folders in some folders
(:mod:`stalker_core.workflows.journal`) and at the publishes' temporary
folders, and asks who made each (:meth:`~stalker_core.workflows.journal.Owner.state`):

* a process that is **running** (on this computer), or of another computer
  whose journal is recent (**unknown**), is left alone: its leftovers are
  reported, with what to do if it is not running after all;
* a **dead** process (no such process on this computer, or another
  computer's journal older than ``stale_after``; also a journal this very
  process left when its commit's outcome was unknown,
  :mod:`stalker_core.workflows.in_doubt`) is finished for it. When
  the database committed its work (the File rows of a publish, the Version
  row of a save exist), only the journal and staging folders go. Otherwise its
  work is undone: the files it placed (a published file only if it is still
  the very copy it staged, same inode, and no File row registers it; a work
  file only if no Version row names it), what the host wrote next to a work
  file (its ``.saving`` temporary, its sidecar), its staging and temporary
  folders, its journal. The folders it created stay (empty folders harm
  nothing, and another process may be about to write into them).

Every publish runs it on the folders of its destinations before placing its
files (:func:`recover_destinations`), every save on its folder, and
``stalker doctor`` on every repository (:func:`repository_roots`,
:func:`leftover_folders`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PublishError
from stalker_core.workflows.journal import (
    JOURNAL_PREFIX,
    PART_SUFFIX,
    RESERVE_SUFFIX,
    STAGING_PREFIX,
    TEMP_PREFIX,
    Journal,
    Owner,
    in_doubt,
    remove_save_leftovers,
)

if TYPE_CHECKING:
    from stalker_core.models.repository import Repository

#: a journal of another computer older than this (seconds) belongs to a dead publish
STALE_AFTER = 24 * 3600.0


@dataclass(frozen=True)
class Finding:
    """One leftover found by :func:`reconcile`, and what was done with it."""

    #: the journal, staging folder or temporary folder
    path: Path
    #: ``"publish journal"``, ``"save journal"``, ``"staging folder"``, ``"temporary folder"``,
    #: ``"journal part"``
    what: str
    #: ``"undone"`` (a dead operation's work removed), ``"completed"`` (it had committed:
    #: only its journal removed), ``"removed"``, ``"running"`` or ``"unknown"`` (left alone);
    #: with ``dry_run``: ``"would be undone"`` ...
    state: str
    #: what it was, what was removed or what to do
    detail: str = ""
    #: the files the operation was writing (journals only)
    files: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        """True when it was left alone because its owner may still be running."""
        return self.state in ("running", "unknown")

    def __str__(self) -> str:
        more = f" ({self.detail})" if self.detail else ""
        return f"{self.state}: {self.what} {self.path}{more}"


def _rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _owner_state(owner: Owner, path: Path, abandon: set[Path], stale_after: float) -> str:
    if path in abandon or in_doubt(path.name):
        return "dead"
    return owner.state(stale_after)


def _advice(owner: Owner, state: str, path: Path, journal: Journal | None) -> str:
    what = f"{journal.kind} of version {journal.version_id}" if journal else "publish"
    since = ""
    if journal is not None and journal.started:
        since = " since " + time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(journal.started))
    if state == "running":
        return (f"the {what} by {owner}{since} is still running; wait for it to finish (if it "
                f"hangs, stop process {owner.pid}, then try again)")
    return (f"the {what} by {owner}{since} cannot be checked from this computer; if it is "
            f"not running any more, run 'stalker doctor --abandon {path}' and try again")


def portable_candidates(path: Path, repositories: Iterable[Repository]) -> list[str]:
    """The forms a File row may store ``path`` in (``$REPO<code>/..``, ``$REPO<id>/..``, posix)."""
    found = [path.as_posix()]
    for repo in repositories:
        rel = repo.relative_path(str(path))
        if rel is not None:
            found += [f"$REPO{repo.code}/{rel}", f"$REPO{repo.id}/{rel}"]
    return found


def _registered(session: Any, path: Path) -> bool:
    """Whether a File row registers ``path``."""
    from sqlalchemy import select

    from stalker_core.models.file import File
    from stalker_core.models.repository import Repository

    candidates = portable_candidates(path, session.scalars(select(Repository)).all())
    found = session.scalar(select(File.id).where(File.full_path.in_(candidates)).limit(1))
    return found is not None


def _saved(session: Any, path: Path, ignore: Collection[Any]) -> bool:
    """Whether a Version row (not one of ``ignore``) names ``path`` as its work file."""
    from sqlalchemy import select

    from stalker_core.models.version.model import Version

    for v in session.scalars(select(Version).where(Version.filename == path.name)):
        if v not in ignore and Path(v.absolute_full_path) == path:
            return True
    return False


def _ours(path: Path, inode: int | None) -> bool:
    try:
        return inode is not None and path.stat().st_ino == inode
    except OSError:
        return False


def _undo_journal(
    session: Any, journal: Journal, dry_run: bool, ignore: Collection[Any]
) -> tuple[str, list[str]]:
    """Finish a dead operation: ``("completed"|"undone", removed files)``."""
    removed: list[str] = []
    if journal.kind == "save":
        work = Path(journal.files[0]) if journal.files else None
        if work is None or _saved(session, work, ignore):
            state = "completed"
        elif journal.phase == "reserving":
            # ours only if the placeholder is still the journal's own file (see Journal.reserve)
            marker = journal.paths[0].with_name(journal.name + RESERVE_SUFFIX)
            state = "undone"
            if marker.exists() and _ours(work, marker.stat().st_ino):
                removed = [str(work)]
                if not dry_run:
                    work.unlink(missing_ok=True)
        else:
            state = "undone"
            if not dry_run:
                removed = [str(p) for p in remove_save_leftovers(work, journal.before)]
    else:
        kept = [f for f in journal.files if _registered(session, Path(f))]
        state = "completed" if kept and len(kept) == len(journal.files) else "undone"
        for f in journal.files:
            p = Path(f)
            if f not in kept and _ours(p, journal.inodes.get(f)):
                removed.append(f)
                if not dry_run:
                    p.unlink(missing_ok=True)
    if not dry_run:
        for stage in journal.staging:
            _rmtree(Path(stage))
        if journal.temp:
            _rmtree(Path(journal.temp))
        journal.remove()
    return state, removed


def _journal_finding(
    session: Any, path: Path, abandon: set[Path], stale_after: float, dry_run: bool,
    ignore: Collection[Any],
) -> Finding:
    try:
        journal = Journal.read(path)
    except (OSError, ValueError) as exc:
        owner = Owner.from_name(path.name, path.stat().st_mtime if path.exists() else 0.0)
        state = _owner_state(owner, path, abandon, stale_after) if owner else "unknown"
        if state != "dead":
            return Finding(path, "journal", "unknown", f"unreadable ({exc}); left alone")
        if not dry_run:
            path.unlink(missing_ok=True)
        return Finding(path, "journal", "removed", f"unreadable journal of dead {owner}")
    what = f"{journal.kind} journal"
    files = tuple(journal.files)
    state = _owner_state(journal.owner, path, abandon, stale_after)
    if state != "dead":
        return Finding(path, what, state, _advice(journal.owner, state, path, journal), files)
    done, removed = _undo_journal(session, journal, dry_run, ignore)
    if dry_run:
        done = "would be " + done
    if removed:
        outcome = f"removed {', '.join(removed)}"
    elif done.endswith("completed"):
        outcome = "its commit had happened: its files are kept"
    else:
        outcome = "none of its files remained"
    detail = f"{journal.kind} of version {journal.version_id} by dead {journal.owner}; {outcome}"
    return Finding(path, what, done, detail, files)


def _orphan(path: Path, what: str, abandon: set[Path], stale_after: float,
            dry_run: bool) -> Finding | None:
    """A staging folder, journal part or temporary folder: removed when its owner is dead."""
    try:
        started = path.stat().st_mtime
    except OSError:
        return None
    owner = Owner.from_name(path.name, started)
    if owner is None:
        return Finding(path, what, "unknown", "not made by this version of stalker_core; "
                       "remove it by hand if no publish is running")
    state = _owner_state(owner, path, abandon, stale_after)
    if state != "dead":
        return Finding(path, what, state, _advice(owner, state, path, None))
    if not dry_run:
        if path.is_dir():
            _rmtree(path)
        else:
            path.unlink(missing_ok=True)
    state = "would be removed" if dry_run else "removed"
    return Finding(path, what, state, f"left by dead {owner}")


def reconcile(
    session: Any,
    folders: Iterable[os.PathLike[str] | str],
    *,
    temp: bool = True,
    dry_run: bool = False,
    abandon: Iterable[os.PathLike[str] | str] = (),
    stale_after: float = STALE_AFTER,
    ignore: Collection[Any] = (),
) -> list[Finding]:
    """Finish or undo what dead saves and publishes left in ``folders`` (see the module).

    :param folders: the folders to look into (not below them).
    :param temp: also remove the dead publishes' folders in the system's temp folder.
    :param dry_run: change nothing; the findings say what would be done.
    :param abandon: journals (or leftovers) to treat as dead: their owner is
        known to be gone (another computer's publish that crashed).
    :param stale_after: seconds after which another computer's journal is dead.
    :param ignore: Versions not committed yet that ``session`` holds (the
        version a save is making): they do not count as saved.
    :returns: what was found, journals first.
    """
    gone = {Path(a) for a in abandon}
    findings: list[Finding] = []
    for folder in dict.fromkeys(Path(f) for f in folders):
        try:
            names = sorted(n for n in os.listdir(folder)
                           if n.startswith((JOURNAL_PREFIX, STAGING_PREFIX)))
        except OSError:
            continue
        journals = [n for n in names if n.startswith(JOURNAL_PREFIX) and n.endswith(".json")]
        for name in journals:
            try:
                found = _journal_finding(
                    session, folder / name, gone, stale_after, dry_run, ignore
                )
            except OSError as exc:
                found = Finding(folder / name, "journal", "unknown",
                                f"could not clean up after it: {exc}; check the permissions")
            findings.append(found)
        tokens = {n[len(JOURNAL_PREFIX):-len(".json")] for n in journals}
        for name in names:
            if name.startswith(STAGING_PREFIX):
                token, what = name[len(STAGING_PREFIX):], "staging folder"
            elif name.endswith((".json" + PART_SUFFIX, ".json" + RESERVE_SUFFIX)):
                token, what = name[len(JOURNAL_PREFIX):].split(".json")[0], "journal part"
            else:
                continue
            if token in tokens:
                continue  # handled with its journal
            orphan = _orphan(folder / name, what, gone, stale_after, dry_run)
            if orphan is not None:
                findings.append(orphan)
    if temp:
        findings += _temp_leftovers(gone, stale_after, dry_run)
    return findings


def _temp_leftovers(abandon: set[Path], stale_after: float, dry_run: bool) -> list[Finding]:
    root = Path(tempfile.gettempdir())
    try:
        # only those named after their owner: the temp folder is shared with everything else
        names = [n for n in os.listdir(root)
                 if n.startswith(TEMP_PREFIX) and Owner.from_name(n) is not None]
    except OSError:
        return []
    found = (_orphan(root / n, "temporary folder", abandon, stale_after, dry_run) for n in names)
    return [f for f in found if f is not None and not f.blocking]


def recover_destinations(
    session: Any, destinations: Iterable[Path], *, stale_after: float = STALE_AFTER
) -> list[Finding]:
    """Reconcile the folders of a publish's ``destinations`` before it places them.

    :returns: what was done.
    :raises PublishError: another publish that may be running is placing one
        of these files; the message says whose and what to do.
    """
    dests = {str(d) for d in destinations}
    findings = reconcile(session, {Path(d).parent for d in dests}, stale_after=stale_after)
    for f in findings:
        if f.blocking and dests & set(f.files):
            raise PublishError(f"cannot publish: {f.detail}")
    return findings


def repository_roots(session: Any) -> list[Path]:
    """The folders of every repository on this computer that exist."""
    from sqlalchemy import select

    from stalker_core.models.repository import Repository

    roots = [Path(r.path) for r in session.scalars(select(Repository)) if r.path]
    return [r for r in dict.fromkeys(roots) if r.is_dir()]


def leftover_folders(roots: Iterable[Path]) -> list[Path]:
    """The folders below ``roots`` holding journals or staging folders (a walk of each root)."""
    found: list[Path] = []
    for root in roots:
        for here, dirs, files in os.walk(root):
            names = [*dirs, *files]
            if any(n.startswith((JOURNAL_PREFIX, STAGING_PREFIX)) for n in names):
                found.append(Path(here))
            dirs[:] = [d for d in dirs if not d.startswith(STAGING_PREFIX)]
    return found


def unexplained_saving_files(roots: Iterable[Path]) -> list[Path]:
    """``.saving`` temporaries below ``roots`` no journal explains (reported, never removed)."""
    found: list[Path] = []
    for root in roots:
        for here, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(STAGING_PREFIX)]
            found += [Path(here) / n for n in files if n.startswith(".") and ".saving" in n]
    return found
