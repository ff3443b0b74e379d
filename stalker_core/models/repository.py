"""Repository: a file server share, with its path on Linux, macOS and Windows.

Paths are stored with forward slashes whatever the user typed. ``path`` is
the path for the running operating system. Each repository exports two
environment variables holding that path, ``REPO<id>`` (used by the
tutorial's templates) and ``REPO<code>``, so a stored path such as
``$REPO12/FC/SH001/comp`` is independent of the OS and of the installation.
The variables are set when a repository is created (after its INSERT),
changed, loaded, and for every repository by :func:`register_all_env_vars`
(called by ``db.setup()``).

``to_os_independent_path``, ``find_repo`` and ``to_native_path`` convert
between the forms; they take an explicit ``session`` (default ``DBSession``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, event, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, validates

from stalker_core.config import repository_env
from stalker_core.exceptions import RepositoryError, ValidationError, type_error
from stalker_core.models.base import Entity, fk_id, mapped_class
from stalker_core.models.checks import validate_code
from stalker_core.models.mixins import CodeMixin
from stalker_core.models.paths import (
    current_os,
    is_absolute,
    join_path,
    normalize_path,
    relative_to,
    split_repo_var,
)
from stalker_core.orm.session import DBSession

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, scoped_session

_OS_ATTR = {"linux": "linux_path", "macos": "macos_path", "windows": "windows_path"}


class _class_or_instance:  # noqa: N801 - used as a decorator, like classmethod
    """A method bound to the instance when called on one, else to the class."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        return self.func.__get__(obj if obj is not None else cls)


def repo_env_var_template() -> str:
    """``defaults.repo_env_var_template`` (``"REPO{code}"``)."""
    from stalker_core.config import defaults

    return str(defaults.repo_env_var_template)


def _check_path(path: Any) -> str:
    if not isinstance(path, str):
        raise type_error("Repository", "path", "a str (a file path)", path)
    return path


