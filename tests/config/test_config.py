"""Layered TOML configuration: declared defaults < studio file < keyword overrides."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stalker_core import config
from stalker_core.config.text import defaults_toml
from stalker_core.exceptions import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    cfg = config.get_config()
    assert cfg.database_url == f"sqlite:///{config.user_data_dir() / 'stalker.db'}"
    assert cfg.working_hours["mon"] == [[540, 1080]]
    assert cfg.working_hours["sun"] == []
    assert cfg.timing_resolution == 3600
    assert cfg.daily_working_hours == 9
    assert cfg.weekly_working_hours == 45
    assert cfg.status_lists["Project"] == ["RTS", "WIP", "CMPL"]
    assert cfg.status_name("WIP") == "Work In Progress"
    assert set(cfg.status_lists) == {
        "Task", "Asset", "Shot", "Sequence", "Scene", "Project", "Ticket", "Review", "Daily"
    }
    assert cfg.ticket_types == ["Defect", "Enhancement"]
    assert cfg.tj3_command == "tj3"
    assert cfg.plugins_blocked == [] and cfg.plugins_strict is False
    assert cfg.plugins_autoload is True
    assert cfg.sources == (config.DEFAULTS_SOURCE,)
    assert config.get_config() is cfg  # cached


def test_days_of_the_default_week_are_separate_lists() -> None:
    cfg = config.Config()
    cfg.working_hours["mon"].append([1200, 1260])
    assert cfg.working_hours["tue"] == [[540, 1080]]
    assert config.Config().working_hours["mon"] == [[540, 1080]]


def test_plugins_autoload_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``[plugins] autoload = false`` (documented in docs/hooks.md) is accepted."""
    studio = _write(tmp_path / "studio.toml", "[plugins]\nautoload = false\n")
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    assert config.load_config().plugins_autoload is False
    assert config.get_config(plugins_autoload=True).plugins_autoload is True


def test_user_file_overrides_site_file_overrides_defaults(tmp_path: Path) -> None:
    _write(
        tmp_path / "site" / "stalker.toml",
        '[database]\nurl = "sqlite:///site.db"\n[plugins]\nstrict = true\n',
    )
    _write(tmp_path / "user" / "stalker.toml", '[database]\nurl = "sqlite:///user.db"\n')
    cfg = config.load_config()
    assert cfg.database_url == "sqlite:///user.db"
    assert cfg.plugins_strict is True  # from the site file
    assert len(cfg.sources) == 3


def test_stalker_config_env_names_the_studio_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "user" / "stalker.toml", '[database]\nurl = "sqlite:///user.db"\n')
    studio = _write(tmp_path / "studio.toml", "[working_hours]\nsat = [[600, 720]]\n")
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    cfg = config.load_config()
    assert cfg.working_hours["sat"] == [[600, 720]]
    assert cfg.working_hours["mon"] == [[540, 1080]]  # untouched keys keep the defaults
    assert cfg.database_url != "sqlite:///user.db"  # the env file replaces the user file


def test_missing_env_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKER_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="nope.toml"):
        config.load_config()


def test_keyword_overrides_win(tmp_path: Path) -> None:
    _write(tmp_path / "user" / "stalker.toml", '[database]\nurl = "sqlite:///user.db"\n')
    cfg = config.get_config(database_url="sqlite://", tj3_command="/opt/tj3")
    assert cfg.database_url == "sqlite://"
    assert cfg.tj3_command == "/opt/tj3"
    assert config.get_config(**{"schedule.timing_resolution": 600}).timing_resolution == 600
    assert config.get_config(working_hours={"sun": [[60, 120]]}).working_hours["sun"] == [[60, 120]]


