"""Who the command line acts as, and the permission check of its writing commands.

The acting user is established once per invocation (:func:`acting_user`)
by :func:`~stalker_core.workflows.permissions.resolve_acting_user`:

* the user whose login is the operating system's login name, by default;
* ``stalker --as LOGIN ...`` (or the ``--user`` of ``version save`` and
  ``schedule``, which name who saves or schedules) to act as another user:
  with that user's password in ``STALKER_PASSWORD``, or when the OS login's
  user may act as others (Update on User: the admins group);
* with ``permissions.require_password`` only with the password
  (``STALKER_PASSWORD``, else a prompt on a terminal).

Every writing command calls :func:`authorize` (or hands the acting user to
a workflow, which calls the same
:func:`~stalker_core.workflows.permissions.authorize`) before it writes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from stalker_core.models.user import User

_LOGIN = "acting_login"
_USER = "acting_user"


def _remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)[_LOGIN] = value


def as_option(f: Any) -> Any:
    """The ``--as LOGIN`` option of the ``stalker`` group."""
    return click.option(
        "--as", "as_login", metavar="LOGIN", default=None, expose_value=False,
        callback=_remember,
        help="Act as this user (default: the user whose login is the OS login). Needs "
             "the user's password in STALKER_PASSWORD, or an OS login allowed to act as "
             "others (docs/permissions.md).")(f)


def _password(login: str | None) -> str | None:
    from stalker_core.config import env_value, get_config

    password = env_value("STALKER_PASSWORD")
    if password is None and get_config().permissions_require_password and sys.stdin.isatty():
        password = click.prompt(f"password of {login or 'your user'}", hide_input=True)
    return password


def acting_user(session: Any, login: str | None = None,
                ctx: click.Context | None = None) -> User | None:
    """The user this invocation acts as (resolved once, then reused); ``None``: nobody.

    :param login: a command's own ``--user`` naming who acts; it must agree
        with ``stalker --as``.
    :raises PermissionDeniedError: an impersonation that is not allowed, or
        a wrong or missing password.
    :raises ContextError: the login names no user.
    """
    from stalker_core.workflows.permissions import resolve_acting_user

    ctx = ctx or click.get_current_context()
    obj = ctx.find_root().ensure_object(dict)
    given = obj.get(_LOGIN)
    if login is not None and given is not None and login != given:
        raise click.UsageError(f"--as {given!r} and --user {login!r} name different users; "
                               "give one of them")
    login = login if login is not None else given
    if _USER not in obj:
        obj[_USER] = resolve_acting_user(login, password=_password(login), session=session)
    return obj[_USER]  # type: ignore[no-any-return]


def authorize(session: Any, action: str, target: Any, *, what: str | None = None,
              login: str | None = None) -> User | None:
    """Check that the acting user may ``action`` ``target`` before a command writes.

    :returns: the acting user (``None`` for an allowed anonymous write).
    :raises PermissionDeniedError: they may not (the message names the user,
        the action and the target).
    """
    from stalker_core.workflows.permissions import authorize as check

    who = acting_user(session, login)
    return check(action, target, user=who, session=session, what=what)
