"""Which file of a newer version takes the place of the file a reference reads.

A reference does not always read its version's work file: a Nuke Read reads
rendered frames, a ReadGeo2 or a Maya reference an Alembic cache or the
published copy of a scene - files the publish registered as the version's
*outputs*. Updating it to a newer version must read the same kind of file
of that version, not its work file (a Read cannot read a ``.nk``).

:func:`replacement_path` finds it by name: the reference's file name and
each output name of the newer version are reduced to a *key* in which the
version's own parts are blanked - its file stem (``SH010_comp_Main_v003``),
its ``v003`` token, a frame number before the extension, or a frame pattern
(``####``, ``%04d``) - and the extension is compared without case. The file
whose key equals the reference's is the replacement; for a frame pattern the
newer version's frames give the folder and name, and the reference's own
pattern notation is kept.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stalker_core.models.version.model import Version

__all__ = ["replacement_path"]

#: a frame pattern in a file name (``####``, ``%04d``)
_PATTERN = re.compile(r"#+|%0?\d*d")
#: a frame number: digits after ``.`` or ``_``, right before the extension
_FRAME = re.compile(r"(?<=[._])\d+(?=\.[^.]+$)")


def _key(name: str, version: Version) -> str:
    """``name`` with the parts that belong to ``version`` (or to one frame) blanked."""
    stem = Path(version.filename or "").stem
    key = name.replace(stem, "\0stem\0") if stem else name
    key = re.sub(rf"(?<![0-9A-Za-z])v0*{version.version_number}(?![0-9])", "\0v\0", key)
    key = _FRAME.sub("\0frame\0", _PATTERN.sub("\0frame\0", key))
    base, dot, ext = key.rpartition(".")
    return f"{base}{dot}{ext.lower()}" if dot else key


def _output_paths(version: Version) -> list[Path]:
    """The absolute paths of the files the publish of ``version`` registered."""
    from stalker_core.models.repository import resolve_repo_path

    project = version.task.project
    repos = list(project.repositories) if project is not None else []
    return [Path(resolve_repo_path(f.full_path, repos)) for f in version.outputs if f.full_path]


def replacement_path(
    path: os.PathLike[str] | str, current: Version, latest: Version
) -> Path | None:
    """The file of ``latest`` to read instead of ``path``, a file of ``current``.

    * ``path`` is ``current``'s work file: ``latest``'s work file;
    * ``path`` is one of ``current``'s outputs (a file, or a frame pattern of a
      sequence): ``latest``'s output of the same key (see the module
      docstring), as a pattern in ``path``'s notation for a sequence;
    * otherwise, when ``path`` has the work files' extension: ``latest``'s
      work file (a reference loaded from a copy of the work file);
    * else ``None``: ``latest`` has no such file (not published, or it
      published something else), and the reference should stay as it is.
    """
    path = Path(path)
    if os.path.normpath(path) == os.path.normpath(current.absolute_full_path):
        return Path(latest.absolute_full_path)
    key = _key(path.name, current)
    candidates = sorted(p for p in _output_paths(latest) if _key(p.name, latest) == key)
    if candidates:
        pattern = _PATTERN.search(path.name)
        if pattern is not None:
            token = pattern.group(0)
            return candidates[0].with_name(_FRAME.sub(lambda _: token, candidates[0].name))
        frame = _FRAME.search(path.name)  # one frame of a sequence: the same frame, if any
        same = [p for p in candidates if frame and (m := _FRAME.search(p.name))
                and m.group(0) == frame.group(0)]
        return (same or candidates)[0]
    if path.suffix.lower() == Path(latest.absolute_full_path).suffix.lower():
        return Path(latest.absolute_full_path)
    return None
