"""``MayaHost``: the host protocol on ``maya.cmds``.

* Work file: ``file -q -sceneName`` / ``-modified``; save is ``file -rename``
  onto a hidden temporary name in the target folder, ``file -save -type``
  (``mayaAscii`` for ``.ma``, ``mayaBinary`` for ``.mb``), ``os.replace``
  onto the reserved name, and ``file -rename`` to it; open is
  ``file -open -force -prompt false``, new is ``file -new -force``.
* Scene metadata: ``fileInfo`` key/value strings.
* Capability ``"timeline"``: ``playbackOptions`` (min/max and the animation
  start/end) and ``currentUnit -time`` with :mod:`stalker_maya.timeunits`.
* Capability ``"references"``: :mod:`stalker_maya.references` (file
  references with a container objectSet each).
* Capability ``"ui"``: the main window is ``MayaWindow``
  (``maya.OpenMayaUI.MQtUtil.mainWindow()`` wrapped as a ``QWidget`` with Qt.py's
  ``QtCompat.wrapInstance``; ``None`` in batch mode), and callables reach the
  main thread through ``maya.utils.executeInMainThreadWithResult``. Qt is
  imported inside :meth:`MayaHost.main_window` only, so this module imports
  without Qt (``mayapy`` on a farm).
* Outside the protocols: :meth:`MayaHost.import_file` (``file -i`` into a new
  namespace, for the Loader's "Import" action; nothing is recorded).

Maya is imported inside the methods, never at module import.
Errors from Maya (``RuntimeError``) are raised again as
:class:`~stalker_core.exceptions.WorkfileError` naming the file.
"""

from __future__ import annotations

import importlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from stalker_core.exceptions import ValidationError, WorkfileError
from stalker_core.hosts import Container
from stalker_core.mainthread import on_main_thread, outcome_of

from . import references
from .timeunits import fps_of_unit, unit_of_fps

#: work-file extension -> the ``file -save -type`` Maya writes it with
FILE_TYPES: dict[str, str] = {".ma": "mayaAscii", ".mb": "mayaBinary"}

T = TypeVar("T")


def _file_type(path: Path, action: str, preposition: str) -> str:
    """The Maya file type of ``path`` by its extension (``WorkfileError`` for another one)."""
    file_type = FILE_TYPES.get(path.suffix.lower())
    if file_type is None:
        raise WorkfileError(
            f"cannot {action} {path} {preposition} Maya: the extension should be one of "
            f"{', '.join(FILE_TYPES)}"
        )
    return file_type


