"""The variables a filename template sees, and the checks on rendered paths.

For a version of task ``t`` the context is (:data:`VARIABLES`):

``version``       the Version being rendered
``task``          ``t``
``project``       ``t.project``
``parent_tasks``  the tasks from the root down to and including ``t``
``asset`` / ``shot`` / ``sequence`` / ``scene``
                  the nearest such ancestor of ``t`` (or ``t`` itself), else ``None``
``type``          ``t.type`` (``None`` when untyped)
``extension``     the version's extension (``""`` when unset)

plus the engine's globals (plugins may add more). Every entity is given as
its read-only :class:`~stalker_core.templates.values.EntityValues`, never as
the model object. A structure's ``custom_template`` sees ``project`` only.

A rendered path or file name may not hold a control character (NUL, a
newline, a tab...) or a lone surrogate: :func:`check_characters` refuses
it, naming the template and the character, before any folder is made.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PathEscapeError, TemplateRenderError
from stalker_core.models.paths import check_relative_parts, is_absolute, normalize_path
from stalker_core.models.task.graph import lineage
from stalker_core.templates.values import EntityValues, values_of

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.repository import Repository
    from stalker_core.models.task.model import Task
    from stalker_core.models.version.model import Version

#: class names exposed as their own variable when found among a task's ancestors
ROLE_CLASSES = ("Asset", "Shot", "Sequence", "Scene")

#: every variable :func:`version_context` provides, with what it is (docs/templates.md)
VARIABLES: dict[str, str] = {
    "version": "the version being rendered (version values)",
    "task": "the version's task (task values; asset/shot/sequence/scene values when "
            "it is one)",
    "project": "the task's project (project values)",
    "parent_tasks": "the tasks from the root down to and including task (a tuple of "
                    "task values)",
    "asset": "the nearest asset among parent_tasks, else None",
    "shot": "the nearest shot among parent_tasks, else None",
    "sequence": "the nearest sequence among parent_tasks, else None",
    "scene": "the nearest scene among parent_tasks, else None",
    "type": "the task's type (type values), None when untyped",
    "extension": "the version's file extension with its dot ('' when unset)",
}

#: every variable name :func:`version_context` provides (plugin globals may not reuse them)
CONTEXT_NAMES: frozenset[str] = frozenset(VARIABLES)


def task_context(task: Task, memo: dict[int, EntityValues] | None = None) -> dict[str, Any]:
    """Context entries derived from ``task`` (see the module docstring).

    :param memo: shared with :func:`~stalker_core.templates.values.values_of`
        so each object has one set of values in the context.
    """
    memo = {} if memo is None else memo
    chain = lineage(task)
    ctx: dict[str, Any] = {
        "task": values_of(task, memo),
        "project": values_of(task.project, memo),
        "parent_tasks": tuple(values_of(node, memo) for node in chain),
        "type": None if task.type is None else values_of(task.type, memo),
    }
    for role in ROLE_CLASSES:
        ctx[role.lower()] = None
    for node in reversed(chain):
        key = type(node).__name__.lower()
        if type(node).__name__ in ROLE_CLASSES and ctx[key] is None:
            ctx[key] = values_of(node, memo)
    return ctx


def version_context(version: Version) -> dict[str, Any]:
    """The full context for rendering ``version``'s path and filename."""
    memo: dict[int, EntityValues] = {}
    ctx = task_context(version.task, memo)
    ctx["version"] = values_of(version, memo)
    ctx["extension"] = version.extension
    return ctx


def project_context(project: Project) -> dict[str, Any]:
    """The context of a structure's ``custom_template``: ``project`` only."""
    return {"project": values_of(project)}


def _shown(text: str, limit: int = 200) -> str:
    """``repr(text)``, shortened for messages."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


#: control characters (Unicode category Cc) and lone surrogates (Cs)
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_characters(rendered: str, *, what: str) -> str:
    """Refuse a rendered path or name holding a control character or a lone surrogate.

    Control characters (NUL, newline, tab, escape, DEL, the C1 range) break
    or disguise file names, and a NUL stops the operating system's path
    functions; a lone surrogate cannot be encoded.

    :param what: how to name the template in the error.
    :returns: ``rendered`` unchanged.
    :raises TemplateRenderError: naming ``what``, the character and where it is;
        the error has ``.template`` and ``.character``.
    """
    found = _REFUSED.search(rendered)
    if found is None:
        return rendered
    index, char = found.start(), found.group()
    err = TemplateRenderError(
        f"{what} {_shown(rendered)} holds the character {char!r} (U+{ord(char):04X}) at "
        f"position {index}; paths and file names may not hold control characters "
        "(NUL, newline, tab...) or lone surrogates: fix the template or the name it uses"
    )
    err.template = what  # type: ignore[attr-defined]
    err.character = char  # type: ignore[attr-defined]
    raise err


def check_rendered_path(rendered: str, repositories: list[Repository], *, what: str) -> str:
    """Normalise a rendered directory path and make sure it stays inside a repository.

    Accepted forms: ``$REPO<id|code>/...`` naming one of ``repositories``, a
    relative path (relative to the first repository), or an absolute path
    inside one of ``repositories`` (converted to ``$REPO<id>/...``).

    :raises TemplateRenderError: for a control character (:func:`check_characters`).
    :raises PathEscapeError: for ``..`` components, an absolute path outside
        every repository, or a ``$REPO`` of another repository.
    """
    from stalker_core.models.paths import join_path, split_repo_var

    text = check_characters(rendered.strip(), what=what).replace("\\", "/")
    check_relative_parts(text, what=what)
    var = split_repo_var(text)
    if var is not None:
        key, rest = var
        if key == "None":
            raise TemplateRenderError(
                f"{what} {rendered!r} uses the id of a repository that is not stored yet; "
                "add the repository to the session and flush (or commit) before rendering"
            )
        if repositories and not any(key in (str(r.id), r.code) for r in repositories):
            raise PathEscapeError(
                f"{what} {rendered!r} points into REPO{key}, which is not a repository "
                f"of the project (expected one of "
                f"{', '.join(f'REPO{r.id}' for r in repositories)})"
            )
        prefix = text[: len(text) - len(rest)].rstrip("/")
        return join_path(prefix, normalize_path(rest, what=what, allow_mixed=True))
    if is_absolute(text):
        for repo in repositories:
            rel = repo.relative_path(text)
            if rel is not None:
                return join_path(f"$REPO{repo.id}", rel)
        raise PathEscapeError(
            f"{what} {rendered!r} is an absolute path outside the project's repositories; "
            "start templates with $REPO{{project.repository.id}}"
        )
    return normalize_path(text, what=what, allow_mixed=True)


def check_rendered_filename(rendered: str, *, what: str) -> str:
    """A rendered file name must be one path component (no separators, not ``..``).

    :raises TemplateRenderError: for a control character (:func:`check_characters`).
    :raises PathEscapeError: for a separator, ``.``/``..`` or an absolute name.
    """
    name = check_characters(rendered.strip(), what=what)
    if "/" in name or "\\" in name or name in {".", ".."} or is_absolute(name):
        raise PathEscapeError(
            f"{what} {rendered!r} is not a plain file name (no '/', '\\' or '..' allowed)"
        )
    return name
