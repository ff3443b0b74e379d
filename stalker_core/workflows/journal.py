"""Journals of unfinished file operations, so a killed save or publish can be undone.

A save or a publish writes files before its database commit. If the process
dies in between (``kill -9``, a crash, a power cut), the files stay while the
database knows nothing of them. So before it writes anything it can leave
behind, the operation writes a small JSON *journal* next to its files
(``.stalker-journal-<token>.json``), naming who it is (host name and process
id), the version and every file and folder it is about to make. It removes the
journal once it committed or rolled back. A journal found later belongs to an
operation that is still running or that died: :mod:`stalker_core.workflows.reconcile`
tells the two apart (:meth:`Owner.state`) and undoes what a dead one left.

Every leftover is named after its owner's *token* (``<host>.<pid>.<random>``):
the journal, the staging folders of a publish (``.stalker-staging-<token>``)
and its temporary folder (``stalker-publish-<token>-*`` in the system's temp
folder). So whether a leftover is abandoned can be told from its name alone,
even when the process died before writing its journal.

:func:`fault` marks the points where a test may kill the process
(:mod:`stalker_core.testing.faults`); it does nothing otherwise.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: name prefix of a journal file (followed by the token and ``.json``)
JOURNAL_PREFIX = ".stalker-journal-"
#: name prefix of a publish's staging folder next to its destinations
STAGING_PREFIX = ".stalker-staging-"
#: name prefix of a publish's temporary folder (the extractors' staging) in the temp folder
TEMP_PREFIX = "stalker-publish-"
#: suffix of a journal being written (renamed onto the journal once complete)
PART_SUFFIX = ".part"
#: suffix of a save's placeholder under the journal's name (linked as the work file)
RESERVE_SUFFIX = ".reserve"

#: a token: host, process id, random part
_TOKEN = re.compile(r"^(?P<host>[A-Za-z0-9-]{1,40})\.(?P<pid>\d+)\.(?P<rand>[0-9a-f]{8})")

#: set by tests (:mod:`stalker_core.testing.faults`): called with the name of each fault point
FAULT_HOOK: Callable[[str], None] | None = None

#: tokens of this process's operations whose commit is in doubt (:meth:`Journal.leave_in_doubt`)
_IN_DOUBT: set[str] = set()


def fault(point: str) -> None:
    """A point where a fault-injection test may stop the process (no-op otherwise)."""
    if FAULT_HOOK is not None:
        FAULT_HOOK(point)


def host_name() -> str:
    """This computer's name as it appears in tokens (letters, digits and ``-``)."""
    name = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"
    return name[:40]


@dataclass(frozen=True)
class Owner:
    """Who made a leftover: a process on a computer, and when (if known)."""

    host: str
    pid: int
    started: float = 0.0

    @classmethod
    def me(cls) -> Owner:
        """This process."""
        return cls(host_name(), os.getpid(), time.time())

    @classmethod
    def from_name(cls, name: str, started: float = 0.0) -> Owner | None:
        """The owner encoded in a leftover's name, or ``None`` for a name without a token."""
        for prefix in (JOURNAL_PREFIX, STAGING_PREFIX, TEMP_PREFIX):
            if name.startswith(prefix):
                m = _TOKEN.match(name[len(prefix):])
                if m is not None:
                    return cls(m["host"], int(m["pid"]), started)
        return None

    def token(self) -> str:
        """A new token of this owner (unique per operation)."""
        return f"{self.host}.{self.pid}.{uuid.uuid4().hex[:8]}"

    def state(self, stale_after: float, now: float | None = None) -> str:
        """``"running"``, ``"dead"`` (provably gone) or ``"unknown"`` (another computer).

        A process of this computer is dead when no process has its id (a
        reused id counts as running: nothing is removed by mistake). This
        process counts as running. A process of another computer cannot be
        asked: it is taken as dead once its leftover is older than
        ``stale_after`` seconds, otherwise its state is ``"unknown"``.
        """
        if self.host != host_name():
            now = time.time() if now is None else now
            if self.started and now - self.started > stale_after:
                return "dead"
            return "unknown"
        if self.pid == os.getpid():
            return "running"
        return "running" if pid_alive(self.pid) else "dead"

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}"


def token_of(name: str) -> str | None:
    """The owner's token in a leftover's name (journal, staging or temporary folder), or None."""
    for prefix in (JOURNAL_PREFIX, STAGING_PREFIX, TEMP_PREFIX):
        if name.startswith(prefix):
            m = _TOKEN.match(name[len(prefix):])
            if m is not None:
                return m.group(0)
    return None


def in_doubt(name: str) -> bool:
    """True for a leftover of this process's operation whose commit is in doubt.

    Such an operation is over (it raised), so its leftovers are finished or
    undone as a dead process's although this process is still running.
    """
    token = token_of(name)
    return token is not None and token in _IN_DOUBT


