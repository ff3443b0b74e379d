"""User: validation, password hashing, memberships, uniqueness."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from stalker_core.exceptions import (
    NaiveDatetimeError,
    PasswordError,
    StalkerTypeError,
    ValidationError,
)
from stalker_core.models import Department, Group, Project, User, Vacation
from stalker_core.models.user import hash_password, verify_password


def _user(**kw: Any) -> User:
    args = {"name": "Erkan Ozgur Yilmaz", "login": "eoyilmaz", "email": "e@x.com",
            "password": "secret", **kw}
    return User(**args)


def test_repr_like_the_tutorial() -> None:
    assert repr(_user()) == "<Erkan Ozgur Yilmaz ('eoyilmaz') (User)>"


def test_password_is_hashed_with_salt() -> None:
    a, b = _user(), _user()
    assert a.password_hash.startswith("scrypt$")
    assert "secret" not in a.password_hash
    assert a.password_hash != b.password_hash  # salted
    assert a.check_password("secret")
    assert not a.check_password("Secret")
    assert not a.check_password("")
    a.password = "new one"
    assert a.check_password("new one") and not a.check_password("secret")


def test_verify_password_rejects_garbage() -> None:
    assert not verify_password("x", "scrypt$bad")
    assert not verify_password("x", "plain")
    assert not verify_password(5, hash_password("x"))  # type: ignore[arg-type]
    assert verify_password("x", hash_password("x"))


@pytest.mark.parametrize("bad", ["", None, 5])
def test_bad_passwords(bad: Any) -> None:
    with pytest.raises((PasswordError, StalkerTypeError)):
        _user(password=bad)


def test_password_hash_cannot_be_set_to_plain_text() -> None:
    with pytest.raises(StalkerTypeError, match="password_hash"):
        _user().password_hash = "secret"


@pytest.mark.parametrize("bad", ["", "has space", "-dash", "ünï", "a/b"])
def test_bad_logins(bad: str) -> None:
    with pytest.raises(ValidationError, match="User.login"):
        _user(login=bad)


@pytest.mark.parametrize("bad", ["nope", "a@b", "a b@c.com", "@x.com", "x@.com."])
def test_bad_emails(bad: str) -> None:
    with pytest.raises(ValidationError, match="User.email"):
        _user(email=bad)


def test_email_is_lower_cased() -> None:
    assert _user(email="Some.One@Gmail.COM").email == "some.one@gmail.com"


def test_numbers_and_dates() -> None:
    u = _user(efficiency=0.5, rate=20)
    assert (u.efficiency, u.rate) == (0.5, 20.0)
    with pytest.raises(ValidationError, match="User.efficiency"):
        u.efficiency = -1
    with pytest.raises(StalkerTypeError, match="User.rate"):
        u.rate = "20"
    with pytest.raises(NaiveDatetimeError):
        u.last_login = dt.datetime(2020, 1, 1)


def test_required_arguments() -> None:
    with pytest.raises(StalkerTypeError, match="'email'"):
        User(name="a", login="a", password="x")


def test_department_back_reference_before_commit() -> None:
    me = _user()
    tds = Department(name="TDs")
    tds.users.append(me)
    assert me.departments == [tds]
    me.departments.append(tds)  # the tutorial does both: still one membership
    assert repr(me.departments) == "[<TDs (Department)>]"
    assert tds.members == [me]


def test_collections_check_their_items() -> None:
    me = _user()
    with pytest.raises(StalkerTypeError, match="User.groups should be a Group"):
        me.groups.append("admins")
    with pytest.raises(StalkerTypeError, match="Department.department"):
        me.departments.append("TDs")
    with pytest.raises(StalkerTypeError):
        me.vacations.append(5)


def test_login_and_email_are_unique(session: Any) -> None:
    """A taken login or e-mail is a ValidationError naming it and its user (was IntegrityError)."""
    first = _user()
    session.add(first)
    session.commit()
    session.add(_user(email="other@x.com"))
    with pytest.raises(
        ValidationError,
        match=r"User.login should be unique; 'eoyilmaz' is already the login of user "
              r"'Erkan Ozgur Yilmaz' \(id \d+\)",
    ):
        session.commit()
    session.rollback()
    session.add(_user(login="other", email="E@X.com"))  # e-mails are compared lower-case
    with pytest.raises(ValidationError, match=r"User.email should be unique; 'e@x.com'"):
        session.commit()
    session.rollback()


def test_uniqueness_within_one_flush_and_on_rename(session: Any) -> None:
    session.add_all([_user(login="twin", email="a@x.com"), _user(login="twin", email="b@x.com")])
    with pytest.raises(ValidationError, match=r"User.login should be unique; 'twin'"):
        session.commit()
    session.rollback()
    session.add_all([_user(), _user(login="second", email="second@x.com")])
    session.commit()
    second = session.query(User).filter_by(login="second").one()
    second.login = "eoyilmaz"
    with pytest.raises(ValidationError, match=r"'eoyilmaz' is already the login"):
        session.commit()
    session.rollback()
    second.name = "Renamed, login unchanged"  # a user changed otherwise passes
    other = Department(name="not a user")
    session.add(other)
    session.commit()
    with pytest.raises(IntegrityError):  # the database constraint stays as the backstop
        session.execute(User.__table__.insert().values(
            id=other.id, login="eoyilmaz", email="z@x.com", password_hash="scrypt$"))
    session.rollback()


def test_memberships_persist(session: Any) -> None:
    me = _user()
    tds = Department(name="TDs")
    tds.users.append(me)
    me.departments.append(tds)
    group = Group(name="artists")
    me.groups.append(group)
    project = Project(name="P", code="P")
    project.users.append(me)
    me.vacations.append(
        Vacation(
            start=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            end=dt.datetime(2025, 1, 5, tzinfo=dt.UTC),
        )
    )
    session.add(me)
    session.commit()
    session.expire_all()
    got = User.query.filter_by(login="eoyilmaz").one()
    assert got.departments == [tds] and got.groups == [group] and got.projects == [project]
    assert len(got.vacations) == 1
    assert got.check_password("secret")
    assert Department.query.filter(Department.users.contains(got)).one() is tds


def test_deleting_a_user_deletes_their_time_logs_and_their_logged_time(session: Any) -> None:
    """As in Stalker: the user's time logs go with them, and their tasks lose that time."""
    from stalker_core.models import Task, TimeLog

    me, temp = _user(), _user(name="Temp", login="temp", email="t@x.com")
    project = Project(name="P", code="P")
    parent = Task(name="Parent", project=project)
    leaf = Task(name="Leaf", parent=parent, schedule_timing=8, schedule_unit="h")
    session.add_all([me, temp, project])
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    TimeLog(task=leaf, resource=me, start=start, end=start + dt.timedelta(hours=1))
    TimeLog(task=leaf, resource=temp, start=start, end=start + dt.timedelta(hours=3))
    session.commit()
    ids, temp_id = (parent.id, leaf.id), temp.id
    session.remove()
    session.delete(session.get(User, temp_id))
    session.commit()
    session.remove()
    assert [tl.resource.login for tl in TimeLog.query.all()] == ["eoyilmaz"]
    assert [session.get(Task, i).total_logged_seconds for i in ids] == [3600.0, 3600.0]
