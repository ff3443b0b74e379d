"""The CLI renders with the template filters, globals and tests of the loaded plugins."""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stalker_core.cli.main import main
from stalker_core.templates import default_engine

PLUGIN_SOURCE = textwrap.dedent('''
    from stalker_core.plugins import hookimpl


    @hookimpl
    def stalker_template_environment():
        return {
            "filters": {"cli_slug": lambda s: str(s).lower()},
            "globals": {"cli_dept": "fx"},
        }
''')

#: the plugin modules the tests write (removed from sys.modules afterwards)
MODULES = ("cli_tpl_plugin", "cli_tpl_rival")


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name in MODULES:
        (folder / f"{name}.py").write_text(PLUGIN_SOURCE)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv("STALKER_PLUGINS", raising=False)
    yield folder
    for name in MODULES:
        sys.modules.pop(name, None)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def demo_with_plugin_templates(cli_db: str, root: Path,
                               capsys: pytest.CaptureFixture[str]) -> int:
    """Run the demo, then make its templates use the plugin; return the comp task's id."""
    assert run(capsys, "--db", cli_db, "demo", "--root", str(root))[0] == 0
    from stalker_core.models import Project, Task
    from stalker_core.orm.session import DBSession

    project = DBSession.query(Project).filter_by(code="DEMO").one()
    assert project.structure is not None
    for tpl in project.structure.templates:
        tpl.path = "$REPO{{project.repository.code}}/{{cli_dept}}/{{task.parent.name|cli_slug}}"
        tpl.filename = '{{task.name|cli_slug}}_{{"%03d"|format(version.version_number)}}'
    project.structure.custom_template = "{{cli_dept}}/{{project.code|cli_slug}}/library\n"
    DBSession.commit()
    comp = DBSession.query(Task).filter_by(name="comp").order_by(Task.id).first()
    assert comp is not None
    return int(comp.id)


def test_version_save_and_create_structure_use_plugin_templates(
    cli_db: str, tmp_path: Path, plugin_dir: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], own_lines: Any,
) -> None:
    root = tmp_path / "repo"
    comp_id = demo_with_plugin_templates(cli_db, root, capsys)
    src = tmp_path / "plate.nk"
    src.write_text("nuke script")

    # without the plugin: a one-line error naming the missing filter, nothing saved
    code, out, err = run(capsys, "--db", cli_db, "version", "save", "--task", str(comp_id),
                         "--file", str(src))
    err = own_lines(err)
    assert code == 1 and err.startswith("error: ") and "No filter named 'cli_slug'" in err, err
    assert not (root / "fx").exists()

    monkeypatch.setenv("STALKER_PLUGINS", "cli_tpl_plugin")
    before = default_engine()
    code, out, err = run(capsys, "--db", cli_db, "version", "save", "--task", str(comp_id),
                         "--file", str(src))
    assert code == 0, err
    m = re.search(r"saved version \d+ \(v001\): (\S+)", out)
    assert m and Path(m.group(1)) == root / "fx/sh10/comp_001.nk"
    assert Path(m.group(1)).read_text() == "nuke script"
    assert default_engine() is before  # the command's engine was scoped to it

    code, out, err = run(capsys, "project", "create-structure", "DEMO", "--db", cli_db)
    assert code == 0, err
    assert (root / "fx/demo/library").is_dir()
    assert default_engine() is before


def test_conflicting_plugins_fail_in_one_line_but_help_works(
    cli_db: str, tmp_path: Path, plugin_dir: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], own_lines: Any,
) -> None:
    monkeypatch.setenv("STALKER_PLUGINS", ",".join(MODULES))
    code, out, err = run(capsys, "--db", cli_db, "version", "save", "--task", "1")
    assert code == 1
    err = own_lines(err)
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(
        r"error: plugins '(cli_tpl_plugin|cli_tpl_rival)' and '(cli_tpl_plugin|cli_tpl_rival)' "
        r"both contribute the template (filter 'cli_slug'|global 'cli_dept')", err
    ), err
    assert "'cli_tpl_plugin'" in err and "'cli_tpl_rival'" in err
    code, out, err = run(capsys, "version", "save", "--help")
    assert code == 0 and "Save a new version of a task" in out
    code, out, err = run(capsys, "version", "--help")
    assert code == 0 and "save" in out
