"""The Scene Inventory controller: the scene's references, their versions, and what to do.

No Qt here: plain data classes in and out (:class:`ContainerRow`,
:class:`InventoryState`, :class:`VersionChoice`, :class:`UpdateSummary`,
defined in :mod:`~stalker_core.controllers.inventory_rows`),
the scene reached through the host protocol on the host's main thread
(:func:`~stalker_core.hosts.host_run_in_main_thread`), the database through
:meth:`~stalker_core.controllers.base.PanelController.db_call` (timed, a
lost connection raised as
:class:`~stalker_core.exceptions.DatabaseUnavailableError`).

**A bounded number of queries, whatever the number of containers.** The
rows come from :func:`~stalker_core.workflows.references.version_numbers`
(one query, no Version objects built) and the task paths of the Task
column from :func:`load_task_paths` (one query per level of the task
tree), never one query per container. An update reads the Version objects
it needs with :func:`~stalker_core.workflows.references.reference_status`
(two queries) and loads their tasks in one more.

**Change detection.** :meth:`InventoryController.scene_changed` compares a
fingerprint of the scene (the current file and the list of containers,
each with its path, version id and lock) with the one of the last
:meth:`~InventoryController.load`. It costs one ``list_references`` call on
the host and no database query, so a view may poll it (the Qt panel does,
every second while it is visible). Changes in the database (someone
publishes a newer version) are picked up by :meth:`~InventoryController.load`.

**Updating many references** is an :class:`UpdateJob`: one reference per
:meth:`UpdateJob.step`, so a view shows progress and may cancel between
references; :meth:`UpdateJob.run` does every step (CLI, tests, benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select

from stalker_core.controllers.base import PanelController
from stalker_core.controllers.inventory_rows import (
    ContainerRow,
    InventoryState,
    RowState,
    UpdateSummary,
    VersionChoice,
    version_label,
)
from stalker_core.controllers.registry import ui_actions
from stalker_core.exceptions import ValidationError
from stalker_core.hosts import Container, ReferenceHost, host_run_in_main_thread, host_supports
from stalker_core.workflows.references import (
    Target,
    UpdateReport,
    UpdateStep,
    VersionNumbers,
    apply_reference_updates,
    reference_status,
    set_reference_version,
    version_numbers,
)

if TYPE_CHECKING:
    from stalker_core.context import Context
    from stalker_core.plugins.api import UIAction
    from stalker_core.workflows.references import ReferenceStatus

__all__ = [
    "ContainerRow",
    "InventoryController",
    "InventoryState",
    "RowState",
    "UpdateJob",
    "UpdateSummary",
    "VersionChoice",
    "load_task_paths",
]

_NOTES: dict[str, str] = {
    "updated": "updated to {target}",
    "vetoed": "kept by a plugin: {message}",
    "failed": "update failed: {message}",
    "locked": "locked: not updated",
    "unmatched": "kept: {message}",
}


class UpdateJob:
    """Updating references one at a time: progress, and cancelling between references.

    Made by :meth:`InventoryController.update`; the database work (the
    references' status) is done before the first step.
    """

    def __init__(
        self,
        controller: InventoryController,
        statuses: list[ReferenceStatus],
        steps: Iterator[UpdateStep],
    ) -> None:
        self._controller = controller
        self._statuses = statuses
        self._steps = steps
        #: the workflow's report, filled step by step
        self.report = UpdateReport()
        #: references handled so far
        self.done = 0
        #: the last step (the reference just handled), ``None`` before the first
        self.last: UpdateStep | None = None
        self.cancelled = False
        self.finished = not statuses

    @property
    def total(self) -> int:
        """How many references the job goes through."""
        return len(self._statuses)

    def __repr__(self) -> str:
        return f"<UpdateJob {self.done}/{self.total}{' cancelled' if self.cancelled else ''}>"

    def step(self) -> UpdateStep | None:
        """Handle the next reference; ``None`` once every reference is handled or cancelled."""
        if self.finished:
            return None
        step = next(self._steps, None)
        if step is None:
            self.finished = True
            return None
        self.done = step.done
        self.last = step
        self.report.record(step)
        note = _NOTES.get(step.outcome)
        if note is not None:
            latest = step.status.latest
            target = version_label(latest.version_number if latest is not None else None)
            # the name after the step: a host may rename an updated reference
            self._controller.notes[step.container.name] = note.format(
                target=target, message=step.message
            )
        if self.done >= self.total:
            self.finished = True
        return step

    def cancel(self) -> None:
        """Stop before the next reference; the ones not reached are listed as cancelled."""
        if self.finished:
            return
        self.cancelled = self.finished = True
        close = getattr(self._steps, "close", None)
        if close is not None:
            close()
        self.report.cancelled = [s.container for s in self._statuses[self.done:]]

    def run(self, progress: Callable[[UpdateJob], bool | None] | None = None) -> UpdateSummary:
        """Do every remaining step; ``progress(job)`` after each, ``False`` cancels."""
        while self.step() is not None:
            if progress is not None and progress(self) is False:
                self.cancel()
        return self.summary

    @property
    def summary(self) -> UpdateSummary:
        """What the job did so far."""
        return UpdateSummary.of(self.report)


def load_task_paths(session: Any, task_ids: Iterable[int]) -> dict[int, str]:
    """The path (``"SEQ01/SH10/anim"``) of each task, one query per level of the tree.

    Reads only ids, parents and names (no task objects are built); see
    :class:`~stalker_core.models.task.queries.TaskPaths`.
    """
    from stalker_core.models.task.queries import TaskPaths

    wanted = set(task_ids)
    paths = TaskPaths(session)
    paths.load(wanted)
    return {task_id: paths.get(task_id) for task_id in wanted}


class InventoryController(PanelController):
    """The Scene Inventory: list the scene's containers, update, set version, lock, remove.

    :param host: the current host; without the ``references`` capability
        the inventory is empty and :attr:`message` says why.
    :param target: what "outdated" means: a newer *published* version
        (``"latest_published"``, the default) or any newer version (``"latest"``).
    """

    def __init__(
        self,
        host: Any = None,
        *,
        session: Any = None,
        plugin_manager: Any = None,
        target: Target = "latest_published",
    ) -> None:
        super().__init__(host, session=session, plugin_manager=plugin_manager)
        self.target: Target = target
        #: container name -> what the last action did to it (shown in the Note column)
        self.notes: dict[str, str] = {}
        self._fingerprint: Hashable = None
        self._task_paths: dict[int, str] = {}

    # --- the host -------------------------------------------------------------------

    @property
    def supported(self) -> bool:
        """True when the host has the ``references`` capability."""
        return self.host is not None and host_supports(self.host, "references")

    @property
    def message(self) -> str:
        """Why the inventory is empty for this host (``""`` when it is supported)."""
        if self.host is None:
            return "No host: the Scene Inventory lists the references of a host's scene."
        if self.supported:
            return ""
        return (
            f"The {self.host.name!r} host cannot load references (it has no 'references' "
            "capability), so there is nothing to list here. Open the Scene Inventory from "
            "an application that loads references, such as Blender."
        )

    def _refs(self) -> ReferenceHost:
        if not self.supported:
            raise ValidationError(self.message)
        return cast(ReferenceHost, self.host)

    def containers(self) -> list[Container]:
        """The scene's containers (read on the host's main thread); none when unsupported."""
        if not self.supported:
            return []
        return host_run_in_main_thread(self.host, self._refs().list_references)

    def fingerprint(self) -> Hashable:
        """A cheap summary of the scene: the current file and the containers (no database)."""
        if self.host is None:
            return None
        current = host_run_in_main_thread(self.host, self.host.current_file)
        return (str(current), tuple(self.containers()))

    def scene_changed(self) -> bool:
        """True when the scene differs from the last :meth:`load` (see the module docstring)."""
        return self.fingerprint() != self._fingerprint

    def _container(self, name: str) -> Container:
        for c in self.containers():
            if c.name == name:
                return c
        raise ValidationError(f"no container named {name!r} in the scene; refresh the inventory")

    # --- listing ----------------------------------------------------------------------

    def _numbers(self, containers: list[Container]) -> dict[int, VersionNumbers]:
        numbers = version_numbers(
            (c.version_id for c in containers if c.version_id is not None), session=self.session
        )
        self._task_paths = load_task_paths(self.session, {n.task_id for n in numbers.values()})
        return numbers

    def _plan(self, containers: list[Container]) -> list[ReferenceStatus]:
        """The outdated, unlocked statuses, their tasks loaded (the steps then query nothing)."""
        from stalker_core.models.task.model import Task

        todo = [s for s in reference_status(containers, self.target, session=self.session)
                if s.is_outdated and not s.container.locked]
        ids = {s.latest.task_id for s in todo if s.latest is not None}
        if ids:
            self.session.scalars(select(Task).where(Task.id.in_(ids))).all()
        return todo

    def _row(self, c: Container, n: VersionNumbers | None) -> ContainerRow:
        note = self.notes.get(c.name, "")
        if n is None:
            missing = c.version_id is not None
            if not note:
                note = (f"version {c.version_id} was deleted; load it again" if missing
                        else "no version id: loaded outside the pipeline")
            return ContainerRow(c.name, c.path, c.version_id, c.locked,
                                "missing" if missing else "untracked", note=note)
        outdated = n.is_outdated(self.target)
        if not note and outdated and c.locked:
            note = f"locked: updates keep {version_label(n.number)}"
        return ContainerRow(
            c.name, c.path, c.version_id, c.locked,
            "outdated" if outdated else "up_to_date",
            task=self._task_paths.get(n.task_id, ""),
            take=n.take_name,
            loaded=n.number,
            loaded_published=n.published,
            latest=n.newest,
            latest_published=n.newest_published,
            target=n.target(self.target) if outdated else None,
            note=note,
        )

    def load(self) -> InventoryState:
        """Read the scene and the database: one row per container.

        :raises DatabaseUnavailableError: the database cannot be reached.
        """
        self._fingerprint = self.fingerprint()
        if not self.supported:
            return InventoryState(supported=False, message=self.message)
        containers = list(cast(tuple[str, tuple[Container, ...]], self._fingerprint)[1])
        numbers = self.db_call("inventory: reference status", self._numbers, containers)
        return InventoryState([
            self._row(c, numbers.get(c.version_id) if c.version_id is not None else None)
            for c in containers
        ])

    # --- actions ----------------------------------------------------------------------

    def _context(self) -> Context:
        from stalker_core.context import resolve_context

        assert self.host is not None
        path = host_run_in_main_thread(self.host, self.host.current_file)
        return self.db_call("inventory: scene context", resolve_context, path=path,
                            session=self.session)

    def update(self, names: Iterable[str] | None = None) -> UpdateJob:
        """A job updating the outdated, unlocked containers (of ``names``, else all).

        The status is read now (one timed database call); the host is
        changed one reference per :meth:`UpdateJob.step`.
        """
        self._refs()
        wanted = None if names is None else set(names)
        containers = [c for c in self.containers() if wanted is None or c.name in wanted]
        todo = self.db_call("inventory: update plan", self._plan, containers)
        for s in todo:
            self.notes.pop(s.container.name, None)
        steps = apply_reference_updates(
            cast(Any, self.host), todo, context=self._context() if todo else None,
            pm=self.plugin_manager, keep_going=True,
        )
        return UpdateJob(self, todo, steps)

    def versions_for(self, name: str) -> list[VersionChoice]:
        """The versions of the task and take the container ``name`` holds, newest first.

        :raises ValidationError: the container records no version, or it no longer exists.
        """
        from stalker_core.models.version.model import Version

        c = self._container(name)
        if c.version_id is None:
            raise ValidationError(f"container {name!r} records no version to choose from")

        def query() -> list[VersionChoice]:
            current = self.session.get(Version, c.version_id)
            if current is None:
                raise ValidationError(
                    f"the version {c.version_id} of container {name!r} no longer exists"
                )
            versions = self.session.scalars(
                select(Version)
                .where(Version.task_id == current.task_id,
                       Version.take_name == current.take_name)
                .order_by(Version.version_number.desc())
            ).all()
            return [
                VersionChoice(
                    v.id, v.version_number, bool(v.is_published), v.date_created,
                    v.created_by.name if v.created_by is not None else "",
                    v.description or "", v.id == c.version_id,
                )
                for v in versions
            ]

        return self.db_call("inventory: versions of a container", query)

    def set_version(self, name: str, version_id: int) -> Container:
        """Point the container ``name`` at the version ``version_id`` (same task and take).

        :raises ValidationError: locked, unknown container or version, another task or take.
        :raises VetoError: a plugin kept the container as it is.
        """
        from stalker_core.models.version.model import Version

        version = self.db_call("inventory: version", self.session.get, Version, version_id)
        if version is None:
            raise ValidationError(f"no version with id {version_id}")
        self.notes.pop(name, None)
        container = set_reference_version(
            cast(Any, self._refs()), name, version, context=self._context(),
            session=self.session, pm=self.plugin_manager,
        )
        self.notes[name] = f"set to {version_label(version.version_number)}"
        return container

    def lock(self, names: Iterable[str], locked: bool = True) -> list[Container]:
        """Lock (``locked=False``: unlock) the containers ``names``; return them updated."""
        refs = self._refs()
        by_name = {c.name: c for c in self.containers()}
        done = []
        for name in names:
            c = by_name.get(name)
            if c is None:
                raise ValidationError(f"no container named {name!r} in the scene")
            done.append(host_run_in_main_thread(self.host, refs.lock_reference, c, locked))
        return done

    def remove(self, names: Iterable[str]) -> int:
        """Remove the containers ``names`` from the scene; return how many were removed."""
        refs = self._refs()
        by_name = {c.name: c for c in self.containers()}
        removed = 0
        for name in names:
            c = by_name.get(name)
            if c is None:
                continue  # already gone
            host_run_in_main_thread(self.host, refs.remove_reference, c)
            self.notes.pop(name, None)
            removed += 1
        return removed

    def actions(self) -> list[UIAction]:
        """The plugins' actions for the inventory's context menu (``stalker_ui_actions``)."""
        if self.host is None:
            return []
        return ui_actions(self.host, "inventory", self.plugin_manager)

    def run_action(self, action: UIAction, names: Iterable[str]) -> Any:
        """Run a plugin action on the containers ``names`` on the host's main thread."""
        wanted = set(names)
        containers = [c for c in self.containers() if c.name in wanted]
        return host_run_in_main_thread(self.host, action.run, host=self.host,
                                       containers=containers)
