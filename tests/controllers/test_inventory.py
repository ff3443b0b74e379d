"""The Scene Inventory controller over FakeHost and the standalone host (both DBs)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from inventory_scene import MISSING_ID, DatabaseDown, Scene, build_scene, put, veto
from sqlalchemy import event
from wf_helpers import Demo

from stalker_core.controllers.base import problem_of
from stalker_core.controllers.inventory import InventoryController, load_task_paths
from stalker_core.exceptions import DatabaseUnavailableError, ValidationError, VetoError
from stalker_core.plugins.api import UIAction, hookimpl
from stalker_core.testing.fake_host import FakeHost


@pytest.fixture
def scene(session: Any, demo: Demo, pm: Any) -> Scene:
    return build_scene(session, demo, pm)


def controller(scene: Scene, session: Any, pm: Any, **kwargs: Any) -> InventoryController:
    return InventoryController(scene.host, session=session, plugin_manager=pm, **kwargs)


def test_rows_tell_every_state_in_words(scene: Scene, session: Any, pm: Any) -> None:
    state = controller(scene, session, pm).load()
    rows = {r.name: r for r in state.rows}
    assert [r.name for r in state.rows] == ["fresh", "old", "older", "held", "plate", "ghost"]
    assert {n: r.state for n, r in rows.items()} == {
        "fresh": "up_to_date", "old": "outdated", "older": "outdated", "held": "outdated",
        "plate": "untracked", "ghost": "missing",
    }
    old = rows["old"]
    assert (old.task, old.take) == ("Hero/model", "Main")
    assert (old.loaded_label, old.latest_label, old.latest_published_label) == (
        "v001", "v003", "v002"
    )
    assert old.state_label == "Outdated: v002 available" and old.can_update
    assert rows["held"].locked and not rows["held"].can_update
    assert not rows["held"].can_set_version and rows["old"].can_set_version
    assert rows["fresh"].state_label == "Up to date" and rows["fresh"].target is None
    assert rows["plate"].note == "no version id: loaded outside the pipeline"
    assert rows["ghost"].note == f"version {MISSING_ID} was deleted; load it again"
    assert rows["held"].note == "locked: updates keep v001"
    assert rows["ghost"].loaded is None and not rows["ghost"].can_set_version
    assert [r.name for r in state.outdated] == ["old", "older"]
    assert state.summary == (
        "6 containers \u00b7 3 outdated (1 locked) \u00b7 1 locked \u00b7 1 untracked "
        "\u00b7 1 missing version"
    )


def test_latest_target_counts_unpublished_versions(scene: Scene, session: Any, pm: Any) -> None:
    rows = {r.name: r for r in controller(scene, session, pm, target="latest").load().rows}
    assert rows["fresh"].state == "outdated" and rows["fresh"].target == 3
    assert rows["old"].target == 3


def test_status_queries_do_not_grow_with_the_containers(
    session: Any, demo: Demo, pm: Any
) -> None:
    """As many queries for 2 tasks as for 8 tasks with 4 containers each."""
    from stalker_core.models import Task
    from stalker_core.workflows import save_as_version

    maker = FakeHost(capabilities=())
    tasks = [Task(name=f"prop{i}", project=demo.project, parent=demo.asset) for i in range(8)]
    session.add_all(tasks)
    session.commit()
    versions = []
    for task in tasks:
        versions.append(save_as_version(maker, task, session=session, pm=pm))
        save_as_version(maker, task, session=session, pm=pm)
    engine = session.get_bind()
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    def statements_for(n_tasks: int) -> int:
        host = FakeHost()
        for i, v in enumerate(versions[:n_tasks] * 4):
            put(host, f"c{i}", v)
        ctl = InventoryController(host, session=session, plugin_manager=pm, target="latest")
        session.expunge_all()
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            state = ctl.load()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(state.rows) == 4 * n_tasks and all(r.is_outdated for r in state.rows)
        assert {r.task for r in state.rows} == {f"Hero/prop{i}" for i in range(n_tasks)}
        return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    assert statements_for(2) == statements_for(8)


def test_task_paths_walk_the_tree_a_level_at_a_time(session: Any, demo: Demo) -> None:
    paths = load_task_paths(session, [demo.comp.id, demo.model.id, demo.shot.id])
    assert paths == {demo.comp.id: "SH001/comp", demo.model.id: "Hero/model",
                     demo.shot.id: "SH001"}


def test_scene_changes_are_detected_without_the_database(
    scene: Scene, session: Any, pm: Any
) -> None:
    ctl = controller(scene, session, pm)
    ctl.load()
    assert not ctl.scene_changed()
    scene.host.lock_reference(scene.host.references[0])
    assert ctl.scene_changed()
    ctl.load()
    assert not ctl.scene_changed()
    scene.host.save_file(scene.host.references[0].path.parent / "other.fake")
    assert ctl.scene_changed()


def test_update_all_with_progress_a_veto_keeps_one(
    scene: Scene, session: Any, pm: Any
) -> None:
    pm.register(veto("older", "approved look, keep it"), name="keep")
    ctl = controller(scene, session, pm)
    job = ctl.update()
    assert job.total == 2  # the locked one is not offered
    seen: list[tuple[int, int, str]] = []
    summary = job.run(lambda j: seen.append((j.done, j.total, j.last.outcome)) and None)
    assert seen == [(1, 2, "updated"), (2, 2, "vetoed")]
    assert summary.updated == ["old"] and summary.vetoed == [("older", "approved look, keep it")]
    assert summary.text == "1 updated, 1 kept by a plugin (older: approved look, keep it)"
    refs = {c.name: c for c in scene.host.list_references()}
    assert refs["old"].version_id == scene.v2.id
    assert refs["old"].path == Path(scene.v2.absolute_full_path)
    assert refs["older"].version_id == scene.v1.id and refs["held"].version_id == scene.v1.id
    rows = {r.name: r for r in ctl.load().rows}
    assert rows["old"].state == "up_to_date" and rows["old"].note == "updated to v002"
    assert rows["older"].note == "kept by a plugin: approved look, keep it"


def test_cancel_stops_between_containers(scene: Scene, session: Any, pm: Any) -> None:
    ctl = controller(scene, session, pm)
    job = ctl.update()
    summary = job.run(lambda j: False)
    assert (job.done, job.total, job.cancelled) == (1, 2, True)
    assert summary.updated == ["old"] and summary.cancelled == ["older"]
    assert "1 not done (cancelled)" in summary.text
    assert job.step() is None
    refs = {c.name: c for c in scene.host.list_references()}
    assert refs["older"].version_id == scene.v1.id


def test_update_selected_only(scene: Scene, session: Any, pm: Any) -> None:
    ctl = controller(scene, session, pm)
    summary = ctl.update(["older", "fresh", "held"]).run()
    assert summary.updated == ["older"]
    refs = {c.name: c for c in scene.host.list_references()}
    assert refs["old"].version_id == scene.v1.id and refs["older"].version_id == scene.v2.id


def test_a_host_error_on_one_container_leaves_the_others(
    scene: Scene, session: Any, pm: Any
) -> None:
    scene.host.inject_fault("replace_reference")
    summary = controller(scene, session, pm).update().run()
    assert summary.updated == ["older"]
    assert summary.failed == [("old", "injected fault in replace_reference")]


def test_host_calls_go_through_the_main_thread(scene: Scene, session: Any, pm: Any) -> None:
    ctl = controller(scene, session, pm)
    ctl.load()
    ctl.update(["old"]).run()
    ran = {getattr(c.args[0], "__name__", "") for c in scene.host.called("run_in_main_thread")}
    assert {"list_references", "current_file", "replace_reference"} <= ran


def test_set_version_offers_the_task_and_take(scene: Scene, session: Any, pm: Any) -> None:
    ctl = controller(scene, session, pm)
    choices = ctl.versions_for("fresh")
    assert [(c.number, c.published, c.loaded) for c in choices] == [
        (3, False, False), (2, True, True), (1, True, False)
    ]
    assert choices[1].label.startswith("v002  published  ") and "(loaded)" in choices[1].label
    container = ctl.set_version("fresh", scene.v1.id)
    assert container.version_id == scene.v1.id
    row = {r.name: r for r in ctl.load().rows}["fresh"]
    assert row.state == "outdated" and row.note == "set to v001"


def test_set_version_refusals(scene: Scene, session: Any, pm: Any, demo: Demo) -> None:
    from stalker_core.workflows import save_as_version

    ctl = controller(scene, session, pm)
    with pytest.raises(ValidationError, match="'held' is locked; unlock it"):
        ctl.set_version("held", scene.v2.id)
    with pytest.raises(ValidationError, match="records no version"):
        ctl.versions_for("plate")
    with pytest.raises(ValidationError, match=f"version {MISSING_ID} .*no longer exists"):
        ctl.versions_for("ghost")
    other = save_as_version(FakeHost(capabilities=()), demo.comp, session=session, pm=pm)
    with pytest.raises(ValidationError, match="belongs to take 'Main' of task"):
        ctl.set_version("old", other.id)
    pm.register(veto("old", "frozen for review"), name="keep")
    with pytest.raises(VetoError, match="frozen for review"):
        ctl.set_version("old", scene.v3.id)
    assert {c.name: c for c in scene.host.list_references()}["old"].version_id == scene.v1.id


def test_lock_unlock_and_remove(scene: Scene, session: Any, pm: Any) -> None:
    ctl = controller(scene, session, pm)
    ctl.lock(["old", "older"])
    assert not ctl.load().outdated
    ctl.lock(["older"], locked=False)
    assert [r.name for r in ctl.load().outdated] == ["older"]
    assert ctl.remove(["ghost", "plate", "nope"]) == 2
    assert [r.name for r in ctl.load().rows] == ["fresh", "old", "older", "held"]
    with pytest.raises(ValidationError, match="no container named 'nope'"):
        ctl.lock(["nope"])


def test_plugin_actions_get_the_chosen_containers(scene: Scene, session: Any, pm: Any) -> None:
    got: list[Any] = []
    plugin = types.ModuleType("studio_inventory")
    plugin.stalker_ui_actions = hookimpl(  # type: ignore[attr-defined]
        lambda host, location: [
            UIAction("studio.select", "Select in scene", "inventory",
                     lambda host, containers: got.append((host, containers)))
        ] if location == "inventory" else None
    )
    pm.register(plugin)
    ctl = controller(scene, session, pm)
    [action] = ctl.actions()
    assert action.label == "Select in scene"
    ctl.run_action(action, ["old", "held"])
    assert got == [(scene.host, [c for c in scene.host.references if c.name in ("old", "held")])]


@pytest.mark.parametrize("make_host", [
    lambda: FakeHost(capabilities=()),
    lambda: __import__("stalker_standalone.host", fromlist=["StandaloneHost"]).StandaloneHost(),
], ids=["fake-without-references", "standalone"])
def test_host_without_references_says_so(session: Any, pm: Any, make_host: Any) -> None:
    ctl = InventoryController(make_host(), session=session, plugin_manager=pm)
    state = ctl.load()
    assert not state.supported and state.rows == []
    assert "has no 'references' capability" in state.message
    assert state.summary == "no references in this host"
    assert ctl.containers() == [] and ctl.actions() == []
    with pytest.raises(ValidationError, match="cannot load references"):
        ctl.update()
    assert ctl.call_log.calls == []  # nothing asked of the database


def test_database_unreachable_then_retry(scene: Scene, session: Any, pm: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ctl = controller(scene, session, pm)
    db = DatabaseDown(session, monkeypatch, "server closed the connection")
    with pytest.raises(DatabaseUnavailableError, match="cannot be reached") as caught:
        ctl.load()
    problem = problem_of(caught.value)
    assert problem.retry and "server closed the connection" in problem.message
    db.down = False
    assert len(ctl.load().rows) == 6  # the retry
    assert [c.label for c in ctl.call_log.calls] == ["inventory: reference status"] * 2


def test_database_that_does_not_answer(scene: Scene, session: Any, pm: Any) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    url = session.get_bind().url
    if url.get_backend_name() == "sqlite":
        dead = create_engine("sqlite:////nonexistent-folder/stalker.db")
    else:
        dead = create_engine(url.set(port=1, host="127.0.0.1"))
    with Session(dead) as broken:
        ctl = InventoryController(scene.host, session=broken, plugin_manager=pm)
        with pytest.raises(DatabaseUnavailableError, match="retry"):
            ctl.load()
    dead.dispose()
    assert scene.host.called("replace_reference") == []
