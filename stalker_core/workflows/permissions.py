"""The one place permissions are enforced: who is acting, and may they do this.

Every workflow that writes to the database calls :func:`authorize` first,
before it writes anything (a row, a file, a folder):

==========================================  ===================
workflow                                    needs
==========================================  ===================
``save_as_version``, ``open_as_new_version``  Create on Version
``publish`` (and a publishing ``PublishRun``)  Update on Version
==========================================  ===================

and so does every command of the ``stalker`` command line that writes
(``version save|update|publish``, ``task create|update``, ``timelog add``,
``project create-structure``, ``schedule``), with the acting user the
command line established (:func:`resolve_acting_user`). Hosts reach the
database only through the workflows, so the rules are the same in every
application.

The acting user is the user given to the workflow (a User, or a login
looked up), else the user whose login is the operating system's login name
(:func:`~stalker_core.context.current_user`). With no acting user the write
is *anonymous*: allowed or refused by the ``permissions.anonymous`` setting
(:func:`anonymous_allowed`). An acting user's rights are ``user.can(action,
target)`` (:mod:`stalker_core.models.access`): the rules of their groups,
a Deny winning over an Allow, and no rule meaning no.

Reading is not checked. The checks protect a studio's data from the
people using its tools; code that holds the database's credentials can
write rows directly and is trusted (docs/permissions.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from stalker_core import context
from stalker_core.config import get_config
from stalker_core.context import current_user
from stalker_core.exceptions import PermissionDeniedError
from stalker_core.models.access import require, target_label
from stalker_core.workflows.common import session_or_default

if TYPE_CHECKING:
    from stalker_core.models.group import Group
    from stalker_core.models.user import User

#: what holds permission rules: a group, or a user (rules of their own)
Holder = TypeVar("Holder", "Group", "User")

#: the action that lets a user act as another one (on the command line): whoever may
#: change any user's account (their password too) could act as them anyway
IMPERSONATE: tuple[str, str] = ("Update", "User")

#: rules of a group of artists: save and publish versions, log time, move their tasks
ARTIST_RULES: tuple[tuple[str, str, str], ...] = (
    ("Allow", "Create", "Version"), ("Allow", "Update", "Version"),
    ("Allow", "Create", "File"), ("Allow", "Create", "TimeLog"),
    ("Allow", "Update", "Task"),
)


def database_kind(session: Any) -> str:
    """The dialect of the database ``session`` writes to (``"sqlite"``, ``"postgresql"``)."""
    bind = session_or_default(session).get_bind()
    return str(bind.dialect.name)


def anonymous_allowed(session: Any = None) -> bool:
    """Whether a write with no acting user is allowed (setting ``permissions.anonymous``).

    ``"local"`` (the default) allows it on a SQLite file database only,
    ``"allow"`` always, ``"deny"`` never.
    """
    mode = get_config().permissions_anonymous
    if mode == "local":
        return database_kind(session) == "sqlite"
    return bool(mode == "allow")


def authorize(
    action: str,
    target: Any,
    *,
    user: User | str | None = None,
    session: Any = None,
    what: str | None = None,
) -> User | None:
    """Return the acting user once they may ``action`` ``target``; raise before any write.

    :param action: ``"Create"``, ``"Read"``, ``"Update"``, ``"Delete"`` or ``"List"``.
    :param target: a class, a class name or an instance (``user.can``'s target).
    :param user: the acting user (a User or a login); default: the OS login's user.
    :param what: how the message names the target, e.g. ``"a Version of task 'comp'"``.
    :returns: the acting User, or ``None`` for an allowed anonymous write.
    :raises PermissionDeniedError: the user may not; or nobody is acting and
        ``permissions.anonymous`` refuses anonymous writes. The message names
        the user, the action and the target.
    :raises ContextError: ``user`` is a login no user has.
    """
    session = session_or_default(session)
    who = current_user(user, session=session)
    if who is None:
        if anonymous_allowed(session):
            return None
        raise PermissionDeniedError(
            f"nobody may {action} {what or target_label(target)} anonymously: "
            f"{_login_text()} is no user of the database and no user was given; act as a "
            "user (--as LOGIN on the command line), or set permissions.anonymous = "
            '"allow" in the studio configuration',
            action=action, target=target,
        )
    require(who, action, target, what=what)
    return who


def _login_text() -> str:
    login = context.os_login()
    return f"the operating system's login {login!r}" if login else "the operating system's login"


def resolve_acting_user(
    login: str | None = None,
    *,
    password: str | None = None,
    session: Any = None,
) -> User | None:
    """Who a command line (or any front end without its own sign-in) acts as.

    * With no ``login`` (or the OS login's own), the user whose login is the
      operating system's login name; ``None`` when there is none
      (anonymous, see :func:`authorize`).
    * ``login`` of another user: impersonation, allowed with that user's
      ``password``, or when the OS login's user may :data:`IMPERSONATE`
      (Update on User: the admins group).
    * With ``permissions.require_password`` the OS login is not trusted: the
      user named by ``login`` (else the OS login) is acted as only with
      their ``password``.

    :raises PermissionDeniedError: a wrong or missing password, or an
        impersonation the OS login's user may not do; the message says what
        to do.
    :raises ContextError: ``login`` names no user.
    """
    session = session_or_default(session)
    os_user = current_user(None, session=session)
    strict = get_config().permissions_require_password
    if login is None or (os_user is not None and login == os_user.login):
        if strict and os_user is not None:
            _check_password(os_user, password)
        return os_user
    # a login is found or raises ContextError
    target = cast("User", current_user(login, session=session))
    if password is not None or strict:
        _check_password(target, password)
        return target
    if os_user is not None and os_user.can(*IMPERSONATE):
        return target
    who = f"user {os_user.login!r}" if os_user is not None else _login_text()
    raise PermissionDeniedError(
        f"{who} may not act as user {login!r}: acting as another user needs "
        f"{IMPERSONATE[0]} on {IMPERSONATE[1]} (the admins group), or {login!r}'s password "
        "in STALKER_PASSWORD",
        user=os_user, action="act as", target=target,
    )


def _check_password(user: User, password: str | None) -> None:
    if password is None:
        raise PermissionDeniedError(
            f"acting as user {user.login!r} needs their password "
            "(permissions.require_password is on): set STALKER_PASSWORD",
            user=user, action="act as", target=user,
        )
    if not user.check_password(password):
        raise PermissionDeniedError(
            f"wrong password for user {user.login!r}", user=user, action="act as", target=user,
        )


def grant(holder: Holder, rules: Iterable[tuple[str, str, str]], *,
          session: Any = None) -> Holder:
    """Link ``holder`` (a group, or a user for rules of their own) to the rules
    ``(access, action, class_name)``.

    An existing Permission row with the same values is reused (``db.init()``
    makes an Allow row per action and class), else a new one is made; a rule
    the holder has already is skipped.

    :returns: ``holder``.
    """
    from sqlalchemy import select

    from stalker_core.models.group import Permission

    session = session_or_default(session)
    for access, action, class_name in rules:
        key = _rule_key(access, action, class_name)
        if any(_key_of(p) == key for p in holder.permissions):
            continue
        with session.no_autoflush:
            found = session.scalars(select(Permission).where(
                Permission.access == key[0], Permission.action == key[1],
                Permission.class_name == key[2])).first()
        holder.permissions.append(found if found is not None else Permission(
            access=key[0], action=key[1], class_name=key[2]))
    return holder


def revoke(holder: Holder, rules: Iterable[tuple[str, str, str]]) -> list[str]:
    """Unlink the rules ``(access, action, class_name)`` from ``holder``.

    The Permission rows stay (other groups may use them).

    :returns: the rules that ``holder`` did not have, as ``"Allow Create Version"``.
    """
    missing: list[str] = []
    for access, action, class_name in rules:
        key = _rule_key(access, action, class_name)
        linked = [p for p in holder.permissions if _key_of(p) == key]
        if not linked:
            missing.append(" ".join(key))
        for perm in linked:
            holder.permissions.remove(perm)
    return missing


def _rule_key(access: str, action: str, class_name: str) -> tuple[str, str, str]:
    """The rule as stored: validated and normalised by :class:`Permission` itself."""
    from stalker_core.models.group import Permission

    rule = Permission(access=access, action=action, class_name=class_name)
    return _key_of(rule)


def _key_of(perm: Any) -> tuple[str, str, str]:
    return (perm.access, perm.action, perm.class_name)


#: the name of the group :func:`artists_group` makes
ARTISTS_GROUP = "artists"


def artists_group(users: Iterable[User] = (), *, session: Any = None,
                  name: str = ARTISTS_GROUP) -> Group:
    """The group ``name`` (made when missing) with :data:`ARTIST_RULES`, ``users`` in it.

    ``db.init()`` makes only the admins group; ``stalker demo`` and the tests
    give their artists this one.
    """
    from sqlalchemy import select

    from stalker_core.models.group import Group

    session = session_or_default(session)
    # the pending ones too: no flush here, a caller may be half way through building
    group = next((g for g in session.new if isinstance(g, Group) and g.name == name), None)
    if group is None:
        with session.no_autoflush:
            group = session.scalars(select(Group).where(Group.name == name)).first()
    if group is None:
        group = Group(name=name)
        session.add(group)
    grant(group, ARTIST_RULES, session=session)
    for user in users:
        if user not in group.users:
            group.users.append(user)
    return group
