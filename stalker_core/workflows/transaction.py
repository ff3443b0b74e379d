"""File operations that never overwrite: reservations and the publish file transaction.

Two rules hold for every file the workflows write:

* an existing file is never replaced. New names are *reserved* with
  ``O_CREAT | O_EXCL`` (atomic: exactly one process wins a name) or placed
  with :func:`os.link` (atomic, fails when the name exists);
* on failure everything written is removed again, and only what this
  operation created (files and the folders it made).

:class:`FileTransaction` is what the publish integrators add files to: it
stages copies in a private folder next to each destination (same file
system), then links them into place; :meth:`FileTransaction.rollback`
removes everything placed. Before it writes anything it writes a
:class:`~stalker_core.workflows.journal.Journal` next to the destinations,
removed by :meth:`FileTransaction.finish` (after the database commit) or by
the rollback, so what a killed process left can be undone later
(:mod:`stalker_core.workflows.reconcile`).

Files are only written inside the folders they are meant for:
:func:`check_confined` refuses a path that a symbolic link inside a
repository leads out of it.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stalker_core.exceptions import IntegrationError, RepositoryError, WorkfileError
from stalker_core.workflows.journal import STAGING_PREFIX, Journal, fault

__all__ = [
    "STAGING_PREFIX", "FileTransaction", "check_confined", "make_dirs", "path_too_long",
    "remove_empty_dirs", "reserve_file",
]


def _copy_file(src: Path, dst: Path) -> None:
    """Copy bytes and metadata (a seam for fault-injection tests)."""
    shutil.copy2(src, dst)


def _link(src: Path, dst: Path) -> None:
    """Hard-link ``src`` as ``dst``; fails when ``dst`` exists (a seam for tests)."""
    os.link(src, dst)


def _place(staged: Path, dest: Path) -> None:
    """Move ``staged`` to ``dest`` atomically without ever replacing an existing file."""
    try:
        _link(staged, dest)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EACCES):
            raise
        # no hard links here: reserve the name exclusively, then replace our reservation
        reserve_file(dest)
        try:
            os.replace(staged, dest)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    else:
        staged.unlink(missing_ok=True)


def reserve_file(path: Path) -> Path:
    """Create ``path`` as an empty file, failing when it exists (atomic).

    :raises FileExistsError: when ``path`` exists.
    """
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.close(fd)
    return path


def check_confined(path: Path, roots: Iterable[Path]) -> None:
    """Refuse ``path`` when a symbolic link leads it out of the root that holds it.

    Every existing component of ``path`` below a root of ``roots`` that
    holds it (by name) must resolve inside that root (itself resolved, so a
    root that is a link is fine). Paths under none of ``roots`` are not checked.

    :raises RepositoryError: naming the link, where it leads and the root.
    """
    for root in roots:
        root = Path(root)
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        real_root = root.resolve()
        current = root
        for part in rel.parts:
            current = current / part
            if not current.is_symlink():
                if not current.exists():
                    return
                continue
            target = current.resolve()
            if not target.is_relative_to(real_root):
                raise RepositoryError(
                    f"refusing to write {str(path)!r}: {str(current)!r} is a symbolic link to "
                    f"{str(target)!r}, outside the repository {str(root)!r}; files must stay "
                    f"inside the repository (replace the link with a folder, or point it inside)"
                )
        return


#: a file name's and a path's longest length in bytes when the file system does not say
NAME_MAX, PATH_MAX = 255, 4096


def path_too_long(path: Path) -> str | None:
    """Why ``path`` is longer than its file system allows, or None when it is not.

    A name longer than ``NAME_MAX`` bytes or a path of ``PATH_MAX`` bytes or
    more (as the folder of ``path`` that exists reports them) cannot be
    created: the sentence names the name or the path, its length and the limit.
    """
    existing = next((p for p in (path, *path.parents) if os.path.isdir(p)), None)
    name_max, path_max = NAME_MAX, PATH_MAX
    if existing is not None:
        try:
            name_max = os.pathconf(existing, "PC_NAME_MAX")
            path_max = os.pathconf(existing, "PC_PATH_MAX")
        except (OSError, ValueError, AttributeError):  # no pathconf (Windows): the defaults
            pass
    where = f"the file system of {str(existing)!r}" if existing is not None else "the file system"
    for part in path.parts[1:]:
        size = len(os.fsencode(part))
        if size > name_max:
            return (f"the name {part[:40]!r}... in {str(path)[:80]!r}... is {size} bytes "
                    f"long; {where} allows {name_max}: shorten it (a task or asset name, or "
                    "the template or plugin making it)")
    size = len(os.fsencode(str(path)))
    if size >= path_max:
        return (f"the path {str(path)[:80]!r}... is {size} bytes long; {where} allows "
                f"{path_max - 1}: shorten the path template or the names in it")
    return None


def make_dirs(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents; return the folders created (outermost first).

    :raises WorkfileError: a file is in the way.
    :raises RepositoryError: a folder cannot be created (e.g. a read-only repository).
    """
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    created: list[Path] = []
    for d in reversed(missing):
        try:
            d.mkdir()
            created.append(d)
        except FileExistsError as exc:
            if not d.is_dir():
                raise WorkfileError(
                    f"cannot create folder {str(d)!r}: a file is in the way"
                ) from exc
        except OSError as exc:
            remove_empty_dirs(created)
            raise RepositoryError(
                f"cannot create folder {str(d)!r}: {exc.strerror or exc}; the folder "
                f"{str(d.parent)!r} should be writable by this user (check the repository's "
                f"permissions and free space)"
            ) from exc
    return created


