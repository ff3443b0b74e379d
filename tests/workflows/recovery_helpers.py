"""Helpers of the recovery tests: run a worker that is killed at a point, list leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from stalker_core.workflows.journal import JOURNAL_PREFIX, STAGING_PREFIX

HERE = Path(__file__).parent


def db_url(session: Any) -> str:
    """The URL of the test database (with its password)."""
    return str(session.get_bind().url.render_as_string(hide_password=False))


def run_killed(session: Any, op: str, target: int, point: str) -> int:
    """Run ``crash_worker.py`` until it is killed at ``point`` (asserted); return its pid."""
    path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "crash_worker.py"), db_url(session), op, str(target), point],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=path),
    )
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, err)
    return proc.pid


def leftovers(root: Path) -> list[str]:
    """Journals, staging folders and ``.saving`` files below ``root``."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.name.startswith((JOURNAL_PREFIX, STAGING_PREFIX)) or ".saving" in p.name
    )
