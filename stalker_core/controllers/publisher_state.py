"""What the Publisher panel shows, as plain rows: stages, items, checks and their results.

The controller (:mod:`stalker_core.controllers.publisher`) fills a
:class:`PublisherState`; :func:`check_rows` groups a run's validator calls by
check, worst state first. No Qt, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stalker_core.controllers.base import Problem

if TYPE_CHECKING:
    from stalker_core.plugins.api import ValidationResult
    from stalker_core.workflows.publish import ValidatorCall

__all__ = [
    "CHECK_STATES",
    "CheckRow",
    "ItemRow",
    "PublisherState",
    "ResultRow",
    "StageProgress",
    "check_groups",
    "check_rows",
    "count_states",
]

#: check states, worst first (``skipped``: another plugin took the check over)
CHECK_STATES: tuple[str, ...] = ("failed", "warning", "info", "passed", "skipped")

_STATE_OF_SEVERITY = {"error": "failed", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class StageProgress:
    """The progress of one stage (collect, validate, extract, integrate).

    :param state: ``"unused"`` (not part of this run), ``"waiting"``,
        ``"running"``, ``"done"``, ``"failed"`` or ``"stopped"``.
    :param done: plugin calls made.
    :param total: plugin calls to make (known once the stage started).
    :param current: the plugin call just made, e.g. ``"validate 3/7: publish on workfile"``
        (``""`` when none was named: the stage just started, or a hook ran whole).
    """

    name: str
    state: str = "unused"
    done: int = 0
    total: int = 0
    current: str = ""

    @property
    def percent(self) -> int:
        """0-100; a finished stage is 100 even when it had nothing to call."""
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class ItemRow:
    """A collected item and whether it is ticked (only ticked items are validated and published)."""

    name: str
    kind: str
    path: str
    chosen: bool = True


@dataclass(frozen=True)
class ResultRow:
    """One thing a check reported."""

    title: str
    message: str
    severity: str
    item: str
    plugin: str
    objects: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckRow:
    """The results of one check, over every item it checked.

    :param key: the check id, or ``plugin:validator`` for validators that
        declare none (``check@plugin`` for a skipped one).
    :param state: the worst of its results (one of :data:`CHECK_STATES`);
        ``"passed"`` when it reported nothing.
    :param repair_label: the label of its Repair button; ``""`` when it
        offers no repair.
    """

    key: str
    title: str
    state: str
    check: str
    plugins: tuple[str, ...]
    items: tuple[str, ...]
    description: str = ""
    results: tuple[ResultRow, ...] = ()
    repair_label: str = ""


@dataclass(frozen=True)
class PublisherState:
    """Everything the Publisher shows.

    :param context: which version of which task is published, in words.
    :param notice: why nothing can be validated or published (the scene was
        never saved, it is not a version's file), else ``""``.
    :param problem: what the error banner shows (the database is unreachable).
    :param mode: the last run started: ``"collect"``, ``"validate"``,
        ``"publish"`` or ``""``.
    :param outcome: ``""`` (nothing ran), ``"running"``, ``"collected"``,
        ``"valid"``, ``"invalid"``, ``"published"``, ``"stopped"`` or ``"failed"``.
    :param message: the outcome in a sentence.
    """

    context: str = ""
    version_id: int | None = None
    host: str = ""
    notice: str = ""
    problem: Problem | None = None
    mode: str = ""
    running: bool = False
    outcome: str = ""
    message: str = ""
    stages: tuple[StageProgress, ...] = ()
    items: tuple[ItemRow, ...] = ()
    checks: tuple[CheckRow, ...] = ()
    published_paths: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    can_validate: bool = False
    can_publish: bool = False

    def check(self, key: str) -> CheckRow:
        """The check row called ``key``.

        :raises KeyError: there is none.
        """
        for row in self.checks:
            if row.key == key:
                return row
        raise KeyError(key)

    def counts(self) -> dict[str, int]:
        """How many checks are in each state (see :data:`CHECK_STATES`)."""
        return count_states(self.checks)


def count_states(checks: Iterable[CheckRow]) -> dict[str, int]:
    """How many of ``checks`` are in each state (see :data:`CHECK_STATES`)."""
    found = dict.fromkeys(CHECK_STATES, 0)
    for row in checks:
        found[row.state] += 1
    return found


def _humanize(name: str) -> str:
    text = name.rsplit(".", 1)[-1].replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@dataclass
class _Group:
    key: str
    check: str
    description: str
    plugins: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    results: list[ValidationResult] = field(default_factory=list)
    skipped_by: tuple[str, ...] = ()

    def row(self) -> CheckRow:
        titles = list(dict.fromkeys(r.title for r in self.results))
        if len(titles) == 1 or (titles and not self.check):
            title = titles[0]
        else:
            title = _humanize(self.check or self.key.rsplit(":", 1)[-1])
        if self.skipped_by:
            state = "skipped"
        elif self.results:
            state = min((_STATE_OF_SEVERITY[r.severity] for r in self.results),
                        key=CHECK_STATES.index)
        else:
            state = "passed"
        repairable = [r for r in self.results if r.is_error and r.repair is not None]
        return CheckRow(
            key=self.key, title=title, state=state, check=self.check,
            plugins=tuple(self.plugins), items=tuple(self.items),
            description=self.description,
            results=tuple(
                ResultRow(r.title, r.message, r.severity, r.item, r.plugin, r.objects)
                for r in self.results
            ),
            repair_label=repairable[0].repair_label if repairable else "",
        )


def check_groups(
    calls: list[ValidatorCall],
    skipped: Sequence[tuple[str, str]],
    overridden: dict[str, tuple[str, ...]],
) -> dict[str, _Group]:
    """The validator calls of a run by check key (see :func:`check_rows`)."""
    groups: dict[str, _Group] = {}
    for call in calls:
        key = call.check or f"{call.plugin}:{call.validator}"
        group = groups.setdefault(key, _Group(key, call.check, call.description))
        for value, into in ((call.plugin, group.plugins), (call.item, group.items)):
            if value not in into:
                into.append(value)
        group.results.extend(call.results)
    for plugin, check_id in skipped:
        takers = overridden.get(check_id, ())
        key = f"{check_id}@{plugin}"
        groups[key] = _Group(
            key, check_id, f"taken over by {', '.join(takers)}", [plugin], skipped_by=takers
        )
    return groups


def check_rows(
    calls: list[ValidatorCall],
    skipped: Sequence[tuple[str, str]] = (),
    overridden: dict[str, tuple[str, ...]] | None = None,
) -> tuple[CheckRow, ...]:
    """The validator calls of a run grouped by check, worst state first.

    :param calls: :attr:`PublishRun.calls <stalker_core.workflows.publish.PublishRun.calls>`.
    :param skipped: ``report.skipped``: ``(plugin, check id)`` not run.
    :param overridden: ``report.overridden``: check id -> the plugins taking it over.
    """
    rows = [g.row() for g in check_groups(calls, skipped, overridden or {}).values()]
    return tuple(sorted(rows, key=lambda r: (CHECK_STATES.index(r.state), r.title.lower())))
