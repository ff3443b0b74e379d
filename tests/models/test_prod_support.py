"""Helpers and the ``prod`` fixture shared by the production-model tests (PROD)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

UTC = dt.UTC


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime in a fixed test week (2026-03-<day>)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@dataclass
class Prod:
    """The objects most production tests start from."""

    session: Any
    project: Any
    users: list[Any] = field(default_factory=list)

    @property
    def me(self) -> Any:
        return self.users[0]


def make_user(n: int) -> Any:
    from stalker_core.models import User

    return User(name=f"User {n}", login=f"user{n}", email=f"user{n}@example.com", password="secret")


@pytest.fixture
def prod(session: Any) -> Prod:
    """A committed project and three users on the tutorial's DBSession."""
    from stalker_core.models import Project

    users = [make_user(i) for i in range(3)]
    project = Project(name="Fancy Commercial", code="FC")
    session.add_all([*users, project])
    session.commit()
    return Prod(session=session, project=project, users=users)


def complete(task: Any, user: Any, day: int = 2, hours: int = 1) -> None:
    """Drive a leaf task to CMPL: a time log, a review request, approval."""
    from stalker_core.models import TimeLog

    if not task.responsible:
        task.responsible = [user]
    TimeLog(task=task, resource=user, start=at(day, 9), end=at(day, 9 + hours))
    for review in task.request_review():
        review.approve()
