"""Property-based bad input: garbage thrown at every organisation model constructor.

A constructor either builds a valid object or raises one of our errors
(:class:`~stalker_core.exceptions.StalkerError`). Every object it builds can
be flushed to the database (inside a savepoint, on both backends), so
validation leaves nothing for the database to refuse, and the database is
still consistent afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from stalker_core import models as m
from stalker_core.exceptions import StalkerError

UTC = dt.UTC

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.sampled_from([object(), m.Project, "Project", (), 1j]),
)
text = st.text(max_size=300)
names = st.one_of(text, st.text(alphabet="abcXYZ _-.\x00\n", min_size=0, max_size=12))
numbers = st.one_of(st.integers(min_value=-5, max_value=5000), st.floats(allow_nan=True))
aware = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1), timezones=st.just(UTC)
)
days = st.lists(st.lists(st.integers(min_value=-10, max_value=1500), max_size=3), max_size=3)


def _maybe(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(plausible, plausible, garbage)


def kwargs_for(spec: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the keyword arguments, each plausible or garbage, maybe a stray one."""
    fixed = {k: _maybe(v) for k, v in spec.items()}
    return st.fixed_dictionaries({}, optional=fixed).flatmap(
        lambda kw: st.one_of(
            st.just(kw),
            st.builds(lambda extra: {**kw, **extra}, st.dictionaries(st.text(max_size=8), garbage,
                                                                      max_size=1)),
        )
    )


# lazily created plausible related objects (fresh per example)
def _user() -> m.User:
    return m.User(name="U", login="u_hyp", email="u_hyp@x.com", password="pw")


def _project() -> m.Project:
    return m.Project(name="P", code="P")


related = {
    "user": st.builds(_user),
    "project": st.builds(_project),
    "users": st.lists(st.builds(_user), max_size=1),
    "status_list": st.builds(
        lambda: m.StatusList(name="S", statuses=[], target_entity_type="Project")
    ),
    "statuses": st.lists(
        st.builds(lambda c: m.Status(name=c, code=c), st.sampled_from(["A", "B"])), max_size=2
    ),
    "repositories": st.lists(st.builds(lambda: m.Repository(name="R", code="R")), max_size=2),
    "image_format": st.builds(lambda: m.ImageFormat(name="HD", width=1920, height=1080)),
    "budget": st.builds(lambda: m.Budget(name="B", project=_project())),
    "client": st.builds(lambda: m.Client(name="C")),
    "invoice": st.builds(
        lambda: m.Invoice(
            budget=m.Budget(name="B", project=_project()), client=m.Client(name="C"), amount=1
        )
    ),
    "good": st.builds(lambda: m.Good(name="G")),
    "entities": st.lists(st.builds(lambda: m.Tag(name="t")), max_size=2),
    "permissions": st.lists(
        st.builds(lambda: m.Permission(access="Allow", action="Read", class_name="Task")),
        max_size=1,
    ),
}

SPECS: dict[type, dict[str, st.SearchStrategy[Any]]] = {
    m.Tag: {"name": names, "description": text},
    m.Note: {"name": names, "content": text},
    m.Type: {"name": names, "code": names, "target_entity_type": st.sampled_from(
        ["Asset", "Task", m.Shot, "not a class", ""])},
    m.Status: {"name": names, "code": names},
    m.StatusList: {"name": names, "statuses": related["statuses"],
                   "target_entity_type": st.sampled_from(["Task", m.Project, "x y"])},
    m.ImageFormat: {"name": names, "width": numbers, "height": numbers,
                    "pixel_aspect": numbers, "print_resolution": numbers},
    m.File: {"name": names, "full_path": text, "original_filename": text},
    m.User: {"name": names, "login": names, "email": st.one_of(names, st.emails()),
             "password": names, "efficiency": numbers, "rate": numbers,
             "last_login": aware},
    m.Department: {"name": names, "users": related["users"]},
    m.Role: {"name": names},
    m.Group: {"name": names, "users": related["users"], "permissions": related["permissions"]},
    m.Permission: {"access": st.sampled_from(["Allow", "deny", "x"]),
                   "action": st.sampled_from(["Create", "list", "Fly"]),
                   "class_name": st.sampled_from(["Task", m.User, "", "a b"])},
    m.Client: {"name": names, "users": related["users"]},
    m.Vacation: {"name": names, "start": aware, "end": aware, "user": related["user"]},
    m.AuthenticationLog: {"user": related["user"], "action": st.sampled_from(
        ["login", "logout", "LOGIN"]), "date": aware},
    m.WorkingHours: {"name": names,
                     "working_hours": st.dictionaries(
                         st.sampled_from(["mon", "tue", "sun", "xyz", 3]), days, max_size=3),
                     "daily_working_hours": numbers, "weekly_working_days": numbers,
                     "yearly_working_days": numbers},
    m.Studio: {"name": names, "timing_resolution": st.timedeltas(
        min_value=dt.timedelta(0), max_value=dt.timedelta(days=2)),
               "daily_working_hours": numbers},
    m.Project: {"name": names, "code": names, "fps": numbers, "status_list": related[
        "status_list"], "repositories": related["repositories"],
                "image_format": related["image_format"], "start": aware, "end": aware,
                "description": text, "users": related["users"]},
    m.Page: {"title": names, "content": text, "project": related["project"]},
    m.Budget: {"name": names, "project": related["project"]},
    m.BudgetEntry: {"budget": related["budget"], "good": related["good"], "amount": numbers,
                    "price": numbers, "unit": names},
    m.Good: {"name": names, "cost": numbers, "msrp": numbers, "unit": names,
             "client": related["client"]},
    m.PriceList: {"name": names},
    m.Invoice: {"budget": related["budget"], "client": related["client"], "amount": numbers,
                "unit": names},
    m.Payment: {"invoice": related["invoice"], "amount": numbers, "unit": names},
    m.EntityGroup: {"name": names, "entities": related["entities"]},
}


def _build(cls: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    try:
        return cls(**kwargs)
    except StalkerError:
        return None


@pytest.mark.parametrize("cls", list(SPECS), ids=lambda c: c.__name__)
def test_constructor_raises_only_our_errors(cls: type) -> None:
    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(kwargs_for(SPECS[cls]))
    def run(kwargs: dict[str, Any]) -> None:
        _build(cls, kwargs)

    run()


@pytest.mark.parametrize("cls", list(SPECS), ids=lambda c: c.__name__)
def test_what_validation_accepts_the_database_stores(session: Any, cls: type) -> None:
    before = session.scalar(select(func.count()).select_from(m.SimpleEntity))

    @settings(
        max_examples=10, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(kwargs_for(SPECS[cls]))
    def run(kwargs: dict[str, Any]) -> None:
        obj = _build(cls, kwargs)
        if obj is None:
            return
        nested = session.begin_nested()
        try:
            session.add(obj)
            session.flush()
        finally:
            nested.rollback()
        session.expunge_all()

    run()
    session.rollback()
    assert session.scalar(select(func.count()).select_from(m.SimpleEntity)) == before
    assert m.User.query.filter_by(login="admin").one().check_password("admin")
