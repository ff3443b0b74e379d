"""The host protocol: what a DCC adapter must offer the core workflows.

A *host* is the application the artist works in (Blender, Maya, Nuke, or the
standalone host that treats work files as plain files on disk). The core never
imports a DCC; it talks to one through an object implementing :class:`Host`,
returned by the ``stalker_host_get`` firstresult hook.

Paths are absolute :class:`pathlib.Path` objects. Scene metadata is a flat
``dict[str, str]`` the host stores inside the scene file (the pipeline records
which version a scene is with the ``"stalker_version_id"`` key).

Besides the required members of :class:`Host`, a host may offer *optional
capabilities* (:data:`OPTIONAL_HOST_MEMBERS`), each a one-method protocol the
workflows and plugins test for with :func:`host_supports` and use when
present, falling back to a generic behaviour otherwise:

* :class:`SupportsSetFps` - ``set_fps(fps)``; the publish plugin offers the
  frame-rate repair only for hosts that have it;
* :class:`SupportsExportWorkfile` - ``export_workfile(path)``; the publish
  plugin writes the published work file with it (so the host can remap
  relative paths), and copies the file byte for byte for hosts without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from stalker_core.exceptions import ValidationError

#: Scene-metadata key under which the workflows record the Version id.
VERSION_ID_KEY = "stalker_version_id"


@dataclass(frozen=True)
class Container:
    """A reference loaded in a scene.

    :param name: the host's handle for the reference (node, library, ...).
    :param path: the absolute path of the referenced file.
    :param version_id: the Version the file belongs to, when known.
    :param locked: a locked reference is left alone by "update to latest".
    """

    name: str
    path: Path
    version_id: int | None = None
    locked: bool = False


@runtime_checkable
class Host(Protocol):
    """What every host adapter implements. Keep it small; extras go through hooks."""

    #: Short lower-case name, e.g. ``"blender"``; stored in ``Version.created_with``.
    name: str
    #: Extensions this host saves work files with, first is the default (``(".blend",)``).
    workfile_extensions: tuple[str, ...]

    def current_file(self) -> Path | None:
        """Return the path of the open work file, or ``None`` for an unsaved scene."""
        ...

    def has_unsaved_changes(self) -> bool | None:
        """Return ``True``/``False``, or ``None`` when the host cannot tell."""
        ...

    def save_file(self, path: Path) -> None:
        """Save the current scene to ``path``; afterwards ``current_file()`` is ``path``.

        ``path`` is a name the caller has *reserved*: it either does not exist
        or is an empty placeholder the workflow created exclusively
        (``O_CREAT | O_EXCL``), so the host may replace it. Its folder exists.
        A host that can should write to a temporary name in the same folder
        and ``os.replace`` it onto ``path`` so that a reader never sees a
        half-written file. Raise on failure (preferably
        :class:`~stalker_core.exceptions.WorkfileError`); the caller cleans up.
        """
        ...

    def open_file(self, path: Path) -> None:
        """Open ``path``, discarding the current scene (the caller has checked).

        Afterwards ``current_file()`` is ``path`` and there are no unsaved changes.
        """
        ...

    def new_file(self) -> None:
        """Start a new empty scene, discarding the current one."""
        ...

    def get_frame_range(self) -> tuple[int, int] | None:
        """Return ``(first, last)`` or ``None`` when the host has no timeline."""
        ...

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the scene's frame range."""
        ...

    def get_fps(self) -> float | None:
        """Return frames per second, or ``None`` when the host has no timeline."""
        ...

    def get_scene_metadata(self) -> dict[str, str]:
        """Return pipeline metadata stored in the current scene."""
        ...

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the metadata stored in the current scene."""
        ...

    def list_references(self) -> list[Container]:
        """Return the references (containers) loaded in the scene."""
        ...

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Load ``path`` as a reference and return its container."""
        ...

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Point ``container`` at ``path`` and return the updated container."""
        ...

    def main_window(self) -> Any:
        """Return the Qt widget to parent dialogs to, or ``None``."""
        ...


@runtime_checkable
class SupportsSetFps(Protocol):
    """Optional capability: the host can change the scene's frame rate."""

    def set_fps(self, fps: float) -> None:
        """Set the scene's frames per second (a positive number, e.g. ``24000 / 1001``).

        Marks the scene as changed, like :meth:`Host.set_frame_range`.
        """
        ...


@runtime_checkable
class SupportsExportWorkfile(Protocol):
    """Optional capability: the host writes a copy of its open work file for publishing."""

    def export_workfile(self, path: Path) -> None:
        """Write the open scene to ``path`` as a work file that opens correctly from there.

        Used by the publish extractor instead of a byte copy of the version's
        file, so a host whose files hold paths relative to their own folder
        (Blender's ``//``) can write them remapped or absolute. ``path`` does
        not exist, its folder exists and differs from the final published
        folder (the file is moved afterwards), so the written file must not
        depend on its own location. The open scene is left exactly as it was:
        ``current_file()``, ``has_unsaved_changes()`` and every path in the
        scene are unchanged. Raise on failure (preferably
        :class:`~stalker_core.exceptions.WorkfileError`).
        """
        ...


#: the members every host must have (the Protocol above), in declaration order.
HOST_MEMBERS: tuple[str, ...] = (
    "name",
    "workfile_extensions",
    "current_file",
    "has_unsaved_changes",
    "save_file",
    "open_file",
    "new_file",
    "get_frame_range",
    "set_frame_range",
    "get_fps",
    "get_scene_metadata",
    "set_scene_metadata",
    "list_references",
    "load_reference",
    "replace_reference",
    "main_window",
)


def missing_host_members(obj: object) -> list[str]:
    """Return the :class:`Host` members ``obj`` lacks (empty when it is a host)."""
    return [m for m in HOST_MEMBERS if not hasattr(obj, m)]


#: optional capabilities a host may offer (see the module docstring), name -> protocol
OPTIONAL_HOST_MEMBERS: dict[str, type] = {
    "set_fps": SupportsSetFps,
    "export_workfile": SupportsExportWorkfile,
}


def host_supports(host: object, capability: str) -> bool:
    """Return whether ``host`` offers the optional ``capability`` (a callable member).

    :param capability: a key of :data:`OPTIONAL_HOST_MEMBERS`.
    :raises ValidationError: for an unknown capability name.
    """
    if capability not in OPTIONAL_HOST_MEMBERS:
        raise ValidationError(
            f"unknown host capability {capability!r}; "
            f"expected one of {', '.join(sorted(OPTIONAL_HOST_MEMBERS))}"
        )
    return callable(getattr(host, capability, None))
