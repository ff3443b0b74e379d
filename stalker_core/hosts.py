"""The host protocol: a small required core plus optional capabilities.

A *host* is the application the artist works in (Blender, Maya, Nuke, or the
standalone host that treats work files as plain files on disk). The core never
imports a DCC; it talks to one through an object returned by the
``stalker_host_get`` firstresult hook.

Every host implements :class:`Host`, the work file: its name, its work-file
extensions, the current file, unsaved changes, save, open, new, and the
pipeline metadata stored in the scene. Paths are absolute
:class:`pathlib.Path` objects. Scene metadata is a flat ``dict[str, str]``
the host stores inside the scene file (the pipeline records which version a
scene is with the :data:`VERSION_ID_KEY` key).

Whatever else a host can do is an optional *capability*, each its own
protocol, listed once in :data:`CAPABILITIES`:

* ``"timeline"`` - :class:`TimelineHost`: frame range and fps, get and set;
* ``"references"`` - :class:`ReferenceHost`: list, load, replace, remove,
  lock and unlock references (:class:`Container`);
* ``"export"`` - :class:`ExportHost`: write the published copy of the work file;
* ``"ui"`` - :class:`UIHost`: the main window to parent dialogs to, and
  running a callable on the host's main thread.

A host claims a capability by implementing every member of its protocol;
nothing is declared by hand. :func:`host_capabilities` derives the claim,
:func:`host_supports` tests one capability and :func:`require_capability`
insists on it. Workflows and plugins test for a capability and use it when
present, else the generic fallback each protocol documents.

**A host is recognised by its** ``name`` **and by the protocols it
satisfies, never by the import path of its class.** The same adapter module
can be imported under different names (installed as a Blender 4.2+
extension, ``stalker_blender`` runs as ``bl_ext.user_default.stalker_blender``),
and an ``isinstance`` check against the class of one import fails for an
object made by the other. Plugins therefore test ``host.name == "blender"``
and :func:`host_supports`, never ``isinstance(host, SomeAdapterClass)``.
Use :func:`host_supports` rather than ``isinstance(host, TimelineHost)``
too: a runtime-checkable protocol only checks that attributes exist, while a
capability counts only when every member is present and callable.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, cast, runtime_checkable

from stalker_core.exceptions import HostCapabilityError, StalkerTypeError, ValidationError

#: Scene-metadata key under which the workflows record the Version id.
VERSION_ID_KEY = "stalker_version_id"

P = ParamSpec("P")
T = TypeVar("T")


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
    """What every host implements: the work file. Everything else is a capability."""

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

    def get_scene_metadata(self) -> dict[str, str]:
        """Return (a copy of) the pipeline metadata stored in the current scene."""
        ...

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Merge ``data`` into the metadata stored in the current scene (marks it changed)."""
        ...


@runtime_checkable
class TimelineHost(Protocol):
    """Capability ``"timeline"``: the scene has a frame range and a frame rate.

    *Fallback* for hosts without it: the publish plugin's frame-range and fps
    checks are not run and say so (an ``"info"`` result "... not checked"),
    and a context's frame range is not applied to the scene.
    """

    def get_frame_range(self) -> tuple[int, int]:
        """Return the scene's ``(first, last)`` frame."""
        ...

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the scene's frame range (``first <= last``); marks the scene as changed."""
        ...

    def get_fps(self) -> float:
        """Return the scene's frames per second."""
        ...

    def set_fps(self, fps: float) -> None:
        """Set frames per second (a positive number, e.g. ``24000 / 1001``); marks it changed."""
        ...


@runtime_checkable
class ReferenceHost(Protocol):
    """Capability ``"references"``: the scene loads other versions' files as references.

    Each reference is a :class:`Container` recording the Version id it was
    loaded for and whether it is locked; both are stored in the scene, so
    they survive a save and an open. Methods that change a reference return
    the updated container and mark the scene as changed.

    *Fallback* for hosts without it: a scene has no containers;
    :func:`~stalker_core.workflows.find_outdated` returns nothing and
    :func:`~stalker_core.workflows.update_references` reports that the host
    has no references.
    """

    def list_references(self) -> list[Container]:
        """Return the references (containers) loaded in the scene."""
        ...

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Load the existing file ``path`` as a reference and return its container."""
        ...

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Point ``container`` at ``path`` (recording ``version_id``); return it updated."""
        ...

    def remove_reference(self, container: Container) -> None:
        """Remove ``container`` (and what it brought into the scene) from the scene."""
        ...

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Lock ``container`` (``locked=False``: unlock it); return it updated.

        "Update to latest" leaves a locked reference alone.
        """
        ...


@runtime_checkable
class ExportHost(Protocol):
    """Capability ``"export"``: the host writes the published copy of its work file.

    *Fallback* for hosts without it: the publish plugin copies the version's
    file byte for byte.
    """

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


@runtime_checkable
class UIHost(Protocol):
    """Capability ``"ui"``: the host has a main window and a main (UI) thread.

    *Fallback* for hosts without it (:func:`host_main_window`,
    :func:`host_run_in_main_thread`): dialogs are not parented, and callables
    run directly in the calling thread.
    """

    def main_window(self) -> Any:
        """Return the Qt widget to parent dialogs to, or ``None`` when there is none."""
        ...

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``func(*args, **kwargs)`` on the host's main thread and return its result.

        Waits for the call to finish; an exception ``func`` raises is raised
        again in the caller. Called on the main thread, it runs ``func`` at once.
        """
        ...


