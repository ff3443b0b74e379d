"""Numeric options: nan, inf, negative and out-of-range values are usage errors."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from stalker_core.cli.main import LAZY_COMMANDS, main
from stalker_core.cli.params import ID, LIMIT, SECONDS, Number


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("args", "option", "expected"), [
    (["schedule", "--optimise", "nan"], "--optimise", "a number of seconds"),
    (["schedule", "--optimise", "inf"], "--optimise", "a number of seconds"),
    (["schedule", "--optimise", "-5"], "--optimise", "greater than 0"),
    (["schedule", "--optimise", "0"], "--optimise", "greater than 0"),
    (["version", "list", "--limit", "-1"], "--limit", "a count"),
    (["version", "list", "--limit", "0"], "--limit", "1 to"),
    (["timelog", "list", "--limit", "nan"], "--limit", "a whole number"),
    (["task", "list", "--limit", "0"], "--limit", "a count"),
    (["task", "show", str(2**63)], "TASK_ID", "an id"),
    (["version", "open", "0"], "VERSION_ID", "an id"),
    (["task", "update", "1", "--priority", "1001"], "--priority", "from 0 to 1000"),
    (["launch", "blender", "--task", "1", "--startup-check", "inf"], "--startup-check",
     "a number of seconds"),
])
def test_bad_numbers_are_usage_errors_before_any_work(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], option: str,
        expected: str) -> None:
    db = tmp_path / "never.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{db}", *args)
    assert code == 2, err
    assert f"Invalid value for '{option}'" in err
    assert expected in err
    assert "e.g." in err  # says what a good value looks like
    assert not db.exists()  # refused before the database was opened


def test_number_type_accepts_the_valid_range() -> None:
    assert SECONDS.convert("2.5", None, None) == 2.5
    assert LIMIT.convert("100000", None, None) == 100000
    assert ID.convert(str(2**63 - 1), None, None) == 2**63 - 1
    for bad in ("nan", "-inf", "1e400", "0", "abc", "86401"):
        with pytest.raises(click.BadParameter):
            SECONDS.convert(bad, None, None)
    with pytest.raises(click.BadParameter):
        LIMIT.convert(True, None, None)


def _commands(group: click.Command) -> Iterator[click.Command]:
    yield group
    if isinstance(group, click.Group):
        for sub in group.commands.values():
            yield from _commands(sub)


def test_every_numeric_parameter_uses_a_checked_type() -> None:
    """A plain ``type=int``/``float`` (or click's ranges, which pass nan) is not allowed."""
    unchecked = []
    for name, module in LAZY_COMMANDS.items():
        if module.startswith("stalker_core.ui"):
            continue
        for command in _commands(importlib.import_module(module).command):
            for param in command.params:
                plain = isinstance(param.type, click.INT.__class__ | click.FLOAT.__class__)
                if plain and not isinstance(param.type, Number):
                    unchecked.append(f"{name} {command.name} {param.name}")
    assert unchecked == []
