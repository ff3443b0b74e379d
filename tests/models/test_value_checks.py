"""The shared value rules (models/checks.py) and the rules every column runs (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from typing import Any

import pytest
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerError, ValidationError
from stalker_core.models.checks import INT_RANGES, check_int_range, check_str, check_text


@pytest.mark.parametrize("text", ["plain", "Ünïcödé ✓", "tab\tand\nnewline", ""])
def test_storable_text_passes(text: str) -> None:
    assert check_text("Task", "name", text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\udc80b", r"Task.name should be text that can be encoded as UTF-8.*'\\udc80' at "
                     r"position 1"),
        ("\ud800", r"lone surrogate"),
        ("nul\x00", r"Task.name should be a str without NUL characters"),
    ],
)
def test_unstorable_text_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_text("Task", "name", text)
    with pytest.raises(ValidationError, match=message):
        check_str("Task", "name", text)


@pytest.mark.parametrize(("kind", "bits"), [("SmallInteger", 16), ("Integer", 32),
                                            ("BigInteger", 64)])
def test_integer_ranges(kind: str, bits: int) -> None:
    low, high = INT_RANGES[kind]
    assert (low, high) == (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    assert check_int_range("Shot", "cut_in", high, kind) == high
    assert check_int_range("Shot", "cut_in", low, kind) == low
    for bad in (high + 1, low - 1):
        with pytest.raises(ValidationError, match=rf"Shot.cut_in should be an int from {low} "):
            check_int_range("Shot", "cut_in", bad, kind)


@pytest.mark.parametrize("number", [2**63, 2**31])
def test_version_number_out_of_range_is_refused_when_set(prod: Prod, number: int) -> None:
    """Used to raise OverflowError (SQLite) or DataError (PostgreSQL) at commit."""
    from stalker_core.models import Task, Version

    task = Task(name="comp", project=prod.project)
    prod.session.add(task)
    prod.session.commit()
    with pytest.raises(ValidationError, match=r"Version.version_number should be an int from"):
        Version(task=task, version_number=number)
    version = Version(task=task)
    with pytest.raises(ValidationError, match=r"Version.version_number"):
        version.version_number = number
    prod.session.commit()  # nothing bad was stored
    assert version.version_number == 1


@pytest.mark.parametrize(
    ("factory", "attr"),
    [
        (lambda p, text: _task(p, name=text), "Task.name"),
        (lambda p, text: _task(p, name="ok", description=text), "Task.description"),
        (lambda p, text: _shot(p, code=text), "Shot.code"),
        (lambda p, text: _user(login="x", name=text), "User.name"),
        (lambda p, text: _version(p, created_with=text), "Version.created_with"),
    ],
)
def test_a_lone_surrogate_is_refused_in_every_string(prod: Prod, factory: Any, attr: str) -> None:
    """Used to raise UnicodeEncodeError from the database driver at commit."""
    with pytest.raises(ValidationError, match=rf"{attr} should be text that can be encoded"):
        factory(prod, "bad \udcff name")
    prod.session.commit()


def test_a_surrogate_in_a_column_without_its_own_validator(prod: Prod) -> None:
    from stalker_core.models import Task, Version

    task = Task(name="comp", project=prod.project)
    version = Version(task=task)
    prod.session.add(version)
    with pytest.raises(ValidationError, match=r"Version.filename should be text"):
        version.filename = "file\udc80.ma"
    with pytest.raises(StalkerError, match=r"Version.path should be a str without NUL"):
        version.path = "a\x00b"
    prod.session.commit()


def _task(p: Prod, **kw: Any) -> Any:
    from stalker_core.models import Task

    return Task(project=p.project, **kw)


def _shot(p: Prod, **kw: Any) -> Any:
    from stalker_core.models import Shot

    return Shot(project=p.project, **kw)


def _user(**kw: Any) -> Any:
    from stalker_core.models import User

    return User(email="x@example.com", password="pw", **kw)


def _version(p: Prod, **kw: Any) -> Any:
    from stalker_core.models import Version

    task = _task(p, name="comp")
    return Version(task=task, **kw)