class Repository(Entity, CodeMixin):
    """A repository root; paths are stored with forward slashes.

    :param linux_path: the root on Linux, e.g. ``/mnt/M/commercials``.
    :param macos_path: the root on macOS, e.g. ``/Volumes/M/commercials``.
    :param windows_path: the root on Windows, e.g. ``M:/commercials`` (``\\`` accepted).
    :param code: a short code, also used in the ``REPO<code>`` variable.
    """

    __tablename__ = "repositories"
    id: Mapped[int] = fk_id("simple_entities")
    linux_path: Mapped[str] = mapped_column(Text, default="")
    macos_path: Mapped[str] = mapped_column(Text, default="")
    windows_path: Mapped[str] = mapped_column(Text, default="")

    def __init__(self, **kwargs: Any) -> None:
        for attr in ("linux_path", "macos_path", "windows_path"):
            kwargs.setdefault(attr, "")
        super().__init__(**kwargs)

    @validates("code")
    def _validate_code(self, key: str, value: Any) -> str:
        value = validate_code(type(self).__name__, key, value)
        old = self.__dict__.get("code")
        if self.id is not None and old is not None and value != old:
            _refuse_code_in_use(self, old, value)
        return value

    @validates("linux_path", "macos_path", "windows_path")
    def _validate_path(self, key: str, value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise type_error("Repository", key, "a str", value)
        normalized = normalize_path(value, what=f"Repository.{key}")
        if key == _OS_ATTR[current_os()] and self.id is not None:
            _export(self.id, self.code, normalized)
        return normalized

    # -- paths ------------------------------------------------------------

    @property
    def path(self) -> str:
        """The root for the running operating system (forward slashes)."""
        return str(getattr(self, _OS_ATTR[current_os()]) or "")

    @path.setter
    def path(self, value: str) -> None:
        setattr(self, _OS_ATTR[current_os()], value)

    def paths(self) -> dict[str, str]:
        """The roots per OS: ``{"linux": ..., "macos": ..., "windows": ...}``."""
        return {os_name: getattr(self, attr) or "" for os_name, attr in _OS_ATTR.items()}

    @property
    def env_var_names(self) -> list[str]:
        """``["REPO<id>", "REPO<code>"]`` (the id one only once flushed)."""
        names = []
        if self.id is not None:
            names.append(f"REPO{self.id}")
        if self.code:
            names.append(f"REPO{self.code}")
        return names

    def register_env_vars(self) -> None:
        """Set ``REPO<id>`` and ``REPO<code>`` to :attr:`path`."""
        _export(self.id, self.code, self.path)

    def relative_path(self, path: str) -> str | None:
        """``path`` (any OS form) relative to this repository, or ``None`` when outside."""
        path = path.replace("\\", "/")
        for os_name, root in self.paths().items():
            rel = relative_to(path, root, case_insensitive=os_name == "windows")
            if rel is not None:
                return rel
        var = split_repo_var(path)
        if var is not None and var[0] in {str(self.id), self.code}:
            return var[1]
        return None

    def make_relative(self, path: str) -> str:
        """Return ``$REPO<code>/<relative>`` for ``path`` inside this repository.

        :raises RepositoryError: when ``path`` is not inside this repository.
        """
        rel = self.relative_path(path)
        if rel is None:
            raise RepositoryError(f"{path!r} is not inside repository {self.name!r}")
        return join_path(f"$REPO{self.code}", rel)

    def to_native(self, relative: str) -> str:
        """Join this repository's :attr:`path` with ``relative`` (no doubled slashes)."""
        return join_path(self.path, relative)

    # -- Stalker's conversions of one repository's paths ------------------------

    @property
    def env_var(self) -> str:
        """The name of this repository's path variable: ``REPO<code>`` (Stalker's).

        Rendered from ``defaults.repo_env_var_template``; ``$REPO<code>/...``
        paths expand through it.
        """
        return repo_env_var_template().format(code=self.code, id=self.id)

    def is_in_repo(self, path: str) -> bool:
        """Whether ``path`` (any OS form, or ``$REPO<id|code>/...``) is inside this repository."""
        return self.relative_path(_check_path(path)) is not None

    def _to_os(self, path: str, root: str) -> str:
        rel = self.relative_path(_check_path(path))
        if rel is None or not root:
            return path.replace("\\", "/")
        return join_path(root, rel)

    def to_linux_path(self, path: str) -> str:
        """``path`` inside this repository (any OS or ``$REPO`` form) with the Linux root.

        A path outside the repository comes back unchanged (forward slashes).
        """
        return self._to_os(path, self.linux_path)

    def to_macos_path(self, path: str) -> str:
        """``path`` inside this repository with the macOS root (see :meth:`to_linux_path`)."""
        return self._to_os(path, self.macos_path)

    def to_windows_path(self, path: str) -> str:
        """``path`` inside this repository with the Windows root (see :meth:`to_linux_path`)."""
        return self._to_os(path, self.windows_path)

    @classmethod
    def to_os_independent_path(
        cls, path: str, session: Session | scoped_session | None = None
    ) -> str:
        """``/mnt/M/x/y`` (any OS form) -> ``$REPO<code>/x/y``; other paths come back unchanged."""
        return to_os_independent_path(path, session)

    @classmethod
    def find_repo(
        cls, path: str, session: Session | scoped_session | None = None
    ) -> Repository | None:
        """The repository containing ``path`` (any OS form or ``$REPO`` form), or ``None``."""
        return find_repo(path, session)

    @_class_or_instance
    def to_native_path(
        self_or_cls: Any, path: str, session: Session | scoped_session | None = None  # noqa: N805
    ) -> str:
        """``path`` in any OS form or ``$REPO`` form -> the path on the running OS.

        ``repo.to_native_path(path)`` converts a path of that repository (as
        Stalker's method; other paths come back unchanged);
        ``Repository.to_native_path(path)`` finds the repository first
        (:func:`to_native_path`).
        """
        if isinstance(self_or_cls, Repository):
            return self_or_cls._to_os(path, self_or_cls.path)
        return to_native_path(path, session)

    def __repr__(self) -> str:
        return f"<{self.name} ({self.entity_type or 'Repository'})>"


# -- environment variables ---------------------------------------------------


def _export(repo_id: int | None, code: str | None, path: str) -> None:
    if repo_id is not None:
        os.environ[f"REPO{repo_id}"] = path
    if code:
        os.environ[f"REPO{code}"] = path


@event.listens_for(Repository, "after_insert")
@event.listens_for(Repository, "after_update")
def _export_after_write(_mapper: Any, _conn: Any, target: Repository) -> None:
    target.register_env_vars()


@event.listens_for(Repository, "load")
def _export_on_load(target: Repository, _ctx: Any) -> None:
    target.register_env_vars()


def register_all_env_vars(session: Session | scoped_session | None = None) -> int:
    """Set ``REPO<id>``/``REPO<code>`` for every repository in the database.

    One query of three columns; no objects are loaded. Called by ``db.setup()``
    (contract C3) once the schema exists.

    :returns: how many repositories were registered.
    """
    session = session if session is not None else DBSession
    attr = _OS_ATTR[current_os()]
    rows = session.execute(select(Repository.id, Repository.code, getattr(Repository, attr))).all()
    for repo_id, code, path in rows:
        _export(repo_id, code, path or "")
    return len(rows)


# -- conversions ---------------------------------------------------------------


def _all_repos(session: Session | scoped_session | None) -> list[Repository]:
    session = session if session is not None else DBSession
    return list(session.scalars(select(Repository)).all())


def find_repo(path: str, session: Session | scoped_session | None = None) -> Repository | None:
    """Return the repository containing ``path``, or ``None``.

    ``path`` may be in the Linux, macOS or Windows form of any repository
    (Windows paths compare case-insensitively), or start with ``$REPO<id>``
    / ``$REPO<code>``. When roots nest, the longest matching root wins.
    """
    if not path:
        return None
    path = path.replace("\\", "/")
    repos = _all_repos(session)
    var = split_repo_var(path)
    if var is not None:
        key = var[0]
        for repo in repos:
            if key == str(repo.id) or key == repo.code:
                return repo
        return None
    best: tuple[int, Repository] | None = None
    for repo in repos:
        for os_name, root in repo.paths().items():
            if not root:
                continue
            if relative_to(path, root, case_insensitive=os_name == "windows") is not None:
                if best is None or len(root) > best[0]:
                    best = (len(root), repo)
    return best[1] if best else None


def to_os_independent_path(path: str, session: Session | scoped_session | None = None) -> str:
    """Replace a repository root in ``path`` by ``$REPO<code>``.

    Paths outside every repository come back with forward slashes but
    otherwise unchanged.
    """
    path = path.replace("\\", "/")
    repo = find_repo(path, session)
    if repo is None:
        return path
    rel = repo.relative_path(path)
    return join_path(f"$REPO{repo.code}", rel or "")


def to_native_path(path: str, session: Session | scoped_session | None = None) -> str:
    """Return ``path`` (any OS form or ``$REPO`` form) for the running OS.

    :raises RepositoryError: when ``path`` names a ``$REPO`` that does not exist.
    """
    path = path.replace("\\", "/")
    var = split_repo_var(path)
    repo = find_repo(path, session)
    if repo is None:
        if var is not None:
            raise RepositoryError(
                f"{path!r} refers to repository {var[0]!r}, which does not exist "
                "(expected the id or code of a Repository)"
            )
        return path
    rel = repo.relative_path(path)
    return repo.to_native(rel or "")


def _refuse_code_in_use(repo: Repository, old: str, new: str) -> None:
    """Refuse a new code for ``repo`` while stored paths start with ``$REPO<old>``.

    Versions and files store repository-independent paths as ``$REPO<code>/...``
    (Stalker's form); with another code those paths resolve in no new process.
    Two counts (a rare change): the version paths and the file paths.

    :raises ValidationError: naming both codes and how many paths use the old one.
    """
    session = object_session(repo)
    if session is None:
        return  # not in a session: nothing can be looked up (a flush of it will be)
    prefix = f"$REPO{old}"
    counts = []
    for cls, column in (("Version", "path"), ("File", "full_path")):
        col = mapped_class(cls).__table__.c[column]
        stmt = select(func.count()).where(
            or_(col == prefix, col.startswith(prefix + "/", autoescape=True))
        )
        with session.no_autoflush:
            counts.append(session.execute(stmt).scalar_one())
    versions, files = counts
    if versions or files:
        raise ValidationError(
            f"Repository.code cannot change from {old!r} to {new!r}: {versions} version(s) "
            f"and {files} file(s) store their paths as {prefix}/..., which would resolve in "
            "no new process; keep the code (the name can change), or rewrite those paths first"
        )


def resolve_repo_path(path: str, repositories: list[Repository]) -> str:
    """Expand a ``$REPO<id|code>`` prefix using ``repositories`` (then the environment).

    Used by versions: their project's repositories are already loaded, so no
    query is needed. A path without the prefix that is relative is joined to
    the first repository; an absolute one is returned as is.

    :raises RepositoryError: when the prefix names an unknown repository.
    """
    var = split_repo_var(path)
    if var is None:
        if is_absolute(path) or not repositories:
            return path
        return repositories[0].to_native(path)
    key, rest = var
    for repo in repositories:
        if key == str(repo.id) or key == repo.code:
            return repo.to_native(rest)
    env = repository_env(key)
    if env is not None:
        return join_path(env, rest)
    raise RepositoryError(
        f"{path!r} refers to repository REPO{key}, which is neither a repository of the "
        "project nor a known REPO environment variable"
    )
