"""``stalker group list|show|create|add-user|remove-user|grant|revoke``: who may do what.

Permissions are enforced (docs/permissions.md): a user may write only what a
rule of one of their groups, or of their own, allows. These commands are how
an administrator makes groups, puts people in them and gives them rules,
without a Python shell. A rule is written ``ACTION:CLASS`` after ``--allow``
or ``--deny``: ``--allow Create:Version --deny Delete:Project``; ``*`` as the
action means all five (Create, Read, Update, Delete, List). ``--user LOGIN``
on ``grant`` and ``revoke`` changes the rules of one user instead of a group.
"""

from __future__ import annotations

from typing import Any

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_record, emit_rows, output_options

LIST_COLUMNS = ("id", "name", "users", "rules")


@click.group(name="group")
def command() -> None:
    """List, show and create permission groups; change their members and rules."""


def _rule(access: str) -> Any:
    """The click callback turning ``ACTION:CLASS`` values into ``(access, action, class)``."""

    def parse(_ctx: click.Context, param: click.Parameter,
              values: tuple[str, ...]) -> list[tuple[str, str, str]]:
        from stalker_core.models.group import ACTIONS

        rules: list[tuple[str, str, str]] = []
        for value in values:
            action, sep, class_name = value.partition(":")
            if not sep or not action.strip() or not class_name.strip():
                raise click.BadParameter(
                    f"{value!r} is not a rule; expected ACTION:CLASS such as Create:Version "
                    f"(ACTION one of {', '.join(ACTIONS)}, or * for all)", param=param)
            actions = ACTIONS if action.strip() == "*" else (action.strip(),)
            rules += [(access, a, _class_name(class_name.strip(), param)) for a in actions]
        return rules

    return parse


def _class_name(name: str, param: click.Parameter) -> str:
    """The model class called ``name`` (case ignored): a typo would make a rule of nothing."""
    from stalker_core.cli.lookup import suggest
    from stalker_core.models.base import Base

    names = sorted({m.class_.__name__ for m in Base.registry.mappers})
    by_lower = {n.lower(): n for n in names}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    raise click.BadParameter(f"no model class named {name!r}{suggest(name, names)} (a rule "
                             "names a class such as Task, Version or Project)", param=param)


def _rule_options(f: Any) -> Any:
    f = click.option("--deny", "denied", multiple=True, metavar="ACTION:CLASS",
                     callback=_rule("Deny"), help="A Deny rule (repeatable).")(f)
    return click.option("--allow", "allowed", multiple=True, metavar="ACTION:CLASS",
                        callback=_rule("Allow"), help="An Allow rule (repeatable).")(f)


def _rules_text(holder: Any) -> list[str]:
    return sorted(f"{p.access} {p.action} {p.class_name}" for p in holder.permissions)


def _users(session: Any, logins: tuple[str, ...]) -> list[Any]:
    from stalker_core.cli.lookup import find_user

    return [find_user(session, login) for login in logins]


