"""Where Stalker raises TypeError (or ValueError), ours raises an error that is one too.

Each case runs the same Stalker-style call against the installed Stalker and
against stalker_core: our error must be an instance of the builtin class
Stalker raised, so ``except TypeError`` in a ported script keeps working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import stalker_core.models as ours
from stalker_core import exceptions

UTC = dt.UTC
STATUSES = [("New", "NEW"), ("Waiting For Dependency", "WFD"), ("Ready To Start", "RTS"),
            ("Work In Progress", "WIP"), ("Pending Review", "PREV"), ("Has Revision", "HREV"),
            ("Dependency Has Revision", "DREV"), ("On Hold", "OH"), ("Stopped", "STOP"),
            ("Completed", "CMPL")]


def _world(m: Any) -> tuple[Any, dict[str, Any]]:
    """A project, and the keywords a Task needs (Stalker wants a status list)."""
    statuses = [m.Status(name=n, code=c) for n, c in STATUSES]
    repo = m.Repository(name="R", code="EXR", linux_path="/tmp/exr")
    if m is ours:
        return m.Project(name="P", code="P", repositories=[repo]), {}
    status_list = m.StatusList(name="p", statuses=statuses, target_entity_type="Project")
    project = m.Project(name="P", code="P", repositories=[repo], status_list=status_list)
    return project, {"status_list": m.StatusList(
        name="t", statuses=statuses, target_entity_type="Task")}


def _user(m: Any) -> Any:
    return m.User(name="u", login="u", email="u@x.com", password="p")


Case = Callable[[Any, Any, dict[str, Any]], Any]
CASES: dict[str, Case] = {
    "User name None": lambda m, p, x: m.User(name=None, login="a", email="a@b.com", password="x"),
    "User email int": lambda m, p, x: m.User(name="a", login="a", email=3, password="x"),
    "User email bad": lambda m, p, x: m.User(name="a", login="a", email="abc", password="x"),
    "Tag name empty": lambda m, p, x: m.Tag(name=""),
    "Status code int": lambda m, p, x: m.Status(name="a", code=1),
    "ImageFormat width str": lambda m, p, x: m.ImageFormat(name="HD", width="a", height=1),
    "ImageFormat width <= 0": lambda m, p, x: m.ImageFormat(name="HD", width=-1, height=1),
    "Department users int": lambda m, p, x: m.Department(name="d", users=3),
    "StatusList statuses int": lambda m, p, x: m.StatusList(
        name="s", statuses=3, target_entity_type="Project"),
    "Task project None": lambda m, p, x: m.Task(name="t", project=None, **x),
    "Task project str": lambda m, p, x: m.Task(name="t", project="p", **x),
    "Task schedule_unit int": lambda m, p, x: m.Task(name="t", project=p, schedule_unit=3, **x),
    "Task schedule_unit bad": lambda m, p, x: m.Task(name="t", project=p, schedule_unit="zz", **x),
    "Task schedule_model int": lambda m, p, x: m.Task(
        name="t", project=p, schedule_model=3, **x),
    "Task schedule_model bad": lambda m, p, x: m.Task(
        name="t", project=p, schedule_model="zz", **x),
    "Task priority str": lambda m, p, x: m.Task(name="t", project=p, priority="a", **x),
    "Task resources bad": lambda m, p, x: m.Task(name="t", project=p, resources=[3], **x),
    "Shot cut_in str": lambda m, p, x: m.Shot(code="SH1", project=p, cut_in="a", **x),
    "Version task None": lambda m, p, x: m.Version(task=None),
    "Version task str": lambda m, p, x: m.Version(task="a"),
    "Review task None": lambda m, p, x: m.Review(task=None),
    "TimeLog resource None": lambda m, p, x: m.TimeLog(
        task=m.Task(name="t", project=p, **x), resource=None,
        start=dt.datetime(2020, 1, 1, tzinfo=UTC), end=dt.datetime(2020, 1, 1, 1, tzinfo=UTC)),
    "Project fps str": lambda m, p, x: setattr(p, "fps", "a"),
    "Project image_format int": lambda m, p, x: setattr(p, "image_format", 3),
    "Ticket project None": lambda m, p, x: m.Ticket(project=None),
    "Daily project None": lambda m, p, x: m.Daily(name="d", project=None),
    "Good cost str": lambda m, p, x: m.Good(name="g", cost="a"),
    "Task depends on itself": lambda m, p, x: (lambda t: t.depends_on.append(t))(
        m.Task(name="t", project=p, **x)),
}


def _raised(m: Any, case: Case) -> BaseException:
    project, extra = _world(m)
    with pytest.raises(Exception) as info:
        case(m, project, extra)
    return info.value


@pytest.mark.parametrize("name", sorted(CASES))
def test_our_error_is_the_kind_stalker_raises(stalker_env: None, name: str) -> None:
    stalker = pytest.importorskip("stalker")
    theirs = _raised(stalker, CASES[name])
    mine = _raised(ours, CASES[name])
    assert isinstance(mine, exceptions.StalkerError), mine
    if type(theirs).__module__ == "builtins":
        assert isinstance(mine, type(theirs)), (theirs, mine)
    else:  # stalker.exceptions.X: ours is stalker_core.exceptions.X
        assert type(mine).__name__ == type(theirs).__name__, (theirs, mine)
        assert getattr(exceptions, type(theirs).__name__) is type(mine)


@pytest.mark.parametrize(
    "name", ["LoginError", "CircularDependencyError", "StatusError", "OverBookedError",
             "DependencyViolationError"])
def test_stalkers_exceptions_import_from_stalker_core_exceptions(name: str) -> None:
    stalker_exceptions = pytest.importorskip("stalker.exceptions")
    cls = getattr(exceptions, name)
    assert hasattr(stalker_exceptions, name)
    assert issubclass(cls, exceptions.StalkerError)
    error = cls("what went wrong")
    assert error.value == str(error) == "what went wrong"  # Stalker's .value
    with pytest.raises(exceptions.StalkerError):
        raise error
