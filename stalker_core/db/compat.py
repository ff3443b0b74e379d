"""Stalker's set-up helpers: ``register``, ``create_entity_statuses``, ``alembic_version``.

Each works on ``DBSession`` by default (as in Stalker) or on the ``session``
given, and commits, as Stalker's do, so a script's ``db.setup.register(Cls)``
leaves the rows stored. :mod:`stalker_core.db.setup` re-exports them, where
Stalker scripts import them from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from stalker_core.db import migrate
from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.orm.session import DBSession


def register(class_: type, *, session: Any = None) -> int:
    """Create the permissions of a studio's own class: Allow and Deny of every action.

    Permissions name classes (``Permission.class_name``); a class added to
    the object model needs its rows so that groups can be allowed or denied
    it. Existing rows are kept.

    :param class_: the class itself (not an instance, not its name).
    :returns: how many permissions were added.
    :raises StalkerTypeError: when ``class_`` is not a class.
    """
    from stalker_core.models import Permission
    from stalker_core.models.group import ACCESS, ACTIONS

    if not isinstance(class_, type):
        raise StalkerTypeError(
            f"register() needs the class itself, not {type(class_).__name__}: {class_!r}"
        )
    db = session if session is not None else DBSession
    name = class_.__name__
    with db.no_autoflush:
        have = set(
            db.execute(
                select(Permission.access, Permission.action).where(Permission.class_name == name)
            ).all()
        )
    missing = [(a, b) for a in ACCESS for b in ACTIONS if (a, b) not in have]
    db.add_all(Permission(access=a, action=b, class_name=name) for a, b in missing)
    db.commit()
    return len(missing)


def create_entity_statuses(
    entity_type: str = "",
    status_names: Sequence[str] | None = None,
    status_codes: Sequence[str] | None = None,
    user: Any = None,
    *,
    session: Any = None,
) -> Any:
    """Make the StatusList of ``entity_type`` hold these statuses, in this order.

    A status is looked up by its code and created when missing (with its
    name); the list is created when missing, and an existing one gets exactly
    these statuses. ``user`` is recorded as the creator of what is new.

    :param entity_type: a class name, e.g. ``"Message"``.
    :param status_names: the names, in the order of ``status_codes``.
    :param status_codes: the codes, e.g. ``["NEW", "CLS"]``.
    :returns: the StatusList.
    :raises ValidationError: for an empty argument or names and codes of different lengths.
    """
    from stalker_core.models import Status, StatusList

    for label, value in (("entity_type", entity_type), ("status_names", status_names),
                         ("status_codes", status_codes)):
        if not value:
            raise ValidationError(f"create_entity_statuses() needs {label}, got {value!r}")
    names, codes = list(status_names or ()), list(status_codes or ())
    if len(names) != len(codes):
        raise ValidationError(
            f"create_entity_statuses() needs one name per code: {len(names)} names, "
            f"{len(codes)} codes"
        )
    db = session if session is not None else DBSession
    with db.no_autoflush:
        found = {s.code: s for s in db.scalars(select(Status).where(
            Status.code.in_(codes)))}
        statuses = []
        for name, code in zip(names, codes, strict=True):
            status = found.get(code)
            if status is None:
                status = found[code] = Status(name=name, code=code, created_by=user)
                db.add(status)
            statuses.append(status)
        status_list = db.scalars(
            select(StatusList).where(StatusList.target_entity_type == entity_type)
            .order_by(StatusList.id)
        ).first()
        if status_list is None:
            status_list = StatusList(
                name=f"{entity_type} Statuses", target_entity_type=entity_type,
                created_by=user,
            )
            db.add(status_list)
        status_list.statuses = statuses
    db.commit()
    return status_list


def alembic_version(*, session: Any = None) -> str | None:
    """The schema revision the database is stamped with (``None``: not stamped)."""
    db = session if session is not None else DBSession
    return migrate.current_revision(db.connection())


#: Stalker 1.1's name of :func:`alembic_version`
get_alembic_version = alembic_version
