"""Late-bound services: operations the models offer but the layers above implement.

The models sit *below* templates and scheduling in the layer order
(``docs/layers.md``), so no model module imports them, not even inside a
function. Yet Stalker's API, and our seed tutorial, put some of their work on
model objects: ``version.update_paths()`` renders templates,
``studio.schedule()`` runs a scheduler, ``studio.to_tjp`` writes TaskJuggler
text. Those methods call a *service* by name through :func:`service`, and
the implementation is bound late, from the ``stalker_core.services``
entry-point group of the installed distribution (``pyproject.toml``). The
dependency therefore points the right way: templates and scheduling import
the models; the models only know the name and the call signature declared in
:data:`SERVICES`.

A studio can replace a service for a process (a different path policy, a
scheduler service in front of tj3) with :func:`override`, or for an install
with its own distribution that declares the entry point; two distributions
declaring the same service name is an error that names both, never a silent
choice.

Example::

    from stalker_core.models import services

    with services.override("render_version_paths", my_renderer):
        version.update_paths()
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from stalker_core.exceptions import ConfigError

#: the entry-point group that binds the services
GROUP = "stalker_core.services"

#: every service the models call: name -> the call it stands for (documented once, here)
SERVICES: dict[str, str] = {
    "check_template_syntax": (
        "check_template_syntax(source: str, name: str) -> None; raises TemplateRenderError "
        "on a syntax error (FilenameTemplate and Structure validators)"
    ),
    "create_project_structure": (
        "create_project_structure(project: Project) -> list[Path]; makes the folders of "
        "project.structure.custom_template (Project.create_structure)"
    ),
    "render_version_paths": (
        "render_version_paths(version: Version, engine: TemplateEngine | None) -> "
        "tuple[str, str, TemplateEngine]; the rendered path and filename stem of a version, "
        "and the engine used (Version.update_paths)"
    ),
    "schedule_studio": (
        "schedule_studio(studio, *, scheduled_by, projects, scheduler, session) -> "
        "ScheduleResult (Studio.schedule)"
    ),
    "to_tjp": "to_tjp(obj) -> str; TaskJuggler text of a model object (the .to_tjp properties)",
}

_lock = threading.Lock()
_entry_points: dict[str, EntryPoint] = {}
_overrides: dict[str, list[Callable[..., Any]]] = {}


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
        if not candidates:
            raise ConfigError(
                f"no implementation of the model service {name!r}: no entry point {name!r} in "
                f"group {GROUP!r}; install stalker_core as a distribution "
                "(pip install stalker_core, or pip install -e . in a checkout)"
            )
        values = sorted({ep.value for ep in candidates})
        if len(values) > 1:
            raise ConfigError(
                f"model service {name!r} is declared by several entry points in group "
                f"{GROUP!r}: {', '.join(values)}; uninstall one, or choose with "
                "services.override()"
            )
        _entry_points[name] = found = candidates[0]
    return found


def service(name: str) -> Callable[..., Any]:
    """Return the implementation of the model service ``name``.

    An :func:`override` in force wins. Otherwise the entry point (looked up
    once) is resolved at each call, which costs a dictionary look-up once its
    module is imported, so the implementation is always the module's current
    attribute.

    :param name: a key of :data:`SERVICES`.
    :raises ConfigError: for an unknown name, when no single entry point binds it,
        or when it is bound to something that is not callable.
    """
    stack = _overrides.get(name)
    if stack:
        return stack[-1]
    found = _entry_point(name).load()
    if not callable(found):
        raise ConfigError(f"model service {name!r} is bound to {found!r}, which is not callable")
    return found  # type: ignore[no-any-return]


@contextmanager
def override(name: str, implementation: Callable[..., Any]) -> Iterator[None]:
    """Use ``implementation`` for the service ``name`` inside the ``with`` block.

    Overrides nest (the innermost wins) and are process wide.

    :raises ConfigError: for an unknown name or a non-callable implementation.
    """
    _check_name(name)
    if not callable(implementation):
        raise ConfigError(f"override of model service {name!r} must be callable")
    stack = _overrides.setdefault(name, [])
    stack.append(implementation)
    try:
        yield
    finally:
        stack.remove(implementation)
