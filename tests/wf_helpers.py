"""Helpers of the workflow tests: a project on a temporary repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATH_TEMPLATE = (
    "$REPO{{project.repository.code}}/{{project.code}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name}}/{%- endfor -%}"
)
FILE_TEMPLATE = '{{version.nice_name}}_v{{"%03d"|format(version.version_number)}}'


@dataclass
class Demo:
    """The objects of the test project."""

    root: Path
    project: Any
    shot: Any
    comp: Any
    anim: Any
    asset: Any
    model: Any
    user: Any


def build_project(
    session: Any, root: Path, code: str = "TP", shot: tuple[str, int, int] = ("SH001", 1001, 1050)
) -> Demo:
    """A project on ``root`` with a shot (comp, anim) and an asset Hero (model).

    :param code: the project's code (its folder under ``root``).
    :param shot: the shot's name (also its code), first and last frame.
    """
    from stalker_core.models import (
        Asset,
        FilenameTemplate,
        Project,
        Repository,
        Shot,
        Structure,
        Task,
        Type,
        User,
    )
    from stalker_core.workflows.permissions import artists_group

    root.mkdir(parents=True, exist_ok=True)
    repo = Repository(name=f"Repo {code}", code=f"R{code}", linux_path=str(root),
                      macos_path=str(root), windows_path=str(root))
    structure = Structure(name=f"Structure {code}")
    for kind in ("Task", "Shot", "Asset"):
        structure.templates.append(
            FilenameTemplate(name=f"{kind} {code}", target_entity_type=kind,
                             path=PATH_TEMPLATE, filename=FILE_TEMPLATE)
        )
    user = session.query(User).filter_by(login="artist").first()
    if user is None:
        user = User(name="Artist", login="artist", email="artist@example.com",
                    password="secret")
    project = Project(name=f"Project {code}", code=code, repositories=[repo],
                      structure=structure)
    session.add_all([project, user])
    artists_group([user], session=session)  # may save and publish (docs/permissions.md)
    char = session.query(Type).filter_by(name="Character").first() or Type(
        name="Character", code="CHAR", target_entity_type="Asset"
    )
    shot_name, cut_in, cut_out = shot
    the_shot = Shot(name=shot_name, code=shot_name, project=project, cut_in=cut_in, cut_out=cut_out)
    comp = Task(name="comp", project=project, parent=the_shot)
    anim = Task(name="anim", project=project, parent=the_shot)
    asset = Asset(name="Hero", code="HERO", project=project, type=char)
    model = Task(name="model", project=project, parent=asset)
    session.add_all([the_shot, comp, anim, asset, model])
    session.commit()
    return Demo(root, project, the_shot, comp, anim, asset, model, user)


def add_os_login_user(session: Any) -> Any:
    """A user whose login is this process's real OS login, in the artists group.

    An application started as a subprocess acts as that login (the tests'
    patched one does not reach it), so it may save and publish on PostgreSQL too.
    """
    import getpass

    from stalker_core.models import User
    from stalker_core.workflows.permissions import artists_group

    login = getpass.getuser()
    user = session.query(User).filter_by(login=login).first()
    if user is None:
        user = User(name=login, login=login, email=f"{login}@example.com", password="secret")
        session.add(user)
    artists_group([user], session=session)
    session.commit()
    return user


def files_under(root: Path) -> set[str]:
    """Every file below ``root`` (relative, forward slashes)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def make_pm(*extra: object) -> Any:
    """A plugin manager with the built-ins, standalone and publish (no autoload, no env)."""
    import stalker_publish.plugin
    import stalker_standalone.plugin

    from stalker_core.plugins import get_plugin_manager

    return get_plugin_manager(
        {}, load_entrypoints=False, use_env=False,
        plugins=[stalker_standalone.plugin, stalker_publish.plugin, *extra],
    )
