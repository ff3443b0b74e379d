"""User: a person who logs in, works on tasks and belongs to departments.

Passwords are stored only as a salted scrypt hash
(``scrypt$<n>$<r>$<p>$<salt>$<hash>``, base64 parts); :meth:`User.check_password`
verifies a candidate in constant time. ``login`` and ``email`` are unique
(database constraints, checked first when the session flushes:
:func:`check_unique_logins` names the taken login or e-mail) and validated on
every set.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import String, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from stalker_core.exceptions import (
    PasswordError,
    StalkerTypeError,
    ValidationError,
    type_error,
    value_error,
)
from stalker_core.models.base import (
    Entity,
    check_instance,
    check_number,
    check_str,
    fk_id,
    on_append,
    unique_association_proxy,
)
from stalker_core.models.column_mixins import ACLMixin
from stalker_core.models.services import service
from stalker_core.models.types import ensure_aware

if TYPE_CHECKING:
    from stalker_core.models.auth_log import AuthenticationLog
    from stalker_core.models.client import Client, ClientUser
    from stalker_core.models.department import Department, DepartmentUser
    from stalker_core.models.group import Group
    from stalker_core.models.project import Project, ProjectUser
    from stalker_core.models.task.model import Task
    from stalker_core.models.task.time_log import TimeLog
    from stalker_core.models.vacation import Vacation

#: scrypt cost parameters (n=2**14, r=8, p=1: about 16 MiB and tens of ms per hash).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32

_LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """Return a salted scrypt hash of ``password`` as a self-describing string.

    :raises PasswordError: for a non-str or empty password.
    """
    if not isinstance(password, str):
        raise PasswordError(f"User.password should be a str, not {type(password).__name__}")
    if not password:
        raise PasswordError("User.password should be a non-empty str")
    if len(password) > 4096:
        raise PasswordError("User.password should be at most 4096 characters")
    try:
        secret = password.encode("utf-8")
    except UnicodeEncodeError:
        raise PasswordError("User.password holds characters that cannot be encoded") from None
    salt = os.urandom(_SALT_BYTES)
    key = hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
        dklen=_KEY_BYTES,
    )
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the hash ``stored`` (constant-time compare)."""
    if not isinstance(password, str) or not isinstance(stored, str):
        return False
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
            p=int(p), maxmem=64 * 1024 * 1024, dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


