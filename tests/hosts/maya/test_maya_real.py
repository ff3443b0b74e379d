"""Opt-in: the host contract inside a real Maya, when ``STALKER_MAYAPY`` points at ``mayapy``.

The one command (pytest must be installed in Maya's Python, and
stalker_core importable from it)::

    STALKER_MAYAPY=/usr/autodesk/maya2025/bin/mayapy pytest tests/hosts/maya/test_maya_real.py

It runs ``test_maya_contract.py`` under ``mayapy`` with ``STALKER_MAYA_REAL=1``,
so the conftest initialises ``maya.standalone`` instead of using the fake.
Without ``STALKER_MAYAPY`` the test is skipped and says why.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def test_contract_inside_real_maya() -> None:
    mayapy = os.environ.get("STALKER_MAYAPY")
    if not mayapy:
        pytest.skip("STALKER_MAYAPY is not set; set it to a mayapy to run the contract in Maya")
    env = dict(os.environ, STALKER_MAYA_REAL="1")
    paths = [str(ROOT), str(ROOT / "hosts"), str(ROOT / "plugins")]
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [mayapy, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(HERE / "test_maya_contract.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
