"""Permission checks: ``user.can(action, target)`` and :func:`require`.

Rules are :class:`~stalker_core.models.group.Permission` rows linked to the
user's groups or to the user alone (``user.permissions``). For a target class
the rules of its class name apply, and — when none of them mentions the
action — those of its base classes (a rule on
``Task`` covers ``Shot``), nearest class first. At one level a Deny wins over
an Allow; with no rule at all the answer is no.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PermissionDeniedError, type_error
from stalker_core.models.group import ACTIONS, normalize_choice

if TYPE_CHECKING:
    from stalker_core.models.user import User


def target_class_names(target: Any) -> list[str]:
    """Class names to look rules up for, nearest first.

    :param target: a class, a class name or an instance.
    :raises StalkerTypeError: for anything else.
    """
    if isinstance(target, str):
        name = target.strip()
        if not name:
            raise type_error("User.can", "target", "a class, a class name or an instance", target)
        from stalker_core import models

        cls = getattr(models, name, None)
        if isinstance(cls, type):
            return _mro_names(cls)
        return [name]
    if isinstance(target, type):
        return _mro_names(target)
    if target is None or isinstance(target, int | float | bool | list | dict | tuple):
        raise type_error("User.can", "target", "a class, a class name or an instance", target)
    return _mro_names(type(target))


def _mro_names(cls: type) -> list[str]:
    from stalker_core.models.base import Base

    names = []
    for c in cls.__mro__:
        if c is Base or not (isinstance(c, type) and issubclass(c, Base)):
            continue
        if "__tablename__" in c.__dict__ or c is cls:
            names.append(c.__name__)
    return names


def rules(user: User) -> dict[tuple[str, str], set[str]]:
    """``(class_name, action) -> {"Allow", "Deny"}`` over the user's groups and own rules."""
    out: dict[tuple[str, str], set[str]] = {}
    of_groups = (perm for group in user.groups for perm in group.permissions)
    for perm in itertools.chain(of_groups, user.permissions):
        out.setdefault((perm.class_name, perm.action), set()).add(perm.access)
    return out


def can(user: User, action: str, target: Any) -> bool:
    """Whether ``user`` may ``action`` on ``target`` (see the module docstring)."""
    action = normalize_choice("User.can", "action", action, ACTIONS)
    names = target_class_names(target)
    table = rules(user)
    for name in names:
        accesses = table.get((name, action))
        if accesses:
            return "Deny" not in accesses
    return False


def target_label(target: Any) -> str:
    """How a message names ``target``: ``Version``, ``Task 'comp'`` or ``Project 'TP'``."""
    if isinstance(target, str):
        return target
    if isinstance(target, type):
        return target.__name__
    label = next((getattr(target, a) for a in ("code", "login", "name")
                  if isinstance(getattr(target, a, None), str)), None)
    ident = getattr(target, "id", None)
    cls = type(target).__name__
    if label:
        return f"{cls} {label!r}"
    return f"{cls} {ident}" if ident is not None else f"a new {cls}"


def require(user: User, action: str, target: Any, *, what: str | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user.can(action, target)``.

    :param what: how the message names the target (default: :func:`target_label`),
        e.g. ``"a Version of task 'SH001/comp'"``.
    """
    if not can(user, action, target):
        action = normalize_choice("User.can", "action", action, ACTIONS)
        classes = target_class_names(target)
        raise PermissionDeniedError(
            f"user {getattr(user, 'login', user)!r} may not {action} "
            f"{what or target_label(target)}: no group of theirs allows {action} on "
            f"{' or '.join(classes)}, or one denies it; ask an administrator for a group "
            "with that permission",
            user=user, action=action, target=target,
        )
