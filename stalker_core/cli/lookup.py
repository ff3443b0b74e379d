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


def suggest(word: str, choices: list[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest of ``choices`` (case ignored), else ``""``."""
    by_lower = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
    return f"; did you mean {by_lower[near[0]]!r}?" if near else ""


def _by_code_or_id(session: Any, cls: Any, column: Any, ref: str, what: str,
                   listing: str) -> Any:
    from sqlalchemy import or_, select

    clauses = [column == ref]
    if ref.isdigit():
        clauses.append(cls.id == int(ref))
    found = session.scalars(select(cls).where(or_(*clauses)).order_by(cls.id)).first()
    if found is None:
        names = list(session.scalars(select(column)))
        raise ValidationError(f"no {what} {ref!r}{suggest(ref, names)} ({listing})")
    return found


def find_project(session: Any, ref: str) -> Any:
    """The project with code (case matters) or id ``ref``."""
    from stalker_core.models import Project

    return _by_code_or_id(session, Project, Project.code, ref, "project with code or id",
                          "codes are case sensitive; 'stalker project list' lists them")


def find_user(session: Any, ref: str) -> Any:
    """The user with login or id ``ref``."""
    from stalker_core.models import User

    return _by_code_or_id(session, User, User.login, ref, "user with login or id",
                          "'stalker user list' lists them")


def find_group(session: Any, ref: str) -> Any:
    """The group with name or id ``ref``."""
    from stalker_core.models import Group

    return _by_code_or_id(session, Group, Group.name, ref, "group with name or id",
                          "'stalker group list' lists them")


def find_by_id(session: Any, cls: Any, ident: int, what: str) -> Any:
    """The ``cls`` row with id ``ident`` (``what`` names it in the error)."""
    obj = session.get(cls, ident)
    if obj is None:
        raise _no_such(what, ident)
    return obj


def require_id(session: Any, cls: Any, ident: int, what: str) -> None:
    """Refuse an id that names no ``cls`` row, without loading the object (a filter's id).

    :raises ValidationError: ``no <what> with id <ident>``, as :func:`find_by_id` says it.
    """
    from sqlalchemy import select

    column = cls.__table__.c.id
    if session.execute(select(column).where(column == ident)).first() is None:
        raise _no_such(what, ident)


def _no_such(what: str, ident: int) -> ValidationError:
    return ValidationError(f"no {what} with id {ident}")


def find_status(session: Any, code: str) -> Any:
    """The status with code ``code`` (any case)."""
    from sqlalchemy import func, select

    from stalker_core.models import Status

    found = session.scalars(
        select(Status).where(func.upper(Status.code) == code.upper())
    ).first()
    if found is None:
        codes = list(session.scalars(select(Status.code)))
        raise ValidationError(f"no status with code {code!r}{suggest(code.upper(), codes)}")
    return found


def task_path(task: Any) -> str:
    """``Parent/Child/task``: the names from the root task down."""
    names = [task.name]
    parent = task.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return "/".join(reversed(names))
