"""Save as version: the most used path of the pipeline.

:func:`save_as_version` creates the Version row (its number assigned safely
by the model at flush), renders its path, creates the folders, reserves the
file name, runs the before-save hooks (which may veto), has the host save,
records ``created_with``, runs the after-save hooks and commits.

If anything fails the session is rolled back (no Version row remains), the
reserved file and anything the host wrote next to it for this save are
removed, the folders made for it are removed when empty, and the error is
raised. An existing file is never overwritten: the name is reserved with
``O_CREAT | O_EXCL`` before the host writes, so at most one process can own
it; a name already taken by a stray file (another tool's) moves the new
version to the next free number instead, however many are taken.

The path must be absolute (a project without a repository is refused rather
than writing relative to the current folder) and must not leave the
repository through a symbolic link. Once the name is reserved, a journal
next to it (:mod:`stalker_core.workflows.journal`) names this process and
the version until the commit, so what a killed save left (the placeholder,
the host's ``.saving`` temporary, a sidecar) is removed by the next save in
that folder, the next publish there or ``stalker doctor``
(:mod:`stalker_core.workflows.reconcile`).

A commit in doubt (the connection lost after the COMMIT was sent) is
checked on a new connection (:mod:`stalker_core.workflows.in_doubt`): the
save succeeds when the Version row is there, is undone when it surely is
not, and otherwise keeps the file and its journal for the next save to
finish or undo, raising :class:`~stalker_core.exceptions.DatabaseUnavailableError`.

:func:`preview_save` answers, without saving anything, what
:func:`save_as_version` would make now: the next number, the file name the
template renders and, when saving is impossible, why (:func:`save_problems`).
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError, OperationalError

from stalker_core.context import Context, ContextError, current_user
from stalker_core.exceptions import (
    ConcurrencyError,
    DatabaseUnavailableError,
    PermissionDeniedError,
    RepositoryError,
    StalkerTypeError,
    TemplateError,
    ValidationError,
    WorkfileError,
)
from stalker_core.hosts import VERSION_ID_KEY, Host
from stalker_core.plugins.manager import call_each
from stalker_core.workflows.common import (
    check_host,
    host_call,
    plugin_manager_or_default,
    session_or_default,
)
from stalker_core.workflows.in_doubt import (
    CommitOutcome,
    commit_or_check,
    refused,
    refused_write,
)
from stalker_core.workflows.journal import Journal, fault, remove_save_leftovers
from stalker_core.workflows.permissions import authorize
from stalker_core.workflows.transaction import (
    check_confined,
    make_dirs,
    path_too_long,
    remove_empty_dirs,
)

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.task.model import Task
    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version
    from stalker_core.templates import TemplateEngine

log = logging.getLogger(__name__)

def _check_extension(host: Host | None, extension: str | None) -> str:
    """``extension`` (default: the host's first one; none without a host) once checked."""
    if extension is not None:
        ext = extension
    elif host is not None:
        ext = host.workfile_extensions[0]
    else:
        return ""
    if not isinstance(ext, str) or not ext.startswith(".") or len(ext) < 2 or "/" in ext:
        raise ValidationError(f"extension should look like '.ext', not {ext!r}")
    return ext


def _roots(version: Version) -> list[Path]:
    project = version.task.project
    return [Path(r.path) for r in (project.repositories if project else []) if r.path]


def _work_path(version: Version) -> Path:
    """The version's file on this computer; refused when it is not absolute."""
    path = Path(version.absolute_full_path)
    if not path.is_absolute():
        raise RepositoryError(
            f"the work file {str(path)!r} of task {version.task.name!r} is a relative path: "
            f"project {version.task.project.name!r} has no repository, so it would be written "
            f"relative to the current folder ({os.getcwd()}); add a repository to the project "
            "(templates start with $REPO{{project.repository.code}})"
        )
    return path


def _reserve(
    version: Version, session: Any, engine: TemplateEngine
) -> tuple[Path, list[Path], Journal]:
    """Create the version's folders and reserve its file; skip numbers whose file exists.

    What dead saves and publishes left in the folder is cleaned up first
    (:func:`~stalker_core.workflows.reconcile.reconcile`). Then every number
    whose file name is taken on disk is skipped, however many; only a
    template whose file name does not change with the number gives up.
    The name is reserved with the save's journal
    (:meth:`~stalker_core.workflows.journal.Journal.reserve`).
    """
    from stalker_core.workflows.reconcile import reconcile

    roots = _roots(version)
    created: list[Path] = []
    seen: set[Path] = set()
    while True:
        path = _work_path(version)
        if path in seen:
            remove_empty_dirs(created)
            holder = _holder(session, path, version)
            if holder is not None:
                raise WorkfileError(
                    f"{str(path)!r} is the work file of version {holder.version_number} of "
                    f"task {holder.task.name!r} (take {holder.take_name!r}, id {holder.id}), "
                    f"and the file name template of task {version.task.name!r} gives it again "
                    f"for version {version.version_number}; put the version number (and the "
                    "take and task names) in the file name template"
                )
            raise WorkfileError(
                f"{str(path)!r} is taken by a file without a version, and the file name "
                f"template of task {version.task.name!r} gives it again for version "
                f"{version.version_number}; put the version number in the file name template "
                "or move the file away"
            )
        seen.add(path)
        too_long = path_too_long(path)
        if too_long:
            remove_empty_dirs(created)
            raise WorkfileError(f"cannot save version {version.version_number}: {too_long}")
        check_confined(path.parent, roots)
        created.extend(make_dirs(path.parent))
        check_confined(path.parent, roots)
        if len(seen) == 1:
            reconcile(session, [path.parent], temp=False, ignore=[version])
        journal = Journal("save", version_id=version.id, created=[str(d) for d in created])
        try:
            if path.exists() or path.is_symlink():
                raise FileExistsError(path)
            journal.reserve(path)
        except FileExistsError:
            log.warning("%s exists without a version row; skipping to the next number", path)
            version.version_number = version.version_number + 1
            version.update_paths(engine=engine)
            session.flush()
            continue
        except OSError as exc:
            remove_empty_dirs(created)
            raise WorkfileError(
                f"cannot create {str(path)!r} (or its journal): {exc.strerror or exc}"
            ) from exc
        fault("save:reserved")
        return path, created, journal


def _holder(session: Any, path: Path, version: Version) -> Version | None:
    """The stored Version (not ``version``) whose work file is ``path``, if any."""
    from sqlalchemy import select

    from stalker_core.models.version.model import Version

    for v in session.scalars(select(Version).where(Version.filename == path.name,
                                                   Version.id != version.id)):
        if Path(v.absolute_full_path) == path:
            return v  # type: ignore[no-any-return]
    return None


def _written(path: Path, reserved_inode: int) -> bool:
    """True when the host wrote ``path`` (content, or a new file replaced the placeholder)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size > 0 or st.st_ino != reserved_inode


def save_as_version(
    host: Host,
    task: Task,
    take_name: str = "Main",
    description: str = "",
    user: User | str | None = None,
    *,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    extension: str | None = None,
    parent: Version | None = None,
    engine: TemplateEngine | None = None,
) -> Version:
    """Save the host's scene as a new Version of ``task`` and commit it.

    :param host: the host whose scene is saved.
    :param task: the task the version belongs to.
    :param take_name: the take (default ``"Main"``).
    :param description: the version's description.
    :param user: the artist (a User or login); default: the OS login's user.
    :param session: the database session (default ``DBSession``).
    :param pm: the plugin manager (default: :func:`get_plugin_manager`).
    :param extension: the file extension (default: the host's first one).
    :param parent: the version this one is made from (default: the version
        recorded in the scene's metadata, when it belongs to the same task).
    :param engine: the template engine rendering the version's path and file
        name (default: the engine of ``pm``'s plugins,
        :func:`~stalker_core.plugins.templates.template_engine`, so filters,
        globals and tests of ``stalker_template_environment`` work). It is
        the default engine for the duration of the save only (scoped to this
        thread, restored afterwards).
    :returns: the committed Version; the host's current file is its file.

    The session is committed on success and rolled back on any failure:
    commit your own pending changes before calling.
    :raises ValidationError: ``task`` is closed (Completed, Stopped; see
        :func:`closed_problem`); nothing is written.
    :raises PermissionDeniedError: the acting user may not create versions
        (nothing is written; see :mod:`~stalker_core.workflows.permissions`).
    :raises VetoError: a before-save hook refused.
    :raises WorkfileError: the host could not save, or no file name was free.
    :raises PluginError: a plugin raised unexpectedly in a hook, or the
        plugins' template contributions conflict.
    :raises TemplateRenderError: the path or file name cannot be rendered
        (e.g. the template uses a filter no loaded plugin provides).
    :raises DatabaseUnavailableError: the connection was lost while
        committing and no Version row was found afterwards (the save is
        undone), or the database could not be asked (the file and its
        journal are kept; the message says so).
    """
    from stalker_core.models.task.model import Task
    from stalker_core.plugins.templates import template_engine
    from stalker_core.templates import using_engine

    check_host(host)
    if not isinstance(task, Task):
        raise StalkerTypeError(f"task should be a Task, not {type(task).__name__}: {task!r}")
    session = session_or_default(session)
    authorize_save(task, user=user, session=session)
    closed = closed_problem(task)
    if closed:
        raise ValidationError(f"no version saved: {closed}")
    pm = plugin_manager_or_default(pm)
    ext = _check_extension(host, extension)
    if engine is None:
        engine = template_engine(pm)

    path: Path | None = None
    created_dirs: list[Path] = []
    journal: Journal | None = None
    doubt: CommitOutcome | None = None
    old_meta: dict[str, str] | None = None
    try:
        with using_engine(engine):
            who = current_user(user, session=session)
            if parent is None:
                parent = _scene_parent(host, task, session)
            version = _new_version(
                session, task, take_name,
                description=description, created_with=host.name, extension=ext,
                parent=parent, created_by=who,
            )
            path, created_dirs, journal = _reserve(version, session, engine)
            reserved_inode = path.stat().st_ino
            context = Context.for_version(version, user=who, session=session)
            call_each(
                pm, "stalker_workfile_before_save",
                host=host, context=context, version=version, path=path,
            )
            old_meta = scene_metadata(host)
            _set_scene_metadata(host, {VERSION_ID_KEY: str(version.id)})
            host_call(host, f"save {str(path)!r}", host.save_file, path)
            if not _written(path, reserved_inode):
                raise WorkfileError(
                    f"host {host.name!r} reported a save but wrote no {str(path)!r}"
                )
            fault("save:written")
            call_each(
                pm, "stalker_workfile_after_save",
                host=host, context=context, version=version, path=path,
            )
            # named now: after a commit in doubt the session is rolled back
            what = (f"the save of version {version.version_number} of task "
                    f"{version.task.name!r} ({str(path)!r})")
            vid = version.id
            doubt = commit_or_check(session, _stored_as(version))
            if doubt is not None and doubt.committed is False:
                raise doubt.not_committed(what) from doubt.error
    except BaseException:
        _undo(session, host, path, journal, created_dirs, old_meta)
        raise
    if doubt is not None:
        if doubt.committed is None:
            journal.leave_in_doubt()
            raise doubt.unknown(what, f"the work file {str(path)!r}") from doubt.error
        # committed after all: the rolled back session reads it again
        version = _reload(session, vid)
    fault("save:committed")
    journal.remove()
    return version


def _stored_as(version: Version) -> Callable[[Any], bool]:
    """The probe of :func:`commit_or_check`: whether ``version``'s row is stored."""
    from sqlalchemy import select

    from stalker_core.models.version.model import Version

    key = (version.id, version.task_id, version.take_name, version.version_number)

    def probe(conn: Any) -> bool:
        found = conn.execute(
            select(Version.id, Version.task_id, Version.take_name, Version.version_number)
            .where(Version.id == key[0])
        ).first()
        return found is not None and tuple(found) == key

    return probe


def _reload(session: Any, vid: int) -> Version:
    """Version ``vid`` as stored, after a rollback that may have forgotten it."""
    from stalker_core.models.version.model import Version

    found = session.get(Version, vid)
    if found is None:  # pragma: no cover - the check has just found it
        raise DatabaseUnavailableError(f"version {vid} vanished after its commit")
    return found  # type: ignore[no-any-return]


#: how long to keep retrying when concurrent writers take our number or lock (SQLite)
MAX_WAIT_SECONDS = 60.0


def _is_sqlite_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def _new_version(session: Any, task: Task, take_name: str, **kwargs: Any) -> Version:
    """Create, number, render and flush the Version; retry when another writer interfered.

    Two cases are retried after a rollback: the number was taken between our
    ``max()`` and our INSERT (SQLite has no row lock: IntegrityError, or
    ConcurrencyError from ``reserve_version``), and SQLite refusing our lock
    upgrade while another process writes ("database is locked" is raised at
    once, without waiting, when two deferred transactions both want to write).
    """
    from stalker_core.models.version.numbering import reserve_version

    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    last: BaseException | None = None
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    attempt = 0
    while True:
        try:
            # no autoflush while the Version is half built (lazy loads of expired
            # objects would flush it early); reserve_version flushes explicitly
            with session.no_autoflush:
                return reserve_version(session, task, take_name, **kwargs)
        except (ConcurrencyError, IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _is_sqlite_busy(exc):
                if refused_write(exc):
                    raise refused(exc, f"new version of task {task.name!r}") from exc
                raise
            session.rollback()
            last = exc
        attempt += 1
        if time.monotonic() >= deadline:
            break
        # exponential back-off with jitter, capped: writers get out of each other's way
        time.sleep(random.uniform(0.0, min(0.25, 0.005 * 2 ** min(attempt, 8))))
    if isinstance(last, ConcurrencyError):
        raise last
    raise ConcurrencyError(
        f"no version number for task {task.name!r} take {take_name!r} after "
        f"{attempt} attempts in {MAX_WAIT_SECONDS:.0f} s: other writers kept the database "
        f"busy ({last})"
    ) from last


def scene_metadata(host: Host) -> dict[str, str]:
    """``host.get_scene_metadata()``, checked: a dict of str to str.

    :raises WorkfileError: the host raised (an error outside stalker_core's
        hierarchy), or returned something else, naming the host.
    """
    meta = host_call(host, "read the scene's metadata", host.get_scene_metadata)
    if not isinstance(meta, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise WorkfileError(
            f"host {host.name!r}: get_scene_metadata must return a dict of str to str, not "
            f"{type(meta).__name__}: {meta!r:.80}"
        )
    return meta


def _set_scene_metadata(host: Host, data: dict[str, str]) -> None:
    """``host.set_scene_metadata(data)``; an error outside the hierarchy becomes WorkfileError."""
    host_call(host, "write the scene's metadata", host.set_scene_metadata, data)


def _scene_parent(host: Host, task: Task, session: Any) -> Version | None:
    """The version recorded in the scene, when it belongs to ``task``."""
    from stalker_core.models.version.model import Version

    raw = scene_metadata(host).get(VERSION_ID_KEY)
    if not raw or not raw.isdigit():
        return None
    found = session.get(Version, int(raw))
    if found is not None and found.task_id == task.id:
        return found  # type: ignore[no-any-return]
    return None


def _undo(
    session: Any,
    host: Host,
    path: Path | None,
    journal: Journal | None,
    created_dirs: list[Path],
    old_meta: dict[str, str] | None,
) -> None:
    """Roll back the database and remove what this save wrote; never raises."""
    try:
        session.rollback()
    except Exception as exc:  # noqa: BLE001 - keep the original error
        log.warning("rollback failed: %s", exc)
    if path is not None and journal is not None:
        remove_save_leftovers(path, journal.before)
        journal.remove()
    remove_empty_dirs(created_dirs)
    if old_meta is not None:
        try:
            host.set_scene_metadata({VERSION_ID_KEY: old_meta.get(VERSION_ID_KEY, "")})
        except Exception as exc:  # noqa: BLE001
            log.warning("could not restore the scene metadata: %s", exc)


# -- preview: what a save would make now, or why it cannot --------------------------


@dataclass(frozen=True)
class SavePreview:
    """What :func:`save_as_version` would make now, or why it cannot save.

    Nothing is written to compute it. The number is a forecast: another
    artist may take it before the save, which then uses the next free one.
    """

    #: the next version number of the task and take
    number: int
    #: the highest number stored for the task and take (0 when none)
    latest: int
    #: the version's folder, repository independent (``$REPO<id>/...``); ``""`` if not rendered
    path: str = ""
    #: the file name, extension included; ``""`` if not rendered
    filename: str = ""
    #: the file on this computer; ``""`` if not rendered
    absolute_full_path: str = ""
    #: why saving is impossible, one sentence each; empty when it can save
    problems: tuple[str, ...] = ()

    @property
    def can_save(self) -> bool:
        """True when nothing stands in the way of saving."""
        return not self.problems


def task_label(task: Task) -> str:
    """``SEQ01/SH10/anim``: the task's name after its parents' names."""
    from stalker_core.models.task.graph import lineage

    return "/".join(t.name for t in lineage(task))


def save_problems(task: Task) -> list[str]:
    """Why no new version of ``task`` may be saved, one sentence each (empty: it may).

    Refused are a container task (versions belong on its leaf tasks; the
    panels hold to this, while :func:`save_as_version` accepts one, as
    Stalker's data has versions of containers), a closed task
    (:func:`closed_problem`) and a project without a repository to save into.
    """
    label = task_label(task)
    problems: list[str] = []
    if task.is_container:
        problems.append(
            f"{label} is a container of {len(task.children)} task(s); save versions on one "
            f"of the tasks inside it"
        )
    closed = closed_problem(task)
    if closed:
        problems.append(closed)
    project = task.project
    if not list(project.repositories):
        problems.append(
            f"project {project.name!r} has no repository to save into; add a repository to "
            f"the project"
        )
    return problems


def authorize_save(task: Task, *, user: User | str | None = None,
                   session: Any = None) -> User | None:
    """The acting user, once they may save a new version of ``task`` (Create on Version).

    :raises PermissionDeniedError: they may not (see
        :func:`~stalker_core.workflows.permissions.authorize`).
    """
    return authorize("Create", "Version", user=user, session=session,
                     what=f"a Version of task {task_label(task)!r}")


def closed_problem(task: Task) -> str | None:
    """Why ``task`` takes no new version because its status closes it
    (:data:`~stalker_core.models.task.status.DONE`: Completed, Stopped), or None.
    :func:`save_as_version` refuses such a task."""
    from stalker_core.models.task.status import DONE, TASK_STATUSES, code_of

    code = code_of(task)
    if code not in DONE:
        return None
    return (f"{task_label(task)} is closed ({TASK_STATUSES.get(code, code)}, {code}); it has "
            "to be reopened before new versions are saved")


def preview_save(
    task: Task,
    take_name: str = "Main",
    *,
    host: Host | None = None,
    extension: str | None = None,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    engine: TemplateEngine | None = None,
) -> SavePreview:
    """What :func:`save_as_version` would make for ``task`` and ``take_name`` now.

    The highest stored number is read again from the database (not the
    session's memory of it), and the path and file name are rendered as the
    save renders them (same template, same engine), so a missing template
    variable shows here. Nothing is written, and the session is left as it
    was.

    :param host: the host that will save; its first work-file extension is
        the default ``extension``.
    :param extension: the file extension (default: the host's first one, or
        none without a host).
    :param user: who would save (a User or a login; default: the OS login's user).
    :param engine: the template engine (default: the engine of ``pm``'s plugins).
    :returns: a :class:`SavePreview`; its ``problems`` say why saving is
        impossible (see :func:`save_problems`; also that ``user`` may not
        create versions, a bad take name or extension, a missing template, a
        template that does not render).
    """
    from stalker_core.exceptions import RepositoryError
    from stalker_core.models.version.model import Version
    from stalker_core.models.version.numbering import forget_known_numbers, max_version_number
    from stalker_core.plugins.templates import template_engine

    session = session_or_default(session)
    problems = save_problems(task)
    try:
        authorize_save(task, user=user, session=session)
    except (PermissionDeniedError, ContextError) as exc:
        problems.insert(0, str(exc))
    ext = ""
    try:
        ext = _check_extension(host, extension)
    except ValidationError as exc:
        problems.append(str(exc))
    forget_known_numbers(session)  # the memory is a hint; a forecast needs the stored maximum
    latest = max_version_number(task, take_name, session)
    number = latest + 1
    try:
        version = Version(task=task, take_name=take_name, version_number=number, extension=ext)
    except ValidationError as exc:
        problems.append(str(exc))
        return SavePreview(number, latest, problems=tuple(problems))
    path = filename = full = ""
    try:
        if list(task.project.repositories):
            version.update_paths(engine=engine or template_engine(plugin_manager_or_default(pm)))
            path, filename, full = version.path, version.filename, version.absolute_full_path
            too_long = path_too_long(Path(full)) if Path(full).is_absolute() else None
            if too_long:
                problems.append(too_long)
    except (TemplateError, RepositoryError) as exc:
        problems.append(str(exc))
    finally:
        version.discard()
    return SavePreview(number, latest, path, filename, full, tuple(problems))