@command.command(name="list")
@database_option
@output_options()
def list_cmd() -> None:
    """List the groups with their number of users and rules."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from stalker_core.models import Group

    session = connect()
    groups = session.scalars(select(Group).options(
        selectinload(Group.users), selectinload(Group.permissions)).order_by(Group.name)).all()
    rows = [{"id": g.id, "name": g.name, "users": len(g.users), "rules": len(g.permissions)}
            for g in groups]
    emit_rows(rows, LIST_COLUMNS, title=f"groups ({len(rows)})")


@command.command(name="show")
@click.argument("group")
@database_option
@output_options(csv_too=False)
def show_cmd(group: str) -> None:
    """Show GROUP (a name or an id): its users and rules."""
    from stalker_core.cli.lookup import find_group

    g = find_group(connect(), group)
    emit_record({"id": g.id, "name": g.name, "description": g.description,
                 "users": sorted(u.login for u in g.users), "rules": _rules_text(g)},
                title=f"group {g.name}")


@command.command(name="create")
@click.argument("name")
@database_option
@click.option("--user", "logins", multiple=True, metavar="LOGIN",
              help="A member (repeatable).")
@click.option("--description", default="", help="What the group is for.")
@_rule_options
def create_cmd(name: str, logins: tuple[str, ...], description: str,
               allowed: list[tuple[str, str, str]], denied: list[tuple[str, str, str]]) -> None:
    """Create the group NAME with its members and rules."""
    from sqlalchemy import select

    from stalker_core.exceptions import ValidationError
    from stalker_core.models import Group
    from stalker_core.workflows.permissions import grant

    session = connect()
    if session.scalars(select(Group).where(Group.name == name)).first() is not None:
        raise ValidationError(f"a group named {name!r} exists already; "
                              f"change it with 'stalker group grant {name} ...'")
    authorize(session, "Create", "Group", what=f"a Group {name!r}")
    group = Group(name=name, description=description, users=_users(session, logins))
    session.add(group)
    grant(group, [*allowed, *denied], session=session)
    session.commit()
    click.echo(f"created group {group.id} {group.name!r}: {len(group.users)} user(s), "
               f"{len(group.permissions)} rule(s)")


@command.command(name="add-user")
@click.argument("group")
@click.argument("logins", nargs=-1, required=True)
@database_option
def add_user_cmd(group: str, logins: tuple[str, ...]) -> None:
    """Put the users LOGINS in GROUP."""
    from stalker_core.cli.lookup import find_group

    session = connect()
    g = find_group(session, group)
    authorize(session, "Update", g, what=f"group {g.name!r}")
    added = [u for u in dict.fromkeys(_users(session, logins)) if u not in g.users]
    g.users.extend(added)
    session.commit()
    click.echo(f"group {g.name!r}: added {len(added)}, {len(g.users)} user(s) now")


@command.command(name="remove-user")
@click.argument("group")
@click.argument("logins", nargs=-1, required=True)
@database_option
def remove_user_cmd(group: str, logins: tuple[str, ...]) -> None:
    """Take the users LOGINS out of GROUP."""
    from stalker_core.cli.lookup import find_group
    from stalker_core.exceptions import ValidationError

    session = connect()
    g = find_group(session, group)
    users = _users(session, logins)
    outside = [u.login for u in users if u not in g.users]
    if outside:
        raise ValidationError(f"not in group {g.name!r}: {', '.join(outside)}; "
                              f"'stalker group show {g.name}' lists its users")
    authorize(session, "Update", g, what=f"group {g.name!r}")
    for u in users:
        g.users.remove(u)
    session.commit()
    click.echo(f"group {g.name!r}: removed {len(users)}, {len(g.users)} user(s) now")


def _holder(session: Any, group: str | None, login: str | None) -> tuple[Any, str]:
    from stalker_core.cli.lookup import find_group, find_user

    if (group is None) == (login is None):
        raise click.UsageError("give a GROUP, or --user LOGIN for a user's own rules")
    if login is not None:
        user = find_user(session, login)
        return user, f"user {user.login!r}"
    found = find_group(session, str(group))
    return found, f"group {found.name!r}"


def _rules_command(name: str, help_text: str) -> Any:
    """A command changing the rules of GROUP or --user LOGIN.

    The decorated ``change(session, holder, label, rules)`` makes the change
    once the rules are parsed, the holder found and the acting user allowed.
    """

    def decorate(change: Any) -> Any:
        @command.command(name=name, help=help_text)
        @click.argument("group", required=False)
        @database_option
        @click.option("--user", "login", default=None,
                      help="A user's own rules instead of a group's.")
        @_rule_options
        def run(group: str | None, login: str | None, allowed: list[tuple[str, str, str]],
                denied: list[tuple[str, str, str]]) -> None:
            if not allowed and not denied:
                raise click.UsageError("give at least one --allow or --deny ACTION:CLASS")
            session = connect()
            holder, label = _holder(session, group, login)
            authorize(session, "Update", holder, what=label)
            change(session, holder, label, [*allowed, *denied])

        return run

    return decorate


@_rules_command("grant", "Give GROUP (or --user LOGIN) the rules --allow/--deny ACTION:CLASS.")
def grant_cmd(session: Any, holder: Any, label: str, rules: list[tuple[str, str, str]]) -> None:
    from stalker_core.workflows.permissions import grant

    before = len(holder.permissions)
    grant(holder, rules, session=session)
    session.commit()
    click.echo(f"{label}: {len(holder.permissions) - before} rule(s) added, "
               f"{len(holder.permissions)} now")


@_rules_command("revoke", "Take the rules --allow/--deny ACTION:CLASS from GROUP "
                          "(or --user LOGIN).")
def revoke_cmd(session: Any, holder: Any, label: str, rules: list[tuple[str, str, str]]) -> None:
    from stalker_core.exceptions import ValidationError
    from stalker_core.workflows.permissions import revoke

    missing = revoke(holder, rules)
    if missing and len(missing) == len(rules):
        session.rollback()
        raise ValidationError(f"{label} has none of these rules: {'; '.join(missing)}")
    session.commit()
    note = f" (it did not have: {'; '.join(missing)})" if missing else ""
    click.echo(f"{label}: {len(rules) - len(missing)} rule(s) removed, "
               f"{len(holder.permissions)} now{note}")
