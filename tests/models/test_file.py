"""File (Link)."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError
from stalker_core.models import File, Link


def test_paths() -> None:
    f = File(full_path="$REPO1\\FC\\SH001\\out.v001.exr")
    assert f.full_path == "$REPO1/FC/SH001/out.v001.exr"
    assert f.path == "$REPO1/FC/SH001"
    assert f.filename == "out.v001.exr"
    assert f.extension == ".exr"
    assert f.name.startswith("File_")  # Stalker's auto-name, not the file name
    assert Link is File
    assert File().name != File().name and File().full_path == ""


def test_invalid() -> None:
    with pytest.raises(StalkerTypeError, match="File.full_path"):
        File(full_path=5)
    with pytest.raises(StalkerTypeError, match="File.original_filename"):
        File(original_filename=[])


def test_thumbnail_persists(session: Any) -> None:
    from stalker_core.models import Department

    dep = Department(name="d", thumbnail=File(full_path="/thumbs/d.png"))
    session.add(dep)
    session.commit()
    session.expire_all()
    assert Department.query.filter_by(name="d").one().thumbnail.filename == "d.png"
