"""Find outdated references in a scene and update them to the latest versions.

Two queries whatever the number of references: the referenced versions by
id, and the newest candidate of every (task, take) among them.

References are the optional ``"references"`` capability of a host
(:class:`~stalker_core.hosts.ReferenceHost`). A host without it has no
containers: :func:`find_outdated` returns nothing and
:func:`update_references` reports (:attr:`UpdateReport.skipped`) that the
host has no references, instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import and_, func, select, tuple_

from stalker_core.exceptions import ValidationError, VetoError
from stalker_core.hosts import Container, Host, ReferenceHost, host_supports
from stalker_core.plugins.manager import call_each
from stalker_core.workflows.common import check_host, plugin_manager_or_default, session_or_default
from stalker_core.workflows.representations import replacement_path

if TYPE_CHECKING:
    import pluggy

    from stalker_core.context import Context
    from stalker_core.models.version.model import Version

Target = Literal["latest_published", "latest"]
TARGETS: tuple[str, ...] = ("latest_published", "latest")


@dataclass
class ReferenceStatus:
    """A reference, the version it points to, and the newest candidate (if newer)."""

    container: Container
    current: Version | None
    latest: Version | None

    @property
    def is_outdated(self) -> bool:
        """True when a newer candidate exists."""
        return (
            self.current is not None
            and self.latest is not None
            and self.latest.version_number > self.current.version_number
        )


@dataclass
class UpdateReport:
    """What :func:`update_references` did."""

    #: why no reference was looked at (the host has no references), else ``None``
    skipped: str | None = None
    updated: list[tuple[Container, Version, Version]] = field(default_factory=list)
    locked: list[Container] = field(default_factory=list)
    vetoed: list[tuple[Container, str]] = field(default_factory=list)
    up_to_date: list[Container] = field(default_factory=list)
    #: outdated references kept because the newer version has no file like theirs (why)
    unmatched: list[tuple[Container, str]] = field(default_factory=list)


def reference_status(
    containers: Iterable[Container], to: Target = "latest_published", *, session: Any = None
) -> list[ReferenceStatus]:
    """Resolve each container's version and the newest candidate for it (two queries)."""
    from stalker_core.models.version.model import Version

    if to not in TARGETS:
        raise ValidationError(f"to should be one of {', '.join(TARGETS)}, not {to!r}")
    session = session_or_default(session)
    containers = list(containers)
    ids = {c.version_id for c in containers if c.version_id is not None}
    current: dict[int, Version] = {}
    if ids:
        current = {v.id: v for v in session.scalars(select(Version).where(Version.id.in_(ids)))}
    keys = {(v.task_id, v.take_name) for v in current.values()}
    latest: dict[tuple[int, str], Version] = {}
    if keys:
        cond = [tuple_(Version.task_id, Version.take_name).in_(list(keys))]
        if to == "latest_published":
            cond.append(Version.is_published.is_(True))
        newest = (
            select(
                Version.task_id.label("task_id"),
                Version.take_name.label("take_name"),
                func.max(Version.version_number).label("number"),
            )
            .where(*cond)
            .group_by(Version.task_id, Version.take_name)
            .subquery()
        )
        stmt = select(Version).join(
            newest,
            and_(
                Version.task_id == newest.c.task_id,
                Version.take_name == newest.c.take_name,
                Version.version_number == newest.c.number,
            ),
        )
        latest = {(v.task_id, v.take_name): v for v in session.scalars(stmt)}
    result = []
    for c in containers:
        cur = current.get(c.version_id) if c.version_id is not None else None
        new = latest.get((cur.task_id, cur.take_name)) if cur is not None else None
        result.append(ReferenceStatus(c, cur, new))
    return result


def scene_references(host: Host) -> list[Container]:
    """The references of the host's scene; none for a host without the capability."""
    if not host_supports(host, "references"):
        return []
    return cast(ReferenceHost, host).list_references()


def find_outdated(
    host: Host, to: Target = "latest_published", *, session: Any = None
) -> list[ReferenceStatus]:
    """The outdated references of the host's scene (locked ones included).

    A host without the ``"references"`` capability has none.
    """
    return [
        s
        for s in reference_status(scene_references(host), to, session=session)
        if s.is_outdated
    ]


def update_references(
    host: Host,
    to: Target = "latest_published",
    *,
    subset: Iterable[Container | str] | None = None,
    context: Context | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
) -> UpdateReport:
    """Update the outdated references of the scene to their newest versions.

    :param host: the host.
    :param to: ``"latest_published"`` (default) or ``"latest"`` (any version).
    :param subset: only these references (containers or their names).
    :param context: the scene's context, passed to the hooks.
    :returns: an :class:`UpdateReport`. Each reference is pointed at the file
        of the newer version that takes the place of its own
        (:func:`~stalker_core.workflows.representations.replacement_path`: the
        work file for a work file, the same kind of published output for an
        output, e.g. the newer renders for a Read of renders); one with no
        such file is kept and listed in ``unmatched``. Locked references are
        never touched (listed in ``locked``); a before-update veto keeps one
        reference and is listed in ``vetoed``. For a host without the ``"references"``
        capability nothing is done and ``skipped`` says so.
    """
    check_host(host)
    if not host_supports(host, "references"):
        return UpdateReport(skipped=f"host {host.name!r} has no references")
    refs = cast(ReferenceHost, host)
    session = session_or_default(session)
    pm = plugin_manager_or_default(pm)
    wanted: set[str] | None = None
    if subset is not None:
        wanted = {s if isinstance(s, str) else s.name for s in subset}
    containers = [
        c for c in refs.list_references() if wanted is None or c.name in wanted
    ]
    report = UpdateReport()
    for status in reference_status(containers, to, session=session):
        c = status.container
        if not status.is_outdated:
            report.up_to_date.append(c)
            continue
        if c.locked:
            report.locked.append(c)
            continue
        assert status.current is not None and status.latest is not None
        target = replacement_path(c.path, status.current, status.latest)
        if target is None:
            report.unmatched.append((c, (
                f"v{status.latest.version_number:03d} has no file like {Path(c.path).name} "
                f"(it published none of that kind); the reference stays at "
                f"v{status.current.version_number:03d}"
            )))
            continue
        try:
            call_each(
                pm, "stalker_references_before_update",
                host=host, context=context, container=c, version=status.latest,
            )
        except VetoError as exc:
            report.vetoed.append((c, str(exc)))
            continue
        refs.replace_reference(c, target, version_id=status.latest.id)
        report.updated.append((c, status.current, status.latest))
    return report
