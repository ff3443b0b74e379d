"""``stalker doctor``: what killed saves and publishes left in the repositories (both DBs)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from stalker_core.cli.main import main
from stalker_core.workflows.journal import Journal, host_name


def _repo_root(url: str) -> Path:
    from stalker_core import db
    from stalker_core.models import Repository
    from stalker_core.orm.session import DBSession

    engine = db.setup({"sqlalchemy.url": url})
    root = Path(DBSession.query(Repository).filter_by(code="RTP").one().path)
    DBSession.remove()
    engine.dispose()
    return root


def _journal(folder: Path, host: str, pid: int, started: float) -> tuple[Journal, Path]:
    """A publish journal of ``host``/``pid`` that placed one file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    placed = folder / f"placed_by_{host}_{pid}.txt"
    placed.write_text("half a publish")
    j = Journal("publish", version_id=None, token=f"{host}.{pid}.0123abcd", host=host, pid=pid,
                started=started, phase="placing", files=[str(placed)],
                inodes={str(placed): placed.stat().st_ino}, folders=[str(folder)])
    j.write()
    return j, placed


def test_doctor_resolves_dead_leftovers_and_leaves_running_ones(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo_root(studio_db)
    folder = root / "TP/SH001/comp/publish"
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead, dead_file = _journal(folder, host_name(), gone.pid, time.time())
    dead_stage = folder / f".stalker-staging-{host_name()}.{gone.pid}.89abcdef"
    dead_stage.mkdir()
    live, live_file = _journal(folder, host_name(), os.getpid(), time.time())
    other, other_file = _journal(folder, "renderbox-7", 4242, time.time())
    stray = root / "TP/.SH001_comp_Main_v009.fake.1a2b3c4d.saving"
    stray.write_text("?")

    assert main(["--db", studio_db, "doctor", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"would be undone: publish journal {dead.paths[0]}" in out
    assert f"would be removed: staging folder {dead_stage}" in out
    assert dead_file.exists() and dead_stage.exists()

    assert main(["--db", studio_db, "doctor"]) == 0
    out = capsys.readouterr().out
    assert f"undone: publish journal {dead.paths[0]}" in out
    assert f"removed {dead_file}" in out
    assert not dead_file.exists() and not dead_stage.exists() and not dead.paths[0].exists()
    assert f"running: publish journal {live.paths[0]}" in out
    assert f"unknown: publish journal {other.paths[0]}" in out
    assert f"stalker doctor --abandon {other.paths[0]}" in out
    assert f"unknown: temporary file {stray}" in out
    assert "1 repository checked: 2 leftover(s) resolved, 3 left alone" in out
    assert live_file.exists() and other_file.exists() and stray.exists()

    assert main(["--db", studio_db, "doctor", "--abandon", str(other.paths[0])]) == 0
    out = capsys.readouterr().out
    assert f"undone: publish journal {other.paths[0]}" in out
    assert not other_file.exists() and not other.paths[0].exists()
    live.remove()


def test_doctor_refuses_a_stale_after_that_is_not_a_positive_number(
    studio_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("nan", "-1", "0"):
        assert main(["--db", studio_db, "doctor", "--stale-after", bad]) == 2
        assert "is not a number of hours (a finite number greater than 0" in (
            capsys.readouterr().err)
