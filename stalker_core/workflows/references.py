"""Find outdated references in a scene and update them to the latest versions.

Few queries whatever the number of references. :func:`version_numbers`
reads, in one query and without building any Version object, where each
referenced version stands in its task and take (its number, the newest and
the newest published number): enough to list a scene's references.
:func:`reference_status` adds a second query for the Version objects an
update needs (the referenced ones and their targets).

References are the optional ``"references"`` capability of a host
(:class:`~stalker_core.hosts.ReferenceHost`). A host without it has no
containers: :func:`find_outdated` returns nothing and
:func:`update_references` reports (:attr:`UpdateReport.skipped`) that the
host has no references, instead of failing. Every host call goes through
the host's main thread (:func:`~stalker_core.hosts.host_run_in_main_thread`).

Updating is one step per reference (:func:`apply_reference_updates`), so a
caller can show progress and stop between references;
:func:`update_references` runs every step. :func:`set_reference_version`
points one reference at any version of its task and take. Both ask the
``stalker_references_before_update`` hook first; a veto keeps the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import case, func, or_, select, tuple_

from stalker_core.exceptions import StalkerError, ValidationError, VetoError
from stalker_core.hosts import (
    Container,
    Host,
    ReferenceHost,
    host_run_in_main_thread,
    host_supports,
    require_capability,
)
from stalker_core.plugins.manager import call_each
from stalker_core.workflows.common import check_host, plugin_manager_or_default, session_or_default
from stalker_core.workflows.representations import replacement_path

if TYPE_CHECKING:
    import pluggy

    from stalker_core.context import Context
    from stalker_core.models.version.model import Version

Target = Literal["latest_published", "latest"]
TARGETS: tuple[str, ...] = ("latest_published", "latest")
#: what one update step did to its reference
Outcome = Literal["updated", "up_to_date", "locked", "vetoed", "failed", "unmatched"]


@dataclass(frozen=True)
class VersionNumbers:
    """Where a version stands in its task and take, read without loading Version objects.

    :param version_id: the version.
    :param task_id: its task.
    :param take_name: its take.
    :param number: its version number.
    :param published: whether it is published.
    :param newest: the highest number of the task and take.
    :param newest_published: the highest published number, ``None`` when none is.
    """

    version_id: int
    task_id: int
    take_name: str
    number: int
    published: bool
    newest: int
    newest_published: int | None

    def target(self, to: Target = "latest_published") -> int | None:
        """The number "update to ``to``" aims at."""
        return self.newest_published if to == "latest_published" else self.newest

    def is_outdated(self, to: Target = "latest_published") -> bool:
        """True when the target is newer than this version."""
        target = self.target(to)
        return target is not None and target > self.number


@dataclass
class ReferenceStatus:
    """A reference, the version it points to, and the newest candidate.

    :param container: the reference.
    :param current: the version it records, ``None`` when it records none
        or the version no longer exists (:attr:`is_missing`).
    :param latest: the newest candidate of the target asked for (the
        newest published version, or the newest of all).
    :param numbers: where ``current`` stands in its task and take.
    """

    container: Container
    current: Version | None
    latest: Version | None
    numbers: VersionNumbers | None = None

    @property
    def is_outdated(self) -> bool:
        """True when a newer candidate exists."""
        return (
            self.current is not None
            and self.latest is not None
            and self.latest.version_number > self.current.version_number
        )

    @property
    def is_missing(self) -> bool:
        """True when the recorded version id names no version (it was deleted)."""
        return self.container.version_id is not None and self.current is None


@dataclass(frozen=True)
class UpdateStep:
    """One reference handled by :func:`apply_reference_updates`.

    :param done: how many references have been handled, this one included.
    :param total: how many there are in all.
    :param status: the reference before the step.
    :param outcome: what happened to it.
    :param container: the reference after the step (updated or not).
    :param message: why it was vetoed, failed or kept (unmatched); empty otherwise.
    """

    done: int
    total: int
    status: ReferenceStatus
    outcome: Outcome
    container: Container
    message: str = ""


@dataclass
class UpdateReport:
    """What :func:`update_references` did."""

    #: why no reference was looked at (the host has no references), else ``None``
    skipped: str | None = None
    #: (the reference as it was before, its old version, its new version)
    updated: list[tuple[Container, Version, Version]] = field(default_factory=list)
    locked: list[Container] = field(default_factory=list)
    vetoed: list[tuple[Container, str]] = field(default_factory=list)
    up_to_date: list[Container] = field(default_factory=list)
    #: outdated references kept because the newer version has no file like theirs (why)
    unmatched: list[tuple[Container, str]] = field(default_factory=list)
    #: references the host failed to update (``keep_going=True`` only), with the error
    failed: list[tuple[Container, str]] = field(default_factory=list)
    #: references not reached because the progress callback stopped the update
    cancelled: list[Container] = field(default_factory=list)

    def record(self, step: UpdateStep) -> None:
        """Add one step's outcome to the report."""
        c = step.status.container
        if step.outcome == "updated":
            assert step.status.current is not None and step.status.latest is not None
            self.updated.append((c, step.status.current, step.status.latest))
        elif step.outcome == "locked":
            self.locked.append(c)
        elif step.outcome == "vetoed":
            self.vetoed.append((c, step.message))
        elif step.outcome == "failed":
            self.failed.append((c, step.message))
        elif step.outcome == "unmatched":
            self.unmatched.append((c, step.message))
        else:
            self.up_to_date.append(c)


