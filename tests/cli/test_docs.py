"""docs/cli.md matches the click commands; the README's library snippet runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from stalker_core.cli import docs
from stalker_core.cli.main import LAZY_COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_cli_page_is_generated_from_the_commands() -> None:
    assert docs.PAGE == ROOT / "docs" / "cli.md"
    assert docs.PAGE.read_text(encoding="utf-8") == docs.render(), (
        "docs/cli.md is out of date: run python -m stalker_core.cli.docs --write"
    )


def test_every_command_group_has_a_section_with_examples() -> None:
    page = docs.render()
    for name in LAZY_COMMANDS:
        assert f"## `stalker {name}`" in page
        about, examples = docs.GROUPS[name]
        assert about and examples
        for example in examples:  # the examples name commands that exist
            words = example.split()
            assert words[0] == "stalker"
            group = words[3] if words[1] == "--db" else words[1]
            assert group in LAZY_COMMANDS, example


def test_every_option_of_a_command_is_on_the_page() -> None:
    from click import Context, Group, Option

    from stalker_core.cli.main import cli

    page = docs.render()
    root = Context(cli, info_name="stalker")
    for name in LAZY_COMMANDS:
        cmd = cli.get_command(root, name)
        assert cmd is not None
        subs = ([cmd.get_command(root, s) for s in cmd.list_commands(root)]
                if isinstance(cmd, Group) else [cmd])
        for sub in subs:
            assert sub is not None
            for p in sub.params:
                if isinstance(p, Option):
                    assert any(re.search(rf"[`, ]{re.escape(o)}[ `]", page) for o in p.opts), (
                        name, sub.name, p.opts)


def test_readme_library_snippet_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"## Using the library\n\n```python\n(.*?)```", readme, re.S)
    assert m is not None
    snippet = m.group(1)
    assert "..." not in snippet
    monkeypatch.chdir(tmp_path)
    done = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "RTS"
    assert (tmp_path / "studio.db").is_file()


def test_readme_and_hosts_link_the_pages_they_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/cli.md)" in readme and (ROOT / "docs/cli.md").is_file()
    blender = (ROOT / "hosts/stalker_blender/README.md").read_text(encoding="utf-8")
    assert "[configuration page](../../docs/configuration.md)" in blender
    assert (ROOT / "docs/configuration.md").is_file()


@pytest.mark.parametrize("args", [["--help"], *[[n, "--help"] for n in LAZY_COMMANDS if n != "ui"]])
def test_help_loads_no_database_layer(args: list[str]) -> None:
    """Start-up stays fast: --help of a command imports neither SQLAlchemy nor rich nor pluggy."""
    code = (
        "import sys\n"
        "from stalker_core.cli.main import main\n"
        f"status = main({args!r})\n"
        "heavy = [m for m in ('sqlalchemy', 'rich', 'pluggy', 'stalker_core.models') "
        "if m in sys.modules]\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
