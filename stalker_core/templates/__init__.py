"""Filename templates: the sandboxed Jinja2 environment and path rendering.

* :func:`build_environment` / :func:`build_engine` — the one factory (sandboxed,
  strict about undefined names; plugins pass extra filters/globals/tests).
* :class:`TemplateEngine` — environment + cache of compiled templates.
* :func:`default_engine` / :func:`set_default_engine` — the engine versions use;
  :func:`using_engine` installs one for a ``with`` block (scoped, restored);
  :func:`engine_from_contributions` merges plugin hook results into one.
* :func:`version_context` / :func:`task_context` — the variables templates see,
  as read-only :class:`EntityValues` (:mod:`stalker_core.templates.values`).
* :class:`TemplateLimits` — how much work one render may do
  (:mod:`stalker_core.templates.limits`, the ``[templates]`` settings).
* :func:`check_characters` — no control character in a rendered path.
"""

from __future__ import annotations

from stalker_core.templates.context import (
    CONTEXT_NAMES,
    VARIABLES,
    check_characters,
    check_rendered_filename,
    check_rendered_path,
    lineage,
    task_context,
    version_context,
)
from stalker_core.templates.environment import (
    TemplateEngine,
    build_engine,
    build_environment,
    default_engine,
    engine_from_contributions,
    set_default_engine,
    using_engine,
)
from stalker_core.templates.limits import TemplateLimits
from stalker_core.templates.values import ENTITIES, EntityValues, values_of

__all__ = [
    "CONTEXT_NAMES",
    "ENTITIES",
    "VARIABLES",
    "EntityValues",
    "TemplateEngine",
    "TemplateLimits",
    "build_engine",
    "build_environment",
    "check_characters",
    "check_rendered_filename",
    "check_rendered_path",
    "default_engine",
    "engine_from_contributions",
    "lineage",
    "set_default_engine",
    "task_context",
    "using_engine",
    "values_of",
    "version_context",
]