def _check_target(to: str) -> None:
    if to not in TARGETS:
        raise ValidationError(f"to should be one of {', '.join(TARGETS)}, not {to!r}")


def version_numbers(
    version_ids: Iterable[int], *, session: Any = None
) -> dict[int, VersionNumbers]:
    """Where each version stands in its task and take, in one query (no Version objects).

    :returns: ``{version_id: VersionNumbers}`` for the ids that name a version.
    """
    from stalker_core.models.version.model import Version

    ids = set(version_ids)
    if not ids:
        return {}
    session = session_or_default(session)
    v = cast(Any, Version).__table__.c
    keys = select(v.task_id, v.take_name).where(v.id.in_(ids))
    family = (v.task_id, v.take_name)
    ranked = (
        select(
            v.id, v.task_id, v.take_name, v.version_number, v.is_published,
            func.max(v.version_number).over(partition_by=family).label("newest"),
            func.max(case((v.is_published.is_(True), v.version_number)))
            .over(partition_by=family).label("published"),
        )
        .where(tuple_(*family).in_(keys))
        .subquery()
    )
    stmt = select(ranked).where(ranked.c.id.in_(ids))
    return {
        row[0]: VersionNumbers(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])
        for row in session.execute(stmt)
    }


def reference_status(
    containers: Iterable[Container], to: Target = "latest_published", *, session: Any = None
) -> list[ReferenceStatus]:
    """Resolve each container's version and the newest candidate for it (two queries).

    :param to: which newest version counts as :attr:`ReferenceStatus.latest`:
        ``"latest_published"`` or ``"latest"``.
    """
    from stalker_core.models.version.model import Version

    _check_target(to)
    session = session_or_default(session)
    containers = list(containers)
    numbers = version_numbers(
        (c.version_id for c in containers if c.version_id is not None), session=session
    )
    versions: dict[int, Version] = {}
    latest: dict[tuple[int, str], Version] = {}
    if numbers:
        targets = {(n.task_id, n.take_name, n.target(to)) for n in numbers.values()
                   if n.target(to) is not None}
        cond: Any = Version.id.in_(list(numbers))
        if targets:
            cond = or_(cond, tuple_(Version.task_id, Version.take_name,
                                    Version.version_number).in_(list(targets)))
        for version in session.scalars(select(Version).where(cond)):
            versions[version.id] = version
            if (version.task_id, version.take_name, version.version_number) in targets:
                latest[(version.task_id, version.take_name)] = version
    result = []
    for c in containers:
        n = numbers.get(c.version_id) if c.version_id is not None else None
        cur = versions.get(n.version_id) if n is not None else None
        new = latest.get((n.task_id, n.take_name)) if n is not None else None
        result.append(ReferenceStatus(c, cur, new, n))
    return result


def scene_references(host: Host) -> list[Container]:
    """The references of the host's scene; none for a host without the capability."""
    if not host_supports(host, "references"):
        return []
    return host_run_in_main_thread(host, cast(ReferenceHost, host).list_references)


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


def unmatched_message(container: Container, current: Version, version: Version) -> str:
    """Why ``container`` stays: ``version`` has no file like the one it reads."""
    return (f"v{version.version_number:03d} has no file like {Path(container.path).name} "
            f"(it published none of that kind); the reference stays at "
            f"v{current.version_number:03d}")


def _replace(
    host: Host, container: Container, version: Version, target: Path, context: Context | None,
    pm: pluggy.PluginManager,
) -> Container:
    """Ask the before-update hook (a veto raises), then point ``container`` at ``target``,
    the file of ``version`` that takes the place of the one it reads."""
    call_each(
        pm, "stalker_references_before_update",
        host=host, context=context, container=container, version=version,
    )
    refs = cast(ReferenceHost, host)
    return host_run_in_main_thread(
        host, refs.replace_reference, container, target, version_id=version.id,
    )