class User(Entity, ACLMixin):
    """A studio member. ``login`` and ``email`` are unique.

    :param name: the full name, e.g. ``"Erkan Ozgur Yilmaz"``.
    :param login: letters, digits and ``._@-``, e.g. ``"eoyilmaz"``.
    :param email: an e-mail address (stored lower-case).
    :param password: stored only as a salted scrypt hash.
    :param password_hash: instead of ``password``: a hash made by :func:`hash_password`.
    :param departments, groups, projects, clients: lists of those.
    :param permissions: :class:`~stalker_core.models.group.Permission` rules of this user
        alone, besides those of the groups (Stalker's ``User.permissions``).
    :param efficiency: >= 0 (1.0 = nominal), used by the scheduler.
    :param rate: cost per hour, >= 0.
    """

    __tablename__ = "users"
    _required: ClassVar[tuple[str, ...]] = ("name", "login", "email")
    id: Mapped[int] = fk_id("simple_entities")
    login: Mapped[str] = mapped_column(String(256), unique=True)
    email: Mapped[str] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(512), default="")
    efficiency: Mapped[float] = mapped_column(default=1.0)
    rate: Mapped[float] = mapped_column(default=0.0)
    last_login: Mapped[dt.datetime | None] = mapped_column()

    department_roles: Mapped[list[DepartmentUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    departments: AssociationProxy[list[Department]] = unique_association_proxy(
        "department_roles",
        "department",
        creator=lambda d: _department_user(department=d),
    )
    groups: Mapped[list[Group]] = relationship(secondary="group_users", back_populates="users")
    project_roles: Mapped[list[ProjectUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    projects: AssociationProxy[list[Project]] = unique_association_proxy(
        "project_roles", "project", creator=lambda p: _project_user(project=p)
    )
    client_roles: Mapped[list[ClientUser]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    clients: AssociationProxy[list[Client]] = unique_association_proxy(
        "client_roles", "client", creator=lambda c: _client_user(client=c)
    )
    tasks: Mapped[list[Task]] = relationship(
        secondary="task_resources", back_populates="resources"
    )
    watching: Mapped[list[Task]] = relationship(
        secondary="task_watchers", back_populates="watchers"
    )
    responsible_of: Mapped[list[Task]] = relationship(
        secondary="task_responsible", back_populates="responsible"
    )
    # as in Stalker: a deleted user's time logs go with them (their seconds
    # leave their tasks' logged time at flush, as any deleted time log's do)
    time_logs: Mapped[list[TimeLog]] = relationship(
        back_populates="resource", foreign_keys="TimeLog.resource_id",
        cascade="all, delete-orphan",
    )
    vacations: Mapped[list[Vacation]] = relationship(
        back_populates="user", foreign_keys="Vacation.user_id"
    )
    authentication_logs: Mapped[list[AuthenticationLog]] = relationship(
        back_populates="user", foreign_keys="AuthenticationLog.user_id",
        cascade="all, delete-orphan",
    )

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("password") is None and kwargs.get("password_hash") is None:
            raise StalkerTypeError(
                "User() needs the 'password' argument (or 'password_hash', a hash made by "
                "hash_password(), e.g. when importing users)"
            )
        kwargs.setdefault("efficiency", 1.0)
        kwargs.setdefault("rate", 0.0)
        super().__init__(**kwargs)

    # --- validation ---------------------------------------------------------

    @validates("login")
    def _validate_login(self, key: str, value: Any) -> str:
        value = check_str("User", key, value)
        if len(value) > 256 or not _LOGIN_RE.match(value):
            raise value_error(
                "User", key, "letters, digits and . _ @ - (starting with a letter or digit)",
                value,
            )
        return value

    @validates("email")
    def _validate_email(self, key: str, value: Any) -> str:
        value = check_str("User", key, value)
        if len(value) > 256 or not _EMAIL_RE.match(value):
            raise value_error("User", key, "an e-mail address like name@example.com", value)
        return value.lower()

    @validates("efficiency", "rate")
    def _validate_numbers(self, key: str, value: Any) -> float:
        return float(check_number("User", key, value, minimum=0))

    @validates("last_login")
    def _validate_last_login(self, key: str, value: Any) -> dt.datetime | None:
        return ensure_aware("User", key, value)

    @validates("password_hash")
    def _validate_password_hash(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.startswith("scrypt$"):
            raise type_error("User", key, "a hash made by hash_password() (set .password)", value)
        return value

    # --- password -----------------------------------------------------------

    @property
    def password(self) -> str:
        """The stored hash; setting a plain password stores its salted hash."""
        return self.password_hash

    @password.setter
    def password(self, value: str) -> None:
        self.password_hash = hash_password(value)

    def check_password(self, password: str) -> bool:
        """True when ``password`` is this user's password."""
        return bool(self.password_hash) and verify_password(password, self.password_hash)

    # --- permissions and scheduling -----------------------------------------

    def can(self, action: str, target: Any) -> bool:
        """Whether this user may ``action`` (Create/Read/Update/Delete/List) ``target``.

        ``target`` is a class, a class name or an instance. Permissions come
        from the user's groups and the user's own ``permissions``; a Deny wins
        over an Allow; no Allow means no.
        """
        from stalker_core.models.access import can

        return can(self, action, target)

    @property
    def to_tjp(self) -> str:
        """This user as a TaskJuggler resource (see :func:`stalker_core.scheduling.to_tjp`)."""
        return service("to_tjp")(self)

    def __repr__(self) -> str:
        return f"<{self.name} ({self.login!r}) (User)>"


def _check_group(target: Any, key: str, value: Any) -> Any:
    from stalker_core.models.group import Group

    return check_instance("User", key, value, Group, required=True)


def _check_vacation(target: Any, key: str, value: Any) -> Any:
    from stalker_core.models.vacation import Vacation

    return check_instance("User", key, value, Vacation, required=True)


on_append(User.groups, _check_group)
on_append(User.vacations, _check_vacation)


def _department_user(**kw: object) -> DepartmentUser:
    from stalker_core.models.department import DepartmentUser

    return DepartmentUser(**kw)


def _project_user(**kw: object) -> ProjectUser:
    from stalker_core.models.project import ProjectUser

    return ProjectUser(**kw)


def _client_user(**kw: object) -> ClientUser:
    from stalker_core.models.client import ClientUser

    return ClientUser(**kw)


#: the unique columns of User, checked at flush by :func:`check_unique_logins`
UNIQUE_KEYS: tuple[str, ...] = ("login", "email")


def check_unique_logins(session: Session) -> None:
    """Flush step: refuse a new or changed user whose login or e-mail another user has.

    One query per flush that adds or changes users (the unique constraints of
    the database stay as the backstop against concurrent writers).

    :raises ValidationError: naming the attribute, the value and the user who has it.
    """
    users = [o for o in session.new if isinstance(o, User)]
    users += [
        o for o in session.dirty
        if isinstance(o, User) and any(
            sa_inspect(o).attrs[key].history.has_changes() for key in UNIQUE_KEYS)
    ]
    if not users:
        return
    for key in UNIQUE_KEYS:
        seen: dict[str, User] = {}
        for u in users:
            value = getattr(u, key)
            other = seen.setdefault(value, u)
            if other is not u:
                raise _taken(key, value, other)
    column = {key: getattr(User, key) for key in UNIQUE_KEYS}
    wanted = {key: {getattr(u, key) for u in users} for key in UNIQUE_KEYS}
    mine = {u.id for u in users if u.id is not None}
    stmt = select(User.id, User.name, *column.values()).where(
        or_(*(column[key].in_(wanted[key]) for key in UNIQUE_KEYS))
    )
    with session.no_autoflush:
        rows = session.execute(stmt).all()
    for uid, name, *values in rows:
        if uid in mine:
            continue
        for key, value in zip(UNIQUE_KEYS, values, strict=True):
            if value in wanted[key]:
                raise _taken(key, value, SimpleNamespace(name=name, id=uid))


def _taken(key: str, value: str, holder: Any) -> ValidationError:
    who = f"user {holder.name!r}" + (f" (id {holder.id})" if holder.id is not None else "")
    return ValidationError(
        f"User.{key} should be unique; {value!r} is already the {key} of {who}; "
        f"choose another {key}"
    )
