"""The one module touching SQLAlchemy internals: each private name, and each helper.

When a SQLAlchemy upgrade renames or removes one of the private names,
``test_private_name_still_exists[<owner>.<name>]`` fails and says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy.ext.associationproxy as associationproxy
from sqlalchemy import create_engine, select
from sqlalchemy import inspect as sqlalchemy_inspect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    QueryableAttribute,
    Session,
    dependency,
    mapped_column,
    persistence,
    unitofwork,
)
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.collections import CollectionAdapter
from sqlalchemy.orm.state import PendingCollection
from sqlalchemy.orm.unitofwork import UOWTransaction

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import Department, User
from stalker_core.orm import _sqla_private as private


class _Base(DeclarativeBase):
    pass


class Item(_Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(default="")


@pytest.fixture
def plain() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _owners() -> dict[str, Any]:
    """A live object for each owner named in PRIVATE_NAMES."""
    session = Session()
    department = Department(name="d")
    return {
        "Session": session,
        "IdentityMap": session.identity_map,
        "InstanceState": instance_state(Item()),
        "sqlalchemy.ext.associationproxy": associationproxy,
        "_AssociationList": department.users,
        "AssociationProxy": Department.__mapper__.all_orm_descriptors["users"],
        "AssociationProxyInstance": Department.users,
        "ForeignKeyConstraint": next(iter(Department.__table__.foreign_key_constraints)),
        "Mapper": Department.__mapper__,
        "UOWTransaction": UOWTransaction(session),
        "sqlalchemy.orm.unitofwork": unitofwork,
        "_IterateMappersMixin": unitofwork._IterateMappersMixin,
        "sqlalchemy.orm.persistence": persistence,
        "sqlalchemy.orm.dependency": dependency,
        "_DependencyProcessor": dependency._DependencyProcessor,
        "QueryableAttribute": Department.name,
        "PendingCollection": PendingCollection(),
        "CollectionAdapter": CollectionAdapter,
        "SessionTransaction": Session().begin(),
    }


@pytest.mark.parametrize(
    "owner, name", private.PRIVATE_NAMES, ids=[f"{o}.{n}" for o, n in private.PRIVATE_NAMES]
)
def test_private_name_still_exists(owner: str, name: str) -> None:
    obj = _owners()[owner]
    assert hasattr(obj, name), (
        f"SQLAlchemy no longer has {owner}.{name}; stalker_core/orm/_sqla_private.py uses it"
    )


def test_the_unique_list_subclasses_sqlalchemys_list_proxy() -> None:
    assert issubclass(private.UniqueAssociationList, associationproxy._AssociationList)
    assert isinstance(Department(name="d").users, private.UniqueAssociationList)


# -- pending_change_count ----------------------------------------------------------


def test_pending_change_count_counts_new_changed_and_deleted(plain: Session) -> None:
    assert private.pending_change_count(plain) == 0
    items = [Item(label=str(i)) for i in range(5)]
    plain.add_all(items)
    assert private.pending_change_count(plain) == 5
    plain.commit()
    assert private.pending_change_count(plain) == 0
    items[0].label = "changed"
    items[1].label = "changed"
    plain.delete(items[2])
    assert private.pending_change_count(plain) == 3
    assert private.pending_change_count(plain) == (
        len(plain.new) + len(plain.deleted) + len(plain.dirty)
    )
    plain.commit()
    assert private.pending_change_count(plain) == 0


# -- add_without_cascade / same_session --------------------------------------------


def test_add_without_cascade_makes_a_transient_object_pending(plain: Session) -> None:
    item = Item(label="x")
    state = instance_state(item)
    assert private.add_without_cascade(plain, state) is True
    assert item in plain.new
    plain.commit()
    assert plain.get(Item, item.id) is item


def test_add_without_cascade_declines_objects_already_in_a_session(plain: Session) -> None:
    item = Item(label="x")
    plain.add(item)
    assert private.add_without_cascade(plain, instance_state(item)) is False  # pending
    plain.commit()
    assert private.add_without_cascade(plain, instance_state(item)) is False  # persistent


def test_same_session(plain: Session) -> None:
    a, b, c = Item(), Item(), Item()
    assert private.same_session(instance_state(a), instance_state(b))  # both in none
    plain.add_all([a, b])
    assert private.same_session(instance_state(a), instance_state(b))
    assert not private.same_session(instance_state(a), instance_state(c))
    with Session() as other:
        other.add(c)
        assert not private.same_session(instance_state(a), instance_state(c))


# -- the unique association list ---------------------------------------------------


def _user(n: int) -> User:
    return User(name=f"U{n}", login=f"u{n}", email=f"u{n}@example.com", password="secret")


def test_unique_list_appends_a_member_once() -> None:
    dep = Department(name="d")
    ann, bob = _user(1), _user(2)
    dep.users.append(ann)
    dep.users.append(ann)
    dep.users.insert(0, ann)
    assert dep.users == [ann]
    assert ann in dep.users and bob not in dep.users
    ann.departments.append(dep)  # the other side: still one membership
    assert len(dep.user_roles) == 1
    dep.users.insert(0, bob)
    assert dep.users == [bob, ann]
    dep.users[0] = ann  # replacing resets what the list remembers
    assert ann in dep.users


def test_unique_list_sees_changes_made_behind_its_back() -> None:
    dep = Department(name="d")
    ann = _user(1)
    dep.users.append(ann)
    dep.user_roles.clear()  # the underlying collection, not the proxy
    assert ann not in dep.users
    dep.users.append(ann)
    assert dep.users == [ann]


def test_bulk_set_takes_lists_and_other_proxies_and_names_the_attribute() -> None:
    ann, bob = _user(1), _user(2)
    one, two = Department(name="one"), Department(name="two")
    one.users = [ann, bob, ann]
    assert one.users == [ann, bob]
    two.users = one.users  # another association list
    assert two.users == [ann, bob]
    assert private.proxy_attribute(one.users) == ("Department", "users")
    with pytest.raises(StalkerTypeError, match=r"Department\.users should be a list"):
        one.users = 5  # type: ignore[assignment]


def test_inline_foreign_keys_clears_the_alter_only_mark() -> None:
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateTable

    meta = MetaData()
    Table("a", meta, Column("id", Integer, primary_key=True))
    b = Table("b", meta, Column("id", Integer, primary_key=True),
              Column("a_id", Integer, ForeignKey("a.id", use_alter=True)))
    (fk,) = b.foreign_key_constraints
    fk._create_rule = lambda compiler: False  # what an earlier create_all leaves behind
    ddl = CreateTable(b, include_foreign_key_constraints=[fk]).compile(dialect=sqlite.dialect())
    assert "REFERENCES" not in str(ddl)
    private.inline_foreign_keys(b)
    ddl = CreateTable(b, include_foreign_key_constraints=[fk]).compile(dialect=sqlite.dialect())
    assert "REFERENCES a (id)" in str(ddl)


def test_memoize_subclass_loads_builds_the_subclass_select_once() -> None:
    from sqlalchemy.orm import aliased

    from stalker_core.models import Shot, Task

    mapper, via = Shot.__mapper__, Task.__mapper__
    private.memoize_subclass_loads(mapper)  # done for every model mapper already: idempotent
    first = mapper._subclass_load_via_in(mapper, via)
    assert mapper._subclass_load_via_in(mapper, via) is first
    query, enable, disable = first
    assert "shots" in str(query)
    # through an alias: built each time, as SQLAlchemy does
    entity = sqlalchemy_inspect(aliased(Shot))
    assert entity.is_aliased_class
    assert mapper._subclass_load_via_in(entity, via) is not mapper._subclass_load_via_in(
        entity, via
    )
    # other mappers (not the models') are left alone
    assert "_subclass_load_via_in" not in vars(Item.__mapper__)


def test_a_shot_loaded_through_task_gets_its_own_columns(session: Any) -> None:
    from stalker_core.models import Project, Shot, Task

    project = Project(name="P", code="P")
    session.add(Shot(code="SH1", project=project, cut_in=3, cut_out=9))
    session.commit()
    session.remove()
    (loaded,) = session.scalars(select(Task).where(Task.project_id == project.id)).all()
    assert isinstance(loaded, Shot)
    assert (loaded.code, loaded.cut_in, loaded.cut_out) == ("SH1", 3, 9)


# -- share_flush_memos --------------------------------------------------------------


def test_the_shared_memo_answers_as_sqlalchemys_own() -> None:
    from stalker_core.models import Shot, Task, Version

    own = UOWTransaction(Session())._mapper_for_dep  # SQLAlchemy's, built for one flush
    shared = private._SharedMemo()
    for mapper in (Task.__mapper__, Shot.__mapper__, Version.__mapper__, Item.__mapper__):
        for rel in (*Task.__mapper__.relationships, *Version.__mapper__.relationships):
            key = (mapper, rel._dependency_processor)
            assert shared[key] is own[key], key
    parent = Task.__mapper__.relationships["parent"]._dependency_processor
    assert shared[(Shot.__mapper__, parent)]
    assert not shared[(Version.__mapper__, parent)]


def test_share_flush_memos_gives_every_unit_of_work_the_same_memo(plain: Session) -> None:
    seen: list[Any] = []

    def before_flush(session: Session, flush_context: Any, _objects: Any) -> None:
        private.share_flush_memos(flush_context)
        seen.append(flush_context._mapper_for_dep)

    from sqlalchemy import event

    event.listen(plain, "before_flush", before_flush)
    for i in range(2):
        plain.add(Item(label=str(i)))
        plain.flush()
    assert len(seen) == 2 and seen[0] is seen[1] is private._MAPPER_FOR_DEP
    assert plain.scalars(select(Item.label).order_by(Item.id)).all() == ["0", "1"]
    # a unit of work that built its own memo keeps it
    uow = UOWTransaction(plain)
    own = uow._mapper_for_dep
    private.share_flush_memos(uow)
    assert uow._mapper_for_dep is own


def test_stalker_sessions_flush_with_the_shared_memo(session: Any) -> None:
    from sqlalchemy import event

    from stalker_core.models import Project

    seen: list[Any] = []

    def after_flush(_session: Any, flush_context: Any) -> None:
        seen.append(flush_context.__dict__.get("_mapper_for_dep"))

    event.listen(session.registry(), "after_flush", after_flush)
    session.add(Project(name="P", code="P"))
    session.commit()
    assert seen and all(memo is private._MAPPER_FOR_DEP for memo in seen)


# -- visit_only_flushed_mappers ----------------------------------------------------


def _walks(flush_context: Any) -> list[tuple[Any, set[Any], set[Any]]]:
    """Each mapper walk of the unit of work: (record, ours, SQLAlchemy's with objects)."""
    records = [*flush_context.presort_actions.values(), *flush_context.postsort_actions.values()]
    out = []
    for record in records:
        if not isinstance(record, unitofwork._IterateMappersMixin):
            continue
        ours = set(private._flushed_mappers(record, flush_context))
        theirs = {
            m for m in private._SQLALCHEMY_MAPPERS(record, flush_context)
            if flush_context.mappers.get(m)
        }
        out.append((record, ours, theirs))
    return out


def test_a_flush_visits_only_the_mappers_with_objects_and_finds_the_same(session: Any) -> None:
    from sqlalchemy import event

    from stalker_core.models import Project, Shot, Task, User, Version
    from stalker_core.models.user import hash_password

    seen: list[Any] = []
    event.listen(session.registry(), "after_flush", lambda _s, ctx: seen.extend(_walks(ctx)))
    user = User(name="U", login="u", email="u@example.com", password_hash=hash_password("x"))
    project = Project(name="P", code="P")
    shot = Shot(code="SH1", project=project)
    task = Task(name="T", parent=shot, resources=[user])
    session.add_all([user, project])
    session.commit()
    Version(task=task)
    task.depends_on = []
    session.commit()
    assert unitofwork._IterateMappersMixin._mappers is private._flushed_mappers
    assert seen, "no relationship was walked"
    for record, ours, theirs in seen:
        assert ours == theirs, record
    assert any(len(ours) > 1 for _r, ours, _t in seen)  # Shot and Task below SimpleEntity
    assert session.get(Shot, shot.id).children == [task]


def test_other_sessions_keep_sqlalchemys_walk(plain: Session) -> None:
    private.visit_only_flushed_mappers()
    walked: list[Any] = []
    original = private._SQLALCHEMY_MAPPERS

    def spy(record: Any, uow: Any) -> Any:
        walked.append(record)
        return original(record, uow)

    private._SQLALCHEMY_MAPPERS = spy
    try:
        uow = UOWTransaction(plain)
        dep = User.__mapper__.relationships["created_by"]._dependency_processor
        record = unitofwork._Preprocess(dep, True)
        assert list(private._flushed_mappers(record, uow)) == list(original(record, uow))
        assert walked == [record]
        private.share_flush_memos(uow)  # marked as ours: only mappers with objects
        assert private._flushed_mappers(record, uow) == []
        assert walked == [record]
    finally:
        private._SQLALCHEMY_MAPPERS = original


# -- skip_tables_without_rows ---------------------------------------------------------


def test_tables_without_rows_are_skipped_for_stalker_core_flushes_only(plain: Session) -> None:
    calls: list[list[Any]] = []

    def emit(_base: Any, _uow: Any, _mapper: Any, _table: Any, records: Any, **kw: Any) -> str:
        calls.append(list(records))
        return "emitted"

    wrapped = private._skipping_empty(emit)
    theirs = UOWTransaction(plain)
    ours = UOWTransaction(plain)
    private.share_flush_memos(ours)
    assert wrapped(None, ours, None, None, iter(())) is None and calls == []
    assert wrapped(None, ours, None, None, iter([1, 2])) == "emitted" and calls == [[1, 2]]
    assert wrapped(None, theirs, None, None, iter(())) == "emitted" and calls[-1] == []
    assert wrapped(None, None, None, None, []) == "emitted"  # bulk operations: no unit of work


def test_stalker_core_flushes_run_with_the_table_skipping_wrappers(session: Any) -> None:
    from stalker_core.models import Project

    session.add(Project(name="P", code="P"))
    session.commit()
    for name in ("_emit_insert_statements", "_emit_update_statements", "_delete_obj"):
        assert hasattr(getattr(persistence, name), "__wrapped__"), name
    project = session.scalars(select(Project)).one()
    project.description = "changed"  # an UPDATE goes through the wrapper too
    session.commit()
    session.expire_all()
    assert session.scalars(select(Project.description)).one() == "changed"
    session.delete(project)  # a DELETE goes through the deletion wrapper
    session.commit()
    assert session.scalars(select(Project)).all() == []


def test_a_deletion_without_objects_returns_at_once(plain: Session) -> None:
    called: list[list[Any]] = []

    def delete(_base: Any, states: Any, _uow: Any) -> str:
        called.append(list(states))
        return "deleted"

    wrapped = private._deleting_only_objects(delete)
    ours = UOWTransaction(plain)
    private.share_flush_memos(ours)
    assert wrapped(None, iter(()), ours) is None and called == []
    assert wrapped(None, iter(["s"]), ours) == "deleted" and called == [["s"]]
    assert wrapped(None, iter(()), UOWTransaction(plain)) == "deleted" and called[-1] == []


# -- blank_history_of_untouched ---------------------------------------------------------


def _pending_tasks(session: Any) -> Any:
    """A stored user and project, and a new parent and child task (the child a
    resource's): the objects of the flushes that items 9 and 11 answer for."""
    from stalker_core.models import Project, Task, User
    from stalker_core.models.user import hash_password

    user = User(name="U", login="u", email="u@example.com", password_hash=hash_password("x"))
    project = Project(name="P", code="P")
    session.add_all([user, project])
    session.commit()
    parent = Task(name="Parent", project=project)
    Task(name="Child", parent=parent, resources=[user])
    return user


def test_untouched_relationships_answer_as_sqlalchemy_does(session: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import attributes

    user = _pending_tasks(session)
    compared: list[tuple[Any, str]] = []

    def before_flush(_s: Any, _ctx: Any, _objects: Any) -> None:
        flags = (
            attributes.PASSIVE_NO_INITIALIZE,
            attributes.PASSIVE_NO_INITIALIZE | attributes.INCLUDE_PENDING_MUTATIONS,
        )
        for obj in [*_s.new, *_s.dirty]:
            state = sqlalchemy_inspect(obj)
            for rel in state.mapper.relationships:
                for passive in flags:
                    # fresh units of work: no answer remembered from another question
                    ours = private._history(_marked(_s), state, rel.key, passive)
                    theirs = private._SQLALCHEMY_HISTORY(
                        UOWTransaction(_s), state, rel.key, passive
                    )
                    assert ours == theirs, (obj, rel.key, passive)
                    compared.append((obj, rel.key))

    event.listen(session.registry(), "before_flush", before_flush)
    session.commit()
    assert UOWTransaction.get_attribute_history is private._history
    assert len(compared) > 100
    # user.tasks was an unloaded collection with a pending append, compared too
    assert (user, "tasks") in compared


def _marked(session: Any) -> Any:
    uow = UOWTransaction(session)
    private.share_flush_memos(uow)
    return uow


# -- untouched_relationships_unchanged ---------------------------------------------------


def test_untouched_relationships_have_no_changes_as_sqlalchemy_says(session: Any) -> None:
    from sqlalchemy import event

    _pending_tasks(session)
    compared: list[str] = []

    def before_flush(_s: Any, _ctx: Any, _objects: Any) -> None:
        states = {sqlalchemy_inspect(o) for o in [*_s.new, *_s.dirty]}
        for mapper in {s.mapper for s in states}:
            owned = {s for s in states if s.mapper.isa(mapper)}
            for rel in mapper.relationships:
                dep = rel._dependency_processor
                for isdelete in (False, True):
                    # fresh units of work: no answer remembered from another question
                    ours = private._has_changes(dep, _marked(_s), owned, isdelete)
                    theirs = private._SQLALCHEMY_HAS_CHANGES(
                        dep, UOWTransaction(_s), owned, isdelete
                    )
                    assert bool(ours) == bool(theirs), (rel, isdelete)
                    compared.append(rel.key)

    event.listen(session.registry(), "before_flush", before_flush)
    session.commit()
    assert dependency._DependencyProcessor.prop_has_changes is private._has_changes
    assert "children" in compared and "time_logs" in compared  # touched and untouched


def test_other_sessions_ask_every_history(plain: Session) -> None:
    private.untouched_relationships_unchanged()
    asked: list[Any] = []

    class Dep:
        key = "label"
        passive_deletes = False

    def spy(dep: Any, uow: Any, states: Any, isdelete: bool) -> str:
        asked.append(dep)
        return "sqlalchemy's"

    original = private._SQLALCHEMY_HAS_CHANGES
    private._SQLALCHEMY_HAS_CHANGES = spy
    try:
        state = instance_state(Item(label="x"))
        assert private._has_changes(Dep(), UOWTransaction(plain), {state}, False) == "sqlalchemy's"
        ours = UOWTransaction(plain)
        private.share_flush_memos(ours)
        assert private._has_changes(Dep(), ours, {state}, False) == "sqlalchemy's"  # touched
        assert len(asked) == 2
    finally:
        private._SQLALCHEMY_HAS_CHANGES = original


# -- save_only_tables_with_rows -----------------------------------------------------------


def test_a_save_walks_only_the_tables_of_its_objects(session: Any) -> None:
    from stalker_core.models import Project, SimpleEntity

    walked: list[list[Any]] = []
    original = private._TablesOfMappers.items

    def spy(self: Any) -> Any:
        found = original(self)
        walked.append([table.name for table, _m in found])
        return found

    private._TablesOfMappers.items = spy  # type: ignore[method-assign]
    try:
        session.add(Project(name="P", code="P"))
        session.commit()
    finally:
        private._TablesOfMappers.items = original  # type: ignore[method-assign]
    assert hasattr(persistence._save_obj, "__wrapped__")
    assert walked and walked[-1] == ["simple_entities", "projects"], walked
    every = SimpleEntity.__mapper__._sorted_tables
    assert isinstance(every, private._TablesOfMappers)
    assert len(list(every.items())) > 40  # outside a save: the whole map
    assert session.scalars(select(Project.code)).all() == ["P"]


def test_other_sessions_save_through_the_whole_table_map(plain: Session) -> None:
    from sqlalchemy import event

    private.save_only_tables_with_rows()
    filters: list[Any] = []

    def before_insert(_mapper: Any, _conn: Any, _target: Any) -> None:
        filters.append(private._SAVING.get())

    event.listen(Item, "before_insert", before_insert)
    try:
        plain.add(Item(label="x"))
        plain.commit()  # not marked as ours: SQLAlchemy's own walk, the whole map
    finally:
        event.remove(Item, "before_insert", before_insert)
    assert filters == [None]
    assert plain.scalars(select(Item.label)).all() == ["x"]


def test_has_pending_change_sees_appends_to_an_unloaded_collection(session: Any) -> None:
    from stalker_core.models import Project, Task, User
    from stalker_core.models.user import hash_password

    user = User(name="U", login="u", email="u@example.com", password_hash=hash_password("x"))
    project = Project(name="P", code="P")
    session.add_all([user, project])
    session.commit()
    session.expire(user, ["tasks"])  # unloaded: the backref append is queued
    task = Task(name="T", project=project, resources=[user])
    assert private.has_pending_change(sqlalchemy_inspect(user), "tasks")
    assert not private.has_pending_change(sqlalchemy_inspect(task), "resources")
    session.commit()
    assert user.tasks == [task]


def test_quick_attribute_dispatch_answers_as_sqlalchemy_and_restores_it() -> None:
    sqlalchemys = QueryableAttribute.__getattr__

    with private.quick_attribute_dispatch():
        assert QueryableAttribute.__getattr__ is not sqlalchemys

        class Fresh(_Base):
            __tablename__ = "fresh_items"
            id: Mapped[int] = mapped_column(primary_key=True)
            label: Mapped[str] = mapped_column(default="")

        assert not hasattr(Fresh.label, "_slots_dispatch")  # not asked for its events yet
        assert Fresh.label.dispatch is Fresh.label.dispatch  # made once, then kept
        assert hasattr(Fresh.label, "_slots_dispatch")
        # every other name is looked up as SQLAlchemy does
        assert Fresh.label.property.key == "label"
        assert str(Fresh.label.desc()) == "fresh_items.label DESC"
        with pytest.raises(AttributeError, match="has an attribute 'no_such_name'"):
            _ = Fresh.label.no_such_name
        with private.quick_attribute_dispatch():  # nested: changes nothing
            pass
        assert QueryableAttribute.__getattr__ is not sqlalchemys

    assert QueryableAttribute.__getattr__ is sqlalchemys
    with pytest.raises(RuntimeError), private.quick_attribute_dispatch():
        raise RuntimeError
    assert QueryableAttribute.__getattr__ is sqlalchemys


def test_share_equivalent_columns_gives_each_mapper_the_map_sqlalchemy_builds() -> None:
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapper

    from stalker_core.models import Base

    build = Mapper.__dict__["_equivalent_columns"].fget
    for mapper in Base.registry.mappers:  # shared before our registry was configured
        assert mapper._equivalent_columns == build(mapper), mapper

    class _Tree(DeclarativeBase):
        pass

    class Root(_Tree):
        __tablename__ = "roots"
        id: Mapped[int] = mapped_column(primary_key=True)
        kind: Mapped[str] = mapped_column(default="")
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "root"}

    class Branch(Root):
        __tablename__ = "branches"
        id: Mapped[int] = mapped_column(ForeignKey("roots.id"), primary_key=True)
        __mapper_args__ = {"polymorphic_identity": "branch"}

    class Leaf(Branch):
        __tablename__ = "leaves"
        id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
        __mapper_args__ = {"polymorphic_identity": "leaf"}

    mappers = [sqlalchemy_inspect(c) for c in (Root, Branch, Leaf)]
    kept = mappers[0]._equivalent_columns  # built by SQLAlchemy already: kept
    private.share_equivalent_columns(mappers)
    assert mappers[0]._equivalent_columns is kept
    for mapper in mappers:
        assert mapper._equivalent_columns == build(mapper)
        assert len(mapper._equivalent_columns) == 3  # roots.id, branches.id, leaves.id
    # memoized as SQLAlchemy memoizes it: a reset clears it, and SQLAlchemy builds it again
    shared = mappers[2]._equivalent_columns
    mappers[2]._reset_memoizations()
    assert mappers[2]._equivalent_columns is not shared
    assert mappers[2]._equivalent_columns == shared


def test_a_save_by_another_session_inside_a_stalker_flush_writes_every_table(
    session: Any, tmp_path: Any
) -> None:
    """A mapper hook of a stalker_core flush saving through its own session (another
    database here): that save is not filtered by the outer flush's tables (item 12)."""
    from sqlalchemy import event, text

    from stalker_core.models import Note, Tag
    from stalker_core.models.base import Base
    from stalker_core.orm.session import StalkerSession

    other = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    Base.metadata.create_all(other)

    def audit(_mapper: Any, _connection: Any, target: Any) -> None:
        with StalkerSession(bind=other) as inner:
            inner.add(Note(name=f"audit-{target.name}", content="c"))
            inner.commit()

    event.listen(Tag, "after_insert", audit)
    try:
        session.add(Tag(name="outer"))
        session.commit()
    finally:
        event.remove(Tag, "after_insert", audit)
    with other.connect() as connection:
        rows = connection.execute(text(
            "SELECT se.name, n.id IS NOT NULL FROM simple_entities se "
            "LEFT JOIN notes n ON n.id = se.id WHERE se.entity_type = 'Note'"
        )).all()
    other.dispose()
    assert [(name, bool(has_row)) for name, has_row in rows] == [("audit-outer", True)]


def test_inserted_in_transaction_until_the_commit(session: Any) -> None:
    from stalker_core.models import Tag

    tag = Tag(name="t")
    session.add(tag)
    plain_session = session.registry()  # the Session behind the scoped one
    assert not private.inserted_in_transaction(plain_session, tag)  # not inserted yet
    savepoint = session.begin_nested()
    session.flush()
    assert private.inserted_in_transaction(plain_session, tag)
    savepoint.commit()  # released: the enclosing transaction holds it now
    assert private.inserted_in_transaction(plain_session, tag)
    session.commit()
    assert not private.inserted_in_transaction(plain_session, tag)
