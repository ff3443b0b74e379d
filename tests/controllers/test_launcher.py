"""The launcher's controller: my tasks, applications, launches (a FAKE DCC), recents."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from launch_helpers import fake_nuke_studio

from stalker_core import config as config_module
from stalker_core.controllers.launcher import LauncherController
from stalker_core.exceptions import LaunchError


@pytest.fixture
def fake_nuke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A studio file whose Nuke is the FAKE executable of tests/fakes/fake_dcc.py."""
    yield fake_nuke_studio(tmp_path, monkeypatch)
    config_module.reset()


def _wait_for_an_end(controller: LauncherController) -> None:
    """Poll until a launch ends (the FAKE DCC exits at once)."""
    while not controller.poll():
        time.sleep(0.02)


@pytest.fixture
def controller(session: Any, demo: Any, pm: Any, tmp_path: Path) -> LauncherController:
    demo.anim.resources.append(demo.user)
    demo.model.resources.append(demo.user)
    session.commit()
    return LauncherController(session=session, plugin_manager=pm, user=demo.user.login,
                              recent_file=tmp_path / "recent.json")


def test_my_tasks_by_path_with_status_in_words(controller: LauncherController, demo: Any) -> None:
    rows = controller.my_task_rows(demo.project.id)
    assert [r.path for r in rows] == sorted(r.path for r in rows)
    assert {r.id for r in rows} == {demo.anim.id, demo.model.id}
    assert all(r.status_text.startswith(r.status_code) and " - " in r.status_text for r in rows)
    code = rows[0].status_code
    assert {r.id for r in controller.my_task_rows(demo.project.id, code)} == {
        r.id for r in rows if r.status_code == code}
    assert controller.my_task_rows(demo.project.id, "CMPL") == []


def test_applications_say_which_are_installed(controller: LauncherController,
                                              fake_nuke: Path) -> None:
    apps = {a.name: a for a in controller.applications()}
    assert apps["nuke"].installs[0] == ("15.1v1", str(fake_nuke)) and apps["nuke"].installed
    assert set(apps) >= {"blender", "maya", "nuke", "krita"}


def test_launch_poll_and_recent(controller: LauncherController, demo: Any, fake_nuke: Path,
                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = controller.launch(demo.anim.id, "nuke")
    assert record.state == "running" and record.text.startswith("RUNNING: Nuke 15.1v1 for")
    _wait_for_an_end(controller)
    assert record.state == "finished" and record.exit_code == 0
    assert record.text.startswith("FINISHED")
    seen = json.loads((tmp_path / "record.json").read_text())
    assert seen["env"]["STALKER_TASK_ID"] == str(demo.anim.id)
    monkeypatch.setenv("FAKE_DCC_EXIT", "4")
    monkeypatch.setenv("FAKE_DCC_OUTPUT", "no licence")
    failed = controller.launch(demo.model.id, "nuke")
    _wait_for_an_end(controller)
    assert failed.state == "failed" and failed.exit_code == 4
    assert "FAILED (exit code 4)" in failed.text and "no licence" in failed.log_tail
    recent = controller.recent()
    assert [(r.task_id, r.application) for r in recent] == [
        (demo.model.id, "nuke"), (demo.anim.id, "nuke")]
    controller.launch(demo.anim.id, "nuke")  # a launch again moves to the front, once
    _wait_for_an_end(controller)
    assert [r.task_id for r in controller.recent()] == [demo.anim.id, demo.model.id]


def test_a_launch_that_cannot_start_is_a_clear_error(controller: LauncherController,
                                                      demo: Any) -> None:
    with pytest.raises(LaunchError, match="no application is called 'houdini'"):
        controller.launch(demo.anim.id, "houdini")
    with pytest.raises(LaunchError, match="has child tasks"):
        controller.launch(demo.shot.id, "nuke")
    assert controller.launches == [] and controller.recent() == []


def test_a_damaged_recent_file_counts_as_none(controller: LauncherController) -> None:
    controller.recent_file.write_text("{not json")
    assert controller.recent() == []
