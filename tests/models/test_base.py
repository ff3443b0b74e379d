"""SimpleEntity/Entity basics: validation, nice_name, repr, query order, attach-cascade."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core import models
from stalker_core.exceptions import (
    NaiveDatetimeError,
    StalkerError,
    StalkerTypeError,
    ValidationError,
)
from stalker_core.models import Department, Entity, File, Note, Tag, Type, User
from stalker_core.models.base import Base, make_nice_name, mapped_class


def test_unknown_keyword_is_refused() -> None:
    with pytest.raises(StalkerTypeError, match="unexpected keyword argument 'colour'"):
        Tag(name="x", colour="red")


def test_private_keyword_is_refused() -> None:
    with pytest.raises(StalkerTypeError, match="unexpected keyword"):
        Tag(name="x", _sa_instance_state=None)


def test_required_keyword_is_named() -> None:
    with pytest.raises(StalkerTypeError, match="needs the 'name' argument"):
        Department()


@pytest.mark.parametrize("bad", [None, 5, b"x", ["a"]])
def test_name_must_be_a_str(bad: Any) -> None:
    dep = Department(name="ok")
    with pytest.raises(StalkerTypeError, match="Department.name should be a str"):
        dep.name = bad


@pytest.mark.parametrize("bad", ["", "   ", "\n"])
def test_name_must_not_be_blank(bad: str) -> None:
    with pytest.raises(ValidationError, match="Department.name should be a non-empty str"):
        Department(name=bad)


def test_name_is_stripped_and_description_kept() -> None:
    dep = Department(name="  TDs  ", description="  spaced  ")
    assert dep.name == "TDs"
    assert dep.description == "  spaced  "
    with pytest.raises(StalkerTypeError, match="description"):
        dep.description = 3


def test_nice_name() -> None:
    assert make_nice_name("  Fancy Commercial - v2! ") == "Fancy_Commercial_v2"
    assert Department(name="Lighting & Comp").nice_name == "Lighting_Comp"


@pytest.mark.parametrize(
    "name, nice",
    [
        ("анимация", "80aaxbse0ewd"),  # no ASCII letter: Punycode, unique per name
        ("композитинг", "c1ahdahmkdbj0b"),
        ("レイアウト", "cckdh0l6g"),
        ("éé", "ee"),  # only accented letters: the accents go
        ("Shot café", "Shot_caf"),  # ASCII letters left: made as Stalker makes it
        ("???", ""),  # no letter at all
    ],
)
def test_a_name_without_ascii_letters_gets_a_unique_ascii_nice_name(name: str, nice: str) -> None:
    assert make_nice_name(name) == nice
    assert make_nice_name(f"  {name} ") == nice


def test_repr() -> None:
    assert repr(Department(name="TDs")) == "<TDs (Department)>"


def test_relationship_types_are_checked() -> None:
    dep = Department(name="x")
    with pytest.raises(StalkerTypeError, match="Department.created_by should be a User"):
        dep.created_by = dep
    with pytest.raises(StalkerTypeError, match="Department.type should be a Type"):
        dep.type = "Character"
    with pytest.raises(StalkerTypeError, match="Department.thumbnail should be a File"):
        dep.thumbnail = "/tmp/x.png"
    with pytest.raises(StalkerTypeError, match="Department.tags should be a Tag"):
        dep.tags.append("hero")
    with pytest.raises(StalkerTypeError, match="Department.notes should be a Note"):
        dep.notes.append("a note")
    dep.type = Type(name="Craft", code="CRAFT", target_entity_type=Department)
    dep.thumbnail = File(full_path="/tmp/x.png")
    dep.tags.append(Tag(name="hero"))
    dep.notes.append(Note(content="first"))
    assert dep.notes[0].entities == [dep]


def test_mapped_class_finds_every_model_class_by_name() -> None:
    exported = {getattr(models, name) for name in models.__all__} - {Base}
    assert len(exported) > 40
    for cls in exported:  # ``Link`` is ``File``: looked up under its class name
        assert mapped_class(cls.__name__) is cls


def test_mapped_class_refuses_a_name_that_is_no_model_class() -> None:
    with pytest.raises(StalkerError, match=r"no mapped class named 'Base'.*Task"):
        mapped_class("Base")
    with pytest.raises(StalkerError, match="no mapped class named 'Tasks'"):
        mapped_class("Tasks")


def test_dates_must_be_aware() -> None:
    dep = Department(name="x")
    with pytest.raises(NaiveDatetimeError, match="Department.date_created"):
        dep.date_created = dt.datetime(2020, 1, 1)
    with pytest.raises(StalkerTypeError):
        dep.date_updated = "2020-01-01"
    aware = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    dep.date_created = aware
    assert dep.date_created == aware


def test_dates_default_to_utc_now_and_round_trip(session: Any) -> None:
    dep = Department(name="x")
    session.add(dep)
    session.commit()
    session.expire_all()
    assert dep.date_created.tzinfo is not None
    assert abs(dep.date_created - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    local = dt.timezone(dt.timedelta(hours=3))
    dep.date_created = dt.datetime(2021, 6, 1, 12, 0, tzinfo=local)
    session.commit()
    session.expire_all()
    assert dep.date_created == dt.datetime(2021, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_query_orders_by_primary_key_without_order_by(session: Any) -> None:
    for name in ("zeta", "alpha", "mid"):
        session.add(Department(name=name))
    session.commit()
    assert [d.name for d in Department.query.all()] == ["admins", "zeta", "alpha", "mid"]
    assert [d.name for d in Department.query.order_by(Department.name).all()] == [
        "admins", "alpha", "mid", "zeta"
    ]
    assert Department.query.filter(Department.name != "admins").first().name == "zeta"
    assert Department.query.count() == 4


def _selects(session: Any, run: Any) -> list[str]:
    """The SELECT statements ``run()`` sends, as SQL text."""
    from sqlalchemy import event

    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(" ".join(statement.split()))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


def _order_by(sql: str) -> str:
    """The ORDER BY clause of ``sql`` ("" when none)."""
    _, found, rest = sql.rpartition(" ORDER BY ")
    return rest.split(" LIMIT ")[0] if found else ""


def test_default_order_is_added_only_where_the_query_gives_none(session: Any) -> None:
    from sqlalchemy import func, select

    session.add_all([Department(name="b"), Department(name="a")])
    session.commit()
    pk = "simple_entities.id"

    def sql_of(run: Any) -> str:
        sent = _selects(session, run)
        assert sent, "no SELECT was sent"
        return sent[0]

    assert _order_by(sql_of(lambda: Department.query.all())) == pk
    assert _order_by(sql_of(lambda: Department.query.filter_by(name="a").first())) == pk
    by_name = sql_of(lambda: Department.query.order_by(Department.name).all())
    assert _order_by(by_name) == "simple_entities.name"
    reset = sql_of(lambda: Department.query.order_by(Department.name).order_by(None).all())
    assert _order_by(reset) == pk
    grouped = sql_of(
        lambda: Department.query.with_entities(Department.name, func.count())
        .group_by(Department.name).all()
    )
    assert _order_by(grouped) == ""
    assert _order_by(sql_of(lambda: Department.query.distinct().all())) == ""
    assert _order_by(sql_of(lambda: Department.query.with_entities(Department.name).all())) == ""
    assert _order_by(sql_of(lambda: Department.query.count())) == ""
    # only Model.query: a 2.0-style select keeps the order it was given (none)
    assert _order_by(sql_of(lambda: session.scalars(select(Department)).all())) == ""
    assert Department.query.distinct().count() == 3


def test_attach_cascade_saves_linked_objects_without_add(session: Any) -> None:
    admin = User.query.filter_by(login="admin").one()
    dep = Department(name="Layout")
    dep.users.append(admin)  # dep joins admin's session
    session.commit()
    assert Department.query.filter_by(name="Layout").one() is dep
    tag = Tag(name="linked")
    admin.tags.append(tag)
    session.commit()
    assert Tag.query.filter_by(name="linked").one() is tag


def test_entity_tags_and_notes_persist(session: Any) -> None:
    e = Department(name="Comp")
    e.tags = [Tag(name="a"), Tag(name="b")]
    e.notes.append(Note(content="hello world"))
    session.add(e)
    session.commit()
    session.expire_all()
    got = Department.query.filter_by(name="Comp").one()
    assert sorted(t.name for t in got.tags) == ["a", "b"]
    assert got.notes[0].content == "hello world"
    assert isinstance(got, Entity)


def test_generic_data_holds_any_objects_and_forgets_deleted_ones(session: Any) -> None:
    """Stalker's ``SimpleEntity.generic_data``: other objects attached for a studio's use."""
    holder = Department(name="Lighting")
    tag, note = Tag(name="look"), Note(content="see the reference")
    holder.generic_data = [tag, note]
    session.add(holder)
    session.commit()
    session.expire_all()
    got = Department.query.filter_by(name="Lighting").one()
    assert {type(o).__name__ for o in got.generic_data} == {"Tag", "Note"}
    with pytest.raises(StalkerTypeError, match="Department.generic_data"):
        got.generic_data.append("not an object")
    session.rollback()
    session.delete(Tag.query.filter_by(name="look").one())
    session.commit()
    session.expire_all()
    assert [type(o).__name__ for o in got.generic_data] == ["Note"]
