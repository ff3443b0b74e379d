"""The validation stage of a publish: overridden checks, validators one call at a time, repairs.

A validator declaring a check id (``@check``) is skipped when another plugin
takes that check over through ``stalker_publish_overridden_checks`` (see
:mod:`stalker_core.plugins.checks`); a validator that raises stands as a
failed result titled :data:`~stalker_core.workflows.publish_steps.RAISED_TITLE`
when the run keeps going.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PluginError
from stalker_core.plugins.api import PublishItem, ValidationResult
from stalker_core.plugins.calls import call_each, describe_error
from stalker_core.plugins.checks import check_of, overridden_ids
from stalker_core.workflows.publish_steps import (
    RAISED_TITLE,
    PublishStep,
    ValidatorCall,
    call_one,
    exhaust,
    expect_list,
    one_by_one,
    step_name,
)

if TYPE_CHECKING:
    import pluggy

    from stalker_core.context import Context
    from stalker_core.hosts import Host

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


def validation_steps(
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
    plan = one_by_one(pm, "stalker_publish_validate")
    total = len(items) * len(plan)
    yield PublishStep("validate", 0, total)
    select = _not_overridden(overridden, skipped)
    done = 0
    for item in items:
        for impl in plan:
            answered: list[tuple[str, Any, Any]]
            try:
                answered = call_one(
                    pm, "stalker_publish_validate", impl, select=select,
                    host=host, context=context, item=item,
                )
            except Exception as exc:
                if not keep_going:
                    raise
                plugin = step_name(pm, impl) or str(getattr(exc, "plugin", None) or "")
                function = impl.function if impl is not None else None
                raised = _raised(exc, plugin, item.name, check_of(function) or "")
                answered = [(plugin, impl, [raised])]
            for plugin, by, found in answered:
                function = by.function if by is not None else None
                found = expect_list(plugin, "stalker_publish_validate", found, ValidationResult)
                results.extend(_record(plugin, function, item, found, calls))
            done += 1
            yield PublishStep("validate", done, total, step_name(pm, impl), item.name)


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
    exhaust(validation_steps(
        host, context, items, pm, overridden=overridden, skipped=skipped, results=results
    ))
    return results


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


def failure_summary(errors: list[ValidationResult]) -> str:
    shown = "; ".join(f"{r.title}: {r.message}" for r in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"validation failed with {len(errors)} error(s): {shown}{more}"
