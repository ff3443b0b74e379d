"""A publish one plugin call at a time: its stages, steps and the collectors.

:class:`~stalker_core.workflows.publish.PublishRun` drives these generators;
each yields a :class:`PublishStep` after every plugin call, so a panel shows
progress and stays responsive. A hook wrapped by a wrapper
(``@hookimpl(wrapper=True)``) is called whole, in one step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PluginError, PublishError
from stalker_core.plugins.api import PublishItem, ValidationResult
from stalker_core.plugins.calls import call_each_impl, plugin_name

if TYPE_CHECKING:
    import pluggy

    from stalker_core.context import Context
    from stalker_core.hosts import Host
    from stalker_core.models.version.model import Version

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


def exhaust(steps: Iterator[PublishStep]) -> None:
    for _step in steps:
        pass


def one_by_one(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl | None]:
    """The implementations of ``hook_name`` to call one per step, in pluggy's order.

    ``[None]`` when a wrapper wraps the hook: it is then called whole, in
    one step, so the wrapper sees every result at once as in a plain call.
    """
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    if any(impl.wrapper or impl.hookwrapper for impl in impls):
        return [None]
    return list(reversed(impls))


def call_one(
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


def step_name(pm: pluggy.PluginManager, impl: pluggy.HookImpl | None) -> str:
    return plugin_name(pm, impl) if impl is not None else ""


def expect_list(plugin: str, hook: str, found: Any, kind: type) -> list[Any]:
    """What ``plugin``'s implementation of ``hook`` returned, once it is a list of ``kind``.

    :raises PluginError: naming the plugin, the hook and what it must return.
    """
    what = kind.__name__
    if not isinstance(found, (list, tuple)):
        raise PluginError(
            f"plugin {plugin!r}: {hook} must return a list of {what} (or None), not "
            f"{type(found).__name__}: {found!r:.80}"
        )
    for x in found:
        if not isinstance(x, kind):
            raise PluginError(
                f"plugin {plugin!r}: {hook} must return a list of {what}; the list holds a "
                f"{type(x).__name__}: {x!r:.80}"
            )
    return list(found)


def collect_steps(
    host: Host, context: Context, version: Version, pm: pluggy.PluginManager,
    items: list[PublishItem],
) -> Iterator[PublishStep]:
    """Run the collectors one at a time, appending to ``items``; names must be unique."""
    plan = one_by_one(pm, "stalker_publish_collect")
    yield PublishStep("collect", 0, len(plan))
    seen = {item.name for item in items}
    for done, impl in enumerate(plan, 1):
        for plugin, _impl, found in call_one(
            pm, "stalker_publish_collect", impl, host=host, context=context, version=version
        ):
            for item in expect_list(plugin, "stalker_publish_collect", found, PublishItem):
                if item.name in seen:
                    raise PublishError(
                        f"plugin {plugin!r} collected a second item named {item.name!r}"
                    )
                seen.add(item.name)
                items.append(item)
        yield PublishStep("collect", done, len(plan), step_name(pm, impl))


def collect(
    host: Host, context: Context, version: Version, pm: pluggy.PluginManager
) -> list[PublishItem]:
    """Run the collectors; item names must be unique."""
    items: list[PublishItem] = []
    exhaust(collect_steps(host, context, version, pm, items))
    return items
