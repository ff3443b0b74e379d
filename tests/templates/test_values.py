"""The read-only values templates see, their declaration and docs/templates.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import Demo

from stalker_core.exceptions import TemplateRenderError
from stalker_core.templates import (
    ENTITIES,
    VARIABLES,
    EntityValues,
    TemplateEngine,
    values_of,
    version_context,
)
from stalker_core.templates.context import CONTEXT_NAMES
from stalker_core.templates.values import ENTITY_BY_KIND, PLAIN_TYPES

ROOT = Path(__file__).resolve().parents[2]


def one_of_each(session: Any, demo: Demo) -> dict[str, Any]:
    """A stored object of every declared kind."""
    from stalker_core.models import ImageFormat, Scene, Sequence, Status, Version

    seq = Sequence(name="SEQ1", code="SEQ1", project=demo.project)
    scene = Scene(name="SC1", code="SC1", project=demo.project)
    demo.shot.sequences = [seq]
    demo.shot.scenes = [scene]
    fmt = ImageFormat(name="HD", width=1920, height=1080)
    demo.project.image_format = fmt
    demo.comp.resources = [demo.user]
    version = Version(task=demo.comp, created_by=demo.user)
    session.add_all([seq, scene, fmt, version])
    session.commit()
    status = demo.comp.status or session.query(Status).first()
    return {
        "version": version, "task": demo.comp, "asset": demo.asset, "shot": demo.shot,
        "sequence": seq, "scene": scene, "project": demo.project,
        "repository": demo.project.repository, "user": demo.user,
        "type": demo.asset.type, "status": status, "image_format": fmt,
    }


def test_every_declared_value_reads(session: Any, demo: Demo) -> None:
    objects = one_of_each(session, demo)
    assert set(objects) == set(ENTITY_BY_KIND)
    for kind, obj in objects.items():
        values = values_of(obj)
        assert object.__getattribute__(values, "_entity").kind == kind
        for name, declared in ENTITY_BY_KIND[kind].names.items():
            value = getattr(values, name)
            if declared.many:
                assert isinstance(value, tuple)
                assert all(isinstance(v, EntityValues) for v in value)
            elif declared.kind:
                assert value is None or isinstance(value, EntityValues), (kind, name)
            else:
                assert isinstance(value, PLAIN_TYPES), (kind, name, value)
    shot = values_of(objects["shot"])
    assert [s.code for s in shot.sequences] == ["SEQ1"]
    assert shot.image_format.width == 1920  # the project's
    assert values_of(objects["version"]).created_by.login == "artist"


def test_values_are_read_only(session: Any, demo: Demo) -> None:
    task = values_of(demo.comp)
    with pytest.raises(AttributeError, match="read-only"):
        task.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read-only"):
        del task.name
    assert demo.comp.name == "comp"
    assert isinstance(task.resources, tuple)


def test_undeclared_names_are_refused_with_the_list(session: Any, demo: Demo) -> None:
    user = values_of(demo.user)
    with pytest.raises(AttributeError, match="login"):
        user.password_hash  # noqa: B018
    with pytest.raises(TemplateRenderError) as info:
        TemplateEngine().render("{{ u.email }}", {"u": user}, "FilenameTemplate 'T'.path")
    msg = str(info.value)
    assert "'email'" in msg and "FilenameTemplate 'T'.path" in msg
    assert "login" in msg and "docs/templates.md" in msg
    assert demo.user.email not in msg


def test_equality_identity_and_str(session: Any, demo: Demo) -> None:
    from stalker_core.models import Version

    version = Version(task=demo.comp)
    session.add(version)
    session.flush()
    ctx = version_context(version)
    assert ctx["task"] is ctx["parent_tasks"][-1] is ctx["version"].task
    assert ctx["shot"] == values_of(demo.shot) and ctx["shot"] != ctx["task"]
    assert str(ctx["task"]) == "comp"
    assert ctx["asset"] is None and ctx["type"] is None
    assert set(ctx) == CONTEXT_NAMES == set(VARIABLES)
    assert "comp" in repr(ctx["task"])
    assert TemplateEngine().render(
        "{{ task in parent_tasks }} {{ task == shot }} {{ task }}", ctx, "T"
    ) == "True False comp"


def test_only_declared_kinds_have_values() -> None:
    from stalker_core.models import Structure

    with pytest.raises(TypeError, match="cannot see a Structure"):
        values_of(Structure(name="S"))


def test_declaration_names_are_unique_and_documented() -> None:
    for entity in ENTITIES:
        own = [v.name for v in entity.values]
        assert len(own) == len(set(own)), entity.kind
        for value in entity.values:
            assert value.doc
            assert not value.kind or value.kind in ENTITY_BY_KIND
    for secret in ("password", "password_hash", "email", "groups", "permissions"):
        assert secret not in ENTITY_BY_KIND["user"].names


def test_the_docs_page_is_current() -> None:
    from stalker_core.templates.reference import PAGE, main, templates_md

    assert (ROOT / PAGE).read_text("utf-8") == templates_md(), (
        "docs/templates.md is stale: run python -m stalker_core.templates.reference --write"
    )
    assert main(["--check", "--root", str(ROOT)]) == 0
    text = templates_md()
    for entity in ENTITIES:
        assert f"### {entity.kind}" in text
    assert "templates.max_steps" in text


def test_the_docs_page_check_reports_a_stale_page(tmp_path: Path) -> None:
    from stalker_core.templates.reference import main

    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert main(["--write", "--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0


def unsaved_world() -> dict[str, Any]:
    """The context of a version of comp under shot SH001, without a database."""
    from stalker_core.models import Project, Repository, Shot, Task, User, Version

    user = User(name="Artist", login="artist", email="artist@example.com", password="secret")
    repo = Repository(name="R", code="R", linux_path="/r", macos_path="/r", windows_path="/r")
    project = Project(name="P", code="P", repositories=[repo])
    shot = Shot(name="SH001", code="SH001", project=project)
    comp = Task(name="comp", project=project, parent=shot, resources=[user],
                responsible=[user], watchers=[user])
    version = Version(task=comp, created_by=user)
    return {"version": version, "comp": comp, "shot": shot, "project": project,
            "user": user}


@pytest.mark.parametrize(
    "source",
    [
        "{{ task.resources.clear() }}",
        "{{ task.responsible.pop() }}",
        "{{ task.watchers.remove(task.watchers[0]) }}",
        "{{ task.parent.children.clear() }}",
        "{{ parent_tasks[0].children }}",
        "{{ task.tags.append(task) }}",
        "{{ project.repositories.clear() }}",
        "{{ version.task.resources.clear() }}",
        "{{ task.__setattr__('name', 'x') }}",
        "{{ task|attr('resources')|attr('clear')() }}",
        "{{ task.resources.__iadd__([]) }}",
        "{% set ns = namespace(t=task) %}{{ ns.t.resources.clear() }}",
        "{{ task.project.tasks }}",
        "{{ project.users }}",
        "{{ version.created_by.password }}",
        "{{ version.created_by.password_hash }}",
        "{{ task.resources[0].email }}",
        "{{ version.created_by.groups }}",
        "{{ version.created_by|attr('password_hash') }}",
        "{{ task['resources'][0]['password_hash'] }}",
        "{{ version.task.versions }}",
        "{{ version.update_paths() }}",
        "{{ task.resources|map('attr', 'email')|join }}",
    ],
)
def test_nothing_writable_or_secret_is_reachable(source: str) -> None:
    world = unsaved_world()
    ctx = version_context(world["version"])
    secrets = (world["user"].password_hash, world["user"].email)
    with pytest.raises(TemplateRenderError) as info:
        TemplateEngine().render(source, ctx, "T")
    assert not any(s in str(info.value) for s in secrets)
    comp = world["comp"]
    assert comp.resources == comp.responsible == comp.watchers == [world["user"]]
    assert comp.name == "comp" and world["project"].repositories[0].code == "R"
    assert world["shot"].children == [comp]


def test_a_secret_asked_for_through_map_renders_as_undefined() -> None:
    """``map(attribute=...)`` gets nothing for an undeclared name: no secret leaks."""
    world = unsaved_world()
    ctx = version_context(world["version"])
    out = TemplateEngine().render(
        "{{ task.resources|map(attribute='password_hash')|list }}"
        "{{ task.resources|map(attribute='login')|join }}", ctx, "T")
    assert world["user"].password_hash not in out
    assert out.endswith("artist")
