"""Data builders shared by the VERS tests (repositories, structures, versions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TASK_PATH = (
    "$REPO{{project.repository.id}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
TASK_FILENAME = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'


@dataclass
class World:
    """A small project: repository, structure with a Task template, SEQ1/SH001/comp."""

    repo: Any
    project: Any
    structure: Any
    task_template: Any
    seq: Any
    shot: Any
    comp: Any


def build_world(session: Any, *, root: str = "/mnt/M/commercials", code: str = "FC") -> World:
    """Create and commit the tutorial's Part VI set-up (explicit project on every task)."""
    from stalker_core.models import (
        FilenameTemplate,
        Project,
        Repository,
        Sequence,
        Shot,
        Structure,
        Task,
    )

    repo = Repository(
        name=f"Repo {code}",
        code=f"R{code}",
        linux_path=root,
        macos_path="/Volumes/M/commercials",
        windows_path="M:/commercials",
    )
    template = FilenameTemplate(
        name="Task Template", target_entity_type="Task", path=TASK_PATH, filename=TASK_FILENAME
    )
    structure = Structure(name=f"Structure {code}", templates=[template])
    project = Project(name=f"Project {code}", code=code, repositories=[repo], structure=structure)
    session.add(project)
    seq = Sequence(name="Sequence 1", code="SEQ1", project=project)
    shot = Shot(name="SH001", code="SH001", project=project, sequences=[seq])
    comp = Task(name="comp", parent=shot, project=project)
    session.add_all([seq, shot, comp])
    session.commit()
    return World(repo, project, structure, template, seq, shot, comp)


def test_build_world_smoke(session: Any) -> None:
    """The builder itself works on both backends."""
    world = build_world(session)
    assert world.comp.parent is world.shot
    assert world.project.repository is world.repo
