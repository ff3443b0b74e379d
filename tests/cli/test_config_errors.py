"""A bad configuration file is an error of every command, also with ``--db``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stalker_core import config
from stalker_core.cli.main import main


@pytest.fixture
def studio_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "studio.toml"
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    monkeypatch.setenv("COLUMNS", "250")
    config.reset()
    yield path
    config.reset()


@pytest.mark.parametrize(("text", "key", "message"), [
    ("[plugins\nblocked = 3\n", None, "invalid TOML"),
    ('[schedule]\ntj3_comand = "x"\n', "schedule.tj3_comand", "unknown setting"),
    ("[plugins]\nblocked = 3\n", "plugins.blocked", "expected a list of strings"),
    ('[schedule]\ntj3_timeout = "soon"\n', "schedule.tj3_timeout", "invalid value"),
])
def test_bad_configuration_fails_with_db_given(
        cli_db: str, studio_file: Path, capsys: pytest.CaptureFixture[str], text: str,
        key: str | None, message: str) -> None:
    studio_file.write_text(text)
    code = main(["--db", cli_db, "version", "list"])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert message in err
    assert f"file {str(studio_file)!r}" in err
    if key is not None:
        assert f"key {key!r}" in err


@pytest.mark.parametrize("command", [["plugins", "list"], ["schedule", "--no-progress"],
                                     ["db", "current"]])
def test_every_command_checks_the_configuration(
        tmp_path: Path, studio_file: Path, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    studio_file.write_text('[plugins]\nblocked = ["publish"]\n[launch]\nsave_nw = true\n')
    code = main(["--db", f"sqlite:///{tmp_path}/any.db", *command])
    _, err = capsys.readouterr()
    assert code == 1
    assert "key 'launch.save_nw'" in err and str(studio_file) in err


def test_binary_configuration_file_is_named(
        cli_db: str, studio_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    studio_file.write_bytes(bytes(range(256)))
    code = main(["--db", cli_db, "version", "list"])
    _, err = capsys.readouterr()
    assert code == 1
    assert str(studio_file) in err and "not a TOML text file" in err


def test_help_still_works_with_a_bad_file(
        studio_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    studio_file.write_text("[plugins\n")
    assert main(["version", "list", "--help"]) == 0
    assert "--limit" in capsys.readouterr().out