class MayaHost:
    """The host protocol on ``maya.cmds`` (capabilities ``timeline``, ``references``, ``ui``).

    Every method imports ``maya.cmds`` when called (``from maya import cmds``),
    so type checkers check each call against the published ``maya.cmds`` stubs.
    """

    name = "maya"
    workfile_extensions: tuple[str, ...] = tuple(FILE_TYPES)

    @property
    def cmds(self) -> Any:
        """The ``maya.cmds`` module (for plugins that need more of Maya)."""
        return importlib.import_module("maya.cmds")

    # --- work file -------------------------------------------------------------------

    def current_file(self) -> Path | None:
        """The open scene's path, ``None`` while it is untitled."""
        from maya import cmds

        # types-maya 0.6.1 types `file -q -sceneName` as bool; Maya returns the path string
        name: str = cmds.file(query=True, sceneName=True)  # type: ignore[assignment]
        return Path(name) if name else None

    def has_unsaved_changes(self) -> bool | None:
        """Maya's modified flag."""
        from maya import cmds

        return bool(cmds.file(query=True, modified=True))

    def save_file(self, path: Path) -> None:
        """Save the scene onto the reserved name ``path`` (``.ma`` or ``.mb``).

        Maya writes to a hidden temporary name in the same folder, which is
        then renamed onto ``path``; on failure the temporary file is removed,
        ``path`` is left as it was and the scene keeps its old name and its
        unsaved-changes flag.

        :raises WorkfileError: for another extension, a missing folder or
            when Maya cannot write the file (e.g. a read-only folder).
        """
        from maya import cmds

        path = Path(path)
        file_type = _file_type(path, "save", "from")
        if not path.parent.is_dir():
            raise WorkfileError(f"cannot save {path}: the folder {path.parent} does not exist")
        old: str = cmds.file(query=True, sceneName=True)  # type: ignore[assignment]  # see above
        was_modified = bool(cmds.file(query=True, modified=True))
        tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.saving{path.suffix}")
        try:
            cmds.file(rename=tmp.as_posix())
            cmds.file(save=True, type=file_type)
            os.replace(tmp, path)
        except (RuntimeError, OSError) as exc:
            tmp.unlink(missing_ok=True)
            cmds.file(rename=old)
            cmds.file(modified=was_modified)  # a save to the temporary name cleared it
            raise WorkfileError(f"Maya could not save {path}: {exc}") from exc
        cmds.file(rename=path.as_posix())

    def open_file(self, path: Path) -> None:
        """Open ``path``, discarding the current scene (without a prompt).

        :raises WorkfileError: when the file does not exist or Maya cannot read it.
        """
        from maya import cmds

        path = Path(path)
        if not path.is_file():
            raise WorkfileError(f"cannot open {path} in Maya: the file does not exist")
        try:
            cmds.file(path.as_posix(), open=True, force=True, prompt=False)
        except RuntimeError as exc:
            raise WorkfileError(f"Maya could not open {path}: {exc}") from exc

    def new_file(self) -> None:
        """Start a new untitled scene, discarding the current one."""
        from maya import cmds

        cmds.file(new=True, force=True)

    def get_scene_metadata(self) -> dict[str, str]:
        """The scene's ``fileInfo`` entries (Maya's own ones included)."""
        from maya import cmds

        # `fileInfo -q` (every key and value) is documented but has no overload in types-maya
        flat: list[str] = cmds.fileInfo(query=True) or []  # type: ignore[call-overload]
        return dict(zip(flat[::2], flat[1::2], strict=True))

    def set_scene_metadata(self, data: dict[str, str]) -> None:
        """Write each key of ``data`` as a ``fileInfo`` entry (strings only)."""
        from maya import cmds

        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValidationError(
                    f"scene metadata should map str to str, not {key!r}: {value!r}"
                )
            cmds.fileInfo(key, value)

    # --- capability "timeline" ---------------------------------------------------------

    def get_frame_range(self) -> tuple[int, int]:
        """The playback range (``playbackOptions -min/-max``), rounded to whole frames."""
        from maya import cmds

        first = cmds.playbackOptions(query=True, minTime=True)
        last = cmds.playbackOptions(query=True, maxTime=True)
        return round(first), round(last)

    def set_frame_range(self, first: int, last: int) -> None:
        """Set the playback and animation range to ``first``..``last``.

        :raises ValidationError: unless ``first <= last`` are whole numbers.
        """
        from maya import cmds

        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)):
            raise ValidationError(f"frames should be integers, not {first!r}, {last!r}")
        if first > last:
            raise ValidationError(f"the first frame {first} is after the last frame {last}")
        cmds.playbackOptions(
            minTime=first, maxTime=last, animationStartTime=first, animationEndTime=last
        )

    def get_fps(self) -> float:
        """The frame rate of the scene's time unit (``currentUnit -q -time``)."""
        from maya import cmds

        return fps_of_unit(cmds.currentUnit(query=True, time=True))

    def set_fps(self, fps: float) -> None:
        """Set the time unit for ``fps``, keeping the frame range's numbers.

        :raises ValidationError: when Maya has no time unit for ``fps``
            (the scene is left unchanged).
        """
        from maya import cmds

        unit = unit_of_fps(fps)
        first, last = self.get_frame_range()
        cmds.currentUnit(time=unit)
        self.set_frame_range(first, last)

    # --- capability "references" -------------------------------------------------------

    def list_references(self) -> list[Container]:
        """The references loaded through the pipeline (those with a container set)."""
        return references.list_containers()

    def load_reference(self, path: Path, *, version_id: int | None = None) -> Container:
        """Reference ``path`` under a new unique namespace, with a container set."""
        return references.load(Path(path), version_id)

    def replace_reference(
        self, container: Container, path: Path, *, version_id: int | None = None
    ) -> Container:
        """Load ``path`` into the container's reference node (namespace and edits kept)."""
        return references.replace(container, Path(path), version_id)

    def remove_reference(self, container: Container) -> None:
        """Remove the reference, its namespace and its container set."""
        references.remove(container)

    def lock_reference(self, container: Container, locked: bool = True) -> Container:
        """Record ``locked`` on the container set."""
        return references.lock(container, locked)

    # --- capability "ui" ---------------------------------------------------------------

    def main_window(self) -> Any:
        """Maya's main window (``MayaWindow``) as a Qt widget; ``None`` in batch mode."""
        from maya import OpenMayaUI

        # types-maya 0.6.1 ships an empty maya/OpenMayaUI.pyi (API 1.0): no MQtUtil there
        pointer = OpenMayaUI.MQtUtil.mainWindow()  # type: ignore[attr-defined]
        if pointer is None:
            return None
        from Qt import QtCompat, QtWidgets

        return QtCompat.wrapInstance(int(pointer), QtWidgets.QWidget)

    def run_in_main_thread(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Return ``func(*args, **kwargs)`` computed on Maya's main thread.

        On the main thread ``func`` is called directly. From another thread
        the call goes through ``maya.utils.executeInMainThreadWithResult``,
        which waits until Maya's idle queue has run it; whatever ``func``
        raises is raised here (carried by
        :func:`~stalker_core.mainthread.outcome_of`, whatever the Maya version
        does with an exception).
        """
        if on_main_thread():
            return func(*args, **kwargs)
        from maya import utils

        return utils.executeInMainThreadWithResult(outcome_of, func, args, kwargs).result()

    # --- outside the protocols ---------------------------------------------------------

    def import_file(self, path: Path) -> list[str]:
        """Import the nodes of the Maya file ``path`` under a new namespace; return them.

        ``file -i`` copies the nodes into the scene: unlike a reference nothing
        links them to the file, and no container or version id is recorded,
        so they are not listed as references and never updated.

        :raises WorkfileError: for another extension, a missing file, or when
            Maya cannot import it.
        """
        from maya import cmds

        path = Path(path)
        file_type = _file_type(path, "import", "into")
        if not path.is_file():
            raise WorkfileError(f"cannot import {path} into Maya: the file does not exist")
        namespace = references.namespace_for(path)
        try:
            new: list[str] = cmds.file(  # type: ignore[call-overload]  # stub lacks -namespace
                path.as_posix(), i=True, type=file_type, namespace=namespace,
                returnNewNodes=True,
            )
        except RuntimeError as exc:
            raise WorkfileError(f"Maya could not import {path}: {exc}") from exc
        return list(new or [])
