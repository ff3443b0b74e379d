"""Several processes saving versions of the same task at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from wf_helpers import Demo

HERE = Path(__file__).parent
WORKERS = 3
SAVES = 4


def test_concurrent_saves_get_distinct_numbers_and_files(
    session: Any, demo: Demo, tmp_path: Path
) -> None:
    from stalker_core.models import Version

    url = session.get_bind().url.render_as_string(hide_password=False)
    go = tmp_path / "go"
    path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "wf_worker.py"), url, str(demo.comp.id), str(SAVES),
             str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for _ in range(WORKERS)
    ]
    go.touch()
    saved = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        saved += [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(saved) == WORKERS * SAVES
    numbers = sorted(s["number"] for s in saved)
    assert numbers == list(range(1, WORKERS * SAVES + 1))
    paths = {s["path"] for s in saved}
    assert len(paths) == WORKERS * SAVES
    for s in saved:
        content = json.loads(Path(s["path"]).read_text())
        assert content["metadata"]["stalker_version_id"] == str(s["id"])  # nobody overwrote it
    session.expire_all()
    rows = session.scalars(select(Version).where(Version.task_id == demo.comp.id)).all()
    assert sorted(v.version_number for v in rows) == numbers
    on_disk = sorted(p.name for p in Path(saved[0]["path"]).parent.iterdir() if p.is_file())
    assert len(on_disk) == WORKERS * SAVES  # no leftovers, no temporary files
