"""Publish: collect -> validate -> extract -> integrate, all or nothing.

Plugins contribute to every stage through the ``stalker_publish_*`` hooks.
Validation results are data (:class:`ValidationResult`) so the CLI prints
them and a panel shows them with their repair buttons; publishing stops
before extraction when any result is an error. A validator declaring a check
id (``@check``) is skipped when another plugin takes that check over through
``stalker_publish_overridden_checks`` (see :mod:`stalker_core.plugins.checks`),
so each problem is reported once, by the most specific plugin. Integration goes through a
:class:`~stalker_core.workflows.transaction.FileTransaction`: copies are
staged next to their destinations and linked into place without replacing
anything; if placing a file or the database commit fails, every placed file
is removed again and the database is rolled back. On success the Version
is published and its outputs are registered as File objects; then every
``stalker_publish_after`` implementation runs, and each one that raises is
reported in ``PublishReport.failures`` without undoing the publish.

The data types (:class:`PublishItem`, :class:`ValidationResult`,
:class:`Representation`, :class:`PublishReport`) are defined in
:mod:`stalker_core.plugins.api`, the module plugin authors import from.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.context import Context, current_user
from stalker_core.exceptions import (
    PublishError,
    PublishValidationError,
    StalkerError,
    StalkerTypeError,
)
from stalker_core.hosts import Host
from stalker_core.plugins.api import (
    HookFailure,
    PublishItem,
    PublishReport,
    Representation,
    ValidationResult,
)
from stalker_core.plugins.calls import call_each, call_each_impl
from stalker_core.plugins.checks import check_of, overridden_ids
from stalker_core.workflows.common import check_host, plugin_manager_or_default, session_or_default
from stalker_core.workflows.transaction import FileTransaction

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version

log = logging.getLogger(__name__)


def _check(host: Any, version: Any) -> None:
    from stalker_core.models.version.model import Version

    check_host(host)
    if not isinstance(version, Version):
        raise StalkerTypeError(
            f"version should be a Version, not {type(version).__name__}: {version!r}"
        )


def collect(
    host: Host, context: Context, version: Version, pm: pluggy.PluginManager
) -> list[PublishItem]:
    """Run the collectors; item names must be unique."""
    items: list[PublishItem] = []
    seen: set[str] = set()
    for plugin, found in call_each(
        pm, "stalker_publish_collect", host=host, context=context, version=version
    ):
        for item in found:
            if item.name in seen:
                raise PublishError(
                    f"plugin {plugin!r} collected a second item named {item.name!r}"
                )
            seen.add(item.name)
            items.append(item)
    return items


def overridden_checks(
    host: Host, context: Context, items: list[PublishItem], pm: pluggy.PluginManager
) -> dict[str, tuple[str, ...]]:
    """Ask ``stalker_publish_overridden_checks``: check id -> the plugins taking it over."""
    overridden: dict[str, tuple[str, ...]] = {}
    for plugin, answer in call_each(
        pm, "stalker_publish_overridden_checks", host=host, context=context, items=items
    ):
        for check_id in overridden_ids(plugin, answer):
            if plugin not in overridden.get(check_id, ()):
                overridden[check_id] = (*overridden.get(check_id, ()), plugin)
    return overridden


def run_validators(
    host: Host,
    context: Context,
    items: list[PublishItem],
    pm: pluggy.PluginManager,
    *,
    overridden: dict[str, tuple[str, ...]] | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> list[ValidationResult]:
    """Run every validator on every item and return the results, attributed.

    :param overridden: check id -> overriding plugins (see
        :func:`overridden_checks`; asked here when not given). A validator of
        another plugin declaring one of these checks is not called.
    :param skipped: when given, ``(plugin, check id)`` of every skipped
        validator is appended to it (once per validator).
    """
    if overridden is None:
        overridden = overridden_checks(host, context, items, pm)

    def select(plugin: str, impl: pluggy.HookImpl) -> bool:
        check_id = check_of(impl.function)
        takers = overridden.get(check_id, ()) if check_id is not None else ()
        if not takers or plugin in takers:
            return True
        if skipped is not None and (plugin, check_id) not in skipped:
            skipped.append((plugin, str(check_id)))
        return False

    results: list[ValidationResult] = []
    for item in items:
        for plugin, impl, found in call_each_impl(
            pm, "stalker_publish_validate", select=select, host=host, context=context, item=item
        ):
            check_id = check_of(impl.function)
            for r in found:
                if not r.plugin:
                    r.plugin = plugin
                if not r.item:
                    r.item = item.name
                if not r.check and check_id:
                    r.check = check_id
                results.append(r)
    return results


def validate(
    host: Host,
    version: Version,
    *,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
) -> PublishReport:
    """Collect and validate without writing anything (what a publisher panel shows first)."""
    _check(host, version)
    session = session_or_default(session)
    pm = plugin_manager_or_default(pm)
    context = Context.for_version(version, user=current_user(user, session=session),
                                  session=session)
    report = PublishReport(version)
    report.items = collect(host, context, version, pm)
    report.results = _validate_report(host, context, report, pm)
    return report


def _validate_report(
    host: Host, context: Context, report: PublishReport, pm: pluggy.PluginManager
) -> list[ValidationResult]:
    """Validate ``report.items``, recording overridden and skipped checks in the report."""
    report.overridden = overridden_checks(host, context, report.items, pm)
    report.skipped = []
    return run_validators(
        host, context, report.items, pm, overridden=report.overridden, skipped=report.skipped
    )


def repair(results: list[ValidationResult]) -> list[tuple[ValidationResult, str]]:
    """Run the repair of every failing result that has one.

    :returns: ``(result, error message)`` for the repairs that raised.
    """
    failed: list[tuple[ValidationResult, str]] = []
    for r in results:
        if r.is_error and r.repair is not None:
            try:
                r.repair()
            except Exception as exc:  # noqa: BLE001 - reported, the rest still run
                failed.append((r, f"{type(exc).__name__}: {exc}"))
    return failed


def _summary(errors: list[ValidationResult]) -> str:
    shown = "; ".join(f"{r.title}: {r.message}" for r in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"validation failed with {len(errors)} error(s): {shown}{more}"


def publish(
    host: Host,
    version: Version,
    *,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
    auto_repair: bool = False,
) -> PublishReport:
    """Publish ``version`` from ``host``: collect, validate, extract, integrate.

    :param host: the host with the version's scene open.
    :param version: the Version to publish.
    :param auto_repair: run the repairs of failing results, then validate again.
    :returns: the report; ``report.published`` is true and ``report.outputs``
        holds the registered File objects.
    :raises PublishValidationError: validation failed (``.results`` has the
        results); nothing was extracted or written.
    :raises IntegrationError: files could not be placed; all rolled back.
    :raises PublishError: the version is already published, or nothing was
        collected or planned.
    """
    from stalker_core.models.file import File

    _check(host, version)
    session = session_or_default(session)
    pm = plugin_manager_or_default(pm)
    if version.is_published:
        raise PublishError(f"version {version.id} ({version.filename}) is already published")
    who = current_user(user, session=session)
    context = Context.for_version(version, user=who, session=session)
    report = PublishReport(version)
    report.items = collect(host, context, version, pm)
    if not report.items:
        raise PublishError(
            "no publish collector produced anything; is the publish plugin installed?"
        )
    report.results = _validate_report(host, context, report, pm)
    if report.errors and auto_repair:
        for r, err in repair(report.results):
            report.warnings.append(f"repair of {r.title!r} failed: {err}")
        report.results = _validate_report(host, context, report, pm)
    if report.errors:
        raise PublishValidationError(_summary(report.errors), report.results)

    staging = Path(tempfile.mkdtemp(prefix="stalker-publish-"))
    tx = FileTransaction()
    try:
        for item in report.items:
            reps: list[Representation] = []
            for plugin, found in call_each(
                pm, "stalker_publish_extract",
                host=host, context=context, item=item, staging_dir=staging,
            ):
                for rep in found:
                    if not Path(rep.path).is_file():
                        raise PublishError(
                            f"plugin {plugin!r} extracted {str(rep.path)!r} but no such file exists"
                        )
                    reps.append(rep)
            report.representations[item.name] = reps
        for item in report.items:
            call_each(
                pm, "stalker_publish_integrate",
                context=context, item=item,
                representations=report.representations[item.name], transaction=tx,
            )
        if not tx.planned:
            raise PublishError("no integrator planned any file; nothing would be published")
        placed = tx.commit()
        try:
            files = [
                File(
                    name=p.name,
                    full_path=_portable(p, version, session),
                    original_filename=p.name,
                    created_by=who,
                )
                for p in placed
            ]
            version.outputs.extend(files)
            version.is_published = True
            session.commit()
        except BaseException:
            tx.rollback()
            raise
    except BaseException:
        try:
            session.rollback()
        except Exception as exc:  # noqa: BLE001 - keep the original error
            log.warning("rollback failed: %s", exc)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.outputs = files
    report.published_paths = placed
    report.published = True
    _after(pm, context, version, report)
    return report


def _after(
    pm: pluggy.PluginManager, context: Context, version: Version, report: PublishReport
) -> None:
    """Run every ``stalker_publish_after`` implementation; report each that raised.

    The publish is committed: a failing notifier is recorded in
    ``report.failures`` (and as text in ``report.warnings``) and logged, and
    the others still run.
    """
    failures: list[HookFailure] = []
    call_each(
        pm, "stalker_publish_after", failures=failures,
        context=context, version=version, report=report,
    )
    for failure in failures:
        log.warning("%s (the publish of version %s is kept)", failure, version.id)
        report.failures.append(failure)
        report.warnings.append(str(failure))


def _portable(path: Path, version: Version, session: Any) -> str:
    """``path`` made repository independent (``$REPO<id>/...``) when a repository holds it."""
    project = version.task.project
    for repo in list(project.repositories) if project is not None else []:
        try:
            rel = repo.relative_path(str(path))
        except StalkerError:
            rel = None
        if rel is not None:
            return str(repo.make_relative(str(path)))
    return path.as_posix()
