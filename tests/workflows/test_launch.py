"""The launcher: applications, installs, the environment (a pure function), plans and starts.

Maya and Nuke are started as tests/fakes/fake_dcc.py, a FAKE executable that
records its arguments and environment (they cannot run here); the real
launch is tested with the real Blender in tests/hosts/blender.
"""

from __future__ import annotations

import json
import os
import types
from pathlib import Path
from typing import Any

import pytest
from launch_helpers import fake_executable
from wf_helpers import make_pm

from stalker_core import config as config_module
from stalker_core.cli.main import main
from stalker_core.exceptions import LaunchError
from stalker_core.models import Project, Task
from stalker_core.plugins.api import ApplicationInstall, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version
from stalker_core.workflows.launch import (
    LEAKING_VARIABLES,
    build_environment,
    find_installs,
    get_application,
    plan_launch,
    resolve_install,
    start,
)


def maya_config(tmp_path: Path, **launch: Any) -> Any:
    """A configuration whose Maya lives in ``tmp_path/autodesk`` (the fake executable)."""
    apps = {"maya": {
        "label": "Maya", "variants": ["2025", "2024"],
        "executables": {"linux": f"{tmp_path}/autodesk/maya{{version}}/bin/maya",
                        "darwin": f"{tmp_path}/autodesk/maya{{version}}/bin/maya",
                        "windows": f"{tmp_path}/autodesk/maya{{version}}/bin/maya"},
        "file_args": ["-file", "{file}"], "args": ["-noAutoloadPlugins"],
        "env": {"MAYA_APP_VERSION": "{version}"}, "extensions": [".ma", ".mb"]}}
    return config_module.load_config(applications=apps, **launch)


