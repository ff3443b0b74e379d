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
is removed again and the database is rolled back; a journal lets the next publish undo
what a killed one left (:mod:`~stalker_core.workflows.integrate`). On success the Version
is published and its outputs are registered as File objects; then every
``stalker_publish_after`` implementation runs, and each one that raises is
reported in ``PublishReport.failures`` without undoing the publish.

A publish can also run one plugin call at a time (:class:`PublishRun`):
its :meth:`~PublishRun.steps` generator yields a :class:`PublishStep` after
each call, so a panel shows progress per stage and keeps its window alive
between calls, and closing the generator stops the run (in extraction or
integration: the database is rolled back and nothing is published).
:func:`publish` and :func:`validate` are that same run, driven to its end.
Every stage calls each implementation of its hook on its own, in pluggy's
order, unless a wrapper (``@hookimpl(wrapper=True)``) wraps the hook: then
the whole hook is one call, so the wrapper sees every result at once.

The steps and the collectors are in :mod:`~stalker_core.workflows.publish_steps`,
the validation stage in :mod:`~stalker_core.workflows.publish_validation`;
this module runs the stages and writes. The data types (:class:`PublishItem`,
:class:`ValidationResult`, :class:`Representation`, :class:`PublishReport`) are defined in
:mod:`stalker_core.plugins.api`, the module plugin authors import from.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Collection, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.context import Context, current_user
from stalker_core.exceptions import (
    PublishError,
    PublishValidationError,
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
from stalker_core.plugins.calls import call_each
from stalker_core.workflows.common import check_host, plugin_manager_or_default, session_or_default
from stalker_core.workflows.integrate import commit_transaction, open_transaction
from stalker_core.workflows.journal import fault
from stalker_core.workflows.permissions import authorize
from stalker_core.workflows.publish_steps import (
    RAISED_TITLE,
    STAGES,
    PublishStep,
    ValidatorCall,
    call_one,
    collect,
    collect_steps,
    exhaust,
    expect_list,
    one_by_one,
    step_name,
)
from stalker_core.workflows.publish_validation import (
    failure_summary,
    overridden_checks,
    repair,
    run_validators,
    validation_steps,
)

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version

__all__ = [
    "RAISED_TITLE",
    "STAGES",
    "PublishItem",
    "PublishReport",
    "PublishRun",
    "PublishStep",
    "Representation",
    "ValidationResult",
    "ValidatorCall",
    "collect",
    "overridden_checks",
    "publish",
    "repair",
    "run_validators",
    "validate",
]

log = logging.getLogger(__name__)


def _check(host: Any, version: Any) -> None:
    from stalker_core.models.version.model import Version

    check_host(host)
    if not isinstance(version, Version):
        raise StalkerTypeError(
            f"version should be a Version, not {type(version).__name__}: {version!r}"
        )


def validate(
    host: Host,
    version: Version,
    *,
    user: User | str | None = None,
    session: Any = None,
    pm: pluggy.PluginManager | None = None,
) -> PublishReport:
    """Collect and validate without writing anything (what a publisher panel shows first)."""
    run = PublishRun(host, version, user=user, session=session, pm=pm)
    return run.run(until="validate")


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
    run = PublishRun(host, version, user=user, session=session, pm=pm, auto_repair=auto_repair)
    return run.run()


class PublishRun:
    """One publish (or dry validation) of ``version``, run one plugin call at a time.

    :meth:`steps` is a generator yielding a :class:`PublishStep` when each
    stage starts and after each plugin call, so the caller may do other work
    (a panel: process its events, show progress) between two calls. Closing
    the generator stops the run there: during extraction or integration the
    database is rolled back and the staging folder removed, and nothing is
    published (the files are placed only by the last step, which also
    commits). :meth:`run` drives it to the end.

    :param host: the host with the version's scene open.
    :param version: the Version to publish.
    :param leave_out: names of collected items not to validate nor publish
        (the artist unticked them); they stay in :attr:`collected` but not
        in ``report.items``. Items collected under other names are taken.
    :param auto_repair: run the repairs of failing results, then validate again.
    :param keep_going: a validator that raises becomes a failed result
        (titled :data:`RAISED_TITLE`, naming the plugin) and the other
        validators still run; the errors then stop the publish as any
        failed check does. By default the error itself stops the run
        (:class:`~stalker_core.exceptions.PluginError`).
    """

    def __init__(
        self,
        host: Host,
        version: Version,
        *,
        user: User | str | None = None,
        session: Any = None,
        pm: pluggy.PluginManager | None = None,
        leave_out: Collection[str] = (),
        auto_repair: bool = False,
        keep_going: bool = False,
    ) -> None:
        _check(host, version)
        self.host = host
        self.version = version
        self.user = user
        self.session = session_or_default(session)
        self.pm = plugin_manager_or_default(pm)
        self.leave_out = frozenset(leave_out)
        self.auto_repair = auto_repair
        self.keep_going = keep_going
        #: what the run found and did (a new one for each :meth:`steps`)
        self.report = PublishReport(version)
        #: everything the collectors collected, chosen or not
        self.collected: list[PublishItem] = []
        #: the validators called by the last validation, with what each reported
        self.calls: list[ValidatorCall] = []

    def __repr__(self) -> str:
        return f"<PublishRun version={getattr(self.version, 'id', None)!r} host={self.host.name!r}>"

    def run(self, until: str = "integrate") -> PublishReport:
        """Run :meth:`steps` to the end and return the report."""
        exhaust(self.steps(until))
        return self.report

    def steps(self, until: str = "integrate") -> Generator[PublishStep, None, None]:
        """Run the stages up to ``until`` (one of :data:`STAGES`), one plugin call per step.

        ``until="validate"`` writes nothing and does not fail on failed
        checks (they are in ``report.results``); ``"extract"`` and
        ``"integrate"`` both publish.

        :raises PublishValidationError: publishing, and validation failed.
        :raises PublishError: publishing, and the version is already
            published, nothing was collected, every item is left out, or no
            file was planned.
        :raises IntegrationError: files could not be placed; all rolled back.
        """
        if until not in STAGES:
            raise ValueError(f"until should be one of {', '.join(STAGES)}, not {until!r}")
        publishing = STAGES.index(until) >= STAGES.index("extract")
        version = self.version
        if publishing and version.is_published:
            raise PublishError(f"version {version.id} ({version.filename}) is already published")
        if publishing:
            authorize("Update", version, user=self.user, session=self.session,
                      what=f"version {version.id} ({version.filename})")
        who = current_user(self.user, session=self.session)
        context = Context.for_version(version, user=who, session=self.session)
        report = self.report = PublishReport(version)
        self.collected = []
        self.calls = []
        yield from collect_steps(self.host, context, version, self.pm, self.collected)
        report.items = [i for i in self.collected if i.name not in self.leave_out]
        if until == "collect":
            return
        if publishing and not self.collected:
            raise PublishError(
                "no publish collector produced anything; is the publish plugin installed?"
            )
        if publishing and not report.items:
            raise PublishError(
                f"every collected item ({', '.join(i.name for i in self.collected)}) is left "
                "out; choose at least one to publish"
            )
        yield from self._validate(context)
        if report.errors and self.auto_repair:
            for r, err in repair(report.results):
                report.warnings.append(f"repair of {r.title!r} failed: {err}")
            yield from self._validate(context)
        if not publishing:
            return
        if report.errors:
            raise PublishValidationError(failure_summary(report.errors), report.results)
        yield from self._write(context, who)

    def _validate(self, context: Context) -> Iterator[PublishStep]:
        report = self.report
        report.overridden = overridden_checks(self.host, context, report.items, self.pm)
        report.skipped = []
        report.results = []
        self.calls = []
        yield from validation_steps(
            self.host, context, report.items, self.pm,
            overridden=report.overridden, skipped=report.skipped, results=report.results,
            calls=self.calls, keep_going=self.keep_going,
        )

    def _write(self, context: Context, who: User | None) -> Iterator[PublishStep]:
        """Extract, plan and place the files, register them, commit; roll back on any exit."""
        report, pm, version, session = self.report, self.pm, self.version, self.session
        tx, staging = open_transaction(version)
        try:
            plan = one_by_one(pm, "stalker_publish_extract")
            total = len(report.items) * len(plan)
            yield PublishStep("extract", 0, total)
            done = 0
            for item in report.items:
                reps: list[Representation] = report.representations.setdefault(item.name, [])
                for impl in plan:
                    for plugin, _impl, found in call_one(
                        pm, "stalker_publish_extract", impl,
                        host=self.host, context=context, item=item, staging_dir=staging,
                    ):
                        for rep in expect_list(plugin, "stalker_publish_extract", found,
                                               Representation):
                            if not Path(rep.path).is_file():
                                raise PublishError(
                                    f"plugin {plugin!r} extracted {str(rep.path)!r} but no "
                                    "such file exists"
                                )
                            reps.append(rep)
                    done += 1
                    yield PublishStep("extract", done, total, step_name(pm, impl), item.name)
            plan = one_by_one(pm, "stalker_publish_integrate")
            total = len(report.items) * len(plan) + 1
            yield PublishStep("integrate", 0, total)
            done = 0
            for item in report.items:
                for impl in plan:
                    call_one(
                        pm, "stalker_publish_integrate", impl,
                        context=context, item=item,
                        representations=report.representations[item.name], transaction=tx,
                    )
                    done += 1
                    yield PublishStep("integrate", done, total, step_name(pm, impl), item.name)
            if not tx.planned:
                raise PublishError("no integrator planned any file; nothing would be published")
            fault("publish:planned")
            placed, files = commit_transaction(tx, version, session, who)
        except BaseException:
            # also GeneratorExit: the caller closed the run between two steps
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
