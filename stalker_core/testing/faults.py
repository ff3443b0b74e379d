"""Fault injection: kill a saving or publishing process at a named point, as ``kill -9`` would.

The workflows mark the points where a crash leaves something behind
(:func:`stalker_core.workflows.journal.fault`). :func:`kill_at` makes this
process send itself ``SIGKILL`` when it reaches one: no ``finally`` block, no
rollback runs, exactly as when the process is killed from outside.

:func:`run_operation` saves a version of a task, or publishes a version,
and is killed at the given point (or not, with ``point=""``): the body of
the child processes of the fault tests (:func:`run_worker`) and of the soak
test (``benchmarks/soak.py``). The caller builds the plugin manager (with the publish
plugin), which this package may not import.

The points, in the order an operation reaches them (:data:`POINTS`):

* save: ``save:reserved`` (name reserved, journal written), ``save:writing``
  (the host's temporary file half written, :class:`CrashingHost` only),
  ``save:written`` (the file written, not committed), ``save:committed``
  (committed, journal not yet removed);
* publish: ``publish:planned`` (extracted into the temporary folder, files
  planned), ``publish:journaled`` (folders made, journal written),
  ``publish:staged`` (copies staged next to the destinations),
  ``publish:placed`` (files placed, database not committed),
  ``publish:committed`` (committed, journal not yet removed).
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

from stalker_core.testing.fake_host import FakeHost
from stalker_core.workfiles import write_atomic
from stalker_core.workflows import journal

#: the fault points of each operation, in order
POINTS: dict[str, tuple[str, ...]] = {
    "save": ("save:reserved", "save:writing", "save:written", "save:committed"),
    "publish": (
        "publish:planned", "publish:journaled", "publish:staged", "publish:placed",
        "publish:committed",
    ),
}

def kill_at(point: str | None) -> None:
    """Send ``SIGKILL`` to this process when it reaches ``point`` (``None``/"": never)."""
    if not point:
        journal.FAULT_HOOK = None
        return

    def hook(reached: str) -> None:
        if reached == point:
            os.kill(os.getpid(), signal.SIGKILL)

    journal.FAULT_HOOK = hook


class CrashingHost(FakeHost):
    """A FakeHost whose save writes its temporary ``.saving`` file halfway, then meets
    the fault point ``save:writing`` (the host was killed in the middle of writing)."""

    def _write_workfile(self, path: Path, record: dict[str, Any]) -> None:
        data = json.dumps(record, indent=1).encode()

        def write(tmp: Path) -> None:
            tmp.write_bytes(data[: len(data) // 2])
            journal.fault("save:writing")
            tmp.write_bytes(data)

        write_atomic(path, write)


def run_operation(
    session: Any, op: str, target: int, point: str, pm: Any, host: FakeHost | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """Save a version of task ``target`` or publish version ``target``; die at ``point``.

    :param op: ``"save"`` or ``"publish"``.
    :param point: one of :data:`POINTS` of ``op`` (``""``: run to the end).
    :param host: the host (default: a new :class:`CrashingHost`).
    :param user: the login acting (default: the OS login's user; see
        :mod:`stalker_core.workflows.permissions`).
    :returns: ``{"id", "number", "path"}`` of the saved version, or
        ``{"id", "published": [paths]}`` of the published one.
    """
    from stalker_core.models import Task, Version
    from stalker_core.workflows import publish, save_as_version

    if op not in POINTS or (point and point not in POINTS[op]):
        raise ValueError(f"op should be one of {sorted(POINTS)} with a point of it, not "
                         f"{op!r} {point!r}")
    host = host or CrashingHost()
    kill_at(point)
    try:
        if op == "save":
            host.edit(f"edit by {os.getpid()}")
            v = save_as_version(host, session.get(Task, target), user=user, session=session,
                                pm=pm)
            return {"id": v.id, "number": v.version_number, "path": v.absolute_full_path}
        version = session.get(Version, target)
        host.open_file(Path(version.absolute_full_path))
        report = publish(host, version, user=user, session=session, pm=pm)
        return {"id": version.id, "published": [str(p) for p in report.published_paths]}
    finally:
        kill_at(None)


def run_worker(url: str, op: str, target: int, point: str, pm: Any,
               user: str | None = None) -> dict[str, Any]:
    """:func:`run_operation` in a process of its own, on the database at ``url``."""
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    db.setup({"sqlalchemy.url": url})
    try:
        return run_operation(DBSession, op, target, point, pm, user=user)
    finally:
        DBSession.remove()
