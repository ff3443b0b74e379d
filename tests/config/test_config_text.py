"""One declaration of the settings; the defaults TOML and docs/configuration.md derive from it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stalker_core import config
from stalker_core.config import text
from stalker_core.exceptions import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_generated_files_are_current() -> None:
    """Run ``python -m stalker_core.config --write`` after changing a declaration."""
    assert text.stale_files(ROOT) == []
    assert config.packaged_defaults_text() == text.defaults_toml()


def test_every_config_field_but_sources_is_a_declared_setting() -> None:
    names = [f.name for f in dataclasses.fields(config.Config)]
    assert names[-1] == "sources"
    assert list(config.SETTINGS) == names[:-1]
    assert config.FIELD_KEYS == {n: s.key for n, s in config.SETTINGS.items()}
    assert set(config.SCHEMA) == {
        k for s in config.SETTINGS.values() for k in s.schema_keys()
    }
    assert "plugins.autoload" in config.SCHEMA
    assert [f"working_hours.{d}" for d in config.WEEKDAYS] == [
        k for k in config.SCHEMA if k.startswith("working_hours.")
    ]


def test_the_defaults_file_reads_back_as_the_declared_defaults(tmp_path: Path) -> None:
    path = tmp_path / "stalker.toml"
    path.write_text(text.defaults_toml(), encoding="utf-8")
    assert config.read_toml(path) == config.declared_defaults()
    assert set(config.declared_defaults()) == set(config.SCHEMA)


def test_declared_defaults_equal_a_bare_config() -> None:
    loaded = dataclasses.asdict(config.load_config())
    bare = dataclasses.asdict(config.Config())
    assert loaded.pop("database_url") == config.default_database_url()
    assert bare.pop("database_url") == ""
    assert loaded.pop("sources") == (config.DEFAULTS_SOURCE,)
    bare.pop("sources")
    assert loaded == bare


def test_defaults_file_documents_every_setting() -> None:
    toml = text.defaults_toml()
    data = tomllib.loads(toml)
    assert data["plugins"] == {"blocked": [], "strict": False, "autoload": True}
    for s in config.SETTINGS.values():
        first_doc_line = text._comment(s.doc)[0]
        assert first_doc_line in toml.splitlines(), s.key


def test_docs_page_lists_every_setting_and_environment_variable() -> None:
    page = text.configuration_md()
    for name, s in config.SETTINGS.items():
        assert f"`{name}`" in page, name
        assert f"`[{s.section}]`" in page, s.section
    for var in config.ENV_VARS:
        assert f"| `{var.name}` |" in page, var.name
    assert "`REPO<id>`" in page
    assert text.defaults_toml() in page


def test_docs_page_says_what_a_configuration_can_run() -> None:
    """tj3_command runs what it names: documented next to STALKER_PLUGINS, from the declaration."""
    page = text.configuration_md()
    section = page.split("## What a configuration can make stalker_core run", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    names = [row.split("`")[1] for row in rows]
    assert "schedule.tj3_command" in names
    assert "STALKER_PLUGINS" in names
    assert "applications" in names
    tj3 = config.SETTINGS["tj3_command"]
    assert tj3.runs and tj3.runs in section  # the text comes from the declaration
    assert "any program" in section
    # the settings table points there too
    tj3_row = next(line for line in page.splitlines() if line.startswith("| `tj3_command` |"))
    assert "#what-a-configuration-can-make-stalker_core-run" in tj3_row


def test_toml_values() -> None:
    assert text.toml_value(True) == "true"
    assert text.toml_value([[540, 1080]]) == "[[540, 1080]]"
    assert text.toml_value('say "hi"\n') == '"say \\"hi\\"\\n"'
    tricky = "é\t\\"
    assert tomllib.loads("k = " + text.toml_value(tricky))["k"] == tricky
    table = {"linux": "/opt/x {version}", "n": [1, 2], "empty": {}}
    assert tomllib.loads("k = " + text.toml_value(table))["k"] == table
    with pytest.raises(TypeError, match="expected a bool"):
        text.toml_value(object())


def test_applications_are_written_as_one_table_each() -> None:
    written = tomllib.loads(text.defaults_toml())["applications"]
    assert written == config.SETTINGS["applications"].default
    assert "[applications.blender]" in text.defaults_toml()


@pytest.mark.parametrize(("bad", "message"), [
    ({"x": {"lable": "X"}}, "unknown keys"),
    ({"x": {"executables": {"beos": "/x"}}}, "unknown platform"),
    ({"x": {"extensions": ["blend"]}}, "start with a dot"),
    ({"x": {"variants": "4.2"}}, "list of strings"),
])
def test_bad_application_definitions_are_refused(bad: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config.load_config(applications=bad)


def test_a_studio_application_table_changes_only_its_keys(monkeypatch, tmp_path) -> None:
    studio = tmp_path / "studio.toml"
    studio.write_text('[applications.nuke]\nvariants = ["16.0v1"]\n\n'
                      '[applications.houdini]\nlabel = "Houdini"\n')
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    apps = config.load_config().applications
    default_nuke = config.SETTINGS["applications"].default["nuke"]
    assert apps["nuke"] == {**default_nuke, "variants": ["16.0v1"]}
    assert apps["houdini"] == {"label": "Houdini"}
    assert apps["blender"] == config.SETTINGS["applications"].default["blender"]


def test_database_url_from_the_environment_wins_over_files(monkeypatch, tmp_path) -> None:
    studio = tmp_path / "studio.toml"
    studio.write_text('[database]\nurl = "sqlite:///from_file.db"\n')
    monkeypatch.setenv("STALKER_CONFIG", str(studio))
    assert config.load_config().database_url == "sqlite:///from_file.db"
    monkeypatch.setenv("STALKER_DATABASE_URL", "sqlite:///from_env.db")
    loaded = config.load_config()
    assert loaded.database_url == "sqlite:///from_env.db"
    assert loaded.sources[-1] == "STALKER_DATABASE_URL"
    assert config.load_config(database_url="sqlite://").database_url == "sqlite://"


def test_command_line_writes_and_checks(tmp_path: Path) -> None:
    assert text.main(["--check", "--root", str(tmp_path)]) == 1
    assert text.main(["--write", "--root", str(tmp_path)]) == 0
    assert (tmp_path / "config" / "stalker.toml").read_text("utf-8") == text.defaults_toml()
    assert text.main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / "docs" / "configuration.md").write_text("edited by hand\n", encoding="utf-8")
    assert text.stale_files(tmp_path) == ["docs/configuration.md"]


def test_python_dash_m_checks_this_checkout() -> None:
    res = subprocess.run([sys.executable, "-m", "stalker_core.config", "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