def apply_reference_updates(
    host: Host,
    statuses: Iterable[ReferenceStatus],
    *,
    context: Context | None = None,
    pm: pluggy.PluginManager | None = None,
    keep_going: bool = False,
) -> Iterator[UpdateStep]:
    """Update the outdated references among ``statuses``, one step per reference.

    A generator: each reference is handled when the next step is asked for,
    so the caller shows progress and may stop between references by not
    asking for more (nothing is left half-done). Up-to-date references are
    passed over (``"up_to_date"``), locked ones never touched (``"locked"``),
    and a :class:`~stalker_core.exceptions.VetoError` of the
    ``stalker_references_before_update`` hook keeps one reference
    (``"vetoed"``, the veto's message); the others still go on.

    :param statuses: from :func:`reference_status` (``latest`` is the target).
    :param keep_going: when True, a host error on one reference is reported
        as ``"failed"`` and the update goes on; by default it is raised.
    """
    check_host(host)
    require_capability(host, "references")
    pm = plugin_manager_or_default(pm)
    statuses = list(statuses)
    total = len(statuses)
    for done, status in enumerate(statuses, start=1):
        c = status.container
        outcome: Outcome = "up_to_date"
        message = ""
        after = c
        if status.is_outdated and c.locked:
            outcome = "locked"
        elif status.is_outdated:
            assert status.current is not None and status.latest is not None
            target = replacement_path(c.path, status.current, status.latest)
            try:
                if target is None:
                    outcome = "unmatched"
                    message = unmatched_message(c, status.current, status.latest)
                else:
                    after = _replace(host, c, status.latest, target, context, pm)
                    outcome = "updated"
            except VetoError as exc:
                outcome, message = "vetoed", str(exc)
            except (StalkerError, OSError) as exc:
                if not keep_going:
                    raise
                outcome, message = "failed", str(exc) or type(exc).__name__
        yield UpdateStep(done, total, status, outcome, after, message)


def update_references(
    host: Host,
    to: Target = "latest_published",
    *,
    subset: Iterable[Container | str] | None = None,
    context: Context | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    progress: Callable[[UpdateStep], bool | None] | None = None,
    keep_going: bool = False,
) -> UpdateReport:
    """Update the outdated references of the scene to their newest versions.

    :param host: the host.
    :param to: ``"latest_published"`` (default) or ``"latest"`` (any version).
    :param subset: only these references (containers or their names).
    :param context: the scene's context, passed to the hooks.
    :param progress: called after each reference with its :class:`UpdateStep`;
        returning ``False`` stops the update there (the references not
        reached are listed in ``cancelled``).
    :param keep_going: report a host error on one reference in ``failed``
        and go on, instead of raising it.
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
    session = session_or_default(session)
    wanted: set[str] | None = None
    if subset is not None:
        wanted = {s if isinstance(s, str) else s.name for s in subset}
    containers = [c for c in scene_references(host) if wanted is None or c.name in wanted]
    statuses = reference_status(containers, to, session=session)
    report = UpdateReport()
    steps = apply_reference_updates(host, statuses, context=context, pm=pm, keep_going=keep_going)
    for step in steps:
        report.record(step)
        if progress is not None and progress(step) is False:
            report.cancelled = [s.container for s in statuses[step.done:]]
            break
    return report


def set_reference_version(
    host: Host,
    container: Container | str,
    version: Version,
    *,
    context: Context | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
) -> Container:
    """Point one reference at ``version``, any version of the task and take it records.

    Newer or older, published or not: the artist chose it. The
    ``stalker_references_before_update`` hook is asked first.

    :param container: the reference, or its name.
    :returns: the updated container.
    :raises HostCapabilityError: the host has no references.
    :raises ValidationError: no such reference in the scene; it is locked;
        it records no version, or ``version`` belongs to another task or take.
    :raises VetoError: a plugin kept the reference as it is.
    """
    from stalker_core.models.version.model import Version

    check_host(host)
    require_capability(host, "references")
    name = container if isinstance(container, str) else container.name
    found = {c.name: c for c in scene_references(host)}.get(name)
    if found is None:
        raise ValidationError(f"no reference named {name!r} in the scene of {host.name!r}")
    if found.locked:
        raise ValidationError(
            f"reference {name!r} is locked; unlock it before setting its version"
        )
    if found.version_id is None:
        raise ValidationError(
            f"reference {name!r} records no version, so it has no versions to choose from; "
            "load it again from the Loader"
        )
    session = session_or_default(session)
    current = session.get(Version, found.version_id)
    if current is None:
        raise ValidationError(
            f"the version {found.version_id} of reference {name!r} no longer exists; "
            "load the reference again from the Loader"
        )
    if (version.task_id, version.take_name) != (current.task_id, current.take_name):
        raise ValidationError(
            f"reference {name!r} holds take {current.take_name!r} of task "
            f"{current.task_id}; version {version.id} belongs to take "
            f"{version.take_name!r} of task {version.task_id}"
        )
    target = replacement_path(found.path, current, version)
    if target is None:
        raise ValidationError(unmatched_message(found, current, version))
    return _replace(host, found, version, target, context, plugin_manager_or_default(pm))
