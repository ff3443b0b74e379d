"""Runs the NukeHost contract suite inside the real Nuke: ``nuke -t nuke_real_runner.py``.

Started by ``test_nuke_real.py`` when ``STALKER_NUKE`` is set. Nuke's Python
must be able to import stalker_core (installed in it, or on its
``PYTHONPATH``) and pytest. The exit status is pytest's.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run test_nuke_contract.py with the real ``nuke`` module; return pytest's status."""
    import pytest

    os.environ["STALKER_NUKE_INSIDE"] = "1"
    return int(
        pytest.main([
            str(HERE / "test_nuke_contract.py"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(HERE.parents[2]),
        ])
    )


if __name__ == "__main__":
    sys.exit(main())