def test_configure_sets_process_overrides() -> None:
    config.configure(database_url="sqlite:///configured.db")
    assert config.get_config().database_url == "sqlite:///configured.db"
    from stalker_core import defaults

    assert defaults.database_url == "sqlite:///configured.db"
    config.reset()
    assert config.get_config().database_url != "sqlite:///configured.db"


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[database]\nurl = 5\n", "database.url", "string"),
        ("[databse]\nurl = 'x'\n", "databse", "unknown"),
        ("[schedule]\ntiming_resolution = -5\n", "schedule.timing_resolution", "positive"),
        ("[schedule]\ndaily_working_hours = 30\n", "schedule.daily_working_hours", "<= 24"),
        ("[working_hours]\nmon = [[600, 500]]\n", "working_hours.mon", "start < end"),
        ("[working_hours]\nmon = [[0, 600], [500, 700]]\n", "working_hours.mon", "overlap"),
        ("[working_hours]\nmon = 'all day'\n", "working_hours.mon", "pairs"),
        ("[plugins]\nstrict = 'yes'\n", "plugins.strict", "true or false"),
        ("[plugins]\nblocked = [1]\n", "plugins.blocked", "list of strings"),
        ("[plugins]\nautoload = 0\n", "plugins.autoload", "true or false"),
        ("[plugins]\nautoloads = false\n", "plugins.autoloads", "unknown"),
        ("[working_hours]\nsunday = []\n", "working_hours.sunday", "unknown"),
        ("[status_lists]\nTask = ['NOPE']\n", "status_lists", "no name"),
        ("[templates]\nmax_seconds = nan\n", "templates.max_seconds", "a number > 0"),
        ("[templates]\nmax_seconds = inf\n", "templates.max_seconds", "a number > 0"),
    ],
)
def test_errors_name_the_file_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, key: str, words: str
) -> None:
    path = _write(tmp_path / "bad.toml", text)
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError) as info:
        config.load_config()
    message = str(info.value)
    assert "bad.toml" in message
    assert repr(key) in message
    assert words in message


def test_toml_syntax_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "broken.toml", "[database\nurl=")
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError, match="broken.toml.*|invalid TOML"):
        config.load_config()


def test_unknown_keyword_override() -> None:
    with pytest.raises(ConfigError, match="databse_url"):
        config.get_config(databse_url="x")


def test_python_is_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "executed"
    path = _write(tmp_path / "stalker.py", f"open({str(marker)!r}, 'w').write('x')\n")
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError):
        config.load_config()
    assert not marker.exists()


@pytest.mark.slow
def test_defaults_ship_in_the_wheel(tmp_path: Path) -> None:
    # build from a copy: setuptools writes build/ and *.egg-info into the source tree,
    # and a stale egg-info in the checkout would hide the installed entry points
    source = tmp_path / "src"
    shutil.copytree(
        ROOT, source,
        ignore=shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info",
                                      "__pycache__", ".*_cache", ".hypothesis"),
    )
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True,
    )
    (wheel,) = out.glob("stalker_core-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "stalker_core/_defaults/stalker.toml" in names
        assert "stalker_core/config/rules.py" in names
        assert any(n.startswith("stalker_core/db/migrations/versions/0001_") for n in names)
        assert "stalker_core/db/migrations/env.py" in names
        assert "stalker_core/db/migrations/script.py.mako" in names
        text = zf.read("stalker_core/_defaults/stalker.toml").decode()
    assert text == defaults_toml()
    # load the configuration from the wheel alone (no checkout on sys.path)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import stalker_core.config as c; assert c.__file__.startswith(sys.argv[1]), c.__file__; "
        "print(c.load_config().status_lists['Project']); "
        "from stalker_core.db import migrate; print('head', migrate.script_head())"
    )
    env_root = tmp_path / "unzipped"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(env_root)
    res = subprocess.run(
        [sys.executable, "-I", "-c", code, str(env_root)], capture_output=True, text=True,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    assert "['RTS', 'WIP', 'CMPL']" in res.stdout
    assert "head 0001" in res.stdout  # the migrations load from the wheel too


def test_a_binary_configuration_file_is_named(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "stalker.toml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\xd0\xff\xfe\x00binary")
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        config.load_config()
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "not a TOML text file" in str(caught.value)


def test_a_section_given_a_value_says_a_table_is_expected(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "stalker.toml"
    path.write_text("plugins = 3\n")
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"expected a table \[plugins\]") as caught:
        config.load_config()
    assert caught.value.key == "plugins"


def test_a_bad_file_does_not_make_tj3_fall_back_to_another_program(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stalker_core.scheduling.taskjuggler.backend import find_tj3

    path = tmp_path / "stalker.toml"
    path.write_text('[schedule]\ntj3_command = "/opt/tj3/bin/tj3"\ntj3_timeuot = 5\n')
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        find_tj3()
    assert caught.value.key == "schedule.tj3_timeuot"
