"""Pure path helpers shared by repositories, templates and versions.

Paths inside stalker_core are stored with forward slashes whatever the
operating system. These helpers normalise user input, join parts without
double slashes, and recognise the ``$REPO<id>`` / ``$REPO<code>`` prefix that
makes a stored path independent of the operating system. Nothing here
touches the database or the file system.
"""

from __future__ import annotations

import platform
import re

from stalker_core.exceptions import ValidationError

#: ``$REPO12/...``, ``${REPO12}/...``, ``$REPOCR/...`` (the key is the id or the code)
REPO_VAR_RE = re.compile(r"^\$(?:\{REPO(?P<braced>[A-Za-z0-9_]+)\}|REPO(?P<plain>[A-Za-z0-9_]+))")

_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_MULTI_SLASH_RE = re.compile(r"/{2,}")


def current_os() -> str:
    """Return ``"linux"``, ``"macos"`` or ``"windows"`` for the running system."""
    system = platform.system()
    if system == "Windows":
        return "windows"
    if system == "Darwin":
        return "macos"
    return "linux"


def normalize_path(value: str, *, what: str = "path", allow_mixed: bool = False) -> str:
    """Return ``value`` with forward slashes, no doubled slashes and no trailing slash.

    A path written with backslashes only (``M:\\commercials``) is converted.
    A UNC prefix (``\\\\server\\share`` or ``//server/share``) keeps its two
    leading slashes; the root ``/`` stays ``/``.

    :param value: the path as the user typed it.
    :param what: how to name the value in error messages (e.g. ``"Repository.linux_path"``).
    :param allow_mixed: accept a mix of ``/`` and ``\\`` (converted) instead of refusing it.
    :raises ValidationError: for surrounding white space, or mixed separators when not allowed.
    """
    if value != value.strip():
        raise ValidationError(
            f"{what} should not start or end with white space, not {value!r} "
            "(remove the spaces; a path is used verbatim)"
        )
    if not value:
        return ""
    if "/" in value and "\\" in value and not allow_mixed:
        raise ValidationError(
            f"{what} mixes '/' and '\\' separators: {value!r}; write it with one kind of "
            "separator (stalker_core stores forward slashes)"
        )
    value = value.replace("\\", "/")
    unc = value.startswith("//")
    value = _MULTI_SLASH_RE.sub("/", value)
    if unc:
        value = "/" + value
    if len(value) > 1 and value.endswith("/") and not (unc and value.count("/") <= 3):
        value = value.rstrip("/") or "/"
    if _DRIVE_RE.match(value) and len(value) == 2:
        value += "/"
    return value


def join_path(*parts: str) -> str:
    """Join path parts with single forward slashes (empty parts are skipped)."""
    out = ""
    for part in parts:
        if not part:
            continue
        part = part.replace("\\", "/")
        if not out:
            out = part
        else:
            out = out.rstrip("/") + "/" + part.lstrip("/")
    if out.startswith("//"):
        return "/" + _MULTI_SLASH_RE.sub("/", out)
    return _MULTI_SLASH_RE.sub("/", out)


def is_absolute(path: str) -> bool:
    """``True`` for ``/x``, ``\\x``, ``C:/x`` and UNC paths on any OS."""
    return path.startswith(("/", "\\")) or bool(_DRIVE_RE.match(path))


def split_repo_var(path: str) -> tuple[str, str] | None:
    """Split ``$REPO<key>/rest`` into ``(key, rest)``; ``None`` when there is no such prefix."""
    m = REPO_VAR_RE.match(path)
    if m is None:
        return None
    key = m.group("braced") or m.group("plain")
    rest = path[m.end() :]
    if rest and not rest.startswith(("/", "\\")):
        return None
    return key, rest.lstrip("/\\")


def relative_to(path: str, root: str, *, case_insensitive: bool = False) -> str | None:
    """Return ``path`` relative to ``root`` (both forward-slashed), or ``None`` if outside."""
    if not root:
        return None
    root = root.rstrip("/") if root != "/" else root
    p, r = (path.lower(), root.lower()) if case_insensitive else (path, root)
    if p == r:
        return ""
    prefix = r if r.endswith("/") else r + "/"
    if p.startswith(prefix):
        return path[len(prefix) :].rstrip("/")
    return None


def check_relative_parts(path: str, *, what: str) -> None:
    """Refuse ``..`` components (they would climb out of a repository).

    :raises PathEscapeError: when a component is ``..``.
    """
    from stalker_core.exceptions import PathEscapeError

    for part in path.replace("\\", "/").split("/"):
        if part.strip() == "..":
            raise PathEscapeError(
                f"{what} {path!r} contains '..' and would leave its repository; "
                "templates and names must stay inside the repository"
            )
