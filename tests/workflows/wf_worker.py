"""Worker process of the concurrency tests: save N versions of one task through a FakeHost.

Usage: ``python wf_worker.py DB_URL TASK_ID COUNT GO_FILE`` - waits for GO_FILE to
exist (so all workers start together), then prints one JSON line per version:
``{"id": ..., "number": ..., "path": ...}``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    url, task_id, count, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for wf_helpers
    from wf_helpers import make_pm

    from stalker_core import db
    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession
    from stalker_core.testing.fake_host import FakeHost
    from stalker_core.workflows import save_as_version

    db.setup({"sqlalchemy.url": url})
    pm = make_pm()
    task = DBSession.get(Task, task_id)
    host = FakeHost()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for i in range(count):
        host.edit(f"edit {i}")
        v = save_as_version(host, task, user="artist", session=DBSession, pm=pm)
        print(json.dumps({"id": v.id, "number": v.version_number,
                          "path": v.absolute_full_path}), flush=True)
    DBSession.remove()


if __name__ == "__main__":
    main()
