"""Links of new objects to stored objects: foreign keys at flush, links back afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, inspect, select
from sqlalchemy.exc import IntegrityError

from stalker_core.orm import stored_links


def _each_flush(session: Any, read: Any) -> list[set[Any]]:
    """For each flush from now on: ``read(flush context)``."""
    seen: list[set[Any]] = []
    event.listen(session.registry(), "after_flush", lambda _s, ctx: seen.append(read(ctx)))
    return seen


def _unit_of_work_keys(session: Any) -> list[set[Any]]:
    """For each flush from now on: the relationships the unit of work made records for."""
    return _each_flush(session, lambda ctx: {
        rec.dependency_processor.prop
        for rec in ctx.postsort_actions.values()
        if hasattr(rec, "dependency_processor")
    })


def _flushed(session: Any) -> list[set[Any]]:
    """For each flush from now on: the objects its unit of work took."""
    return _each_flush(session, lambda ctx: {state.obj() for state in ctx.states})


def _flush_refused(session: Any) -> None:
    """Flush, with every Task INSERT refused: the flush fails half-way."""
    from stalker_core.models import Task

    def refuse(*_: Any) -> None:
        raise RuntimeError("refused for the test")

    event.listen(Task, "before_insert", refuse)
    try:
        with pytest.raises(RuntimeError, match="refused"):
            session.flush()
    finally:
        event.remove(Task, "before_insert", refuse)


def _flush_refused_by_a_later_hook(session: Any) -> None:
    """Flush, refused by a ``before_flush`` hook that runs after stalker_core's."""

    def refuse(*_: Any) -> None:
        raise RuntimeError("refused by an application hook")

    event.listen(session.registry(), "before_flush", refuse)
    try:
        with pytest.raises(RuntimeError, match="refused"):
            session.flush()
    finally:
        event.remove(session.registry(), "before_flush", refuse)


@pytest.fixture
def project(session: Any) -> Any:
    from stalker_core.models import Project

    p = Project(name="P", code="P")
    session.add(p)
    session.commit()
    return p


