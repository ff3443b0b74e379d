"""The Nuke plugin's host detection and the start-up files, on the FAKE nuke module."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import stalker_nuke

NUKE_PATH = Path(stalker_nuke.__file__).parent / "nuke_path"


def test_host_get_answers_only_inside_nuke(fake_nuke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from stalker_nuke import plugin

    host = plugin.stalker_host_get(context=None)
    assert host is not None and host.name == "nuke"
    monkeypatch.delitem(sys.modules, "nuke")
    assert plugin.running_in_nuke() is False
    assert plugin.stalker_host_get(context=None) is None
    monkeypatch.setitem(sys.modules, "nuke", type(sys)("nuke"))  # a module that is not Nuke
    assert plugin.stalker_host_get(context=None) is None


def test_plugin_manager_offers_the_nuke_host(fake_nuke: Any) -> None:
    from nuke_project import plugin_manager

    host = plugin_manager().hook.stalker_host_get(context=None)
    assert host.name == "nuke"


def test_init_survives_a_failing_import(
    fake_nuke: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "stalker_nuke.startup", None)  # import raises ImportError
    runpy.run_path(str(NUKE_PATH / "init.py"))
    err = capsys.readouterr().err
    assert "Stalker: not loaded (ModuleNotFoundError" in err and "Nuke starts without it" in err


def test_init_survives_a_broken_environment() -> None:
    """A render node whose stalker_core raises on import: init.py reports it and Nuke goes on."""
    script = f"""
import runpy, sys

class BrokenInstall:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "stalker_core":
            raise RuntimeError("no database configured")

sys.meta_path.insert(0, BrokenInstall())
runpy.run_path({str(NUKE_PATH / "init.py")!r})
print("nuke started")
"""
    env = dict(os.environ, PYTHONPATH=str(NUKE_PATH.parent.parent))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "nuke started"
    assert "Stalker: not loaded (RuntimeError: no database configured)" in done.stderr


def test_init_initializes(fake_nuke: Any, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(NUKE_PATH / "init.py"))
    assert "Stalker" not in capsys.readouterr().err


def test_menu_only_in_the_gui(fake_nuke: Any, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(NUKE_PATH / "menu.py"))
    assert fake_nuke._menus == {} and capsys.readouterr().err == ""


def test_menu_survives_errors(
    fake_nuke: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_nuke._reset(gui=True)
    monkeypatch.setitem(sys.modules, "stalker_nuke.startup", None)
    runpy.run_path(str(NUKE_PATH / "menu.py"))
    assert "Stalker: no menu (ModuleNotFoundError" in capsys.readouterr().err
