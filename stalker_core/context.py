"""The pipeline context: which project, task, version and user a scene belongs to.

A :class:`Context` is passed explicitly to every hook; nothing else reads
pipeline environment variables. It is resolved, in this order, from

1. the file open in the host (:meth:`Context.from_path`): the Version whose
   file that is (one query on the file name, then an exact path match);
2. the one environment variable :data:`TASK_ENV_VAR` (``STALKER_TASK_ID``)
   that a launcher sets to the id of the task an application is started for
   (:meth:`Context.from_env`).

The user is the one given, else the user whose ``login`` is the operating
system's login name (``STALKER_USER`` is *not* read: the login is enough).
That user is the *acting* user whose permissions the writing workflows
check (:mod:`stalker_core.workflows.permissions`, docs/permissions.md); an
OS login that is no user of the database leaves nobody acting.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stalker_core.config import environment
from stalker_core.exceptions import StalkerError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from stalker_core.hosts import Host
    from stalker_core.models.project import Project
    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version

#: the environment variable a launcher sets to the id of the task to work on
TASK_ENV_VAR = "STALKER_TASK_ID"


class ContextError(StalkerError):
    """The context could not be resolved (unknown file, bad task id)."""


def _default_session() -> Any:
    from stalker_core.orm.session import DBSession

    return DBSession


@dataclass
class Context:
    """Project, task, version and user of the work at hand (any may be ``None``).

    :param session: the database session the context was resolved with
        (hooks that need the database use it).
    """

    project: Project | None = None
    task: Task | None = None
    version: Version | None = None
    user: User | None = None
    session: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def for_version(
        cls, version: Version, *, user: User | None = None, session: Session | Any = None
    ) -> Context:
        """The context of ``version`` (its task and the task's project)."""
        task = version.task
        return cls(
            project=task.project if task is not None else None,
            task=task,
            version=version,
            user=user,
            session=session if session is not None else _default_session(),
        )

    @classmethod
    def for_task(
        cls, task: Task, *, user: User | None = None, session: Session | Any = None
    ) -> Context:
        """The context of ``task`` (no version)."""
        return cls(
            project=task.project,
            task=task,
            user=user,
            session=session if session is not None else _default_session(),
        )

    @classmethod
    def from_path(
        cls, path: os.PathLike[str] | str, *, user: User | None = None,
        session: Session | Any = None,
    ) -> Context | None:
        """The context of the Version whose file is ``path``, or ``None``."""
        version = find_version_by_path(path, session=session)
        if version is None:
            return None
        return cls.for_version(version, user=user, session=session)

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, *, user: User | None = None,
        session: Session | Any = None,
    ) -> Context | None:
        """The context of the task named by ``STALKER_TASK_ID``, or ``None`` when unset.

        :raises ContextError: when the variable is not a number or no such task exists.
        """
        from stalker_core.models.task.model import Task

        env = environment() if environ is None else environ
        raw = env.get(TASK_ENV_VAR, "").strip()
        if not raw:
            return None
        try:
            task_id = int(raw)
        except ValueError:
            raise ContextError(
                f"{TASK_ENV_VAR} should be the integer id of a task, not {raw!r}"
            ) from None
        session = session if session is not None else _default_session()
        task = session.get(Task, task_id)
        if task is None:
            raise ContextError(f"{TASK_ENV_VAR}={task_id} names no task in the database")
        return cls.for_task(task, user=user, session=session)


def find_version_by_path(
    path: os.PathLike[str] | str, *, session: Session | Any = None
) -> Version | None:
    """Return the Version whose ``absolute_full_path`` is ``path``, or ``None``.

    One query on the indexed file name, then an exact comparison of the
    resolved paths (repository roots differ between operating systems).
    """
    from stalker_core.models.version.model import Version

    session = session if session is not None else _default_session()
    target = Path(path)
    candidates = session.scalars(select(Version).where(Version.filename == target.name)).all()
    if not candidates:
        # filenames may be stored without their extension
        candidates = session.scalars(
            select(Version).where(Version.filename == target.stem)
        ).all()
    resolved = _resolve(target)
    for version in candidates:
        try:
            if _resolve(Path(version.absolute_full_path)) == resolved:
                return version
        except StalkerError:
            continue
    return None


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def current_user(
    user: User | str | None = None, *, session: Session | Any = None
) -> User | None:
    """Return ``user`` (a User or a login), or the User whose login is the OS login name.

    :returns: the User; ``None`` when ``user`` is ``None`` and the OS login is
        no user of the database (nobody is acting).
    :raises ContextError: ``user`` is a login no user has.
    """
    from stalker_core.models.user import User

    if user is not None and not isinstance(user, str):
        if not isinstance(user, User):
            raise ValidationError(f"user should be a User or a login name, not {user!r}")
        return user
    session = session if session is not None else _default_session()
    login = user if isinstance(user, str) else os_login()
    if not login:
        return None
    found = session.scalars(select(User).where(User.login == login)).first()
    if found is None and isinstance(user, str):
        raise ContextError(f"no user with login {login!r}")
    return found


def os_login() -> str | None:
    """The operating system's login name of this process, ``None`` when it has none."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this system
        return None


def resolve_context(
    host: Host | None = None,
    *,
    path: os.PathLike[str] | str | None = None,
    user: User | str | None = None,
    environ: dict[str, str] | None = None,
    session: Session | Any = None,
) -> Context:
    """Resolve the context from ``path`` (or the host's current file), else the env var.

    :returns: the context; an empty one (all ``None``) when nothing is known.
    """
    session = session if session is not None else _default_session()
    who = current_user(user, session=session)
    if path is None and host is not None:
        path = host.current_file()
    if path is not None:
        ctx = Context.from_path(path, user=who, session=session)
        if ctx is not None:
            return ctx
    ctx = Context.from_env(environ, user=who, session=session)
    if ctx is not None:
        return ctx
    return Context(user=who, session=session)
