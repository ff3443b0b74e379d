"""The data types that hooks receive and return (publish items, results, reports, checks).

Defined here once; plugin authors import them from :mod:`stalker_core.plugins.api`,
the hook specifications and the workflows from here or from the api.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from stalker_core.models.file import File
    from stalker_core.models.version.model import Version


# -------------------------------------------------------------------------
# severities and scene checks
# -------------------------------------------------------------------------

#: how bad a check or validation result is; only ``"error"`` stops a publish
Severity = Literal["info", "warning", "error"]

#: every :data:`Severity`, mildest first
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")


def check_severity(value: str) -> str:
    """Return ``value`` when it is a known severity, else raise ValueError."""
    if value not in SEVERITIES:
        raise ValueError(f"severity should be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


@dataclass
class SceneCheck:
    """A finding about an opened scene, e.g. "3 references are outdated".

    Returned by ``stalker_workfile_after_open`` implementations.

    :param title: a short title.
    :param message: what was found, in a sentence.
    :param severity: ``"info"``, ``"warning"`` or ``"error"``.
    :param fix: an optional callable that fixes it (e.g. update references).
    :param fix_label: the label of the fix button.
    :param plugin: the plugin that reported it (filled in by the core).
    """

    title: str
    message: str
    severity: Severity = "warning"
    fix: Callable[[], Any] | None = None
    fix_label: str = "Fix"
    plugin: str = ""

    def __post_init__(self) -> None:
        check_severity(self.severity)


# -------------------------------------------------------------------------
# publishing
# -------------------------------------------------------------------------


@dataclass
class PublishItem:
    """One thing a publish is made of (the work file, a camera, a cache ...).

    Returned by ``stalker_publish_collect``, passed to the later stages.

    :param name: unique within the publish, e.g. ``"workfile"``.
    :param kind: what it is (``"workfile"``, ``"camera"`` ...); extractors filter on it.
    :param version: the Version being published.
    :param path: the main file of the item, when it has one.
    :param data: whatever collectors found for validators (validators never query).
    """

    name: str
    kind: str
    version: Version
    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ValidationResult:
    """A problem found by a validator (``stalker_publish_validate``).

    :param title: a short title (results are grouped by it).
    :param message: what is wrong and what is expected.
    :param severity: ``"error"`` stops the publish; ``"warning"``/``"info"`` do not.
    :param item: the name of the item concerned.
    :param plugin: the plugin that reported it (filled in by the core).
    :param repair: an optional callable fixing the problem.
    :param repair_label: the label of the repair button.
    :param check: the id of the check that found it (filled in by the core
        from the validator's ``@check`` declaration, see
        :mod:`stalker_core.plugins.checks`).
    :param objects: the names of the scene objects concerned (nodes, layers,
        references ...), when the check can tell; a panel lists them.
    """

    title: str
    message: str
    severity: Severity = "error"
    item: str = ""
    plugin: str = ""
    repair: Callable[[], Any] | None = None
    repair_label: str = "Repair"
    check: str = ""
    objects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_severity(self.severity)
        found = (self.objects,) if isinstance(self.objects, str) else self.objects
        self.objects = tuple(str(o) for o in found)

    @property
    def is_error(self) -> bool:
        """True when this result stops a publish."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = f" [{self.item}]" if self.item else ""
        by = f" ({self.plugin})" if self.plugin else ""
        return f"{self.severity}: {self.title}{where}: {self.message}{by}"


@dataclass
class Representation:
    """A file an extractor (``stalker_publish_extract``) produced for an item.

    :param name: the representation's name (``"workfile"``, ``"abc"`` ...).
    :param path: the file, inside the staging folder.
    """

    name: str
    path: Path


@runtime_checkable
class PublishTransaction(Protocol):
    """What a ``stalker_publish_integrate`` implementation may do with the file transaction.

    An integrator only *plans* where files go; the core copies them all
    together after every integrator ran (or none, on failure), never
    replacing an existing file. The workflows pass a
    :class:`stalker_core.workflows.transaction.FileTransaction`.
    """

    def add(self, source: os.PathLike[str] | str, destination: os.PathLike[str] | str) -> None:
        """Plan to copy ``source`` to the absolute path ``destination``.

        :raises IntegrationError: for a relative destination, or one that
            another file is already planned to.
        """
        ...

    @property
    def destinations(self) -> list[Path]:
        """Every destination planned so far (by any integrator)."""
        ...


@dataclass(frozen=True)
class HookFailure:
    """An implementation that raised in a hook whose failures do not stop the others.

    ``stalker_publish_after`` is such a hook: the publish is already
    committed, so every notifier runs and each one that raised is recorded
    in :attr:`PublishReport.failures`.

    :param plugin: the name of the plugin that raised.
    :param hook: the hook it raised in.
    :param error: the exception it raised.
    """

    plugin: str
    hook: str
    error: BaseException

    def __str__(self) -> str:
        text = str(self.error)
        error = f"{type(self.error).__name__}: {text}" if text else type(self.error).__name__
        return f"plugin {self.plugin!r} raised in {self.hook}: {error}"


