"""Launching Nuke: discovery on fake install trees, and the environment a launched Nuke gets.

Nuke cannot run here: the launched program is tests/fakes/fake_dcc.py, a FAKE
executable placed where Nuke would be, which records what it was started with.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from launch_helpers import fake_executable, launch_and_record
from stalker_nuke.launch import NUKE_PATH_DIR, Roots, discover, prepare
from wf_helpers import make_pm

from stalker_core.workflows.launch import plan_launch


def test_discovery_in_foundry_folders(tmp_path: Path) -> None:
    linux = fake_executable(tmp_path / "local/Nuke15.1v1/Nuke15.1")
    fake_executable(tmp_path / "local/NukeStudio/Nuke")  # no version in the name: skipped
    windows = fake_executable(tmp_path / "pf/Nuke14.0v5/Nuke14.0.exe")
    mac = fake_executable(tmp_path / "apps/Nuke13.2v8/Nuke13.2v8.app/Contents/MacOS/Nuke13.2")
    found = discover(Roots(linux=tmp_path / "local", windows=tmp_path / "pf",
                           macos=tmp_path / "apps"))
    assert {(i.variant, i.executable) for i in found} == {
        ("15.1v1", linux), ("14.0v5", windows), ("13.2v8", mac)}


def test_prepare_puts_the_start_up_folder_on_nuke_path() -> None:
    env = {"NUKE_PATH": "/studio/nuke", "STALKER_PYTHONPATH": "/deploy/core"}
    prepare(env)
    assert env["NUKE_PATH"].split(os.pathsep) == [str(NUKE_PATH_DIR), "/studio/nuke"]
    assert env["PYTHONPATH"] == "/deploy/core"
    assert (NUKE_PATH_DIR / "init.py").is_file() and (NUKE_PATH_DIR / "menu.py").is_file()


def test_a_discovered_nuke_opens_the_latest_script(
    session: Any, demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stalker_nuke.plugin  # the conftest drops stalker_nuke modules between tests
    from stalker_nuke import launch as nuke_launch

    from stalker_core.testing.fake_host import FakeHost
    from stalker_core.workflows import save_as_version

    exe = fake_executable(tmp_path / "local/Nuke15.1v1/Nuke15.1")
    monkeypatch.setattr(nuke_launch, "DEFAULT_ROOTS", nuke_launch.Roots(
        linux=tmp_path / "local", windows=tmp_path / "local", macos=tmp_path / "local"))

    script = save_as_version(FakeHost(name="nuke", extensions=(".nk",)), demo.comp, "Main",
                             session=session, pm=make_pm())
    record = tmp_path / "record.json"
    plan = plan_launch("nuke", demo.comp, base_env={"FAKE_DCC_RECORD": str(record)},
                       session=session, plugin_manager=make_pm(stalker_nuke.plugin))
    assert plan.install.executable == exe and plan.install.variant == "15.1v1"
    seen = launch_and_record(plan, record)
    assert seen["argv"][1:] == [script.absolute_full_path]
    assert seen["env"]["NUKE_PATH"].split(os.pathsep)[0] == str(NUKE_PATH_DIR)