def _plugin(name: str, **hooks: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, func in hooks.items():
        setattr(module, hook, func)
    return module


# --- installs -------------------------------------------------------------------------


def test_configured_variants_first_then_discovered_newest_first(tmp_path: Path) -> None:
    fake_executable(tmp_path / "autodesk/maya2024/bin/maya")
    other = fake_executable(tmp_path / "elsewhere/maya2026/bin/maya")
    older = fake_executable(tmp_path / "elsewhere/maya2023/bin/maya")

    @hookimpl
    def stalker_launch_discover(application: str) -> list[ApplicationInstall] | None:
        if application != "maya":
            return None
        return [ApplicationInstall("maya", "2023", older),
                ApplicationInstall("maya", "2026", other),
                ApplicationInstall("maya", "2024", other)]

    pm = make_pm(_plugin("studio_discovery", stalker_launch_discover=stalker_launch_discover))
    app = get_application("maya", maya_config(tmp_path))
    installs = find_installs(app, pm)
    assert [(i.variant, i.source) for i in installs] == [
        ("2024", "configuration"), ("2026", "studio_discovery"), ("2023", "studio_discovery")]
    assert resolve_install(app, None, pm).variant == "2024"  # the configured one wins
    assert resolve_install(app, "2026", pm).executable == other


def test_missing_install_says_where_it_looked(tmp_path: Path) -> None:
    app = get_application("maya", maya_config(tmp_path))
    with pytest.raises(LaunchError, match=r"Maya 2025 is not installed here \(looked at "
                       r".*maya2025/bin/maya.*applications\.maya\.executables"):
        resolve_install(app, "2025", make_pm())


def test_unknown_application_lists_the_configured_ones(tmp_path: Path) -> None:
    with pytest.raises(LaunchError, match=r"called 'houdini'.*: blender, krita, maya, nuke \("):
        get_application("houdini", maya_config(tmp_path))


# --- the environment ------------------------------------------------------------------


def test_environment_is_a_pure_function_without_the_launcher_leaks(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    base = {
        "PATH": os.pathsep.join([str(venv / "bin"), "/usr/bin"]),
        "PYTHONPATH": os.pathsep.join([str(venv / "lib/site-packages"), "/studio/python"]),
        "VIRTUAL_ENV": str(venv), "PYTHONHOME": str(venv), "QT_PLUGIN_PATH": "/qt/plugins",
        "QT_QPA_PLATFORM": "offscreen", "HOME": "/home/artist", "STALKER_LAUNCH_SAVE_NEW": "1",
    }
    snapshot = dict(base)
    cfg = maya_config(tmp_path)
    app = get_application("maya", cfg)
    install = ApplicationInstall("maya", "2025", tmp_path / "maya")
    task = types.SimpleNamespace(id=42)

    def build() -> dict[str, str]:
        return build_environment(app, install, task, base_env=base, config=cfg,
                                 database_url="postgresql://db/studio", launcher=venv,
                                 python_path=["/deploy/stalker"], plugin_manager=make_pm())

    env = build()
    assert env == build() and base == snapshot
    assert not set(LEAKING_VARIABLES) & set(env)
    assert env["PATH"] == "/usr/bin" and env["PYTHONPATH"] == "/studio/python"
    assert env["HOME"] == "/home/artist"
    assert env["STALKER_TASK_ID"] == "42"
    assert env["STALKER_DATABASE_URL"] == "postgresql://db/studio"
    assert env["STALKER_PYTHONPATH"] == "/deploy/stalker"
    assert env["MAYA_APP_VERSION"] == "2025"
    assert "STALKER_LAUNCH_SAVE_NEW" not in env  # only when this launch asks for it


def test_prepare_hooks_extend_the_environment_in_order(tmp_path: Path) -> None:
    @hookimpl(tryfirst=True)
    def first(env: dict[str, str]) -> None:
        env["ORDER"] = env.get("ORDER", "") + "first,"

    @hookimpl
    def second(application: str, variant: str, task: Any, env: dict[str, str]) -> None:
        env["ORDER"] = env.get("ORDER", "") + f"second:{application}:{variant}:{task.id}"

    pm = make_pm(_plugin("b", stalker_launch_prepare=second),
                 _plugin("a", stalker_launch_prepare=first))
    cfg = maya_config(tmp_path)
    env = build_environment(get_application("maya", cfg),
                            ApplicationInstall("maya", "2024", tmp_path / "m"),
                            types.SimpleNamespace(id=7), base_env={}, config=cfg,
                            database_url="sqlite://", save_new=True, plugin_manager=pm)
    assert env["ORDER"] == "first,second:maya:2024:7"
    assert env["STALKER_LAUNCH_SAVE_NEW"] == "1"


def test_python_path_defaults_to_the_launcher_and_may_be_configured(tmp_path: Path) -> None:
    from stalker_core.workflows.launch import core_python_path

    default = core_python_path(config_module.load_config())
    assert (Path(default[0]) / "stalker_core" / "__init__.py").is_file()
    deploy = config_module.load_config(launch_python_path=["/deploy/py311"])
    assert core_python_path(deploy) == ["/deploy/py311"]


# --- plans ----------------------------------------------------------------------------


def _save(session: Any, task: Any, extension: str, tmp_path: Path) -> Path:
    host = FakeHost(name="maya", extensions=(extension,))
    version = save_as_version(host, task, "Main", "work", session=session, pm=make_pm())
    return Path(version.absolute_full_path)


def test_plan_opens_the_latest_work_file_of_the_application(
    session: Any, demo: Any, tmp_path: Path
) -> None:
    fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    _save(session, demo.anim, ".ma", tmp_path)
    newest = _save(session, demo.anim, ".ma", tmp_path)
    _save(session, demo.anim, ".nk", tmp_path)  # another application's file
    plan = plan_launch("maya", demo.anim.id, extra_args=["-batch"], base_env={},
                       session=session, plugin_manager=make_pm(),
                       config=maya_config(tmp_path), database_url="sqlite:///x.db")
    assert plan.workfile == newest and not plan.save_new
    assert plan.argv[1:] == ("-noAutoloadPlugins", "-file", str(newest), "-batch")
    assert "anim" in str(plan) and str(newest) in str(plan)


def test_plan_without_a_work_file_starts_a_new_scene(
    session: Any, demo: Any, tmp_path: Path
) -> None:
    fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    kwargs: dict[str, Any] = {"base_env": {}, "session": session, "plugin_manager": make_pm()}
    plan = plan_launch("maya", demo.anim.id, config=maya_config(tmp_path), **kwargs)
    assert plan.workfile is None and plan.save_new
    assert plan.env["STALKER_LAUNCH_SAVE_NEW"] == "1"
    assert "-file" not in plan.argv
    plan = plan_launch("maya", demo.anim.id, config=maya_config(tmp_path, launch_save_new=False),
                       **kwargs)
    assert not plan.save_new and "STALKER_LAUNCH_SAVE_NEW" not in plan.env
    _save(session, demo.anim, ".ma", tmp_path)
    plan = plan_launch("maya", demo.anim.id, new=True, config=maya_config(tmp_path), **kwargs)
    assert plan.workfile is None


def test_bad_tasks_start_nothing(session: Any, demo: Any, tmp_path: Path) -> None:
    fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    kwargs: dict[str, Any] = {"base_env": {}, "session": session, "plugin_manager": make_pm(),
                              "config": maya_config(tmp_path)}
    with pytest.raises(LaunchError, match="there is no task with id 987654"):
        plan_launch("maya", 987654, **kwargs)
    with pytest.raises(LaunchError, match="has child tasks; launch one of its leaf tasks"):
        plan_launch("maya", demo.shot.id, **kwargs)
    bare = Project(name="No Repo", code="NOREPO")
    task = Task(name="lonely", project=bare)
    session.add_all([bare, task])
    session.commit()
    with pytest.raises(LaunchError, match="has no repository; add one before launching"):
        plan_launch("maya", task.id, **kwargs)
    with pytest.raises(LaunchError, match="task should be a Task or a task id"):
        plan_launch("maya", "12", **kwargs)


def test_start_runs_the_program_with_the_plan_and_logs_its_output(
    session: Any, demo: Any, tmp_path: Path
) -> None:
    fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    workfile = _save(session, demo.anim, ".ma", tmp_path)
    record = tmp_path / "record.json"
    plan = plan_launch("maya", demo.anim, base_env={"FAKE_DCC_RECORD": str(record)},
                       session=session, plugin_manager=make_pm(), config=maya_config(tmp_path),
                       database_url="sqlite:///studio.db")
    launch = start(plan)
    assert launch.wait(30) == 0
    seen = json.loads(record.read_text())
    assert seen["argv"][1:] == ["-noAutoloadPlugins", "-file", str(workfile)]
    assert seen["env"]["STALKER_TASK_ID"] == str(demo.anim.id)
    assert seen["env"]["STALKER_DATABASE_URL"] == "sqlite:///studio.db"
    assert Path(seen["cwd"]) == workfile.parent
    assert "fake dcc started" in launch.log_tail()


def test_a_missing_program_is_a_clear_error(session: Any, demo: Any, tmp_path: Path) -> None:
    exe = fake_executable(tmp_path / "autodesk/maya2025/bin/maya")
    plan = plan_launch("maya", demo.anim, base_env={}, session=session,
                       plugin_manager=make_pm(), config=maya_config(tmp_path))
    exe.unlink()
    with pytest.raises(LaunchError, match="could not start .*maya2025/bin/maya"):
        start(plan)


# --- the command ----------------------------------------------------------------------


@pytest.fixture
def studio_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A studio file whose Nuke is the FAKE executable."""
    exe = fake_executable(tmp_path / "foundry/Nuke15.1v1/Nuke15.1")
    studio = tmp_path / "studio.toml"
    studio.write_text(
        "[applications.nuke]\n"
        'variants = ["15.1v1"]\n'
        f'executables = {{ linux = "{tmp_path}/foundry/Nuke{{version}}/Nuke{{short}}", '
        f'darwin = "{exe}", windows = "{exe}" }}\n'
        'extensions = [".nk"]\n'
    )
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    config_module.reset()
    yield studio
    config_module.reset()


def _url(session: Any) -> str:
    return session.get_bind().url.render_as_string(hide_password=False)


def test_cli_launch_waits_and_reports_a_crash_with_the_log(
    session: Any, demo: Any, studio_config: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    url = _url(session)
    record = tmp_path / "nuke.json"
    monkeypatch.setenv("FAKE_DCC_RECORD", str(record))
    args = ["--db", url, "launch", "nuke", "--task", str(demo.comp.id), "--wait", "--", "-t", "x"]
    assert main(args) == 0
    seen = json.loads(record.read_text())
    assert seen["argv"][1:] == ["-t", "x"]
    assert seen["env"]["STALKER_DATABASE_URL"] == url
    out = capsys.readouterr().out
    assert "launching Nuke 15.1v1 for task 'comp'" in out and "log: " in out
    monkeypatch.setenv("FAKE_DCC_EXIT", "3")
    monkeypatch.setenv("FAKE_DCC_OUTPUT", "license server not found")
    assert main(["--db", url, "launch", "nuke", "--task", str(demo.comp.id)]) == 1
    err = capsys.readouterr().err
    assert "license server not found" in err
    assert "Nuke exited with code 3 at start-up" in err


def test_cli_dry_run_starts_nothing(
    session: Any, demo: Any, studio_config: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    record = tmp_path / "never.json"
    monkeypatch.setenv("FAKE_DCC_RECORD", str(record))
    assert main(["--db", _url(session), "launch", "nuke", "--task", str(demo.comp.id),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"STALKER_TASK_ID={demo.comp.id}" in out and "Nuke15.1" in out
    assert not record.exists()
