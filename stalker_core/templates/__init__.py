"""Filename templates: the sandboxed Jinja2 environment and path rendering.

* :func:`build_environment` / :func:`build_engine` — the one factory (sandboxed,
  strict about undefined names; plugins pass extra filters/globals/tests).
* :class:`TemplateEngine` — environment + cache of compiled templates.
* :func:`default_engine` / :func:`set_default_engine` — the engine versions use;
  :func:`using_engine` installs one for a ``with`` block (scoped, restored);
  :func:`engine_from_contributions` merges plugin hook results into one.
* :func:`version_context` / :func:`task_context` — the variables templates see.
"""

from __future__ import annotations

from stalker_core.templates.context import (
    CONTEXT_NAMES,
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

__all__ = [
    "CONTEXT_NAMES",
    "TemplateEngine",
    "build_engine",
    "build_environment",
    "check_rendered_filename",
    "check_rendered_path",
    "default_engine",
    "engine_from_contributions",
    "lineage",
    "set_default_engine",
    "task_context",
    "using_engine",
    "version_context",
]
