"""The variables a filename template sees, and the checks on rendered paths.

For a version of task ``t`` the context is:

``version``       the Version being rendered
``task``          ``t``
``project``       ``t.project``
``parent_tasks``  the tasks from the root down to and including ``t``
``asset`` / ``shot`` / ``sequence`` / ``scene``
                  the nearest such ancestor of ``t`` (or ``t`` itself), else ``None``
``type``          ``t.type`` (``None`` when untyped)
``extension``     the version's extension (``""`` when unset)

plus the engine's globals (plugins may add more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PathEscapeError
from stalker_core.models.paths import check_relative_parts, is_absolute, normalize_path
from stalker_core.models.task.graph import lineage

if TYPE_CHECKING:
    from stalker_core.models.repository import Repository
    from stalker_core.models.task.model import Task
    from stalker_core.models.version.model import Version

#: class names exposed as their own variable when found among a task's ancestors
ROLE_CLASSES = ("Asset", "Shot", "Sequence", "Scene")

#: every variable name :func:`version_context` provides (plugin globals may not reuse them)
CONTEXT_NAMES: frozenset[str] = frozenset(
    {"version", "task", "project", "parent_tasks", "type", "extension"}
    | {role.lower() for role in ROLE_CLASSES}
)


def task_context(task: Task) -> dict[str, Any]:
    """Context entries derived from ``task`` (see the module docstring)."""
    chain = lineage(task)
    ctx: dict[str, Any] = {
        "task": task,
        "project": task.project,
        "parent_tasks": chain,
        "type": task.type,
    }
    for role in ROLE_CLASSES:
        ctx[role.lower()] = None
    for node in reversed(chain):
        key = type(node).__name__.lower()
        if type(node).__name__ in ROLE_CLASSES and ctx[key] is None:
            ctx[key] = node
    return ctx


def version_context(version: Version) -> dict[str, Any]:
    """The full context for rendering ``version``'s path and filename."""
    ctx = task_context(version.task)
    ctx["version"] = version
    ctx["extension"] = version.extension
    return ctx


def check_rendered_path(rendered: str, repositories: list[Repository], *, what: str) -> str:
    """Normalise a rendered directory path and make sure it stays inside a repository.

    Accepted forms: ``$REPO<id|code>/...`` naming one of ``repositories``, a
    relative path (relative to the first repository), or an absolute path
    inside one of ``repositories`` (converted to ``$REPO<id>/...``).

    :raises PathEscapeError: for ``..`` components, an absolute path outside
        every repository, or a ``$REPO`` of another repository.
    """
    from stalker_core.models.paths import join_path, split_repo_var

    text = rendered.strip().replace("\\", "/")
    check_relative_parts(text, what=what)
    var = split_repo_var(text)
    if var is not None:
        key, rest = var
        if key == "None":
            from stalker_core.exceptions import TemplateRenderError

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

    :raises PathEscapeError: otherwise.
    """
    name = rendered.strip()
    if "/" in name or "\\" in name or name in {".", ".."} or is_absolute(name):
        raise PathEscapeError(
            f"{what} {rendered!r} is not a plain file name (no '/', '\\' or '..' allowed)"
        )
    return name
