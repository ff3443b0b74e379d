"""Late-bound services: operations the models offer but the layers above implement.

The models sit *below* templates and scheduling in the layer order
(``docs/layers.md``), so no model module imports them, not even inside a
function. Yet Stalker's API, and our seed tutorial, put some of their work on
model objects: ``version.update_paths()`` renders templates,
``studio.schedule()`` runs a scheduler, ``studio.to_tjp`` writes TaskJuggler
text. Those methods call a *service* by name through :func:`service`. The
implementation is bound late:

1. an :func:`override` in force in the current context (a ``with`` block of
   this thread or asyncio task), else
2. the one entry point of that name in the ``stalker_core.services`` group,
   declared by an installed distribution (a studio's replacement), else
3. the default named in :data:`SERVICES` (``"module:attribute"`` in
   templates or scheduling), so a source checkout on ``PYTHONPATH`` with no
   installed metadata works too.

These defaults are the models' only references to the layers above: strings,
resolved on first use and documented here and in ``docs/layers.md``. Two
distributions declaring the same service is an error naming both, never a
silent choice.

Example::

    from stalker_core.models import services

    with services.override("render_version_paths", my_renderer):
        version.update_paths()
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Any

from stalker_core.exceptions import ConfigError

#: the entry-point group that binds the services
GROUP = "stalker_core.services"


@dataclass(frozen=True)
class Service:
    """A model service: where its default lives and the call it stands for."""

    #: ``"module:attribute"`` of the default implementation
    default: str
    #: the call signature and what it is for
    call: str


#: every service the models call, declared once
SERVICES: dict[str, Service] = {
    "check_template_syntax": Service(
        "stalker_core.templates.paths:check_template_syntax",
        "check_template_syntax(source: str, name: str) -> None; raises TemplateRenderError "
        "on a syntax error (FilenameTemplate and Structure validators)",
    ),
    "create_project_structure": Service(
        "stalker_core.templates.folders:create_project_structure",
        "create_project_structure(project: Project) -> list[Path]; makes the folders of "
        "project.structure.custom_template (Project.create_structure)",
    ),
    "render_version_paths": Service(
        "stalker_core.templates.paths:render_version_paths",
        "render_version_paths(version: Version, engine: TemplateEngine | None) -> "
        "tuple[str, str, TemplateEngine]; the rendered path and filename stem of a version, "
        "and the engine used (Version.update_paths)",
    ),
    "schedule_studio": Service(
        "stalker_core.scheduling:schedule_studio",
        "schedule_studio(studio, *, scheduled_by, projects, scheduler, session) -> "
        "ScheduleResult (Studio.schedule)",
    ),
    "to_tjp": Service(
        "stalker_core.scheduling:to_tjp",
        "to_tjp(obj) -> str; TaskJuggler text of a model object (the .to_tjp properties)",
    ),
}

_lock = threading.Lock()
_entry_points: dict[str, EntryPoint] = {}
#: the overrides in force in this context (an immutable mapping, replaced on change)
_overrides: ContextVar[Mapping[str, Callable[..., Any]]] = ContextVar(
    "stalker_core_model_service_overrides", default=MappingProxyType({})
)


def _check_name(name: str) -> None:
    if name not in SERVICES:
        raise ConfigError(
            f"unknown model service {name!r}; expected one of {', '.join(sorted(SERVICES))}"
        )


def _entry_point(name: str) -> EntryPoint:
    found = _entry_points.get(name)
    if found is not None:
        return found
    _check_name(name)
    with _lock:
        candidates = list(entry_points(group=GROUP, name=name))
        values = sorted({ep.value for ep in candidates})
        if len(values) > 1:
            raise ConfigError(
                f"model service {name!r} is declared by several entry points in group "
                f"{GROUP!r}: {', '.join(values)}; uninstall one, or choose with "
                "services.override()"
            )
        found = candidates[0] if candidates else EntryPoint(name, SERVICES[name].default, GROUP)
        _entry_points[name] = found
    return found


def service(name: str) -> Callable[..., Any]:
    """Return the implementation of the model service ``name``.

    An :func:`override` in force in this context wins. Otherwise the binding
    (a distribution's entry point, else the default of :data:`SERVICES`;
    looked up once) is resolved at each call, which costs a dictionary
    look-up once its module is imported, so the implementation is always the
    module's current attribute.

    :param name: a key of :data:`SERVICES`.
    :raises ConfigError: for an unknown name, when two distributions bind it,
        or when it is bound to something that is not callable.
    """
    found_override = _overrides.get().get(name)
    if found_override is not None:
        return found_override
    found = _entry_point(name).load()
    if not callable(found):
        raise ConfigError(f"model service {name!r} is bound to {found!r}, which is not callable")
    return found  # type: ignore[no-any-return]


@contextmanager
def override(name: str, implementation: Callable[..., Any]) -> Iterator[None]:
    """Use ``implementation`` for the service ``name`` inside the ``with`` block.

    The override holds in the current context only (this thread, or this
    asyncio task): other threads keep their own binding. Overrides nest; the
    innermost wins. For a whole install, declare the entry point instead.

    :raises ConfigError: for an unknown name or a non-callable implementation.
    """
    _check_name(name)
    if not callable(implementation):
        raise ConfigError(f"override of model service {name!r} must be callable")
    token = _overrides.set(MappingProxyType({**_overrides.get(), name: implementation}))
    try:
        yield
    finally:
        _overrides.reset(token)
