"""Default data created by ``db.init()``, idempotently and with few queries.

* the administrator (login, e-mail and password from the configuration; the
  password stored hashed), the ``admins`` department and the ``admins`` group
  holding it, the group allowed every action on every class;
* every status of the configuration (code -> name) and one StatusList per
  class of ``[status_lists]`` (Task, Asset, Shot, Sequence, Scene, Project,
  Ticket, Review, Daily), ordered as configured;
* the ticket types (Defect, Enhancement).

Existing rows are kept as they are (a studio may have edited them); only
missing ones are added. A fresh database costs seven SELECTs, batched INSERTs
and one commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, literal, select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, scoped_session

    from stalker_core.config import Config


def permission_class_names() -> list[str]:
    """Names of every mapped class, the targets of default permissions."""
    from stalker_core.models import Base

    return sorted({m.class_.__name__ for m in Base.registry.mappers})


def create_defaults(
    session: Session | scoped_session, config: Config | None = None
) -> dict[str, int]:
    """Create the default data when missing (idempotent); the caller commits.

    :returns: how many rows of each kind were added (``{"users": 1,
        "statuses": 9, ...}``; only kinds with additions; empty when
        everything was there already).
    """
    from stalker_core.config import get_config
    from stalker_core.models import (
        Department,
        Group,
        Permission,
        Status,
        StatusList,
        Type,
        User,
    )
    from stalker_core.models.group import ACTIONS, group_permissions

    cfg = config or get_config()
    with session.no_autoflush:
        admin = session.scalars(select(User).where(User.login == cfg.admin_login)).first()
        department = session.scalars(
            select(Department).where(Department.name == cfg.admin_department)
        ).first()
        group = session.scalars(select(Group).where(Group.name == cfg.admin_group)).first()

        added: dict[str, int] = {}
        new_admin = admin is None
        if admin is None:
            added["users"] = 1
            admin = User(
                name=cfg.admin_name, login=cfg.admin_login, email=cfg.admin_email,
                password=cfg.admin_password,
            )
            session.add(admin)
        if department is None:
            added["departments"] = 1
            department = Department(name=cfg.admin_department, created_by=admin)
            session.add(department)
        if group is None:
            added["groups"] = 1
            group = Group(name=cfg.admin_group, created_by=admin)
            session.add(group)
        if new_admin:
            department.users.append(admin)
            group.users.append(admin)

        added["statuses"], added["status lists"] = _create_statuses(
            session, cfg, admin, Status, StatusList
        )
        added["types"] = _create_ticket_types(session, cfg, admin, Type)

    session.flush()
    added["permissions"] = _grant_everything(
        session, group, Permission, group_permissions, ACTIONS
    )
    return {kind: n for kind, n in added.items() if n}


def _create_statuses(
    session: Any, cfg: Config, admin: Any, Status: Any, StatusList: Any
) -> tuple[int, int]:
    """Add the missing statuses and status lists; return how many of each."""
    codes = set(cfg.status_names)
    for sl_codes in cfg.status_lists.values():
        codes.update(sl_codes)
    existing = {
        s.code: s for s in session.scalars(select(Status).where(Status.code.in_(codes)))
    }
    new_statuses = new_lists = 0
    for code in sorted(codes):
        if code not in existing:
            new_statuses += 1
            status = Status(name=cfg.status_name(code), code=code, created_by=admin)
            session.add(status)
            existing[code] = status
    have = set(
        session.scalars(
            select(StatusList.target_entity_type).where(
                StatusList.target_entity_type.in_(list(cfg.status_lists))
            )
        )
    )
    for target, sl_codes in cfg.status_lists.items():
        if target in have:
            continue
        new_lists += 1
        session.add(
            StatusList(
                name=f"{target} Statuses", target_entity_type=target,
                statuses=[existing[c] for c in sl_codes], created_by=admin,
            )
        )
    return new_statuses, new_lists


def _create_ticket_types(session: Any, cfg: Config, admin: Any, Type: Any) -> int:
    """Add the missing ticket types; return how many."""
    have = set(
        session.scalars(select(Type.name).where(Type.target_entity_type == "Ticket"))
    )
    missing = [name for name in cfg.ticket_types if name not in have]
    for name in missing:
        session.add(Type(name=name, code=name, target_entity_type="Ticket", created_by=admin))
    return len(missing)


def _grant_everything(
    session: Any, group: Any, Permission: Any, group_permissions: Any, actions: tuple[str, ...]
) -> int:
    """Allow the admins group every action on every class (two statements when fresh).

    :returns: how many permissions were added.
    """
    wanted = {("Allow", a, c) for c in permission_class_names() for a in actions}
    table = Permission.__table__
    have = set(
        session.execute(
            select(table.c.access, table.c.action, table.c.class_name).where(
                table.c.access == "Allow"
            )
        ).all()
    )
    missing = sorted(wanted - {tuple(r) for r in have})
    if missing:
        session.execute(
            insert(table), [{"access": a, "action": b, "class_name": c} for a, b, c in missing]
        )
    linked = select(group_permissions.c.permission_id).where(
        group_permissions.c.group_id == group.id
    )
    names = sorted({c for _, _, c in wanted})
    session.execute(
        insert(group_permissions).from_select(
            ["group_id", "permission_id"],
            select(literal(group.id), table.c.id)
            .where(table.c.access == "Allow")
            .where(table.c.action.in_(actions))
            .where(table.c.class_name.in_(names))
            .where(table.c.id.not_in(linked)),
        )
    )
    return len(missing)
