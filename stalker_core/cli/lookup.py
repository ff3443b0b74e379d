"""Finding what a command line names: projects, tasks, users, versions, statuses.

Each ``find_*`` takes the session and what the user typed, and raises
:class:`~stalker_core.exceptions.ValidationError` with a message saying
what was not found and what is expected (with a "did you mean" where a
close name exists).
"""

from __future__ import annotations

import difflib
from typing import Any

from stalker_core.exceptions import ValidationError


def _suggest(word: str, choices: list[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest of ``choices`` (case ignored), else ``""``."""
    by_lower = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
    return f"; did you mean {by_lower[near[0]]!r}?" if near else ""


def find_project(session: Any, ref: str) -> Any:
    """The project with code (case matters) or id ``ref``."""
    from sqlalchemy import or_, select

    from stalker_core.models import Project

    clauses = [Project.code == ref]
    if ref.isdigit():
        clauses.append(Project.id == int(ref))
    found = session.scalars(select(Project).where(or_(*clauses)).order_by(Project.id)).first()
    if found is None:
        codes = list(session.scalars(select(Project.code)))
        raise ValidationError(
            f"no project with code or id {ref!r} in the database{_suggest(ref, codes)}"
            " (codes are case sensitive; 'stalker project list' lists them)"
        )
    return found


def find_user(session: Any, ref: str) -> Any:
    """The user with login or id ``ref``."""
    from sqlalchemy import or_, select

    from stalker_core.models import User

    clauses = [User.login == ref]
    if ref.isdigit():
        clauses.append(User.id == int(ref))
    found = session.scalars(select(User).where(or_(*clauses)).order_by(User.id)).first()
    if found is None:
        logins = list(session.scalars(select(User.login)))
        raise ValidationError(
            f"no user with login or id {ref!r}{_suggest(ref, logins)}"
            " ('stalker user list' lists them)"
        )
    return found


def find_by_id(session: Any, cls: Any, ident: int, what: str) -> Any:
    """The ``cls`` row with id ``ident`` (``what`` names it in the error)."""
    obj = session.get(cls, ident)
    if obj is None:
        raise ValidationError(f"no {what} with id {ident}")
    return obj


def find_status(session: Any, code: str) -> Any:
    """The status with code ``code`` (any case)."""
    from sqlalchemy import func, select

    from stalker_core.models import Status

    found = session.scalars(
        select(Status).where(func.upper(Status.code) == code.upper())
    ).first()
    if found is None:
        codes = list(session.scalars(select(Status.code)))
        raise ValidationError(f"no status with code {code!r}{_suggest(code.upper(), codes)}")
    return found


def task_path(task: Any) -> str:
    """``Parent/Child/task``: the names from the root task down."""
    names = [task.name]
    parent = task.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return "/".join(reversed(names))
