"""Child process of the fault-injection tests: save or publish, and die at a fault point.

Usage: ``python crash_worker.py DB_URL OP TARGET_ID POINT`` (see
:func:`stalker_core.testing.faults.run_worker`); prints the result as one JSON
line when the process was not killed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    url, op, target, point = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for wf_helpers
    from wf_helpers import make_pm

    from stalker_core.testing.faults import run_worker

    # acts as the tasks' artist (wf_helpers.build_project), who may save and publish
    print(json.dumps(run_worker(url, op, target, point, make_pm(), user="artist")), flush=True)


if __name__ == "__main__":
    main()
