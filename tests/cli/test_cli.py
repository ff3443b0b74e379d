"""The ``stalker`` command: demo (twice), version save/open/publish/list, plugins, errors."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from stalker_core.cli import main as main_module
from stalker_core.cli.main import main


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_runs_twice(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "demo_repo"
    code, out, err = run(capsys, "--db", cli_db, "demo", "--root", str(root))
    assert code == 0, err
    assert "created project Demo Project DEMO" in out
    assert re.search(r"Hero/model .* v001 .* v001", out)
    published = root / "DEMO/Hero/model/publish/Hero_model_Main_v001.txt"
    assert published.is_file()
    assert (root / "DEMO/SEQ01/SH10/anim/SH10_anim_Main_v001.txt").is_file()
    assert re.search(r"SH10/anim .* \d{4}-\d\d-\d\d \d\d:\d\d", out)  # scheduled

    code, out, err = run(capsys, "--db", cli_db, "demo", "--root", str(root))
    assert code == 0, err
    assert "reusing project Demo Project DEMO" in out
    assert re.search(r"Hero/model .* 2 .* v002 .* v002", out)
    assert (root / "DEMO/Hero/model/publish/Hero_model_Main_v002.txt").is_file()
    assert published.is_file()

    code, out, err = run(capsys, "--db", cli_db, "demo", "--root", str(root), "--fresh")
    assert code == 0, err
    assert "deleted the demo project(s) DEMO" in out
    assert "created project Demo Project DEMO in" in out
    assert re.search(r"Hero/model .* 1 .* v001 .* v001", out)  # started over: one version
    assert not (root / "DEMO/Hero/model/publish/Hero_model_Main_v002.txt").exists()
    from stalker_core.models import Project
    from stalker_core.orm.session import DBSession

    assert [p.code for p in DBSession.query(Project)] == ["DEMO"]
    code, out, err = run(capsys, "--db", cli_db, "schedule", "--no-progress")
    assert code == 0, err
    assert "of 1 project(s)" in out  # later schedules plan the one demo project


def test_version_commands(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    assert run(capsys, "--db", cli_db, "demo", "--root", str(root))[0] == 0
    from stalker_core.models import Task
    from stalker_core.orm.session import DBSession

    comp = DBSession.query(Task).filter_by(name="comp").order_by(Task.id).first()
    src = tmp_path / "plate.nk"
    src.write_text("nuke script")
    code, out, err = run(capsys, "--db", cli_db, "version", "save", "--task", str(comp.id),
                         "--file", str(src), "-m", "first comp")
    assert code == 0, err
    m = re.search(r"saved version (\d+) \(v001\): (\S+)", out)
    assert m and m.group(2).endswith("SH10_comp_Main_v001.nk")
    assert Path(m.group(2)).read_text() == "nuke script"
    vid = m.group(1)

    code, out, err = run(capsys, "--db", cli_db, "version", "list", "--task", str(comp.id))
    assert code == 0 and "SH10_comp_Main_v001.nk" in out

    code, out, err = run(capsys, "--db", cli_db, "version", "open", vid)
    assert code == 0 and "opened" in out

    code, out, err = run(capsys, "--db", cli_db, "version", "publish", vid)
    assert code == 0, err
    assert "published" in out and "SH10_comp_Main_v001.nk" in out
    code, out, err = run(capsys, "--db", cli_db, "version", "list", "--published",
                         "--project", "DEMO")
    assert code == 0, err
    assert "SH10_comp_Main_v001.nk" in out

    code, out, err = run(capsys, "--db", cli_db, "version", "publish", vid)
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        f"error: version {vid} (SH10_comp_Main_v001.nk) is already published"
    )


def test_errors_are_one_line_and_debug_shows_traceback(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", cli_db, "version", "open", "424242")
    # (warnings of plugins that failed to load may come first, one line each)
    errors = [line for line in err.splitlines() if not line.startswith("warning: ")]
    assert code == 1 and errors == ["error: no version with id 424242"]
    code, out, err = run(capsys, "--debug", "--db", cli_db, "version", "open", "424242")
    assert code == 1 and "Traceback" in err and err.endswith("error: no version with id 424242\n")


@pytest.mark.parametrize("words", [("version", "list"), ("timelog", "list")])
def test_a_list_filtered_by_an_unknown_task_says_so(
    cli_db: str, capsys: pytest.CaptureFixture[str], words: tuple[str, ...]
) -> None:
    assert run(capsys, "--db", cli_db, "db", "init")[0] == 0
    code, out, err = run(capsys, "--db", cli_db, *words, "--task", "424242")
    errors = [line for line in err.splitlines() if not line.startswith("warning: ")]
    assert code == 1 and errors == ["error: no task with id 424242"]
    assert out == ""  # no empty table that looks like "no versions yet"


def test_bad_usage_is_clicks_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "version", "save")
    assert code == 2 and "Missing option '--task'" in err


def test_plugins_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plugins", "list")
    assert code == 0, err
    for name in ("standalone", "publish", "stalker_core.workflows.builtin", "stalker_host_get",
                 "entry point standalone = stalker_standalone.plugin"):
        assert name in out


def test_lazy_commands_tolerate_missing_and_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken_cmd_mod.py").write_text(textwrap.dedent("""
        raise RuntimeError("half-installed")
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(main_module.LAZY_COMMANDS, "schedule", "no_such_module_xyz")
    monkeypatch.setitem(main_module.LAZY_COMMANDS, "broken", "broken_cmd_mod")
    code, out, err = run(capsys, "--help")
    assert code == 0
    assert "  schedule " not in out and "  broken " in out and "  version " in out
    code, out, err = run(capsys, "broken")
    assert code == 1 and "the 'broken' command is not available" in err
    assert "half-installed" in err
    code, out, err = run(capsys, "schedule")
    assert code == 2 and "No such command 'schedule'" in err
    sys.modules.pop("broken_cmd_mod", None)


def test_console_script_installed() -> None:
    import shutil

    assert shutil.which("stalker") or Path(sys.executable).with_name("stalker").exists()




def test_demo_on_the_default_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --db the demo goes to stalker.db in the platformdirs user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("STALKER_CONFIG", raising=False)
    from stalker_core import config
    from stalker_core.config import user_data_dir

    config.reset()  # the configuration is cached per process

    expected = user_data_dir() / "stalker.db"
    assert expected.is_relative_to(tmp_path)
    try:
        code, out, err = run(capsys, "demo")
        assert code == 0, err
        assert expected.is_file() and str(expected) in out.replace("\n", "")
        assert (user_data_dir() / "demo_repository/DEMO/Hero/model/publish").is_dir()
    finally:
        from stalker_core.orm.session import DBSession

        bind = DBSession.get_bind()
        DBSession.remove()
        bind.dispose()
        config.reset()
