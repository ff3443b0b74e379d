"""Helpers of the launcher tests: the FAKE DCC executable (tests/fakes/fake_dcc.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FAKE_DCC = Path(__file__).resolve().parent / "fakes" / "fake_dcc.py"


def fake_executable(path: Path) -> Path:
    """Install the FAKE DCC at ``path`` (runnable, with this Python); return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\n" + FAKE_DCC.read_text())
    path.chmod(0o755)
    return path


def launch_and_record(plan: Any, record: Path) -> dict[str, Any]:
    """Start ``plan`` (whose environment names ``record`` as FAKE_DCC_RECORD); what it saw."""
    from stalker_core.workflows.launch import start

    launch = start(plan)
    assert launch.wait(60) == 0, launch.log_tail()
    return json.loads(record.read_text())


def fake_nuke_studio(tmp_path: Path, monkeypatch: Any) -> Path:
    """A studio configuration whose Nuke 15.1v1 is the FAKE DCC; return its executable.

    Sets ``STALKER_CONFIG`` and ``FAKE_DCC_RECORD`` (``tmp_path/record.json``)
    with ``monkeypatch``; call ``stalker_core.config.reset()`` after the test.
    """
    from stalker_core import config as config_module

    exe = fake_executable(tmp_path / "Nuke15.1v1" / "Nuke15.1")
    studio = tmp_path / "studio.toml"
    studio.write_text('[applications.nuke]\nvariants = ["15.1v1"]\n'
                      f'executables = {{ linux = "{exe}", darwin = "{exe}", windows = "{exe}" }}\n')
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    monkeypatch.setenv("FAKE_DCC_RECORD", str(tmp_path / "record.json"))
    config_module.reset()
    return exe
