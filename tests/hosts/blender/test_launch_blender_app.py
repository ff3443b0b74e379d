"""Launching Blender: discovery on fake install trees, the prepared environment, and the
real Blender application (Debian's ``blender``) started headless by ``stalker launch``."""

from __future__ import annotations

import gzip
import json
import os
import plistlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from launch_helpers import fake_executable
from stalker_blender.launch import PACKAGE_ROOT, SCRIPTS_DIR, Roots, discover, prepare
from virtual_screen import MISSING, screen_environment, virtual_screen
from wf_helpers import add_os_login_user, build_project

from stalker_core.cli.main import main
from stalker_core.models import Version

BLENDER = shutil.which("blender")
needs_blender_app = pytest.mark.skipif(
    BLENDER is None, reason="the Blender application is not installed (apt install blender)")


def test_discovery_reads_versions_from_paths_and_package_files(tmp_path: Path) -> None:
    system = fake_executable(tmp_path / "usr/bin/blender")
    changelog = tmp_path / "changelog.Debian.gz"
    with gzip.open(changelog, "wt") as fh:
        fh.write("blender (3.4.1+dfsg-2+b1) unstable; urgency=medium\n\n  * Rebuild\n")
    unpacked = fake_executable(tmp_path / "opt/blender-4.2.3-linux-x64/blender")
    fake_executable(tmp_path / "opt/blender-broken/blender")  # no version in the name: skipped
    (tmp_path / "opt/blender-5.0.0-linux-x64").mkdir()  # no executable inside: skipped
    windows = fake_executable(tmp_path / "Blender Foundation/Blender 4.1/blender.exe")
    bundle = tmp_path / "Applications/Blender.app"
    mac = fake_executable(bundle / "Contents/MacOS/Blender")
    with open(bundle / "Contents/Info.plist", "wb") as fh:
        plistlib.dump({"CFBundleShortVersionString": "4.5.2"}, fh)
    roots = Roots(system_binary=system, changelog=changelog, unpacked=(tmp_path / "opt",),
                  windows=tmp_path / "Blender Foundation",
                  macos_apps=(tmp_path / "Applications",))
    found = {(i.variant, i.executable) for i in discover(roots)}
    assert found == {("3.4", system), ("4.2", unpacked), ("4.1", windows), ("4.5", mac)}
    assert discover(Roots(system_binary=tmp_path / "none", unpacked=(), windows=tmp_path / "x",
                          macos_apps=())) == []


def test_prepare_points_blender_at_the_startup_script() -> None:
    env = {"STALKER_PYTHONPATH": os.pathsep.join(["/deploy/site-packages"])}
    prepare(env)
    assert env["BLENDER_USER_SCRIPTS"] == str(SCRIPTS_DIR)
    assert (SCRIPTS_DIR / "startup" / "stalker_launcher_startup.py").is_file()
    assert env["STALKER_PYTHONPATH"].split(os.pathsep) == [str(PACKAGE_ROOT),
                                                           "/deploy/site-packages"]
    prepare(env)
    assert env["STALKER_PYTHONPATH"].count(str(PACKAGE_ROOT)) == 1


SAVE_SCRIPT = """
import json, bpy, os
report = {"addon": hasattr(bpy.types, "STALKER_PT_context"),
          "task": os.environ.get("STALKER_TASK_ID"),
          "version": bpy.app.version_string}
bpy.ops.mesh.primitive_cube_add()
result = bpy.ops.stalker.save_as_version(task_id=int(report["task"]),
                                         description="saved by the real Blender")
report["result"] = sorted(result)
report["file"] = bpy.data.filepath
with open(os.environ["TEST_REPORT"], "w") as fh:
    json.dump(report, fh)
"""


@needs_blender_app
@pytest.mark.blender_app
@pytest.mark.slow
def test_stalker_launch_saves_a_version_through_the_real_blender(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo = build_project(session, tmp_path / "repo")
    add_os_login_user(session)  # Blender, a subprocess, acts as the real OS login
    url = session.get_bind().url.render_as_string(hide_password=False)
    report_path = tmp_path / "report.json"
    monkeypatch.setenv("TEST_REPORT", str(report_path))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # nothing may be written in a real home
    code = main(["--db", url, "launch", "blender", "--task", str(demo.anim.id), "--wait",
                 "--", "-b", "--python-expr", SAVE_SCRIPT])
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    report = json.loads(report_path.read_text())
    assert report["addon"] is True and report["task"] == str(demo.anim.id)
    assert report["version"].startswith("3.4") and report["result"] == ["FINISHED"]
    # checked from outside Blender: the database row and the file
    session.rollback()  # a new transaction sees what the Blender process committed
    versions = session.query(Version).filter_by(task_id=demo.anim.id).all()
    assert [(v.version_number, v.created_with) for v in versions] == [(1, "blender")]
    saved = Path(versions[0].absolute_full_path)
    assert saved == Path(report["file"]) and saved.read_bytes()[:7] == b"BLENDER"
    assert versions[0].description == "saved by the real Blender"
    # the launched Blender used no user folder of its own
    assert not (tmp_path / "home" / ".config" / "blender").exists()

    # the second launch opens that file
    report_path.unlink()
    code = main(["--db", url, "launch", "blender", "--task", str(demo.anim.id), "--wait",
                 "--", "-b", "--python-expr",
                 "import bpy, json, os; json.dump({'file': bpy.data.filepath}, "
                 "open(os.environ['TEST_REPORT'], 'w'))"])
    assert code == 0
    assert json.loads(report_path.read_text())["file"] == str(saved)


GUI_SCRIPT = Path(__file__).with_name("blender_gui_script.py")


@needs_blender_app
@pytest.mark.skipif(MISSING is not None, reason=str(MISSING))
@pytest.mark.blender_app
@pytest.mark.slow
def test_the_launched_blender_window_shows_the_task_in_the_stalker_tab(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real Blender window on a virtual screen, started by ``stalker launch``."""
    import subprocess
    import sys

    demo = build_project(session, tmp_path / "repo")
    add_os_login_user(session)  # Blender, a subprocess, acts as the real OS login
    url = session.get_bind().url.render_as_string(hide_password=False)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "HOME": str(tmp_path / "home"), "TEST_REPORT": str(tmp_path / "drawn.json"),
           "SHOT_OUT": str(tmp_path / "blender_panel.png")}
    launch = [sys.executable, "-m", "stalker_core.cli.main", "--db", url, "launch", "blender",
              "--task", str(demo.anim.id), "--wait", "--"]
    # no work file yet: the window starts on a new scene, saved at once as v001
    with virtual_screen() as screen:
        subprocess.run([*launch, "--enable-event-simulate", "--python", str(GUI_SCRIPT)],
                       env=screen_environment(env, screen), check=True, timeout=300)
    report = json.loads((tmp_path / "drawn.json").read_text())
    assert report["tab_found"] is True and report["draws"] >= 1
    assert report["task"] == "SH001 / anim" and report["version"] == "Main v001"
    assert report["project"] == demo.project.code
    assert report["file"].endswith("_v001.blend")
    session.rollback()  # a new transaction sees what Blender committed
    [saved] = session.query(Version).filter_by(task_id=demo.anim.id).all()
    assert saved.created_with == "blender" and saved.description == "New scene from the launcher"
    assert Path(saved.absolute_full_path) == Path(report["file"])
    png = (tmp_path / "blender_panel.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