def pid_alive(pid: int) -> bool:
    """Whether a process with id ``pid`` exists on this computer (zombies count as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@dataclass
class Journal:
    """What an unfinished save or publish is about to write (see the module docstring).

    :param kind: ``"publish"`` or ``"save"``.
    :param version_id: the Version being saved or published.
    """

    kind: str
    version_id: int | None = None
    #: the owner's token (names the journal, the staging and temporary folders)
    token: str = ""
    host: str = ""
    pid: int = 0
    started: float = 0.0
    #: ``"staging"``: nothing placed yet; ``"placing"``: destinations may exist;
    #: ``"saving"``: the work file is reserved and being written
    phase: str = "staging"
    #: the files the operation places (publish) or its work file (save)
    files: list[str] = field(default_factory=list)
    #: destination -> inode of our copy (a publish's placed file keeps its staged inode)
    inodes: dict[str, int] = field(default_factory=dict)
    #: folders the operation created (outermost first; for information)
    created: list[str] = field(default_factory=list)
    #: staging folders next to the destinations
    staging: list[str] = field(default_factory=list)
    #: the publish's temporary folder
    temp: str = ""
    #: save: names next to the work file before the save (kept when cleaning up)
    before: list[str] = field(default_factory=list)
    #: where copies of this journal are (one per destination folder)
    folders: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.token:
            me = Owner.me()
            self.token, self.host, self.pid, self.started = (
                me.token(), me.host, me.pid, me.started
            )

    def __repr__(self) -> str:
        return (f"<Journal {self.kind} version={self.version_id} {self.owner} "
                f"phase={self.phase} files={len(self.files)}>")

    @property
    def owner(self) -> Owner:
        """The process that wrote the journal."""
        return Owner(self.host, self.pid, self.started)

    @property
    def name(self) -> str:
        """The journal's file name."""
        return f"{JOURNAL_PREFIX}{self.token}.json"

    @property
    def paths(self) -> list[Path]:
        """Every copy of the journal."""
        return [Path(f) / self.name for f in self.folders]

    def staging_folder(self, parent: Path) -> Path:
        """The name of this operation's staging folder in ``parent``."""
        return parent / f"{STAGING_PREFIX}{self.token}"

    def write(self) -> None:
        """Write (or rewrite) every copy atomically: a reader sees the old or the new one."""
        text = json.dumps(asdict(self), indent=1)
        for path in self.paths:
            part = path.with_name(path.name + PART_SUFFIX)
            try:
                part.write_text(text, encoding="utf-8")
                os.replace(part, path)
            except BaseException:
                part.unlink(missing_ok=True)  # a half-written part (disk full) goes
                raise

    def remove(self) -> None:
        """Remove every copy (the operation is finished)."""
        for path in self.paths:
            path.with_name(path.name + RESERVE_SUFFIX).unlink(missing_ok=True)
            path.with_name(path.name + PART_SUFFIX).unlink(missing_ok=True)
            path.unlink(missing_ok=True)

    def leave_in_doubt(self) -> None:
        """Keep the journal of an operation that ended without knowing whether it committed.

        The operation is over: whoever reconciles its folders next (a save or
        publish of this process included, see :func:`in_doubt`) keeps its
        files if its rows were committed and removes them otherwise.
        """
        _IN_DOUBT.add(self.token)

    def reserve(self, path: Path) -> None:
        """Reserve ``path`` as an empty file for a save, provably as this operation's.

        The journal is written first (phase ``"reserving"``), then the empty
        placeholder is made under the journal's own name (``<journal>.reserve``)
        and hard-linked as ``path`` (atomic; fails when ``path`` exists); then
        the journal is rewritten (phase ``"saving"``, with the names next to
        ``path``) and the second name removed. Killed in between, the
        placeholder is known to be ours because both names are one file.
        Without hard links the placeholder is created directly.

        :raises FileExistsError: ``path`` exists (nothing of this call remains).
        :raises OSError: the folder cannot be written.
        """
        self.files, self.folders, self.phase = [str(path)], [str(path.parent)], "reserving"
        self.write()  # leaves nothing when it fails
        marker = self.paths[0].with_name(self.name + RESERVE_SUFFIX)
        linked = False
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            try:
                os.link(marker, path)
            except FileExistsError:
                raise
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                    raise
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            linked = True
            self.inodes = {str(path): path.stat().st_ino}
            self.before = save_snapshot(path)
            self.phase = "saving"
            self.write()
        except BaseException:
            if linked:
                path.unlink(missing_ok=True)
            self.remove()
            raise
        finally:
            marker.unlink(missing_ok=True)

    @classmethod
    def read(cls, path: Path) -> Journal:
        """Read a journal file.

        :raises ValueError: the file is not a journal (malformed JSON or fields).
        :raises OSError: the file cannot be read.
        """
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") not in ("publish", "save"):
            raise ValueError(f"{path} is not a journal")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError as exc:
            raise ValueError(f"{path} is not a journal: {exc}") from exc


def save_snapshot(path: Path) -> list[str]:
    """The names next to ``path`` that a save of ``path`` could create (before it saves)."""
    return sorted(_save_names(path))


def _save_names(path: Path) -> set[str]:
    """Names in ``path``'s folder a host writes for ``path``: the file, sidecars, temporaries.

    That is ``name*`` (the file, ``name.stalker.json``), ``.name*`` (a hidden
    temporary ``.name.1a2b3c4d.saving``) and ``.stem.*.saving*`` (a temporary
    keeping the extension, ``.stem.1a2b3c4d.saving.ma``).
    """
    folder, name, stem = path.parent, path.name, path.stem
    try:
        entries = [p.name for p in folder.iterdir()]
    except OSError:
        return set()
    return {
        n for n in entries
        if n.startswith(name) or n.startswith("." + name)
        or (n.startswith(f".{stem}.") and ".saving" in n)
    }


def remove_save_leftovers(path: Path, before: list[str] | set[str]) -> list[Path]:
    """Remove ``path`` and what a save of it created next to it (names not in ``before``).

    :returns: the files removed.
    """
    removed: list[Path] = []
    for name in ({path.name} | _save_names(path)) - (set(before) - {path.name}):
        target = path.parent / name
        try:
            if target.is_file() or target.is_symlink():
                target.unlink()
                removed.append(target)
        except OSError:  # pragma: no cover - best effort
            continue
    return removed