def test_a_new_task_stores_its_links_to_stored_objects_without_the_unit_of_work(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task

    seen = _unit_of_work_keys(session)
    task = Task(name="T", project=project)
    status = task.status
    session.commit()
    links = Task.__mapper__.relationships
    assert links["project"] not in seen[-1] and links["status"] not in seen[-1]
    # the links are back, stored: nothing left to flush
    state = inspect(task)
    assert task.project is project and task.status is status
    assert not state.attrs.project.history.has_changes()
    assert not state.attrs.status.history.has_changes()
    assert stored_links._DETACHED not in session.info
    # and the rows hold the ids
    row = session.execute(
        select(Task.project_id, Task.status_id, Task.status_list_id).where(Task.id == task.id)
    ).one()
    assert row == (project.id, status.id, task.status_list.id)
    session.expire_all()
    assert session.get(Task, task.id).project is project


def test_a_link_between_new_objects_is_sorted_through_one_side(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task

    seen = _unit_of_work_keys(session)
    parent = Task(name="Parent", project=project)
    child = Task(name="Child", parent=parent)
    session.commit()
    links = Task.__mapper__.relationships
    # parent's children does the work: one record for the parent, none per child
    assert links["children"] in seen[-1] and links["parent"] not in seen[-1]
    assert child.parent is parent and child.parent_id == parent.id
    assert not inspect(child).attrs.parent.history.has_changes()
    assert stored_links._DETACHED not in session.info
    session.expire_all()
    assert session.get(Task, child.id).parent is parent
    assert [t.name for t in session.get(Task, parent.id).children] == ["Child"]


def test_dependencies_between_new_tasks_are_written_by_their_rows(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task, TaskDependency

    taken: list[tuple[Any, str]] = []

    def after_flush(_s: Any, _ctx: Any) -> None:
        taken.extend((state.obj(), key) for state, key, *_r in _s.info[stored_links._DETACHED])

    event.listen(session.registry(), "after_flush", after_flush)
    first = Task(name="First", project=project)
    second = Task(name="Second", project=project, depends_on=[first])
    session.commit()
    # the Task sides are out of the flush; the TaskDependency rows' own links write the ids
    assert (second, "task_depends_on") in taken and (first, "task_dependent_of") in taken
    assert not any(isinstance(obj, TaskDependency) for obj, _key in taken)
    assert second.depends_on == [first] and first.dependent_of == [second]
    assert not inspect(second).attrs.task_depends_on.history.has_changes()
    assert session.execute(
        select(TaskDependency.task_id, TaskDependency.depends_on_id)
    ).all() == [(second.id, first.id)]


def test_a_failed_flush_puts_links_between_new_objects_back_unstored(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task

    parent = Task(name="Parent", project=project)
    child = Task(name="Child", parent=parent, depends_on=[])
    other = Task(name="Other", project=project, depends_on=[parent])

    _flush_refused(session)
    assert child.parent is parent and inspect(child).attrs.parent.history.added == [parent]
    assert [td.depends_on for td in other.task_depends_on] == [parent]
    assert inspect(other).attrs.task_depends_on.history.has_changes()
    assert stored_links._DETACHED not in session.info
    session.rollback()


def test_links_between_new_objects_stay_for_a_limited_flush(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task

    parent = Task(name="Parent", project=project)
    child = Task(name="Child", parent=parent)
    stored_links.detach_stored_links(session.registry(), None, [parent, child])
    taken = {key for _state, key, *_rest in session.info[stored_links._DETACHED]}
    assert "parent" not in taken and "project" in taken
    stored_links.reattach_stored_links(session.registry(), succeeded=False)
    stored_links.detach_stored_links(session.registry())  # a full flush takes it
    taken = {key for _state, key, *_rest in session.info[stored_links._DETACHED]}
    assert "parent" in taken
    stored_links.reattach_stored_links(session.registry(), succeeded=False)
    assert child.parent is parent
    session.commit()
    assert child.parent_id == parent.id


def test_a_failed_flush_puts_the_links_back_unstored(session: Any, project: Any) -> None:
    from stalker_core.models import Task

    task = Task(name="T", project=project)

    _flush_refused(session)
    state = inspect(task)
    assert task.project is project
    assert state.attrs.project.history.added == [project]  # still to be written
    assert stored_links._DETACHED not in session.info
    session.rollback()
    # the transient task still knows its project; added again, it is stored
    assert task.project is project
    session.add(task)
    session.commit()
    assert session.scalar(select(Task.project_id).where(Task.id == task.id)) == project.id


def test_a_flush_refused_by_the_database_puts_the_links_back(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Tag, Task

    task = Task(name="T", project=project)
    tag = Tag(name="tag")
    session.add(tag)
    tag.__dict__["name"] = None  # past the validator: the database refuses the NULL name
    with pytest.raises(IntegrityError):
        session.flush()
    assert task.project is project
    assert inspect(task).attrs.project.history.added == [project]
    assert stored_links._DETACHED not in session.info
    session.rollback()


def test_only_the_objects_a_flush_is_limited_to_are_taken(session: Any, project: Any) -> None:
    from stalker_core.models import Task

    first = Task(name="First", project=project)
    second = Task(name="Second", project=project)
    stored_links.detach_stored_links(session.registry(), None, [first])
    taken = [state.obj() for state, *_rest in session.info[stored_links._DETACHED]]
    assert first in taken and second not in taken
    stored_links.reattach_stored_links(session.registry(), succeeded=False)
    assert first.project is project and second.project is project
    session.commit()
    assert {first.project_id, second.project_id} == {project.id}


def test_a_link_to_an_object_being_deleted_is_left_alone(session: Any, project: Any) -> None:
    from stalker_core.models import Task, Type

    kind = Type(name="Doomed", code="D", target_entity_type="Task")
    session.add(kind)
    session.commit()
    task = Task(name="T", project=project, type=kind)
    session.delete(kind)
    stored_links.detach_stored_links(session.registry())
    taken = {key for _state, key, *_rest in session.info[stored_links._DETACHED]}
    assert "project" in taken and "type" not in taken
    assert "project" not in inspect(task).dict and task.__dict__["project_id"] == project.id
    stored_links.reattach_stored_links(session.registry(), succeeded=False)
    assert task.project is project and task.type is kind
    assert inspect(task).attrs.project.history.added == [project]
    session.rollback()


@pytest.fixture
def stored(session: Any, project: Any) -> Any:
    """The stored project, its tasks unloaded: a new task queues itself there."""
    session.expire(project, ["tasks"])
    return project


def test_a_stored_object_whose_only_change_is_a_queued_append_stays_out_of_the_flush(
    session: Any, stored: Any
) -> None:
    from stalker_core.models import Task

    seen = _flushed(session)
    task = Task(name="T", project=stored)
    assert inspect(stored).modified  # the back-reference queued the task
    session.flush()
    assert stored not in seen[-1] and task in seen[-1]
    assert not inspect(stored).modified and stored not in session.dirty
    assert stored_links._QUEUED not in session.info
    # loaded now from the database: the task once, as after SQLAlchemy's own flush
    assert stored.tasks == [task]
    session.commit()
    assert session.scalar(select(Task.project_id).where(Task.id == task.id)) == stored.id


def test_a_stored_object_with_changes_of_its_own_is_flushed(session: Any, stored: Any) -> None:
    from stalker_core.models import Task

    seen = _flushed(session)
    task = Task(name="T", project=stored)
    stored.description = "changed"
    session.flush()
    assert stored in seen[-1]
    assert stored.tasks == [task]
    session.commit()
    session.expire_all()
    assert stored.description == "changed" and stored.tasks == [task]


def test_a_flush_refused_before_its_transaction_puts_the_queued_append_back(
    session: Any, stored: Any
) -> None:
    from stalker_core.models import Task
    from stalker_core.orm import _sqla_private

    task = Task(name="T", project=stored)
    _flush_refused_by_a_later_hook(session)  # the flush has not begun its transaction
    assert session.is_active
    state = inspect(stored)
    assert state.modified and _sqla_private.has_pending_change(state, "tasks")
    session.commit()
    assert stored.tasks == [task]


def test_a_flush_failed_in_its_transaction_leaves_the_stored_object_expired_and_clean(
    session: Any, stored: Any
) -> None:
    import warnings

    from stalker_core.models import Task

    Task(name="T", project=stored)
    _flush_refused(session)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "state changed on a non-active transaction"
        session.rollback()
    assert not session.dirty and not inspect(stored).modified
    assert stored.tasks == []


def _fresh_rows(session: Any, statement: Any) -> list[Any]:
    """``statement``'s rows read on a new connection (what another process would see)."""
    with session.get_bind().connect() as connection:
        return list(connection.execute(statement).all())


def test_a_savepoint_rollback_expires_a_stored_object_left_out_of_the_flush(
    session: Any, stored: Any
) -> None:
    from stalker_core.models import Task

    savepoint = session.begin_nested()
    task = Task(name="Doomed", project=stored)
    assert [t.name for t in stored.tasks] == ["Doomed"]  # autoflush, then loaded
    savepoint.rollback()
    assert inspect(task).transient
    assert stored.tasks == []  # expired by the rollback, loaded again without the task
    session.add(stored)
    session.commit()  # nothing rolled back comes back
    assert _fresh_rows(session, select(Task.name)) == []


def test_a_refused_flush_leaves_no_foreign_key_behind_for_a_link_cleared_later(
    session: Any, project: Any
) -> None:
    from stalker_core.models import Task

    base = Task(name="Base", project=project)
    session.commit()
    child = Task(name="Child", project=project, parent=base)

    _flush_refused_by_a_later_hook(session)  # the foreign keys were written already
    assert "parent_id" not in child.__dict__ or child.__dict__["parent_id"] is None
    child.parent = None  # changed their mind
    session.commit()
    assert _fresh_rows(session, select(Task.parent_id).where(Task.id == child.id)) == [(None,)]


def test_a_link_changed_by_an_after_flush_postexec_hook_is_kept(session: Any) -> None:
    from stalker_core.models import Project, Task

    p1, p2 = Project(name="P1", code="P1"), Project(name="P2", code="P2")
    session.add_all([p1, p2])
    session.commit()
    task = Task(name="T", project=p1)
    moved: list[bool] = []

    def move(*_: Any) -> None:
        if not moved:
            moved.append(True)
            task.project = p2  # SQLAlchemy allows changes here; the next flush writes them

    event.listen(session.registry(), "after_flush_postexec", move)
    try:
        session.commit()
    finally:
        event.remove(session.registry(), "after_flush_postexec", move)
    assert task.project is p2
    assert _fresh_rows(session, select(Task.project_id).where(Task.id == task.id)) == [(p2.id,)]


def test_an_owner_collection_loaded_during_the_flush_gets_the_new_member(
    session: Any, stored: Any
) -> None:
    from stalker_core.models import Task

    seen: list[list[str]] = []

    def read(*_: Any) -> None:  # an application's before_flush hook, after stalker_core's
        seen.append([t.name for t in stored.tasks])

    event.listen(session.registry(), "before_flush", read)
    try:
        task = Task(name="New", project=stored)
        session.commit()
    finally:
        event.remove(session.registry(), "before_flush", read)
    assert seen == [[]]  # loaded before the INSERT: the hook sees the stored rows only
    assert stored.tasks == [task]  # and the session holds the truth after the flush
    assert not inspect(stored).modified
