"""Open a version in a host, checking unsaved changes and reporting scene checks.

:func:`open_version` opens a version's file; :func:`open_as_new_version`
opens it and saves it at once as the next version (copying a published or
older version forward).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.context import Context, current_user
from stalker_core.exceptions import (
    StalkerTypeError,
    UnsavedChangesError,
    WorkfileError,
)
from stalker_core.hosts import Host
from stalker_core.plugins.manager import call_each
from stalker_core.workflows.common import (
    check_host,
    host_call,
    plugin_manager_or_default,
    session_or_default,
)
from stalker_core.workflows.results import SceneCheck

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version


@dataclass
class OpenResult:
    """What :func:`open_version` did: the version, its file and the scene checks."""

    version: Version
    path: Path
    checks: list[SceneCheck] = field(default_factory=list)

    @property
    def problems(self) -> list[SceneCheck]:
        """The checks of severity warning or error."""
        return [c for c in self.checks if c.severity != "info"]


def open_version(
    host: Host,
    version: Version,
    force: bool = False,
    *,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    unknown_is_dirty: bool = True,
) -> OpenResult:
    """Open ``version``'s file in ``host``.

    :param host: the host.
    :param version: the Version to open.
    :param force: discard unsaved changes without asking.
    :param unknown_is_dirty: treat a host that cannot tell (``None``) as
        having unsaved changes (the safe default).
    :returns: an :class:`OpenResult` with the checks of the after-open hooks.
    :raises UnsavedChangesError: the scene has unsaved changes and ``force``
        is false; the UI asks the artist and retries with ``force=True``.
    :raises WorkfileError: the file is missing or the host failed to open it.
    :raises VetoError: a before-open hook refused.
    """
    from stalker_core.models.version.model import Version

    check_host(host)
    if not isinstance(version, Version):
        raise StalkerTypeError(
            f"version should be a Version, not {type(version).__name__}: {version!r}"
        )
    session = session_or_default(session)
    pm = plugin_manager_or_default(pm)
    if not force:
        dirty = host.has_unsaved_changes()
        if dirty or (dirty is None and unknown_is_dirty):
            current = host.current_file()
            what = f"{str(current)!r}" if current else "the current (never saved) scene"
            reason = "has unsaved changes" if dirty else "may have unsaved changes"
            raise UnsavedChangesError(
                f"{what} {reason}; save it first or open with force=True to discard them"
            )
    path = Path(version.absolute_full_path)
    if not path.is_file():
        raise WorkfileError(
            f"the file of version {version.id} ({version.name}) is missing: {str(path)!r}"
        )
    who = current_user(user, session=session)
    context = Context.for_version(version, user=who, session=session)
    call_each(pm, "stalker_workfile_before_open", host=host, context=context, version=version,
              path=path)
    host_call(host, f"open {str(path)!r}", host.open_file, path)
    checks: list[SceneCheck] = []
    for plugin, found in call_each(
        pm, "stalker_workfile_after_open", host=host, context=context, version=version, path=path
    ):
        for check in found:
            if not check.plugin:
                check.plugin = plugin
            checks.append(check)
    return OpenResult(version, path, checks)


def open_as_new_version(
    host: Host,
    version: Version,
    description: str | None = None,
    force: bool = False,
    *,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    unknown_is_dirty: bool = True,
) -> OpenResult:
    """Open ``version``'s file and save it at once as a new version of its task and take.

    This copies a published or older version forward: :func:`open_version`
    opens the file (unsaved changes are checked, the after-open hooks run),
    then :func:`~stalker_core.workflows.save.save_as_version` saves it as
    the next number with ``version`` as its parent, through the save's safe
    path (reserved file name, hooks, rollback on failure). The host's current
    file is the new version's afterwards. When the save fails, the host keeps
    ``version``'s file open and nothing is written.

    :param description: the new version's description (default: ``"copied
        forward from v003"``).
    :returns: an :class:`OpenResult` of the *new* version, with the checks of
        the opening.
    :raises UnsavedChangesError: as :func:`open_version`.
    """
    from stalker_core.workflows.save import authorize_save, save_as_version

    authorize_save(version.task, user=user, session=session)
    opened = open_version(
        host, version, force, user=user, session=session, pm=pm,
        unknown_is_dirty=unknown_is_dirty,
    )
    if description is None:
        description = f"copied forward from v{version.version_number:03d}"
    new = save_as_version(
        host, version.task, version.take_name, description, user,
        session=session, pm=pm, extension=opened.path.suffix or None, parent=version,
    )
    return OpenResult(new, Path(new.absolute_full_path), opened.checks)
