"""Loading published versions in Blender's sidebar, through the core's Loader controller.

A library linked with File > Link carries no version id: "update references"
cannot tell which version it is, so it would count it as up to date forever.
The sidebar closes that gap twice:

* **Load Published** (``stalker.load_published``) lists the published
  ``.blend`` files of the scene's project (every project when the scene has
  none) and loads one with the Loader controller
  (:class:`~stalker_core.controllers.loader.LoaderController`), that is with a
  Loader action of the ``stalker_ui_actions`` hook; for Blender the core's
  ``core.reference`` calls the host's ``load_reference`` with the version id,
  so the library is followed by Update References from then on;
* the **References** sub-panel and the Update References report name every
  linked library without a version id as *untracked* (never "up to date").

The panel draws often, so the reference rows and the list of published
versions are cached; :func:`forget` drops both (every operator calls it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .runtime import runtime

if TYPE_CHECKING:
    from stalker_core.controllers.loader import LoaderController, LoadResult
    from stalker_core.hosts import Container
    from stalker_core.workflows.references import UpdateReport

log = logging.getLogger(__name__)

#: the file type Blender links
BLEND = ".blend"
#: most published versions the search list offers (newest first)
MAX_ITEMS = 500
#: what the References sub-panel says of a library linked without a version id
UNTRACKED = "untracked: linked without a version (File > Link), Update References skips it"


@dataclass(frozen=True)
class ReferenceRow:
    """One line of the References sub-panel."""

    name: str
    text: str
    icon: str
    tracked: bool


#: the cached rows, keyed by what the scene's references were when they were made
_ROWS: dict[tuple[Any, ...], list[ReferenceRow]] = {}
#: Blender keeps only pointers to dynamic enum strings: hold them here
_ITEMS: list[tuple[str, str, str]] = []
_ITEMS_READ = [False]


def forget() -> None:
    """Drop the cached reference rows and published versions (after any change)."""
    _ROWS.clear()
    _ITEMS_READ[0] = False


def controller() -> LoaderController:
    """A Loader controller over the add-on's host, session and plugin manager."""
    from stalker_core.controllers.loader import LoaderController

    return LoaderController(
        runtime.host(), session=runtime.session(), plugin_manager=runtime.plugin_manager()
    )


# -- Load Published -------------------------------------------------------------------------------


def published_items() -> list[tuple[str, str, str]]:
    """The search list of Load Published: ``(version id, label, description)``, newest first.

    The published versions with a ``.blend`` file of the scene's project, or
    of every project when the scene belongs to none. Never raises (an enum
    callback must not): a failure becomes a single item saying what failed.
    """
    if _ITEMS_READ[0]:
        return _ITEMS
    _ITEMS.clear()
    try:
        _ITEMS.extend(_read_items())
    except Exception as exc:  # noqa: BLE001 - shown as the only entry of the list
        log.debug("stalker_blender: listing published versions failed", exc_info=True)
        _ITEMS.append(("0", f"Cannot list versions: {type(exc).__name__}", str(exc)))
    if not _ITEMS:
        _ITEMS.append(("0", "No published .blend versions", "Publish a version first"))
    _ITEMS_READ[0] = True
    return _ITEMS


def _read_items() -> list[tuple[str, str, str]]:
    from stalker_core.controllers.loader import LoaderFilter

    ctl = controller()
    task = runtime.scene_task()
    projects = ctl.projects()
    if task is not None:
        projects = [p for p in projects if p.id == task.project_id]
    only_blend = LoaderFilter(extensions=frozenset({BLEND}))
    items: list[tuple[str, str, str]] = []
    for project in projects:
        page = ctl.versions(project.id, only_blend, limit=MAX_ITEMS - len(items))
        prefix = f"{project.code}: " if len(projects) > 1 else ""
        for row in page.items:
            file = row.file_for()
            where = f"{file.path.name}" if file is not None else "no .blend file"
            if file is not None and not file.exists:
                where += " (MISSING)"
            items.append((
                str(row.id),
                f"{prefix}{row.context} {row.label}",
                f"{where}; {row.author or 'unknown author'}; {row.description}".rstrip("; "),
            ))
        if len(items) >= MAX_ITEMS:
            break
    return items


def load_published(version_id: int, path: str = "", action: str = "") -> LoadResult:
    """Load the published version ``version_id`` into the scene (see the module docstring).

    :param path: one of the version's files (default: its published ``.blend``).
    :param action: the Loader action's name (default: the first that takes the file).
    """
    from stalker_core.controllers.loader import LoaderFilter

    ctl = controller()
    if not path:
        row = ctl.version(version_id, LoaderFilter(extensions=frozenset({BLEND})))
        file = row.file_for() if row is not None else None
        path = str(file.path) if file is not None else ""
    return ctl.load(version_id, action or None, path or None)


# -- references and their state ----------------------------------------------------------------


def reference_rows() -> list[ReferenceRow]:
    """The scene's references with their state in words (cached until they change)."""
    host = runtime.host()
    containers = host.list_references()
    key = tuple((c.name, str(c.path), c.version_id, c.locked) for c in containers)
    rows = _ROWS.get(key)
    if rows is None:
        rows = _describe(containers)
        _ROWS.clear()
        _ROWS[key] = rows
    return rows


def _describe(containers: list[Container]) -> list[ReferenceRow]:
    from stalker_core.workflows.references import reference_status

    tracked = [c for c in containers if c.version_id is not None]
    try:
        statuses = {s.container.name: s for s in reference_status(tracked,
                                                                  session=runtime.reading_session())}
    except Exception as exc:  # noqa: BLE001 - a panel must draw whatever happens
        log.debug("stalker_blender: reading reference versions failed", exc_info=True)
        statuses = {}
        problem = f"cannot read its version: {type(exc).__name__}: {exc}"
    else:
        problem = ""
    rows = []
    for c in containers:
        lock = " (locked)" if c.locked else ""
        if c.version_id is None:
            rows.append(ReferenceRow(c.name, f"{c.name}: {UNTRACKED}", "ERROR", False))
            continue
        status = statuses.get(c.name)
        if status is None or status.current is None:
            why = problem or f"version {c.version_id} is not in the database"
            rows.append(ReferenceRow(c.name, f"{c.name}: {why}", "ERROR", True))
            continue
        current = f"v{status.current.version_number:03d}"
        if status.is_outdated and status.latest is not None:
            text = f"{c.name}: {current}, v{status.latest.version_number:03d} is published{lock}"
            rows.append(ReferenceRow(c.name, text, "FILE_REFRESH", True))
        else:
            rows.append(ReferenceRow(c.name, f"{c.name}: {current}, up to date{lock}",
                                     "CHECKMARK", True))
    return rows


def update_summary(report: UpdateReport) -> tuple[str, list[str]]:
    """The Update References message and one warning per untracked library.

    A library without a version id is counted as *untracked*, not as up to date.
    """
    untracked = [c for c in report.up_to_date if c.version_id is None]
    current = len(report.up_to_date) - len(untracked)
    message = (
        f"{len(report.updated)} updated, {current} up to date, {len(untracked)} untracked, "
        f"{len(report.locked)} locked, {len(report.vetoed)} kept by a plugin"
    )
    warnings = [
        f"{c.name} is untracked: it was linked without a version (File > Link), so it is "
        f"never updated; remove it and use Load Published" for c in untracked
    ]
    return message, warnings
