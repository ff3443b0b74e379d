"""The Work Files controller: takes, paged versions, save plans, saving, opening, faults.

Run on SQLite and PostgreSQL, with the FakeHost and the standalone host.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from panel_helpers import other_session, unreachable_session
from wf_helpers import Demo, files_under

from stalker_core.controllers.browse import TaskNotFoundError
from stalker_core.controllers.workfiles import (
    OpenChoice,
    SaveRequest,
    VersionNotFoundError,
    WorkFilesController,
)
from stalker_core.exceptions import DatabaseUnavailableError
from stalker_core.testing import FakeHost
from stalker_core.workflows import save_as_version


@pytest.fixture(params=["fake", "standalone"])
def any_host(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The FakeHost, then the standalone host with a scene file open."""
    if request.param == "fake":
        return FakeHost()
    from stalker_standalone.host import StandaloneHost

    host = StandaloneHost()
    scene = tmp_path / "scene.txt"
    scene.write_text("a plain scene\n")
    host.open_file(scene)
    return host


def controller(session: Any, pm: Any, host: Any = None, **kw: Any) -> WorkFilesController:
    return WorkFilesController(host, session=session, plugin_manager=pm, user="artist", **kw)


def save(c: WorkFilesController, task: Any, take: str = "Main", text: str = "") -> Any:
    plan = c.save_plan(task.id, take)
    outcome = c.save(SaveRequest(task.id, take, text, plan.number))
    assert outcome.saved, outcome.message
    return outcome.version


# -- takes and versions ---------------------------------------------------------------


def test_a_task_without_versions_has_the_main_take(session: Any, demo: Demo, pm: Any) -> None:
    takes = controller(session, pm).takes(demo.comp.id)
    assert [(t.name, t.count, t.label) for t in takes] == [("Main", 0, "Main (0)")]


