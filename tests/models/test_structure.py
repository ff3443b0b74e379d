"""Structure: template lookup with fallbacks, custom_template folders (create_project_structure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_vers_helpers import build_world

from stalker_core.exceptions import (
    PathEscapeError,
    RepositoryError,
    StalkerTypeError,
    TemplateNotFoundError,
    TemplateRenderError,
)
from stalker_core.models import FilenameTemplate, Structure
from stalker_core.models.structure import find_template_for
from stalker_core.templates.folders import create_project_structure, structure_folders


def tpl(target: str) -> FilenameTemplate:
    return FilenameTemplate(name=f"{target} T", target_entity_type=target, path="p", filename="f")


def test_own_type_first_then_task_fallback() -> None:
    task_t, shot_t = tpl("Task"), tpl("Shot")
    st = Structure(name="S", templates=[task_t, shot_t])
    assert st.find_template("Shot") is shot_t
    assert st.find_template("Asset") is task_t
    assert st.find_template("Sequence") is task_t
    assert st.find_template("Task") is task_t


def test_not_found_names_project_structure_and_type() -> None:
    st = Structure(name="Commercial Structure", templates=[tpl("Shot")])
    with pytest.raises(TemplateNotFoundError) as info:
        st.find_template("Asset")
    msg = str(info.value)
    assert "'Commercial Structure'" in msg and "'Asset'" in msg and "'Task'" in msg
    with pytest.raises(TemplateNotFoundError, match="'Task'"):
        st.find_template("Task")


def test_templates_must_be_filename_templates() -> None:
    with pytest.raises(StalkerTypeError, match="FilenameTemplate"):
        Structure(name="S", templates=["nope"])


def test_custom_template_syntax_checked() -> None:
    with pytest.raises(TemplateRenderError, match="custom_template"):
        Structure(name="S", custom_template="{% for %}")


def test_project_without_structure(session: Any) -> None:
    world = build_world(session)
    world.project.structure = None
    with pytest.raises(TemplateNotFoundError, match="'Project FC' has no structure"):
        find_template_for(world.project, "Task")


def test_find_template_for_names_project(session: Any) -> None:
    world = build_world(session)
    world.structure.templates = [tpl("Shot")]
    with pytest.raises(TemplateNotFoundError, match="project 'Project FC' structure"):
        find_template_for(world.project, "Task")


def test_create_project_structure_idempotent(session: Any, tmp_path: Path) -> None:
    world = build_world(session, root=str(tmp_path / "repo"))
    world.repo.path = str(tmp_path / "repo")
    world.structure.custom_template = """
    Temp
    References
    References/Movies
    References/Images
    {{ project.code }}/Outputs
    # a comment line
    """
    created = create_project_structure(world.project)
    root = tmp_path / "repo"
    assert created == [
        root / "Temp",
        root / "References",
        root / "References/Movies",
        root / "References/Images",
        root / "FC/Outputs",
    ]
    assert all(p.is_dir() for p in created)
    (root / "Temp" / "keep.txt").write_text("x")
    assert create_project_structure(world.project) == created  # again: no error, files kept
    assert (root / "Temp" / "keep.txt").read_text() == "x"


@pytest.mark.parametrize("line", ["../outside", "/etc/stalker", "a/../../b"])
def test_escaping_folder_creates_nothing(session: Any, tmp_path: Path, line: str) -> None:
    world = build_world(session)
    world.repo.path = str(tmp_path / "repo")
    world.structure.custom_template = f"Good\n{line}\n"
    with pytest.raises(PathEscapeError):
        create_project_structure(world.project)
    assert not (tmp_path / "repo").exists()


def test_missing_variable_in_custom_template(session: Any, tmp_path: Path) -> None:
    world = build_world(session)
    world.repo.path = str(tmp_path / "repo")
    world.structure.custom_template = "{{ projekt.code }}"
    with pytest.raises(TemplateRenderError, match="'projekt'"):
        structure_folders(world.project)


def test_no_repository_path(session: Any) -> None:
    world = build_world(session)
    world.repo.path = ""
    world.structure.custom_template = "Temp"
    with pytest.raises(RepositoryError, match="no repository path"):
        create_project_structure(world.project)


def test_empty_custom_template_creates_nothing(session: Any) -> None:
    world = build_world(session)
    assert create_project_structure(world.project) == []


def test_cli_create_structure(session: Any, tmp_path: Path, admin_at_the_keyboard: None) -> None:
    from stalker_core.cli.project_cmd import command

    world = build_world(session, code="CLI")
    world.repo.path = str(tmp_path / "repo")
    world.structure.custom_template = "Temp\nReferences/Images"
    session.commit()
    url = str(session.get_bind().url.render_as_string(hide_password=False))
    runner = CliRunner()
    result = runner.invoke(command, ["create-structure", "CLI", "--db", url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "repo" / "References" / "Images").is_dir()
    assert "References/Images" in result.output.replace("\\", "/")
    result = runner.invoke(command, ["create-structure", "NOPE", "--db", url])
    assert result.exit_code != 0
    assert "no project with code or id 'NOPE'" in str(result.exception)


def test_cli_on_a_database_without_schema(tmp_path: Path) -> None:
    from stalker_core.cli.project_cmd import command
    from stalker_core.exceptions import DatabaseError

    url = f"sqlite:///{tmp_path}/empty.db"
    result = CliRunner().invoke(command, ["create-structure", "FC", "--db", url])
    assert result.exit_code != 0
    assert isinstance(result.exception, DatabaseError)
    assert "stalker_core database" in str(result.exception)


def test_create_project_structure_reports_each_folder(session: Any, tmp_path: Path) -> None:
    world = build_world(session, root=str(tmp_path / "repo"))
    world.repo.path = str(tmp_path / "repo")
    world.structure.custom_template = "A\nB\nB/C\n"
    calls: list[tuple[str, int, int]] = []
    create_project_structure(world.project, on_folder=lambda p, done, total: calls.append(
        (p.relative_to(tmp_path / "repo").as_posix(), done, total)))
    assert calls == [("A", 1, 3), ("B", 2, 3), ("B/C", 3, 3)]
