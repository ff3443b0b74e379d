"""Launching Maya: discovery on fake install trees, and the environment a launched Maya gets.

Maya cannot run here: the launched program is tests/fakes/fake_dcc.py, a FAKE
executable placed where Maya would be, which records what it was started with.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import stalker_maya.launch as maya_launch
from launch_helpers import fake_executable, launch_and_record
from stalker_maya.launch import MODULE_DIR, Roots, discover, prepare
from wf_helpers import make_pm

from stalker_core.workflows.launch import plan_launch


def test_discovery_in_autodesk_folders(tmp_path: Path) -> None:
    linux = fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    fake_executable(tmp_path / "autodesk/maya2024/bin/mayabatch")  # no maya: skipped
    windows = fake_executable(tmp_path / "Autodesk/Maya2024/bin/maya.exe")
    mac = fake_executable(tmp_path / "Apps/maya2023/Maya.app/Contents/bin/maya")
    found = discover(Roots(linux=tmp_path / "autodesk", windows=tmp_path / "Autodesk",
                           macos=tmp_path / "Apps"))
    assert {(i.variant, i.executable) for i in found} == {
        ("2025", linux), ("2024", windows), ("2023", mac)}


def test_prepare_puts_the_module_and_the_core_on_maya_paths() -> None:
    env = {"MAYA_MODULE_PATH": "/studio/modules", "PYTHONPATH": "/studio/python",
           "STALKER_PYTHONPATH": os.pathsep.join(["/deploy/core", "/deploy/site"])}
    prepare(env)
    assert env["MAYA_MODULE_PATH"].split(os.pathsep) == [str(MODULE_DIR), "/studio/modules"]
    assert env["PYTHONPATH"].split(os.pathsep) == ["/deploy/core", "/deploy/site",
                                                   "/studio/python"]
    assert (MODULE_DIR / "stalker.mod").is_file()


def test_a_discovered_maya_is_started_with_the_pipeline_environment(
    session: Any, demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_executable(tmp_path / "autodesk/maya2026/bin/maya")
    monkeypatch.setattr(maya_launch, "DEFAULT_ROOTS", Roots(linux=tmp_path / "autodesk",
                                                            windows=tmp_path / "autodesk",
                                                            macos=tmp_path / "autodesk"))
    import stalker_maya.plugin

    record = tmp_path / "record.json"
    plan = plan_launch("maya", demo.anim, variant="2026", base_env={"FAKE_DCC_RECORD": str(record)},
                       session=session, plugin_manager=make_pm(stalker_maya.plugin))
    assert plan.install.source == "maya"
    seen = launch_and_record(plan, record)
    assert seen["env"]["MAYA_MODULE_PATH"].split(os.pathsep)[0] == str(MODULE_DIR)
    assert seen["env"]["STALKER_TASK_ID"] == str(demo.anim.id)
    core = seen["env"]["STALKER_PYTHONPATH"].split(os.pathsep)
    assert seen["env"]["PYTHONPATH"].split(os.pathsep)[: len(core)] == core