@dataclass
class PublishReport:
    """Everything a publish (or a dry validation) found and did.

    Passed to ``stalker_publish_after``; returned by
    :func:`stalker_core.workflows.publish` and :func:`stalker_core.workflows.validate`.
    """

    #: the Version published (or validated)
    version: Version
    #: what the collectors collected
    items: list[PublishItem] = field(default_factory=list)
    #: what the validators found
    results: list[ValidationResult] = field(default_factory=list)
    #: item name -> what the extractors produced for it
    representations: dict[str, list[Representation]] = field(default_factory=dict)
    #: the File objects registered as the version's outputs
    outputs: list[File] = field(default_factory=list)
    #: where the published files were placed
    published_paths: list[Path] = field(default_factory=list)
    #: problems that did not stop the publish (failed repairs, failed notifiers), as text
    warnings: list[str] = field(default_factory=list)
    #: true once the files are placed and the database committed
    published: bool = False
    #: check id -> the plugins that check it instead of the generic validators
    #: (answers of ``stalker_publish_overridden_checks``)
    overridden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``(plugin, check id)`` of the validators skipped because they were overridden
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: ``stalker_publish_after`` implementations that raised (the publish is kept)
    failures: list[HookFailure] = field(default_factory=list)

    @property
    def errors(self) -> list[ValidationResult]:
        """Results of severity error."""
        return [r for r in self.results if r.is_error]

    @property
    def ok(self) -> bool:
        """True when validation found no error."""
        return not self.errors


# -------------------------------------------------------------------------
# user interface: panels and actions
# -------------------------------------------------------------------------

#: where a :class:`UIAction` is offered
ActionLocation = Literal["menu", "loader", "inventory"]

#: every :data:`ActionLocation`
ACTION_LOCATIONS: tuple[str, ...] = ("menu", "loader", "inventory")


@dataclass(frozen=True)
class PanelSpec:
    """A panel that a plugin adds to the host menus and to ``stalker ui``.

    Returned by ``stalker_ui_panels``. The view is named by a dotted path,
    ``"package.module:factory"``, so that answering the hook imports no Qt:
    the factory is imported only when the panel is first shown.

    :param name: the panel's id (``"workfiles"``, ``"studio_review"``), lower case.
    :param title: the window title and menu label.
    :param view: ``"module:callable"``; the callable is called as
        ``factory(host=..., parent=..., session=..., plugin_manager=...)`` and
        returns a ``QWidget``.
    :param order: menu position, smallest first.
    :param plugin: the plugin that added it (filled in by the core).
    """

    name: str
    title: str
    view: str
    order: int = 100
    plugin: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").isalnum() or not self.name.islower():
            raise ValueError(
                f"PanelSpec.name should be lower-case letters, digits and '_', not {self.name!r}"
            )
        module, sep, attr = self.view.partition(":")
        if not (module and sep and attr):
            raise ValueError(
                f"PanelSpec.view should be 'package.module:callable', not {self.view!r}"
            )


@dataclass(frozen=True)
class UIAction:
    """An action a plugin offers in a host menu, the Loader or the Scene Inventory.

    Returned by ``stalker_ui_actions``. ``run`` is called on the host's main
    thread with keyword arguments that depend on the location:

    * ``"menu"``: ``run(host=host)``;
    * ``"loader"``: ``run(host=host, version=version, path=path)``, where
      ``path`` is the version's absolute file path; it returns the
      :class:`~stalker_core.hosts.Container` it made, or ``None``;
    * ``"inventory"``: ``run(host=host, containers=[...])``.

    :param name: a unique id, prefixed by the plugin (``"maya.reference"``).
    :param label: the text on the button or menu item.
    :param location: one of :data:`ACTION_LOCATIONS`.
    :param run: the callable.
    :param extensions: loader actions only: the file extensions (``".ma"``)
        the action accepts; empty accepts every file.
    :param description: a tooltip sentence.
    :param order: position, smallest first.
    :param plugin: the plugin that offered it (filled in by the core).
    """

    name: str
    label: str
    location: ActionLocation
    run: Callable[..., Any]
    extensions: tuple[str, ...] = ()
    description: str = ""
    order: int = 100
    plugin: str = ""

    def __post_init__(self) -> None:
        if self.location not in ACTION_LOCATIONS:
            raise ValueError(
                f"UIAction.location should be one of {', '.join(ACTION_LOCATIONS)}, "
                f"not {self.location!r}"
            )
        if not callable(self.run):
            raise TypeError(f"UIAction.run should be callable, not {self.run!r}")
        object.__setattr__(
            self, "extensions", tuple(e.lower() for e in self.extensions)
        )

    def accepts(self, path: os.PathLike[str] | str) -> bool:
        """True when this (loader) action takes a file with ``path``'s extension."""
        return not self.extensions or Path(path).suffix.lower() in self.extensions


# -------------------------------------------------------------------------
# launching applications
# -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationInstall:
    """An installed application the launcher can start.

    Returned by ``stalker_launch_discover``; also made from the configured
    executable patterns.

    :param application: the application's name in the configuration (``"blender"``).
    :param variant: its version as the configuration names variants (``"3.4"``).
    :param executable: the absolute path of the program.
    :param source: where it was found (``"configuration"`` or the plugin's name).
    """

    application: str
    variant: str
    executable: Path
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "executable", Path(self.executable))
        if not self.application or not self.variant:
            raise ValueError(
                f"ApplicationInstall needs an application and a variant, got "
                f"{self.application!r} and {self.variant!r}"
            )
