"""Opt-in: the NukeHost contract suite inside the real Nuke, when ``STALKER_NUKE`` is set.

One command, on a machine with Nuke (its Python must import stalker_core and pytest)::

    STALKER_NUKE="/opt/Nuke15.1v3/Nuke15.1 -t" python -m pytest tests/hosts/nuke/test_nuke_real.py

``STALKER_NUKE`` is the Nuke executable, with or without ``-t`` (added when
missing). Without it the test is skipped and says why.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parent / "nuke_real_runner.py"


def nuke_command() -> list[str]:
    """``STALKER_NUKE`` as a command ending in ``-t`` (skips the test when unset)."""
    value = os.environ.get("STALKER_NUKE", "").strip()
    if not value:
        pytest.skip(
            "STALKER_NUKE is not set: point it at Nuke (`nuke -t`) to run the NukeHost "
            "contract suite inside the real application"
        )
    command = shlex.split(value)
    return command if "-t" in command[1:] else [*command, "-t"]


def run_contract(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the contract suite with ``command`` (a Nuke in terminal mode) and the runner."""
    return subprocess.run(
        [*command, str(RUNNER)],
        capture_output=True,
        text=True,
        env=dict(env, STALKER_NUKE_INSIDE="1"),
        timeout=900,
    )


def test_contract_inside_real_nuke() -> None:
    done = run_contract(nuke_command(), dict(os.environ))
    assert done.returncode == 0, f"inside Nuke:\n{done.stdout}\n{done.stderr}"
    assert " passed" in done.stdout


def test_command_gets_terminal_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKER_NUKE", "'/opt/Nuke 15/Nuke15.1'")
    assert nuke_command() == ["/opt/Nuke 15/Nuke15.1", "-t"]
    monkeypatch.setenv("STALKER_NUKE", "nuke -t")
    assert nuke_command() == ["nuke", "-t"]


def test_runner_with_a_stand_in_for_nuke(tmp_path: Path) -> None:
    """The plumbing of the opt-in run, with Python + the FAKE nuke standing in for ``nuke -t``."""
    import sys

    fakes = Path(__file__).resolve().parents[2] / "fakes"
    stand_in = tmp_path / "nuke"
    stand_in.write_text(f'#!/bin/sh\nshift\nexec {shlex.quote(sys.executable)} "$@"\n')
    stand_in.chmod(0o755)
    path = os.pathsep.join([str(fakes), os.environ.get("PYTHONPATH", "")])
    done = run_contract([str(stand_in), "-t"], dict(os.environ, PYTHONPATH=path))
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert " passed" in done.stdout and "failed" not in done.stdout
