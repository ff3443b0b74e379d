"""Browsing for the panels: projects, the task tree level by level, "My tasks", faults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from panel_helpers import other_session, unreachable_session
from wf_helpers import Demo, build_project

from stalker_core.controllers.browse import BrowseController, TaskNotFoundError
from stalker_core.exceptions import DatabaseUnavailableError


def test_projects_by_name_with_their_codes(session: Any, demo: Demo, tmp_path: Path) -> None:
    build_project(session, tmp_path / "other", code="AB")
    items = BrowseController(session=session).projects()
    assert [(p.name, p.code) for p in items] == [("Project AB", "AB"), ("Project TP", "TP")]
    assert items[1].label == "Project TP (TP)"
    assert items[1].id == demo.project.id


def test_children_level_by_level_with_status_in_words(session: Any, demo: Demo) -> None:
    from stalker_core.models.task.status import set_status

    set_status(demo.comp, "WIP")
    session.commit()
    browse = BrowseController(session=session)
    roots = browse.children(demo.project.id)
    assert [(n.name, n.entity_type, n.has_children) for n in roots] == [
        ("Hero", "Asset", True), ("SH001", "Shot", True),
    ]
    shot = roots[1]
    kids = browse.children(demo.project.id, shot.id)
    assert [(n.name, n.has_children, n.parent_id) for n in kids] == [
        ("anim", False, shot.id), ("comp", False, shot.id),
    ]
    comp = kids[1]
    assert (comp.status_code, comp.status_text) == ("WIP", "WIP - Work In Progress")
    assert kids[0].status_text == "RTS - Ready To Start"
    assert browse.task_label(comp.id) == "SH001/comp"


def test_my_tasks_keeps_the_user_s_tasks_and_their_ancestors(session: Any, demo: Demo) -> None:
    demo.comp.resources.append(demo.user)
    session.commit()
    browse = BrowseController(session=session, user="artist")
    assert browse.user is not None and browse.user.login == "artist"
    mine = browse.my_tasks(demo.project.id)
    assert mine.mine == {demo.comp.id}
    assert mine.visible == {demo.comp.id, demo.shot.id}
    roots = browse.children(demo.project.id, only=mine)
    assert [(n.name, n.has_children) for n in roots] == [("SH001", True)]
    assert [n.name for n in browse.children(demo.project.id, demo.shot.id, only=mine)] == [
        "comp"
    ]


def test_a_user_s_own_container_opens_only_where_the_filter_keeps_tasks(
    session: Any, demo: Demo
) -> None:
    demo.shot.resources.append(demo.user)  # a resource of the container only
    session.commit()
    browse = BrowseController(session=session, user=demo.user)
    mine = browse.my_tasks(demo.project.id)
    assert mine.mine == mine.visible == {demo.shot.id}
    (shot,) = browse.children(demo.project.id, only=mine)
    assert not shot.has_children


def test_without_a_known_user_my_tasks_is_empty(session: Any, demo: Demo) -> None:
    browse = BrowseController(session=session, user="nobody_has_this_login")
    assert browse.user is None
    mine = browse.my_tasks(demo.project.id)
    assert not mine.mine and not mine.visible
    assert browse.children(demo.project.id, only=mine) == []


def test_task_path_from_the_root(session: Any, demo: Demo) -> None:
    browse = BrowseController(session=session)
    assert browse.task_path(demo.comp.id) == [demo.shot.id, demo.comp.id]
    assert browse.task_path(demo.shot.id) == [demo.shot.id]


def test_a_task_deleted_meanwhile_is_named_in_the_error(session: Any, demo: Demo) -> None:
    from stalker_core.models import Task

    browse = BrowseController(session=session)
    browse.children(demo.project.id)
    browse.children(demo.project.id, demo.shot.id)
    anim_id = demo.anim.id
    with other_session(session) as other:
        other.delete(other.get(Task, anim_id))
        other.commit()
    with pytest.raises(TaskNotFoundError, match=r"'SH001/anim' \(id \d+\) no longer exists"):
        browse.task_path(anim_id)
    with pytest.raises(TaskNotFoundError):
        browse.get_task(anim_id)
    assert [n.name for n in browse.children(demo.project.id, demo.shot.id)] == ["comp"]


def test_reads_see_what_others_committed_since(session: Any, demo: Demo) -> None:
    from stalker_core.models import Project

    browse = BrowseController(session=session)
    assert len(browse.projects()) == 1
    with other_session(session) as other:
        repo = demo.project.repositories[0]
        other.add(Project(name="Late", code="LATE", repositories=[other.merge(repo)]))
        other.commit()
    assert [p.code for p in browse.projects()] == ["LATE", "TP"]
    assert not session().in_transaction()  # no transaction left open between calls


def test_an_unreachable_database_is_a_clear_retryable_error() -> None:
    from stalker_core.controllers.base import problem_of

    with unreachable_session() as session:
        browse = BrowseController(session=session)
        with pytest.raises(DatabaseUnavailableError, match="cannot be reached") as info:
            browse.projects()
        assert problem_of(info.value).retry
        assert [c.label for c in browse.call_log.calls] == ["browse.projects"]