def remove_empty_dirs(created: list[Path]) -> None:
    """Remove folders from ``created`` (innermost first) that are empty."""
    for d in reversed(created):
        try:
            d.rmdir()
        except OSError:
            pass


@dataclass
class _Planned:
    source: Path
    destination: Path
    staged: Path | None = None
    placed: bool = False


@dataclass
class FileTransaction:
    """Copy files into place all together, or not at all.

    Usage::

        tx = FileTransaction()
        tx.add(extracted_file, publish_dir / extracted_file.name)
        tx.commit()          # staged copies, then atomic placement
        ...                  # database work, then
        tx.finish()          # the journal goes: the publish is complete
        tx.rollback()        # or, if the database work failed: placed files go again

    :param journal: the journal written next to the destinations (default: a
        new ``"publish"`` journal of this process).
    :param roots: the repositories: destinations inside one must not leave
        it through a symbolic link (:func:`check_confined`).
    """

    planned: list[_Planned] = field(default_factory=list)
    created_dirs: list[Path] = field(default_factory=list)
    staging_dirs: dict[Path, Path] = field(default_factory=dict)
    committed: bool = False
    journal: Journal = field(default_factory=lambda: Journal("publish"))
    roots: list[Path] = field(default_factory=list)

    def add(self, source: os.PathLike[str] | str, destination: os.PathLike[str] | str) -> None:
        """Plan to copy ``source`` to ``destination`` (absolute; must not exist at commit)."""
        src, dst = Path(source), Path(destination)
        if not dst.is_absolute():
            raise IntegrationError(f"publish destination should be absolute, not {str(dst)!r}")
        if self.committed:
            raise IntegrationError("cannot add files to a committed transaction")
        if any(p.destination == dst for p in self.planned):
            raise IntegrationError(f"two files would be published to {str(dst)!r}")
        self.planned.append(_Planned(src, dst))

    @property
    def destinations(self) -> list[Path]:
        """Every planned destination."""
        return [p.destination for p in self.planned]

    def commit(self) -> list[Path]:
        """Stage every copy, then place them all; on failure roll back and raise.

        :returns: the placed destinations.
        :raises IntegrationError: naming the file and the reason; nothing placed remains.
        """
        if self.committed:
            raise IntegrationError("the file transaction is already committed")
        existing = [str(p.destination) for p in self.planned if p.destination.exists()]
        if existing:
            raise IntegrationError(
                f"refusing to overwrite published files that exist: {', '.join(existing)}; "
                "they belong to no unfinished publish: if no version registers them, move "
                "them away ('stalker doctor' lists what killed publishes left)"
            )
        current: _Planned | None = None
        try:
            self._prepare()
            for p in self.planned:
                current = p
                if not p.source.is_file():
                    raise IntegrationError(f"extracted file {str(p.source)!r} is missing")
                stage = self.staging_dirs.get(p.destination.parent)
                if stage is None:
                    stage = self.journal.staging_folder(p.destination.parent)
                    stage.mkdir()
                    self.staging_dirs[p.destination.parent] = stage
                p.staged = stage / p.destination.name
                _copy_file(p.source, p.staged)
                self.journal.inodes[str(p.destination)] = p.staged.stat().st_ino
            self.journal.phase = "placing"
            self._write_journal()
            fault("publish:staged")
            for p in self.planned:
                current = p
                assert p.staged is not None
                try:
                    _place(p.staged, p.destination)
                except FileExistsError:
                    raise IntegrationError(
                        f"refusing to overwrite {str(p.destination)!r}: it appeared during publish"
                    ) from None
                p.placed = True
            fault("publish:placed")
        except IntegrationError:
            self.rollback()
            raise
        except OSError as exc:
            self.rollback()
            where = str(current.destination) if current is not None else "a published file"
            raise IntegrationError(
                f"could not place {where!r}: {exc.strerror or exc}; nothing was published"
            ) from exc
        except BaseException:
            self.rollback()
            raise
        self._remove_staging()
        self.committed = True
        return self.destinations

    def _prepare(self) -> None:
        """Create the folders (inside the repositories), then write the journal."""
        folders = list(dict.fromkeys(p.destination.parent for p in self.planned))
        for dest in self.destinations:
            problem = path_too_long(dest)
            if problem:
                raise IntegrationError(f"cannot publish: {problem}")
        for folder in folders:
            check_confined(folder, self.roots)
            self.created_dirs.extend(make_dirs(folder))
            check_confined(folder, self.roots)
        journal = self.journal
        journal.files = [str(d) for d in self.destinations]
        journal.folders = [str(f) for f in folders]
        journal.created = [str(d) for d in self.created_dirs]
        journal.staging = [str(journal.staging_folder(f)) for f in folders]
        self._write_journal()
        fault("publish:journaled")

    def _write_journal(self) -> None:
        """Write the journal; a failure names the journal and its folder.

        :raises IntegrationError: a copy could not be written.
        """
        try:
            self.journal.write()
        except OSError as exc:
            failed = Path(exc.filename).parent if exc.filename else None
            where = (f" in {str(failed)!r}" if failed is not None
                     else f" in {', '.join(repr(f) for f in self.journal.folders)}")
            raise IntegrationError(
                f"could not write the publish journal {self.journal.name!r}{where}: "
                f"{exc.strerror or exc}; nothing was published (the folder should be writable "
                "by this user and have free space)"
            ) from exc

    def finish(self) -> None:
        """The work after :meth:`commit` is committed too: the journal goes."""
        self.journal.remove()

    def rollback(self) -> None:
        """Remove every placed file, staged copy and folder this transaction made."""
        for p in self.planned:
            if p.placed:
                p.destination.unlink(missing_ok=True)
                p.placed = False
        self._remove_staging()
        self.journal.remove()
        remove_empty_dirs(self.created_dirs)
        self.created_dirs.clear()
        self.committed = False

    def _remove_staging(self) -> None:
        for stage in self.staging_dirs.values():
            shutil.rmtree(stage, ignore_errors=True)
        self.staging_dirs.clear()