def test_takes_count_their_versions_main_first(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    for take in ("Main", "Main", "alt", "Blocking"):
        save(c, demo.comp, take)
    takes = c.takes(demo.comp.id)
    assert [(t.name, t.count) for t in takes] == [("Main", 2), ("alt", 1), ("Blocking", 1)]


def test_versions_come_newest_first_one_page_at_a_time(
    session: Any, demo: Demo, pm: Any, any_host: Any
) -> None:
    c = controller(session, pm, any_host, page_size=2)
    for n in range(5):
        save(c, demo.comp, text=f"pass {n + 1}")
    assert c.version_count(demo.comp.id, "Main") == 5
    first = c.versions_page(demo.comp.id, "Main")
    second = c.versions_page(demo.comp.id, "Main", before=first[-1].number)
    last = c.versions_page(demo.comp.id, "Main", before=second[-1].number)
    assert [[r.number for r in p] for p in (first, second, last)] == [[5, 4], [3, 2], [1]]
    row = first[0]
    assert (row.label, row.description, row.author, row.application, row.published) == (
        "v005", "pass 5", "Artist", any_host.name, False,
    )
    assert row.date is not None and row.date.tzinfo is not None
    assert row.filename == "SH001_comp_Main_v005" + any_host.workfile_extensions[0]
    assert c.versions_page(demo.comp.id, "other") == []
    assert c.version_count(demo.comp.id, "other") == 0


def test_published_versions_are_marked(session: Any, demo: Demo, pm: Any, host: FakeHost) -> None:
    from stalker_core.models import Version

    c = controller(session, pm, host)
    first = save(c, demo.comp)
    save(c, demo.comp)
    session.get(Version, first.id).is_published = True
    session.commit()
    assert [r.published for r in c.versions_page(demo.comp.id, "Main")] == [False, True]


# -- save plans ----------------------------------------------------------------------------


def test_the_plan_shows_the_next_number_and_the_rendered_file_name(
    session: Any, demo: Demo, pm: Any, any_host: Any
) -> None:
    c = controller(session, pm, any_host)
    save(c, demo.comp)
    plan = c.save_plan(demo.comp.id)
    ext = any_host.workfile_extensions[0]
    assert plan.can_save and plan.problems == ()
    assert (plan.number, plan.latest, plan.version_label) == (2, 1, "v002")
    assert plan.filename == f"SH001_comp_Main_v002{ext}"
    assert Path(plan.folder) == demo.root / "TP" / "SH001" / "comp"
    assert plan.task_label == "SH001/comp"
    assert plan.extensions == tuple(any_host.workfile_extensions)
    assert not (Path(plan.folder) / plan.filename).exists()  # a plan writes nothing
    assert c.version_count(demo.comp.id, "Main") == 1
    alt = c.save_plan(demo.comp.id, "Alt")
    assert (alt.number, alt.filename) == (1, f"SH001_comp_Alt_v001{ext}")


def test_a_container_task_cannot_be_saved(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    plan = controller(session, pm, host).save_plan(demo.shot.id)
    assert not plan.can_save
    assert plan.problems == (
        "SH001 is a container of 2 task(s); save versions on one of the tasks inside it",
    )


@pytest.mark.parametrize("code, words", [("CMPL", "Completed"), ("STOP", "Stopped")])
def test_a_closed_task_cannot_be_saved(
    session: Any, demo: Demo, pm: Any, host: FakeHost, code: str, words: str
) -> None:
    from stalker_core.models.task.status import set_status

    set_status(demo.comp, code)
    session.commit()
    plan = controller(session, pm, host).save_plan(demo.comp.id)
    assert not plan.can_save
    assert plan.problems == (
        f"SH001/comp is closed ({words}, {code}); it has to be reopened before new versions "
        "are saved",
    )


def test_a_project_without_repository_cannot_be_saved(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    demo.project.repositories = []
    session.commit()
    plan = controller(session, pm, host).save_plan(demo.comp.id)
    assert plan.problems == (
        "project 'Project TP' has no repository to save into; add a repository to the project",
    )
    assert plan.filename == ""


def test_a_missing_filename_template_is_explained(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    demo.project.structure = None
    session.commit()
    plan = controller(session, pm, host).save_plan(demo.comp.id)
    (problem,) = plan.problems
    assert "has no structure" in problem and "FilenameTemplate" in problem


def test_a_missing_template_variable_is_explained(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    template = next(t for t in demo.project.structure.templates if t.target_entity_type == "Task")
    template.filename = "{{version.nice_name}}_{{department_code}}"
    session.commit()
    plan = controller(session, pm, host).save_plan(demo.comp.id)
    (problem,) = plan.problems
    assert "department_code" in problem
    assert plan.filename == ""


def test_a_bad_take_name_is_explained(session: Any, demo: Demo, pm: Any, host: FakeHost) -> None:
    plan = controller(session, pm, host).save_plan(demo.comp.id, "two words")
    (problem,) = plan.problems
    assert "take_name" in problem and "'two words'" in problem


def test_without_a_host_nothing_can_be_saved(session: Any, demo: Demo, pm: Any) -> None:
    plan = controller(session, pm).save_plan(demo.comp.id)
    assert plan.problems[0].startswith("there is no application to save from")
    assert plan.filename == "SH001_comp_Main_v001"  # rendered all the same, without extension


def test_a_user_who_may_not_save_sees_why_before_saving(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    """The plan names the refusal, so the dialog disables Save instead of failing on it."""
    from stalker_core.models import Group
    from stalker_core.workflows.permissions import grant

    session.add(grant(Group(name="no saving", users=[demo.user]),
                      [("Deny", "Create", "Version")], session=session))
    session.commit()
    c = controller(session, pm, host)
    plan = c.save_plan(demo.comp.id)
    assert not plan.can_save
    assert plan.problems[0].startswith("user 'artist' may not Create a Version of task")
    outcome = c.save(SaveRequest(demo.comp.id, "Main", "", plan.number))
    assert not outcome.saved and "may not Create" in outcome.message
    assert files_under(demo.root) == set()


# -- saving ------------------------------------------------------------------------------


def test_save_goes_through_save_as_version_with_the_panel_s_host(
    session: Any, demo: Demo, pm: Any, any_host: Any
) -> None:
    from stalker_core.models import Version

    c = controller(session, pm, any_host)
    plan = c.save_plan(demo.comp.id)
    outcome = c.save(SaveRequest(demo.comp.id, "Main", "first pass", plan.number))
    assert outcome.saved and outcome.version is not None
    assert outcome.message == f"saved v001 as {plan.filename}"
    version = session.get(Version, outcome.version.id)
    assert version.created_with == any_host.name
    assert version.created_by.login == "artist"
    assert Path(version.absolute_full_path) == Path(plan.folder) / plan.filename
    assert any_host.current_file() == Path(version.absolute_full_path)
    assert c.current_selection() is not None
    assert c.current_selection().version_id == version.id  # type: ignore[union-attr]


def test_a_version_saved_meanwhile_is_reported_and_the_next_number_offered(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Task, Version

    c = controller(session, pm, host)
    plan = c.save_plan(demo.comp.id)
    assert plan.number == 1
    with other_session(session) as other:  # another artist saves v001 while the dialog is open
        save_as_version(FakeHost(name="nuke"), other.get(Task, demo.comp.id), "Main",
                        "theirs", "artist", session=other, pm=pm)
    outcome = c.save(SaveRequest(demo.comp.id, "Main", "mine", plan.number))
    assert not outcome.saved
    assert outcome.plan.number == 2 and outcome.plan.conflict == outcome.message
    assert "v001 is taken" in outcome.message and "press Save again to save as v002" in (
        outcome.message
    )
    assert "v001 was saved by Artist" in outcome.message
    assert c.version_count(demo.comp.id, "Main") == 1  # nothing saved by the refused call
    again = c.save(SaveRequest(demo.comp.id, "Main", "mine", outcome.plan.number))
    assert again.saved and again.version is not None and again.version.number == 2
    assert session.get(Version, again.version.id).description == "mine"


def test_save_refused_when_the_plan_no_longer_holds(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models.task.status import set_status

    c = controller(session, pm, host)
    plan = c.save_plan(demo.comp.id)
    set_status(demo.comp, "CMPL")
    session.commit()
    outcome = c.save(SaveRequest(demo.comp.id, "Main", "", plan.number))
    assert not outcome.saved and outcome.message.startswith("cannot save: SH001/comp is closed")
    assert files_under(demo.root) == set()


# -- opening --------------------------------------------------------------------------------


def test_open_a_clean_scene_opens_at_once(
    session: Any, demo: Demo, pm: Any, any_host: Any
) -> None:
    c = controller(session, pm, any_host)
    first = save(c, demo.comp)
    save(c, demo.comp)
    assert c.unsaved_prompt() is None
    outcome = c.open(first.id)
    assert outcome.opened and outcome.version == first
    assert outcome.message == f"opened v001 ({first.filename})"
    assert any_host.current_file().name == first.filename


def test_unsaved_changes_are_a_question_with_three_answers(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    current = host.current_file()
    host.edit("a cube")
    outcome = c.open(first.id)
    assert outcome.status == "needs_choice" and not outcome.opened
    prompt = outcome.prompt
    assert prompt is not None and prompt.can_save_first
    assert prompt.choices == (OpenChoice.SAVE_FIRST, OpenChoice.DISCARD, OpenChoice.CANCEL)
    assert prompt.question == (
        f"'{first.filename}' has unsaved changes. Save it first as v002 of SH001/comp (Main), "
        "discard the changes, or cancel?"
    )
    assert host.current_file() == current and host.has_unsaved_changes()  # nothing done


def test_cancel_leaves_the_scene_alone(session: Any, demo: Demo, pm: Any, host: FakeHost) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    save(c, demo.comp)
    host.edit("a cube")
    outcome = c.open(first.id, OpenChoice.CANCEL)
    assert outcome.status == "cancelled"
    assert host.has_unsaved_changes() and host.current_file().name.endswith("v002.fake")


def test_discard_opens_over_the_changes(session: Any, demo: Demo, pm: Any, host: FakeHost) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    save(c, demo.comp)
    host.edit("a cube")
    outcome = c.open(first.id, OpenChoice.DISCARD)
    assert outcome.opened and outcome.saved_first is None
    assert host.current_file().name == first.filename and not host.has_unsaved_changes()
    assert c.version_count(demo.comp.id, "Main") == 2


def test_save_first_saves_the_next_version_then_opens(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    host.edit("a cube")
    outcome = c.open(first.id, OpenChoice.SAVE_FIRST)
    assert outcome.opened and outcome.saved_first is not None
    assert (outcome.saved_first.number, outcome.saved_first.description) == (
        2, "saved before opening v001",
    )
    saved = demo.root / "TP" / "SH001" / "comp" / outcome.saved_first.filename
    assert "a cube" in saved.read_text()  # the changes were kept in v002
    assert host.current_file().name == first.filename


def test_a_scene_of_no_task_cannot_be_saved_first(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    host.new_file()
    host.edit("scratch")
    prompt = c.unsaved_prompt()
    assert prompt is not None and not prompt.can_save_first
    assert prompt.choices == (OpenChoice.DISCARD, OpenChoice.CANCEL)
    assert "belongs to no task" in prompt.question
    with pytest.raises(ValueError, match="choice should be one of"):
        c.open(first.id, OpenChoice.SAVE_FIRST)
    assert c.open(first.id, OpenChoice.DISCARD).opened


def test_a_host_that_cannot_tell_is_asked_about(session: Any, demo: Demo, pm: Any) -> None:
    host = FakeHost(knows_changes=False)
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    prompt = c.unsaved_prompt()
    assert prompt is not None and "may have unsaved changes" in prompt.question
    assert c.open(first.id, OpenChoice.DISCARD).opened


def test_open_as_new_version_copies_an_older_published_version_forward(
    session: Any, demo: Demo, pm: Any, any_host: Any
) -> None:
    from stalker_core.models import Version

    c = controller(session, pm, any_host)
    first = save(c, demo.comp, text="approved")
    session.get(Version, first.id).is_published = True
    session.commit()
    save(c, demo.comp)
    save(c, demo.comp)
    outcome = c.open_as_new_version(first.id)
    assert outcome.opened and outcome.version is not None
    new = session.get(Version, outcome.version.id)
    assert (new.version_number, new.parent_id, new.description) == (
        4, first.id, "copied forward from v001",
    )
    assert outcome.message == f"opened v001 as the new v004 ({new.filename})"
    assert any_host.current_file() == Path(new.absolute_full_path)
    old_path = Path(session.get(Version, first.id).absolute_full_path)
    if isinstance(any_host, FakeHost):  # the scene's content went forward, the id is the new one
        old, copied = json.loads(old_path.read_text()), json.loads(
            Path(new.absolute_full_path).read_text())
        assert copied["content"] == old["content"]
    else:
        assert Path(new.absolute_full_path).read_text() == old_path.read_text()


def test_open_as_new_version_asks_about_unsaved_changes_too(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    first = save(c, demo.comp)
    host.edit("a cube")
    assert c.open_as_new_version(first.id).status == "needs_choice"
    outcome = c.open_as_new_version(first.id, OpenChoice.DISCARD, description="from v1")
    assert outcome.opened and outcome.version is not None
    assert (outcome.version.number, outcome.version.description) == (2, "from v1")


def test_open_as_new_version_refused_on_a_closed_task(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models.task.status import set_status

    c = controller(session, pm, host)
    first = save(c, demo.comp)
    set_status(demo.comp, "CMPL")
    session.commit()
    outcome = c.open_as_new_version(first.id)
    assert outcome.status == "refused" and "is closed" in outcome.message
    assert c.version_count(demo.comp.id, "Main") == 1


def test_the_scene_s_task_is_known_from_its_metadata_or_its_file(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    c = controller(session, pm, host)
    assert c.current_selection() is None
    row = save(c, demo.comp, "Alt")
    selection = c.current_selection()
    assert selection is not None
    assert (selection.project_id, selection.task_id, selection.take, selection.version_id) == (
        demo.project.id, demo.comp.id, "Alt", row.id,
    )
    host.set_scene_metadata({})  # found again by its file
    assert c.current_selection() == selection


# -- faults ------------------------------------------------------------------------------------


def test_a_task_deleted_while_the_panel_is_open(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Task

    c = controller(session, pm, host)
    c.children(demo.project.id)
    c.children(demo.project.id, demo.shot.id)
    plan = c.save_plan(demo.anim.id)
    anim_id = demo.anim.id
    with other_session(session) as other:
        other.delete(other.get(Task, anim_id))
        other.commit()
    with pytest.raises(TaskNotFoundError, match="'SH001/anim'"):
        c.takes(anim_id)
    with pytest.raises(TaskNotFoundError, match="no longer exists"):
        c.save(SaveRequest(anim_id, "Main", "", plan.number))
    assert files_under(demo.root) == set()


def test_a_version_deleted_while_the_panel_is_open(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import Version

    c = controller(session, pm, host)
    row = save(c, demo.comp)
    with other_session(session) as other:
        other.delete(other.get(Version, row.id))
        other.commit()
    with pytest.raises(VersionNotFoundError, match=f"version {row.id} no longer exists"):
        c.open(row.id)


def test_an_unreachable_database_writes_nothing(pm: Any) -> None:
    host = FakeHost()
    with unreachable_session() as session:
        c = WorkFilesController(host, session=session, plugin_manager=pm)
        with pytest.raises(DatabaseUnavailableError):
            c.save(SaveRequest(1, "Main", "", 1))
        with pytest.raises(DatabaseUnavailableError):
            c.projects()
    assert host.current_file() is None
    assert not [call for call in host.calls if call.method == "save_file"]


def test_a_connection_lost_mid_panel_is_retryable(
    session: Any, demo: Demo, pm: Any, host: FakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    c = controller(session, pm, host)
    comp_id = demo.comp.id
    assert c.takes(comp_id)[0].name == "Main"

    def lost(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(session(), "execute", lost)
    with pytest.raises(DatabaseUnavailableError, match="server closed the connection"):
        c.versions_page(comp_id, "Main")
    monkeypatch.undo()
    assert c.versions_page(comp_id, "Main") == []  # retry works once it is back


def test_page_size_must_be_positive(session: Any) -> None:
    with pytest.raises(ValueError, match="page_size should be 1 or more"):
        WorkFilesController(session=session, page_size=0)
