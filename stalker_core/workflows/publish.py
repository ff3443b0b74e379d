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

The data types (:class:`PublishItem`, :class:`ValidationResult`,
:class:`Representation`, :class:`PublishReport`) are defined in
:mod:`stalker_core.plugins.api`, the module plugin authors import from.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Collection, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stalker_core.context import Context, current_user
from stalker_core.exceptions import (
    PluginError,
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
from stalker_core.plugins.calls import call_each, call_each_impl, describe_error, plugin_name
from stalker_core.plugins.checks import check_of, overridden_ids
from stalker_core.workflows.common import check_host, plugin_manager_or_default, session_or_default
from stalker_core.workflows.integrate import commit_transaction, open_transaction
from stalker_core.workflows.journal import fault
from stalker_core.workflows.permissions import authorize

if TYPE_CHECKING:
    import pluggy

    from stalker_core.models.user import User
    from stalker_core.models.version.model import Version

log = logging.getLogger(__name__)


#: the stages of a publish, in order
STAGES: tuple[str, ...] = ("collect", "validate", "extract", "integrate")

#: the title of the failed result standing for a validator that raised (see ``keep_going``)
RAISED_TITLE = "Check raised an error"


@dataclass(frozen=True)
class PublishStep:
    """How far a :class:`PublishRun` is; yielded by :meth:`PublishRun.steps`.

    A step is yielded when a stage starts (``done == 0``) and after each
    plugin call of that stage. Integration counts placing the files and the
    database commit as its last call; the run ends with it (no step follows,
    so a run is never left open once it committed).
    """

    #: one of :data:`STAGES`
    stage: str
    #: the calls of this stage made so far
    done: int
    #: the calls this stage makes in all
    total: int
    #: the plugin just called ("" at the start of a stage and for a hook run whole)
    plugin: str = ""
    #: the item it was called for ("" for collectors and stage starts)
    item: str = ""

    def __str__(self) -> str:
        what = " ".join(x for x in (self.plugin, f"on {self.item}" if self.item else "") if x)
        return f"{self.stage} {self.done}/{self.total}" + (f": {what}" if what else "")


@dataclass
class ValidatorCall:
    """One validator called on one item, and what it reported; no result means it passed.

    Recorded by a :class:`PublishRun` in :attr:`PublishRun.calls`. Validators
    that answered ``None`` (the item is not theirs) and the validators
    skipped because another plugin overrides their check are not recorded.
    """

    #: the name of the item checked
    item: str
    #: the plugin of the validator
    plugin: str
    #: the check id the validator declared ("" when it declared none)
    check: str
    #: the validator's function name
    validator: str
    #: what it reported, attributed (plugin, item and check filled in)
    results: list[ValidationResult] = field(default_factory=list)
    #: the first line of the validator's docstring
    description: str = ""

    @property
    def passed(self) -> bool:
        """True when the validator reported nothing."""
        return not self.results


def _check(host: Any, version: Any) -> None:
    from stalker_core.models.version.model import Version

    check_host(host)
    if not isinstance(version, Version):
        raise StalkerTypeError(
            f"version should be a Version, not {type(version).__name__}: {version!r}"
        )


def _exhaust(steps: Iterator[PublishStep]) -> None:
    for _step in steps:
        pass


def _one_by_one(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl | None]:
    """The implementations of ``hook_name`` to call one per step, in pluggy's order.

    ``[None]`` when a wrapper wraps the hook: it is then called whole, in
    one step, so the wrapper sees every result at once as in a plain call.
    """
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    if any(impl.wrapper or impl.hookwrapper for impl in impls):
        return [None]
    return list(reversed(impls))


def _call(
    pm: pluggy.PluginManager,
    hook_name: str,
    impl: pluggy.HookImpl | None,
    *,
    select: Callable[[str, pluggy.HookImpl], bool] | None = None,
    **kwargs: Any,
) -> list[tuple[str, pluggy.HookImpl, Any]]:
    """Call ``impl`` of ``hook_name`` alone (``None``: the whole hook), attributed."""
    if impl is None:
        return call_each_impl(pm, hook_name, select=select, **kwargs)

    def only(name: str, candidate: pluggy.HookImpl) -> bool:
        return candidate is impl and (select is None or select(name, candidate))

    return call_each_impl(pm, hook_name, select=only, **kwargs)


def _name(pm: pluggy.PluginManager, impl: pluggy.HookImpl | None) -> str:
    return plugin_name(pm, impl) if impl is not None else ""


def _collect_steps(
    host: Host, context: Context, version: Version, pm: pluggy.PluginManager,
    items: list[PublishItem],
) -> Iterator[PublishStep]:
    """Run the collectors one at a time, appending to ``items``; names must be unique."""
    plan = _one_by_one(pm, "stalker_publish_collect")
    yield PublishStep("collect", 0, len(plan))
    seen = {item.name for item in items}
    for done, impl in enumerate(plan, 1):
        for plugin, _impl, found in _call(
            pm, "stalker_publish_collect", impl, host=host, context=context, version=version
        ):
            for item in found:
                if item.name in seen:
                    raise PublishError(
                        f"plugin {plugin!r} collected a second item named {item.name!r}"
                    )
                seen.add(item.name)
                items.append(item)
        yield PublishStep("collect", done, len(plan), _name(pm, impl))


def collect(
    host: Host, context: Context, version: Version, pm: pluggy.PluginManager
) -> list[PublishItem]:
    """Run the collectors; item names must be unique."""
    items: list[PublishItem] = []
    _exhaust(_collect_steps(host, context, version, pm, items))
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


def _not_overridden(
    overridden: dict[str, tuple[str, ...]], skipped: list[tuple[str, str]] | None
) -> Callable[[str, pluggy.HookImpl], bool]:
    """The ``select`` of validation: skip (and record) validators of overridden checks."""

    def select(plugin: str, impl: pluggy.HookImpl) -> bool:
        check_id = check_of(impl.function)
        takers = overridden.get(check_id, ()) if check_id is not None else ()
        if not takers or plugin in takers:
            return True
        if skipped is not None and (plugin, check_id) not in skipped:
            skipped.append((plugin, str(check_id)))
        return False

    return select


def _raised(exc: Exception, plugin: str, item: str, check_id: str) -> ValidationResult:
    """The failed result standing for a validator that raised ``exc``."""
    if isinstance(exc, PluginError):
        what = str(exc)  # already names the plugin and the hook
    else:
        what = f"plugin {plugin!r} raised in stalker_publish_validate: {describe_error(exc)}"
    return ValidationResult(
        RAISED_TITLE, f"{what}; the check could not be made, fix or disable the plugin",
        severity="error", item=item, plugin=plugin, check=check_id,
    )


def _validation_steps(
    host: Host,
    context: Context,
    items: list[PublishItem],
    pm: pluggy.PluginManager,
    *,
    overridden: dict[str, tuple[str, ...]],
    skipped: list[tuple[str, str]] | None,
    results: list[ValidationResult],
    calls: list[ValidatorCall] | None = None,
    keep_going: bool = False,
) -> Iterator[PublishStep]:
    """Run every validator on every item, one call per step, appending to ``results``."""
    plan = _one_by_one(pm, "stalker_publish_validate")
    total = len(items) * len(plan)
    yield PublishStep("validate", 0, total)
    select = _not_overridden(overridden, skipped)
    done = 0
    for item in items:
        for impl in plan:
            answered: list[tuple[str, Any, Any]]
            try:
                answered = _call(
                    pm, "stalker_publish_validate", impl, select=select,
                    host=host, context=context, item=item,
                )
            except Exception as exc:
                if not keep_going:
                    raise
                plugin = _name(pm, impl) or str(getattr(exc, "plugin", None) or "")
                function = impl.function if impl is not None else None
                raised = _raised(exc, plugin, item.name, check_of(function) or "")
                answered = [(plugin, impl, [raised])]
            for plugin, by, found in answered:
                function = by.function if by is not None else None
                results.extend(_record(plugin, function, item, list(found), calls))
            done += 1
            yield PublishStep("validate", done, total, _name(pm, impl), item.name)


def _record(
    plugin: str, function: Any, item: PublishItem, found: list[ValidationResult],
    calls: list[ValidatorCall] | None,
) -> list[ValidationResult]:
    """Attribute the results of one validator call; record the call in ``calls``."""
    check_id = check_of(function) or ""
    for r in found:
        if not r.plugin:
            r.plugin = plugin
        if not r.item:
            r.item = item.name
        if not r.check and check_id:
            r.check = check_id
    if calls is not None:
        doc = (getattr(function, "__doc__", None) or "").strip()
        calls.append(ValidatorCall(
            item.name, plugin, check_id, getattr(function, "__name__", ""), found,
            doc.splitlines()[0] if doc else "",
        ))
    return found


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
    results: list[ValidationResult] = []
    _exhaust(_validation_steps(
        host, context, items, pm, overridden=overridden, skipped=skipped, results=results
    ))
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
    run = PublishRun(host, version, user=user, session=session, pm=pm)
    return run.run(until="validate")


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
        _exhaust(self.steps(until))
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
        yield from _collect_steps(self.host, context, version, self.pm, self.collected)
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
            raise PublishValidationError(_summary(report.errors), report.results)
        yield from self._write(context, who)

    def _validate(self, context: Context) -> Iterator[PublishStep]:
        report = self.report
        report.overridden = overridden_checks(self.host, context, report.items, self.pm)
        report.skipped = []
        report.results = []
        self.calls = []
        yield from _validation_steps(
            self.host, context, report.items, self.pm,
            overridden=report.overridden, skipped=report.skipped, results=report.results,
            calls=self.calls, keep_going=self.keep_going,
        )

    def _write(self, context: Context, who: User | None) -> Iterator[PublishStep]:
        """Extract, plan and place the files, register them, commit; roll back on any exit."""
        report, pm, version, session = self.report, self.pm, self.version, self.session
        tx, staging = open_transaction(version)
        try:
            plan = _one_by_one(pm, "stalker_publish_extract")
            total = len(report.items) * len(plan)
            yield PublishStep("extract", 0, total)
            done = 0
            for item in report.items:
                reps: list[Representation] = report.representations.setdefault(item.name, [])
                for impl in plan:
                    for plugin, _impl, found in _call(
                        pm, "stalker_publish_extract", impl,
                        host=self.host, context=context, item=item, staging_dir=staging,
                    ):
                        for rep in found:
                            if not Path(rep.path).is_file():
                                raise PublishError(
                                    f"plugin {plugin!r} extracted {str(rep.path)!r} but no "
                                    "such file exists"
                                )
                            reps.append(rep)
                    done += 1
                    yield PublishStep("extract", done, total, _name(pm, impl), item.name)
            plan = _one_by_one(pm, "stalker_publish_integrate")
            total = len(report.items) * len(plan) + 1
            yield PublishStep("integrate", 0, total)
            done = 0
            for item in report.items:
                for impl in plan:
                    _call(
                        pm, "stalker_publish_integrate", impl,
                        context=context, item=item,
                        representations=report.representations[item.name], transaction=tx,
                    )
                    done += 1
                    yield PublishStep("integrate", done, total, _name(pm, impl), item.name)
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
