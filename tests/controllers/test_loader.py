"""The Loader controller: browsing published versions, filters, paging and loading (both DBs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from loader_helpers import actions_plugin, add_output, publish_new
from wf_helpers import Demo

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.loader import (
    PUBLISHED,
    WORKFILE,
    LoaderController,
    LoaderFilter,
)
from stalker_core.exceptions import DatabaseUnavailableError, ValidationError
from stalker_core.hosts import VERSION_ID_KEY
from stalker_core.plugins.api import UIAction
from stalker_core.testing import FakeHost
from stalker_core.workflows import find_outdated, save_as_version


def loader(session: Any, pm: Any, host: Any = None) -> LoaderController:
    return LoaderController(host, session=session, plugin_manager=pm)


# -- browsing -----------------------------------------------------------------------------------


def test_browse_project_entity_task_version(session: Any, demo: Demo, pm: Any) -> None:
    v1, v2 = publish_new(session, pm, demo.model, 2)
    publish_new(session, pm, demo.comp)
    save_as_version(FakeHost(), demo.anim, session=session, pm=pm)  # not published: not listed
    ctl = loader(session, pm)
    assert [p.code for p in ctl.projects()] == ["TP"]
    pid = demo.project.id

    groups = ctl.entity_groups(pid)
    assert [(g.kind, g.label, g.count) for g in groups] == [("Asset", "Assets", 1),
                                                             ("Shot", "Shots", 1)]
    [hero] = ctl.entities(pid, "Asset").items
    assert (hero.name, hero.type_name, hero.published) == ("Hero", "Character", 2)
    [shot] = ctl.entities(pid, "Shot").items
    assert [t.path for t in ctl.tasks(shot.id)] == ["comp"]  # anim has no published version

    [model] = ctl.tasks(hero.id)
    assert (model.id, model.path, model.published, model.latest_number) == (
        demo.model.id, "model", 2, 2)
    page = ctl.versions(pid, entity_id=hero.id, task_id=model.id)
    assert page == ctl.versions(pid, task_id=model.id)
    assert [v.id for v in page.items] == [v2.id, v1.id]  # newest first
    assert not page.has_more
    row = page.items[0]
    assert (row.context, row.label, row.author) == ("Hero / model", "Main v002", "Artist")
    assert [(f.kind, f.exists) for f in row.files] == [(PUBLISHED, True), (WORKFILE, True)]
    assert row.files[0].path.parent.name == "publish"
    assert row.files[1].path == Path(v2.absolute_full_path)
    # the whole project, newest first
    assert len(ctl.versions(pid).items) == 3


def test_nested_tasks_sequences_and_top_level_tasks(session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import Sequence, Shot, Task

    p = demo.project
    lookdev = Task(name="lookdev", project=p, parent=demo.asset)
    shading = Task(name="shading", project=p, parent=lookdev)
    seq = Sequence(name="SEQ01", code="SEQ01", project=p)
    edit = Task(name="edit", project=p, parent=seq)
    shot = Shot(name="SH900", code="SH900", project=p, parent=seq)
    light = Task(name="light", project=p, parent=shot)
    design = Task(name="design", project=p)  # under no asset, shot or sequence
    session.add_all([lookdev, shading, seq, edit, shot, light, design])
    session.commit()
    for task in (shading, edit, light, design, demo.asset):
        publish_new(session, pm, task)
    ctl = loader(session, pm)

    groups = ctl.entity_groups(p.id)
    assert [(g.kind, g.count) for g in groups] == [
        ("Asset", 1), ("Sequence", 1), ("Shot", 1), ("Task", 1)]
    assert groups[-1].label == "Other tasks"
    [hero] = ctl.entities(p.id, "Asset").items
    # the asset's own version (path "") and the nested task below it
    assert [t.path for t in ctl.tasks(hero.id)] == ["", "lookdev/shading"]
    [sequence] = ctl.entities(p.id, "Sequence").items
    assert [t.path for t in ctl.tasks(sequence.id)] == ["edit"]  # the shot is its own entity
    [sh900] = ctl.entities(p.id, "Shot").items
    assert [t.path for t in ctl.tasks(sh900.id)] == ["light"]
    [other] = ctl.entities(p.id, "Task").items
    assert other.name == "design" and [t.path for t in ctl.tasks(other.id)] == [""]
    row = ctl.versions(p.id, task_id=shading.id).items[0]
    assert row.context == "Hero / lookdev/shading"
    assert [v.id for v in ctl.versions(p.id, entity_id=sequence.id).items] == [
        v.id for v in ctl.versions(p.id, task_id=edit.id).items]  # the shot's are its own
    assert ctl.version(row.id) == row


def test_filters_by_type_extension_and_name(session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import Asset, Task, Type

    p = demo.project
    prop = Type(name="Prop", code="PROP", target_entity_type="Asset")
    modeling = Type(name="Modeling", code="MOD", target_entity_type="Task")
    chair = Asset(name="Chair", code="CHAIR", project=p, type=prop)
    chair_model = Task(name="model", project=p, parent=chair, type=modeling)
    session.add_all([chair, chair_model])
    session.commit()
    [hero_v] = publish_new(session, pm, demo.model)
    [chair_v] = publish_new(session, pm, chair_model)
    publish_new(session, pm, demo.comp)
    cache = add_output(session, chair_v, "chair.ABC")
    ctl = loader(session, pm)
    pid = p.id

    choices = ctl.type_choices(pid)
    assert [t.name for t in choices.entity_types] == ["Character", "Prop"]
    assert [t.name for t in choices.task_types] == ["Modeling"]

    def names(flt: LoaderFilter, kind: str = "Asset") -> list[str]:
        return [e.name for e in ctl.entities(pid, kind, flt).items]

    char = next(t.id for t in choices.entity_types if t.name == "Character")
    assert names(LoaderFilter(entity_type_ids={char})) == ["Hero"]
    only_modeling = LoaderFilter(task_type_ids={choices.task_types[0].id})
    assert names(only_modeling) == ["Chair"]
    assert [g.kind for g in ctl.entity_groups(pid, only_modeling)] == ["Asset"]
    assert names(LoaderFilter(search="hai")) == ["Chair"]
    assert names(LoaderFilter(search="%")) == []  # no wildcard: a plain substring

    abc = LoaderFilter(extensions={"abc"})  # normalised to ".abc"; case does not matter
    assert abc.extensions == {".abc"}
    assert names(abc) == ["Chair"]
    [row] = ctl.versions(pid, abc).items
    assert row.id == chair_v.id and [f.path for f in row.files] == [cache]  # only .abc files
    fake = LoaderFilter(extensions={".fake"})
    assert {v.id for v in ctl.versions(pid, fake).items} >= {hero_v.id, chair_v.id}
    assert ctl.versions(pid, LoaderFilter(extensions={".exr"})).items == ()
    with pytest.raises(ValidationError, match="extension"):
        LoaderFilter(extensions={"*"})


def test_long_lists_come_by_page(session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import Asset

    p = demo.project
    assets = [Asset(name=f"Prop{i:02d}", code=f"P{i:02d}", project=p, type=demo.asset.type)
              for i in range(5)]
    session.add_all(assets)
    session.commit()
    for a in assets:
        publish_new(session, pm, a)
    published = publish_new(session, pm, demo.model, 5)
    ctl = loader(session, pm)

    first = ctl.entities(p.id, "Asset", limit=4)
    assert [e.name for e in first.items] == ["Hero", "Prop00", "Prop01", "Prop02"]
    assert first.has_more and first.next_offset == 4
    second = ctl.entities(p.id, "Asset", offset=first.next_offset, limit=4)
    assert [e.name for e in second.items] == ["Prop03", "Prop04"] and not second.has_more

    seen: list[int] = []
    offset, more = 0, True
    while more:
        page = ctl.versions(p.id, task_id=demo.model.id, offset=offset, limit=2)
        seen += [v.id for v in page.items]
        offset, more = page.next_offset, page.has_more
    assert seen == [v.id for v in reversed(published)]
    with pytest.raises(ValidationError, match="paging"):
        ctl.versions(p.id, limit=0)


def test_initial_project_is_the_open_versions(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost()
    ctl = loader(session, pm, host)
    assert ctl.initial_project_id() is None
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert host.get_scene_metadata()[VERSION_ID_KEY] == str(v.id)
    assert ctl.initial_project_id() == demo.project.id


# -- loading ---------------------------------------------------------------------------------------


def test_reference_records_the_version_so_updates_follow_it(
    session: Any, demo: Demo, pm: Any
) -> None:
    [v1] = publish_new(session, pm, demo.model)
    host = FakeHost()
    ctl = loader(session, pm, host)
    assert [a.name for a in ctl.actions()] == ["core.reference"]
    assert ctl.why_nothing_loads() is None

    result = ctl.load(v1.id)
    assert result.ok, result.message
    assert result.action == "core.reference" and result.plugin == "stalker_core.workflows.builtin"
    assert "Hero / model Main v001" in result.message and result.warnings == ()
    [container] = host.list_references()
    assert container == result.container and container.version_id == v1.id
    assert container.path.parent.name == "publish"  # the published copy, not the work file
    # the action (and every scene call around it) ran through the host's main thread
    assert ctl.actions()[0].run in [c.args[0] for c in host.called("run_in_main_thread")]
    publish_new(session, pm, demo.model)
    assert [s.container.name for s in find_outdated(host, session=session)] == [container.name]


def test_load_a_chosen_file(session: Any, demo: Demo, pm: Any) -> None:
    [v] = publish_new(session, pm, demo.model)
    host = FakeHost()
    ctl = loader(session, pm, host)
    result = ctl.load(v.id, "core.reference", v.absolute_full_path)
    assert result.ok and host.list_references()[0].path == Path(v.absolute_full_path)
    other = demo.root / "elsewhere.fake"
    other.write_text("x")
    refused = ctl.load(v.id, path=other)
    assert not refused.ok and "not a file of Hero / model Main v001" in refused.message
    unknown = ctl.load(v.id, "maya.import")
    assert not unknown.ok and "no Loader action 'maya.import'" in unknown.message
    assert len(host.list_references()) == 1


def test_missing_file_is_reported_and_nothing_loaded(session: Any, demo: Demo, pm: Any) -> None:
    [v] = publish_new(session, pm, demo.model)
    ctl = loader(session, pm, FakeHost())
    published = ctl.version(v.id).files[0]  # type: ignore[union-attr]
    published.path.unlink()
    row = ctl.version(v.id)
    assert row is not None and [f.exists for f in row.files] == [False, True]
    result = ctl.load(v.id)
    assert not result.ok
    assert f"The published file of Hero / model Main v001 is missing: {published.path}" in (
        result.message)
    assert ctl.host.called("load_reference") == []  # type: ignore[union-attr]


def test_failing_action_is_named_and_leaves_nothing_half_loaded(
    session: Any, demo: Demo, pm: Any
) -> None:
    [v] = publish_new(session, pm, demo.model)

    def half_then_fail(host: Any, version: Any, path: Path) -> None:
        host.load_reference(path, version_id=version.id)
        raise RuntimeError("the rig could not be built")

    pm.register(actions_plugin("studio_rigs", UIAction("studio.rig", "Load Rig", "loader",
                                               half_then_fail, order=5)), name="studio_rigs")
    host = FakeHost()
    ctl = loader(session, pm, host)
    assert [a.name for a in ctl.actions()] == ["studio.rig", "core.reference"]
    result = ctl.load(v.id, "studio.rig")
    assert not result.ok and result.plugin == "studio_rigs"
    assert "'Load Rig' (studio.rig from plugin 'studio_rigs') failed" in result.message
    assert "RuntimeError: the rig could not be built" in result.message
    assert "removed what it had loaded: Hero_model_Main_v001" in result.message
    assert host.list_references() == []
    host.inject_fault("load_reference")
    failed = ctl.load(v.id, "core.reference")
    assert not failed.ok and "WorkfileError: injected fault in load_reference" in failed.message


def test_actions_filter_files_by_extension(session: Any, demo: Demo, pm: Any) -> None:
    [v] = publish_new(session, pm, demo.model)
    cache = add_output(session, v, "hero.abc")
    calls: list[Path] = []

    def import_cache(host: Any, version: Any, path: Path) -> None:
        calls.append(path)

    cache_action = UIAction("caches.abc", "Import Cache", "loader", import_cache,
                            extensions=(".abc",))
    pm.register(actions_plugin("caches", cache_action), name="caches")
    ctl = loader(session, pm, FakeHost(capabilities={"ui"}))
    assert [a.name for a in ctl.actions_for("x.fake")] == []
    assert [a.name for a in ctl.actions_for(cache)] == ["caches.abc"]
    result = ctl.load(v.id)  # the first file the action takes
    assert result.ok and calls == [cache] and result.container is None
    refused = ctl.load(v.id, path=v.absolute_full_path)
    assert not refused.ok and "cannot load Hero_model_Main_v001.fake (it takes .abc)" in (
        refused.message)


def test_action_that_does_not_record_the_version_is_flagged(
    session: Any, demo: Demo, pm: Any
) -> None:
    [v] = publish_new(session, pm, demo.model)

    def plain_link(host: Any, version: Any, path: Path) -> Any:
        return host.load_reference(path)  # like File > Link: no version id

    pm.register(actions_plugin("linker", UIAction("linker.link", "Link", "loader", plain_link)),
                name="linker")
    result = loader(session, pm, FakeHost()).load(v.id, "linker.link")
    assert result.ok
    assert result.warnings == (
        "'Link' did not record the version in 'Hero_model_Main_v001'; Update References "
        "cannot follow it.",)


@pytest.mark.parametrize("kind", ["fake", "standalone"])
def test_host_without_references_or_actions_says_why(
    session: Any, demo: Demo, pm: Any, kind: str
) -> None:
    from stalker_standalone.host import StandaloneHost

    [v] = publish_new(session, pm, demo.model)
    host = FakeHost(capabilities=set()) if kind == "fake" else StandaloneHost()
    ctl = loader(session, pm, host)
    assert ctl.actions() == []
    why = ctl.why_nothing_loads()
    assert why is not None and "no 'references' capability" in why and "stalker_ui_actions" in why
    result = ctl.load(v.id)
    assert not result.ok and result.message == why
    assert ctl.versions(demo.project.id).items[0].id == v.id  # browsing still works
    assert "only browse" in (loader(session, pm).why_nothing_loads() or "")


def test_deleted_version_is_reported(session: Any, demo: Demo, pm: Any) -> None:
    [v] = publish_new(session, pm, demo.model)
    ctl = loader(session, pm, FakeHost())
    vid = v.id
    v.is_published = False
    session.commit()
    result = ctl.load(vid)
    assert not result.ok and "no longer published or was deleted" in result.message


def test_unreachable_database_is_a_retryable_problem(tmp_path: Path, pm: Any) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine(f"sqlite:///{tmp_path}/no/such/folder/stalker.db")
    ctl = LoaderController(FakeHost(), session=Session(engine), plugin_manager=pm)
    with pytest.raises(DatabaseUnavailableError, match="cannot be reached") as info:
        ctl.projects()
    assert problem_of(info.value).retry
    assert ctl.call_log.calls[-1].label == "loader.projects"
    engine.dispose()
