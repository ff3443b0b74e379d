"""File (alias Link): a path to a file, used for thumbnails, inputs and outputs."""

from __future__ import annotations

import posixpath
from typing import Any

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from stalker_core.exceptions import value_error
from stalker_core.models.base import Entity, check_str, fk_id
from stalker_core.models.column_mixins import ReferenceMixin


class File(Entity, ReferenceMixin):
    """A file known to the pipeline; ``full_path`` is repository-independent.

    ``references`` lists the files this one uses (Stalker 1.1).

    :param full_path: e.g. ``$REPO12/FC/SH001/comp/out.exr`` (``\\`` becomes ``/``).
    :param original_filename: the name the file had when it was uploaded.
    :param name: optional; ``File_<uuid4>`` when not given (see ``SimpleEntity``).
    """

    __tablename__ = "files"
    id: Mapped[int] = fk_id("simple_entities")
    full_path: Mapped[str] = mapped_column(Text, default="")
    original_filename: Mapped[str] = mapped_column(Text, default="")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("full_path", "")
        kwargs.setdefault("original_filename", "")
        super().__init__(**kwargs)

    @validates("full_path")
    def _validate_full_path(self, key: str, value: Any) -> str:
        return check_str(type(self).__name__, key, value, required=False).replace("\\", "/")

    @validates("original_filename")
    def _validate_original(self, key: str, value: Any) -> str:
        return check_str(type(self).__name__, key, value, required=False)

    @property
    def path(self) -> str:
        """The directory part of ``full_path``; setting it moves the file there."""
        return posixpath.dirname(self.full_path or "")

    @path.setter
    def path(self, value: str) -> None:
        directory = check_str(type(self).__name__, "path", value).replace("\\", "/")
        self.full_path = posixpath.join(directory, self.filename)

    @property
    def filename(self) -> str:
        """The file name part of ``full_path``; setting it renames the file."""
        return posixpath.basename(self.full_path or "")

    @filename.setter
    def filename(self, value: str) -> None:
        name = check_str(type(self).__name__, "filename", value).replace("\\", "/")
        if "/" in name:
            raise value_error(type(self).__name__, "filename", "a file name without '/'", value)
        self.full_path = posixpath.join(self.path, name)

    @property
    def extension(self) -> str:
        """The extension of ``full_path`` with its dot (``".exr"``), or ``""``."""
        return posixpath.splitext(self.filename)[1]


#: Stalker 0.2 called this class ``Link``.
Link = File