#: the capabilities a host may have: name -> protocol. The one declaration.
CAPABILITIES: Mapping[str, type] = MappingProxyType({
    "timeline": TimelineHost,
    "references": ReferenceHost,
    "export": ExportHost,
    "ui": UIHost,
})


@functools.cache
def protocol_members(proto: type) -> tuple[str, ...]:
    """Return the public member names a Protocol class declares.

    Its annotated attributes, then its methods (and properties), each in
    declaration order, including those of protocols it extends.

    :raises StalkerTypeError: when ``proto`` is not a Protocol class.
    """
    if not isinstance(proto, type) or Protocol not in proto.__mro__:
        raise StalkerTypeError(f"proto should be a Protocol class, not {proto!r}")
    classes = [c for c in reversed(proto.__mro__) if c not in (object, Generic, Protocol)]
    names: dict[str, None] = {}
    for cls in classes:
        names.update(dict.fromkeys(inspect.get_annotations(cls)))
    for cls in classes:
        for name, value in vars(cls).items():
            if inspect.isfunction(value) or isinstance(value, property):
                names[name] = None
    return tuple(n for n in names if not n.startswith("_"))


#: the members every host must have (:class:`Host`), in declaration order
HOST_MEMBERS: tuple[str, ...] = protocol_members(Host)


def _missing(obj: object, proto: type) -> list[str]:
    """The members of ``proto`` that ``obj`` lacks (a method must be callable)."""
    missing = []
    for member in protocol_members(proto):
        is_method = callable(getattr(proto, member, None))
        value = getattr(obj, member, None) if is_method else None
        if (is_method and not callable(value)) or (not is_method and not hasattr(obj, member)):
            missing.append(member)
    return missing


def missing_host_members(obj: object) -> list[str]:
    """Return the :class:`Host` members ``obj`` lacks (empty when it is a host)."""
    return _missing(obj, Host)


def _protocol_of(capability: str) -> type:
    try:
        return CAPABILITIES[capability]
    except (KeyError, TypeError):
        raise ValidationError(
            f"unknown host capability {capability!r}; expected one of {', '.join(CAPABILITIES)}"
        ) from None


def host_capabilities(host: object) -> frozenset[str]:
    """Return the names of the capabilities ``host`` has (every member present and callable)."""
    return frozenset(name for name, proto in CAPABILITIES.items() if not _missing(host, proto))


def host_supports(host: object, capability: str) -> bool:
    """Return whether ``host`` has ``capability`` (every member present and callable).

    :param capability: a key of :data:`CAPABILITIES`.
    :raises ValidationError: for an unknown capability name.
    """
    return not _missing(host, _protocol_of(capability))


def require_capability(host: object, capability: str) -> None:
    """Raise unless ``host`` has ``capability``.

    :raises HostCapabilityError: naming the host, the capability and the
        members the host lacks.
    :raises ValidationError: for an unknown capability name.
    """
    missing = _missing(host, _protocol_of(capability))
    if missing:
        name = getattr(host, "name", type(host).__name__)
        raise HostCapabilityError(
            f"host {name!r} does not have the {capability!r} capability: it lacks "
            f"{', '.join(missing)}",
            host=host,
            capability=capability,
        )


def host_main_window(host: object) -> Any:
    """The widget to parent dialogs to: ``host.main_window()`` for a UI host, else ``None``."""
    if host_supports(host, "ui"):
        return cast(UIHost, host).main_window()
    return None


def host_run_in_main_thread(
    host: object, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run ``func(*args, **kwargs)`` on the host's main thread and return its result.

    A UI host runs it through :meth:`UIHost.run_in_main_thread`; any other
    host has no thread of its own to run it on, so it runs here, in the
    calling thread. Either way an exception of ``func`` reaches the caller.
    """
    if host_supports(host, "ui"):
        return cast(UIHost, host).run_in_main_thread(func, *args, **kwargs)
    return func(*args, **kwargs)


def check_frame_range(owner: str, first: int, last: int) -> tuple[int, int]:
    """Validate the arguments of ``set_frame_range`` (shared by every timeline host).

    :param owner: how the error names the call, e.g. ``"BlenderHost.set_frame_range"``.
    :raises StalkerTypeError: a bound is not an int (bools refused).
    :raises ValidationError: ``first`` is after ``last``.
    """
    for label, value in (("first", first), ("last", last)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise StalkerTypeError(
                f"{owner}: {label} must be an int, not {type(value).__name__} {value!r}"
            )
    if first > last:
        raise ValidationError(f"{owner}: first frame {first} is after last frame {last}")
    return first, last


def check_fps(owner: str, fps: object) -> float:
    """Validate the argument of ``set_fps`` (shared by every timeline host).

    :param owner: how the error names the call, e.g. ``"NukeHost.set_fps"``.
    :raises ValidationError: ``fps`` is not a positive number (bools refused).
    """
    if isinstance(fps, bool) or not isinstance(fps, int | float) or fps <= 0:
        raise ValidationError(f"{owner}: fps must be a positive number, not {fps!r}")
    return float(fps)


def check_metadata(owner: str, data: object) -> dict[str, str]:
    """Validate the argument of ``set_scene_metadata``; return it with string values.

    :param owner: how the error names the call, e.g. ``"NukeHost.set_scene_metadata"``.
    :raises StalkerTypeError: ``data`` is not a dict, or a key is not a non-empty str.
    """
    if not isinstance(data, dict):
        raise StalkerTypeError(f"{owner}: data must be a dict, not {type(data).__name__}")
    for key in data:
        if not isinstance(key, str) or not key:
            raise StalkerTypeError(f"{owner}: keys must be non-empty str, got {key!r}")
    return {key: str(value) for key, value in data.items()}
